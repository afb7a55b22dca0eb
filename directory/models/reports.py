"""Errors reported by visitors on a facilitator card or a commune's answer ("Signaler une
erreur"), routed to the coordination that keeps that part of the directory
(`directory.error_reports`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel

from .coordinations import Coordination
from .registry import Facilitator
from .territories import Territory

# What a visitor may write: enough for "the phone number changed, it is now …".
MESSAGE_MAX_LENGTH = 2000


class ErrorReport(models.Model):
    """A visitor's report that something in the directory is wrong."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouveau")
        IN_PROGRESS = "in_progress", _("En cours")
        FIXED = "fixed", _("Corrigé")
        REJECTED = "rejected", _("Rejeté")

    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    language = models.CharField(_("langue"), max_length=5, default="fr")

    # What it is about: a facilitator's card, a commune's answer, or a card in an answer.
    facilitator = models.ForeignKey(
        Facilitator,
        verbose_name=_("facilitateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="error_reports",
    )
    commune = models.ForeignKey(
        Territory,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(
        _("objet"),
        max_length=300,
        help_text=_("La fiche ou la commune, telle qu'elle était nommée lors du signalement."),
    )
    message = models.TextField(_("ce qui est inexact"), max_length=MESSAGE_MAX_LENGTH)
    email = models.EmailField(_("e-mail du visiteur"), blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"))

    # Where it went.
    coordination = models.ForeignKey(
        Coordination,
        verbose_name=_("coordination destinataire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="error_reports",
    )

    # Follow-up in the admin.
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note interne"), blank=True)

    panels = [
        HelpPanel(
            template="directory/admin/error_report_summary.html", heading=_("Le signalement")
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("handled_by"), FieldPanel("note")], _("Suivi")
        ),
    ]

    class Meta:
        verbose_name = _("erreur signalée")
        verbose_name_plural = _("erreurs signalées")
        ordering = ["-created_at"]

    def __str__(self):
        return gettext("Signalement n° %(number)s — %(subject)s") % {
            "number": self.pk,
            "subject": self.subject,
        }

    def excerpt(self):
        """The start of what the visitor wrote, for the admin listing."""
        text = " ".join(self.message.split())
        return text if len(text) <= 90 else text[:89] + "…"

    excerpt.short_description = _("ce qui est inexact")

    def recipient(self):
        """Who the report was sent to, for the admin listing."""
        return self.coordination.name if self.coordination_id else "—"

    recipient.short_description = _("transmis à")
