"""Site-wide page types: home, standard/explainer pages, yearly results, guidance, contact."""

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.forms.views import SubmissionsListView
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from portal import results as results_rules
from portal.blocks import RICH_FEATURES, BodyBlock
from portal.panels import InlinePanel
from portal.ratelimit import limit_answer, rate_limited, retry_message
from portal.spreadsheets import SafeSpreadsheetExportMixin
from portal.validators import HONEYPOT_FIELD, guard_text_fields, honeypot_field

from .base import BasePage
from .documents import Audience, GuidanceDocument


class HomePage(BasePage):
    """The site's home: what social clauses are, key figures, latest news, where to go next."""

    hero_title = models.CharField(_("accroche"), max_length=160)
    intro = RichTextField(_("introduction"), features=RICH_FEATURES)
    explainer_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page d'explication"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    guidance_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page des guides"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("explainer_page"), FieldPanel("guidance_page")]),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "portal.StandardPage",
        "portal.ResultsIndexPage",
        "portal.GuidanceIndexPage",
        "portal.ContactPage",
        "news.NewsIndexPage",
        "directory.DirectoryPage",
        "maps.MapPage",
        "portal.CalculatorPage",
        "referrals.ReferralPage",
        "events.EventIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        latest, figures = results_rules.latest_results(self.locale)
        context["latest_results"] = latest
        context["latest_figures"] = results_rules.key_figures(figures) if figures else []
        context["latest_provisional"] = results_rules.is_provisional(figures)
        context["directory"] = self.live_page("directory.DirectoryPage")
        context["map_page"] = self.live_page("maps.MapPage")
        context["calculator_page"] = self.live_page("portal.CalculatorPage")
        # The news app sits above the portal's ground floor: found by label, not imported.
        NewsPage = apps.get_model("news.NewsPage")
        context["latest_news"] = (
            NewsPage.objects.live().public().filter(locale=self.locale).order_by("-date", "-pk")[:3]
        )
        # The agenda sits above the portal: found by label, never imported.
        events = apps.get_model("events.EventPage").objects.live().public()
        context["upcoming_events"] = (
            events.filter(locale=self.locale).upcoming().select_related("departement")[:3]
        )
        return context


class StandardPage(BasePage):
    """An explainer or editorial page made of blocks (also used for the legal pages)."""

    intro = models.TextField(_("chapeau"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage", "portal.CalculatorPage"]

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")

    @property
    def summary(self):
        return self.listing_summary or self.search_description or self.intro


class ResultsIndexPage(BasePage):
    """Lists each year's published results."""

    intro = RichTextField(_("introduction"), features=RICH_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ResultsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index des résultats")
        verbose_name_plural = _("index des résultats")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        years = ResultsPage.objects.child_of(self).live().public().order_by("-year")
        context["years"] = []
        for page in years:
            figures = results_rules.national_figures(page.year)
            shown = results_rules.key_figures(figures)[:2] if figures else []
            context["years"].append(
                {
                    "page": page,
                    "figures": shown,
                    "provisional": results_rules.is_provisional(figures),
                }
            )
        return context


class ResultsPage(RoutablePageMixin, BasePage):
    """One year's national results: the consolidation of the structures' validated reports
    (`portal.results.national_figures`, given by the observatory), shown as figures and
    charts and offered as CSV, with the editors' introduction and notes."""

    year = models.PositiveSmallIntegerField(_("année"))
    intro = RichTextField(
        _("introduction"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Au-dessus des chiffres, qui viennent des bilans validés des structures."),
    )
    notes = RichTextField(
        _("notes"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_(
            "Sous les chiffres : sources, précautions de lecture, faits marquants de l'année."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("year"),
        FieldPanel("intro"),
        FieldPanel("notes"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("notes"),
    ]

    parent_page_types = ["portal.ResultsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("résultats d'une année")
        verbose_name_plural = _("résultats annuels")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        previous = results_rules.previous_results(self)
        figures = results_rules.national_figures(self.year)
        provisional = results_rules.is_provisional(figures)
        # Provisional figures are not compared: they will still change.
        previous_figures = (
            results_rules.national_figures(self.year - 1) if figures and not provisional else None
        )
        context["previous"] = previous
        context["previous_year"] = self.year - 1
        context["has_figures"] = figures is not None
        context["provisional"] = provisional
        context["key_figures"] = (
            results_rules.key_figures(figures, previous_figures) if figures else []
        )
        context["breakdowns"] = (
            results_rules.breakdowns(figures, previous_figures) if figures else []
        )
        context.update(results_rules.extra_context(self, request))
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        return super().index_route(request, *args, **kwargs)

    @path("csv/", name="csv")
    def csv_route(self, request):
        """The year's figures as CSV; a year without figures says so instead of an empty file."""
        figures = results_rules.national_figures(self.year)
        if figures is None:
            return render(
                request,
                "portal/results_no_data.html",
                {"page": self, "self": self},
                status=404,
            )
        previous = results_rules.national_figures(self.year - 1)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="resultats-clauses-sociales-{self.year}.csv"'
        )
        response.write("\ufeff")  # BOM, so spreadsheet software reads UTF-8 accents
        results_rules.write_csv(self.year, figures, previous, response)
        return response


class GuidanceIndexPage(RoutablePageMixin, BasePage):
    """The guidance library: documents filterable by audience and type."""

    intro = RichTextField(_("introduction"), features=RICH_FEATURES, blank=True)
    per_page = 20

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("bibliothèque de guides")
        verbose_name_plural = _("bibliothèques de guides")

    @staticmethod
    def library_documents():
        return (
            GuidanceDocument.objects.filter(in_library=True)
            .prefetch_related("audiences")
            .order_by("-created_at", "title")
        )

    @path("")
    def listing(self, request):
        audience = request.GET.get("public", "")
        doc_type = request.GET.get("type", "")
        documents = self.library_documents()
        if audience in Audience.Code.values:
            documents = documents.filter(audiences__code=audience)
        else:
            audience = ""
        if doc_type in GuidanceDocument.DocType.values:
            documents = documents.filter(doc_type=doc_type)
        else:
            doc_type = ""
        page_obj = Paginator(documents, self.per_page).get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "documents": page_obj,
                "audience": audience,
                "doc_type": doc_type,
                "audience_choices": Audience.Code.choices,
                "type_choices": GuidanceDocument.DocType.choices,
            },
        )

    @path("documents/<int:document_id>/", name="document")
    def document_detail(self, request, document_id):
        document = get_object_or_404(self.library_documents(), pk=document_id)
        return self.render(
            request,
            context_overrides={"document": document},
            template="portal/guidance_document.html",
        )


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", related_name="form_fields", on_delete=models.CASCADE)


class ContactSubmissionsView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """The contact form's submissions in the admin; their CSV/XLSX export has no formula."""


class ContactPage(BasePage, AbstractEmailForm):
    """The contact form; submissions are kept in the admin, bots fall into a honeypot."""

    intro = RichTextField(_("introduction"), features=RICH_FEATURES, blank=True)
    thank_you_text = RichTextField(_("message de remerciement"), features=RICH_FEATURES)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel(
            "form_fields",
            heading=_("Champs du formulaire"),
            label=_("champ"),
            add_label=_("Ajouter un champ"),
        ),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            _("Envoi par e-mail"),
        ),
    ]
    promote_panels = BasePage.promote_panels
    submissions_list_view_class = ContactSubmissionsView

    parent_page_types = ["portal.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de contact")
        verbose_name_plural = _("pages de contact")

    def get_form(self, *args, **kwargs):
        form = guard_text_fields(super().get_form(*args, **kwargs))
        for field in form.fields.values():
            # A drop-down list would otherwise arrive with its first choice selected: a visitor
            # who skips it would be recorded as that choice without having said so.
            first_value = field.choices[0][0] if getattr(field, "choices", None) else None
            if type(field.widget) is forms.Select and not field.initial and first_value != "":
                field.choices = [("", _("Choisissez…")), *field.choices]
        form.fields[HONEYPOT_FIELD] = honeypot_field()
        return form

    def serve(self, request, *args, **kwargs):
        """Wagtail's form serving, with a rate limit on complete messages only (correcting a
        form is never blocked): past `CONTACT_RATE_LIMIT` an hour, the form comes back with
        what was typed, a 429 and when to retry."""
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        wait = 0
        if form.is_valid():
            if not form.cleaned_data.get(HONEYPOT_FIELD):
                wait = rate_limited(request, "contact", settings.CONTACT_RATE_LIMIT, window=3600)
            if not wait:
                submission = self.process_form_submission(form)
                return self.render_landing_page(request, submission, *args, **kwargs)
            form.add_error(
                None,
                gettext(
                    "Trop de messages envoyés depuis votre connexion : %(retry)s "
                    "Votre message est conservé ci-dessous."
                )
                % {"retry": retry_message(wait)},
            )
        context = self.get_context(request)
        context["form"] = form
        response = TemplateResponse(request, self.get_template(request), context)
        return limit_answer(response, wait) if wait else response

    def process_form_submission(self, form):
        """Keep and mail genuine submissions; silently drop what a bot filled in."""
        if form.cleaned_data.pop(HONEYPOT_FIELD, ""):
            return None
        return super().process_form_submission(form)
