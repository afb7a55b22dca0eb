"""Projects sent by contracting authorities to the facilitator who leads where the works are."""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from directory.names import body_phrase, person_phrase
from portal.blocks import RICH_FEATURES
from portal.models.base import BasePage
from portal.ratelimit import rate_limited, retry_message


@dataclass
class Handler:
    """Who handles a request, as the sender is told: a person (a facilitator) or a body (a
    coordination, named with its article in sentences)."""

    name: str
    structure: str = ""
    email: str = ""
    phone: str = ""
    body: bool = False

    def __str__(self):
        return f"{self.name} ({self.structure})" if self.structure else self.name

    def phrase(self, preposition=""):
        """The handler in a sentence of the active language, after `preposition` ("", "à",
        "de", "par"): "à Claire Martin (PLIE …)", "par la coordination départementale…"."""
        language = get_language() or "fr"
        if self.body:
            return body_phrase(self.name, preposition, language)
        return person_phrase(str(self), preposition, language)

    @property
    def article_name(self):
        return self.phrase()

    @property
    def to_name(self):
        return self.phrase("à")

    @property
    def by_name(self):
        return self.phrase("par")


class ProjectRequest(models.Model):
    """A contracting authority's project, routed to a facilitator (or to the coordinators)."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        ACKNOWLEDGED = "acknowledged", _("Prise en compte")
        IN_PROGRESS = "in_progress", _("En cours")
        CLAUSE_WRITTEN = "clause_written", _("Clause rédigée")
        CLOSED = "closed", _("Close sans clause")

    class Nature(models.TextChoices):
        WORKS = "works", _("Travaux")
        SERVICES = "services", _("Services")
        SUPPLIES = "supplies", _("Fournitures")
        INTELLECTUAL = "intellectual", _("Prestations intellectuelles")

    class Route(models.TextChoices):
        AUTHORITY = "authority", _("Chef de file désigné par le donneur d'ordre")
        TERRITORY = "territory", _("Chef de file du territoire")
        SINGLE = "single", _("Seul facilitateur du territoire")
        COORDINATION = "coordination", _("Coordination (pas de facilitateur désigné)")

    class Mail(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyés")
        FAILED = "failed", _("Échec, nouvel essai prévu")
        GAVE_UP = "gave_up", _("Échec définitif")

    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    language = models.CharField(_("langue"), max_length=5, default="fr")

    # The buyer and its contact.
    authority = models.ForeignKey(
        "directory.ContractingAuthority",
        verbose_name=_("donneur d'ordre de l'annuaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_requests",
    )
    organisation = models.CharField(_("organisme acheteur"), max_length=200)
    contact_name = models.CharField(_("nom du contact"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    # The contract.
    nature = models.CharField(_("nature du marché"), max_length=20, choices=Nature.choices)
    subject = models.CharField(_("objet du marché"), max_length=300)
    amount = models.DecimalField(
        _("montant estimé (€ HT)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    duration = models.CharField(_("durée"), max_length=100, blank=True)
    commune = models.ForeignKey(
        "directory.Territory",
        verbose_name=_("lieu d'exécution"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("lieu d'exécution (tel que saisi)"), max_length=200)
    publication_date = models.DateField(_("publication prévue"), null=True, blank=True)
    insertion_hours = models.PositiveIntegerField(
        _("heures d'insertion estimées"), null=True, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"))

    # Where it went.
    routed_to = models.ForeignKey(
        "directory.Facilitator",
        verbose_name=_("adressée à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_requests",
    )
    coordination = models.ForeignKey(
        "directory.Coordination",
        verbose_name=_("coordination"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_requests",
        help_text=_(
            "La coordination du lieu : elle reçoit le projet quand personne n'est désigné."
        ),
    )
    route = models.CharField(_("règle d'orientation"), max_length=20, choices=Route.choices)
    route_explanation = models.TextField(_("explication de l'orientation"), blank=True)

    # Follow-up in the admin.
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suivie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes internes"), blank=True)

    # E-mails: which were sent, so that a retry never sends one twice.
    mail_status = models.CharField(
        _("e-mails"), max_length=10, choices=Mail.choices, default=Mail.PENDING
    )
    mails_sent = models.CharField(max_length=100, blank=True, editable=False)
    mail_attempts = models.PositiveSmallIntegerField(_("envois tentés"), default=0)
    mail_error = models.TextField(_("dernière erreur d'envoi"), blank=True)

    # The lifecycle (referrals.lifecycle): when each step happened, and how it ended.
    acknowledged_at = models.DateTimeField(
        _("prise en compte le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("La première prise en compte (« je m'en occupe »)."),
    )
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(
        _("signalée à la coordination le"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True, editable=False)
    clause_hours = models.PositiveIntegerField(
        _("heures d'insertion prévues par la clause"), null=True, blank=True, editable=False
    )
    contract_start = models.DateField(
        _("début d'exécution du marché"), null=True, blank=True, editable=False
    )
    rating = models.PositiveSmallIntegerField(
        _("avis du donneur d'ordre (1 à 5)"),
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("commentaire du donneur d'ordre"), blank=True)
    rated_at = models.DateTimeField(_("avis donné le"), null=True, blank=True, editable=False)

    panels = [
        HelpPanel(template="referrals/admin/request_summary.html", heading=_("La demande")),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("assignee"), FieldPanel("notes")],
            _("Suivi"),
        ),
    ]

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-created_at"]
        permissions = [("view_all_projectrequest", _("Voir toutes les demandes"))]

    def __str__(self):
        return gettext("Demande n° %(number)s — %(subject)s") % {
            "number": self.pk,
            "subject": self.subject,
        }

    @property
    def departement(self):
        return self.commune.departement if self.commune_id else None

    @property
    def recipient_label(self):
        if self.routed_to_id:
            return f"{self.routed_to.full_name} ({self.routed_to.structure.name})"
        if self.coordination_id:
            return self.coordination.name
        return gettext("la coordination des clauses sociales")

    def mail_failure(self):
        """Why its e-mails have not left yet, as a sentence (`outbox.failures.explain`)."""
        from outbox.failures import explain

        return explain(self.mail_error)

    mail_failure.short_description = _("dernière erreur d'envoi")

    def recipient_phrase(self, preposition=""):
        """Who the request was sent to, in a sentence: "à Claire Martin (PLIE …)", "à la
        coordination départementale…"."""
        language = get_language() or "fr"
        if not self.routed_to_id and self.coordination_id:
            return body_phrase(self.coordination.name, preposition, language)
        return person_phrase(self.recipient_label, preposition, language)

    def recipient(self):
        """Who the request was sent to, for the admin listing."""
        if self.routed_to_id:
            return self.routed_to.full_name
        return self.coordination.name if self.coordination_id else gettext("Coordination")

    recipient.short_description = _("adressée à")

    def handover(self):
        """The latest step that gave the request its present handler (reception, forward,
        decline, re-route), or None for a request older than the lifecycle."""
        return (
            self.events.filter(kind__in=RequestEvent.HANDOVERS)
            .select_related("facilitator__structure", "coordination")
            .order_by("-at", "-pk")
            .first()
        )

    def absence_step(self):
        """The reception step when the facilitator the request was meant for was away (it
        names them, their last day, and who received the request instead); else None."""
        return (
            self.events.filter(kind=RequestEvent.Kind.RECEIVED)
            .exclude(absent_label="")
            .select_related("facilitator__structure", "coordination")
            .first()
        )

    def handler(self):
        """Who answers the sender now: name, structure, e-mail and telephone of the
        facilitator, else of the commune's coordination, else of the national network."""
        if self.routed_to_id:
            facilitator = self.routed_to
            return Handler(
                facilitator.full_name,
                facilitator.structure.name,
                facilitator.email,
                facilitator.phone,
            )
        if self.coordination_id:
            coordination = self.coordination
            return Handler(coordination.name, "", coordination.email, coordination.phone, body=True)
        addresses = settings.REFERRAL_COORDINATION_EMAILS
        return Handler(
            gettext("la coordination des clauses sociales"), "", addresses[0] if addresses else ""
        )

    @property
    def is_open(self):
        """Not closed yet (with or without a clause)."""
        return self.status not in (self.Status.CLAUSE_WRITTEN, self.Status.CLOSED)


class RequestEvent(models.Model):
    """One dated step of a request's life, with who did it. The public ones are shown on the
    sender's tracking page; the others (reminders, internal messages) stay in the admin."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Reçue")
        ACKNOWLEDGED = "acknowledged", _("Prise en compte")
        IN_PROGRESS = "in_progress", _("En cours")
        FORWARDED = "forwarded", _("Transmise")
        DECLINED = "declined", _("Déclinée, renvoyée à la coordination")
        REROUTED = "rerouted", _("Réorientée")
        ASSIGNED = "assigned", _("Suivi confié")
        REPLIED = "replied", _("Réponse envoyée")
        REMINDED = "reminded", _("Relance")
        ESCALATED = "escalated", _("Signalée à la coordination")
        CLAUSE_WRITTEN = "clause_written", _("Clause rédigée")
        CLOSED = "closed", _("Close sans clause")
        RATED = "rated", _("Avis du donneur d'ordre")

    # The steps that give the request a (new) handler: the facilitators' links name the latest.
    HANDOVERS = (Kind.RECEIVED, Kind.FORWARDED, Kind.DECLINED, Kind.REROUTED)

    request = models.ForeignKey(
        ProjectRequest,
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("date de l'étape"), default=timezone.now, db_index=True)
    kind = models.CharField(_("étape"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par (compte)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("par (nom affiché)"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    facilitator = models.ForeignKey(
        "directory.Facilitator",
        verbose_name=_("facilitateur visé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    coordination = models.ForeignKey(
        "directory.Coordination",
        verbose_name=_("coordination visée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public = models.BooleanField(_("visible du donneur d'ordre"), default=False)
    # A reception while the facilitator meant was away (`referrals.routing`): who, and until
    # when; the step's facilitator (or coordination) is whom the request went to instead.
    absent_label = models.CharField(_("absent (nom affiché)"), max_length=200, blank=True)
    absent_until = models.DateField(_("absent jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("étape d'une demande")
        verbose_name_plural = _("étapes des demandes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.at:%Y-%m-%d %H:%M}"

    @property
    def target_label(self):
        """The facilitator or coordination the step handed the request to, as shown."""
        if self.facilitator_id:
            return f"{self.facilitator.full_name} ({self.facilitator.structure.name})"
        if self.coordination_id:
            return self.coordination.name
        return ""

    @property
    def to_target(self):
        """Where the step handed the request, in a sentence: "à Claire Martin (PLIE …)", "à
        la coordination départementale…" ("to …" in English); "" when nowhere."""
        if self.facilitator_id:
            return person_phrase(self.target_label, "à", get_language() or "fr")
        if self.coordination_id:
            return self.coordination.to_name
        return ""


class ReferralPage(BasePage):
    """ "Send my project to the facilitator": the form, then a confirmation naming who will
    answer. Opened from a commune's answer (directory, map) or from the calculator."""

    intro = RichTextField(_("introduction"), features=RICH_FEATURES, blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page « données personnelles »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Liée depuis la case de consentement."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("privacy_page")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("envoi de projet au facilitateur")
        verbose_name_plural = _("envois de projet au facilitateur")

    def serve(self, request, *args, **kwargs):
        from referrals import submission
        from referrals.forms import HONEYPOT_FIELD, ReferralForm

        if request.GET.get("destinataire"):
            # The recipient box, refreshed by the page's script as the visitor types.
            return self._render(
                request,
                "referrals/includes/recipient.html",
                preview=submission.recipient(
                    request.GET.get("place", ""), request.GET.get("authority", "")
                ),
            )
        if request.GET.get("envoye"):
            return self._render(
                request,
                "referrals/referral_confirmation.html",
                sent=submission.confirmation(request.GET["envoye"]),
                answer_days=settings.REFERRAL_ANSWER_DAYS,
            )
        status = 200
        if request.method == "POST":
            form = ReferralForm(request.POST)
            if request.POST.get(HONEYPOT_FIELD):
                return redirect(self.url + "?envoye=merci")  # a bot: say thanks, keep nothing
            if form.is_valid():
                # Only complete requests count: correcting a form is never blocked.
                wait = rate_limited(request, "referral", settings.REFERRAL_RATE_LIMIT, window=3600)
                if not wait:
                    project = submission.submit(form, get_language())
                    token = submission.confirmation_token(project)
                    return redirect(f"{self.url}?{urlencode({'envoye': token})}")
                form.add_error(
                    None,
                    gettext(
                        "Trop de demandes envoyées depuis votre connexion : %(retry)s "
                        "Vos informations sont conservées ci-dessous."
                    )
                    % {"retry": retry_message(wait)},
                )
                status = 429
        else:
            form = ReferralForm(initial=submission.initial_from(request.GET))
        response = self._render(
            request, self.get_template(request), form=form, preview=submission.preview(form)
        )
        response.status_code = status
        if status == 429:
            response["Retry-After"] = str(wait)
        return response

    def _render(self, request, template, **extra):
        context = self.get_context(request)
        context["calculator_page"] = self.live_page("portal.CalculatorPage")
        context.update(extra)
        return TemplateResponse(request, template, context)
