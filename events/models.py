"""The agenda: an index of upcoming and past events, and one page per event with its iCal file."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from events.choosers import departement_chooser_viewset
from portal.blocks import BodyBlock
from portal.leaflet import leaflet_options
from portal.models import BasePage


def _midnight(now):
    """Midnight of `now`'s day in the site's time zone (Europe/Paris)."""
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


class EventQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Events not over yet (ongoing ones included), soonest first. An all-day event lasts
        until the end of its last day."""
        now = now or timezone.now()
        return self.filter(
            Q(all_day=False, end__gte=now) | Q(all_day=True, end__gte=_midnight(now))
        ).order_by("start", "pk")

    def past(self, now=None):
        """Events that are over, latest first."""
        now = now or timezone.now()
        return self.filter(
            Q(all_day=False, end__lt=now) | Q(all_day=True, end__lt=_midnight(now))
        ).order_by("-start", "-pk")


EventManager = PageManager.from_queryset(EventQuerySet)


class EventIndexPage(RoutablePageMixin, BasePage):
    """The agenda: upcoming or past events, filterable by month, category and département,
    with an iCal feed to subscribe to and an RSS feed."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    per_page = 10

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def events(self):
        """The live, public events of this agenda."""
        return EventPage.objects.child_of(self).live().public().select_related("departement")

    @path("")
    def listing(self, request):
        past = request.GET.get("quand") == "passes"
        events = self.events().past() if past else self.events().upcoming()
        departements = self.departements()
        months = self.months(events)

        month = request.GET.get("mois", "")
        if month in {value for value, _label in months}:
            year, number = (int(part) for part in month.split("-"))
            events = events.filter(start__year=year, start__month=number)
        else:
            month = ""
        category = request.GET.get("categorie", "")
        if category in EventPage.Category.values:
            events = events.filter(category=category)
        else:
            category = ""
        departement = request.GET.get("departement", "")
        if departement and any(d.code == departement for d in departements):
            events = events.filter(departement__code=departement)
        else:
            departement = ""

        page_obj = Paginator(events, self.per_page).get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "events": page_obj,
                "past": past,
                "months": months,
                "month": month,
                "categories": EventPage.Category.choices,
                "category": category,
                "departements": departements,
                "departement": departement,
                "filtered": bool(month or category or departement),
            },
        )

    def departements(self):
        """The départements that have at least one event in this agenda."""
        from directory.models import Territory

        return Territory.objects.filter(
            pk__in=self.events().filter(departement__isnull=False).values("departement")
        ).order_by("code")

    @staticmethod
    def months(events):
        """The (YYYY-MM, label) months in which `events` start, in the order of `events`."""
        from django.utils.formats import date_format

        seen = []
        for start in events.values_list("start", flat=True):
            local = timezone.localtime(start)
            key = f"{local.year}-{local.month:02d}"
            if key not in (value for value, _label in seen):
                seen.append((key, date_format(local, "F Y")))
        return seen

    @path("ical/", name="ical")
    def ical(self, request):
        """The agenda as an iCal feed (every published event, past and upcoming)."""
        from events import ical

        body = ical.calendar_for(self.events().order_by("start", "pk"), self.title, request)
        return ical.response(body, filename=None)

    @path("rss/", name="rss")
    def rss(self, request):
        from events.feeds import EventFeed

        return EventFeed(self)(request)


class EventPage(RoutablePageMixin, BasePage):
    """One event: when, where (a place with a small map, or online), who for, how to register."""

    class Category(models.TextChoices):
        MEETING = "meeting", _("Rencontre")
        TRAINING = "training", _("Formation")
        COMMITTEE = "committee", _("Réunion de comité")
        WORKSHOP = "workshop", _("Atelier, barcamp")
        WEBINAR = "webinar", _("Webinaire")
        OTHER = "other", _("Autre")

    intro = models.TextField(_("résumé"), max_length=400)
    start = models.DateTimeField(
        _("début"),
        help_text=_("Heure de Paris. Pour un événement sur la journée, l'heure est ignorée."),
    )
    end = models.DateTimeField(
        _("fin"), help_text=_("Heure de Paris. Pour un événement sur la journée : le dernier jour.")
    )
    all_day = models.BooleanField(_("toute la journée"), default=False)
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.TextField(_("adresse"), blank=True, max_length=400)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, help_text=_("Pour la carte ; ex. : 43.6768")
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, help_text=_("Pour la carte ; ex. : 4.6303")
    )
    online_url = models.URLField(_("lien de connexion en ligne"), blank=True)
    organiser = models.CharField(_("organisateur"), max_length=200, blank=True)
    audiences = ParentalManyToManyField(
        "portal.Audience", verbose_name=_("publics"), blank=True, related_name="events"
    )
    registration_url = models.URLField(_("lien d'inscription"), blank=True)
    registration_deadline = models.DateTimeField(
        _("date limite d'inscription"), null=True, blank=True
    )
    category = models.CharField(
        _("catégorie"), max_length=20, choices=Category.choices, default=Category.MEETING
    )
    departement = models.ForeignKey(
        "directory.Territory",
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "departement"},
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    objects = EventManager()

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
            _("Date"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("online_url"),
                FieldPanel("departement", widget=departement_chooser_viewset.widget_class),
            ],
            _("Lieu"),
        ),
        FieldRowPanel([FieldPanel("category"), FieldPanel("organiser")]),
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("registration_url"), FieldPanel("registration_deadline")]),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("venue"),
        index.SearchField("address"),
        index.SearchField("organiser"),
        index.FilterField("start"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    @property
    def summary(self):
        return self.listing_summary or self.intro

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La fin doit être après le début.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Indiquez la latitude et la longitude, ou aucune des deux.")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Une latitude est comprise entre -90 et 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Une longitude est comprise entre -180 et 180.")
        if self.registration_deadline and self.end and self.registration_deadline > self.end:
            errors["registration_deadline"] = _(
                "La date limite d'inscription doit précéder la fin de l'événement."
            )
        if errors:
            raise ValidationError(errors)

    # -- what templates and the iCal file read ------------------------------------------

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end)

    @property
    def same_day(self):
        return self.local_start.date() == self.local_end.date()

    @property
    def is_past(self):
        return not EventPage.objects.filter(pk=self.pk).upcoming().exists()

    @property
    def registration_open(self):
        """Registration is offered until its deadline (or the start of the event)."""
        if not self.registration_url:
            return False
        return timezone.now() <= (self.registration_deadline or self.start)

    @property
    def has_map(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def location_text(self):
        """The place as one line (venue, address), or the online link."""
        parts = [self.venue, " ".join(self.address.split())]
        return ", ".join(part for part in parts if part) or self.online_url

    def map_config(self):
        """What the map script needs. Without base tiles (MAP_TILES_URL empty: offline, tests)
        the map shows the place within its département's outline, which the portal holds."""
        from django.conf import settings

        outline = None
        if not settings.MAP_TILES_URL and self.departement_id:
            outline = (
                type(self.departement)
                .objects.with_outline()
                .filter(pk=self.departement_id)
                .values_list("outline", flat=True)
                .first()
            )
        return {
            "lat": self.latitude,
            "lon": self.longitude,
            "label": self.venue or self.title,
            "outline": outline,
            "leaflet": leaflet_options("event-map"),
            "tiles": {
                "url": settings.MAP_TILES_URL,
                "attribution": settings.MAP_TILES_ATTRIBUTION,
            },
        }

    @path("")
    def index_route(self, request, *args, **kwargs):
        return super().index_route(request, *args, **kwargs)

    @path("ics/", name="ics")
    def ics(self, request):
        """This event as an .ics file to add to a calendar."""
        from events import ical

        body = ical.calendar_for([self], self.title, request)
        return ical.response(body, filename=f"{self.slug}.ics")
