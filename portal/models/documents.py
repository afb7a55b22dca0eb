"""Guidance documents: Wagtail documents with an audience and a type."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index


class Audience(models.Model):
    """Who a document is for. Rows are created by a data migration, one per code."""

    class Code(models.TextChoices):
        COMPANIES = "companies", _("Entreprises")
        BUYERS = "buyers", _("Acheteurs publics")
        JOB_SEEKERS = "job-seekers", _("Demandeurs d'emploi")
        PARTNERS = "partners", _("Partenaires")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)

    class Meta:
        verbose_name = _("public")
        verbose_name_plural = _("publics")
        ordering = ["pk"]

    def __str__(self):
        return str(self.get_code_display())


class GuidanceDocument(AbstractDocument):
    """A downloadable document of the guidance library."""

    class DocType(models.TextChoices):
        GUIDE = "guide", _("Guide")
        MODEL_CLAUSE = "model-clause", _("Clause type")
        HOURS_STATEMENT = "hours-statement", _("Modèle de relevé mensuel d'heures")
        CERTIFICATE = "certificate", _("Modèle d'attestation")
        OTHER = "other", _("Autre document")

    description = models.TextField(_("description"), blank=True, max_length=600)
    doc_type = models.CharField(
        _("type de document"), max_length=20, choices=DocType.choices, default=DocType.GUIDE
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("publics"), blank=True, related_name="documents"
    )
    language = models.CharField(
        _("langue du document"),
        max_length=8,
        choices=[("fr", _("Français")), ("en", _("Anglais"))],  # the site's LANGUAGES
        default="fr",
        help_text=_("Sur les pages d'une autre langue, le document est signalé « (en français) »."),
    )
    in_library = models.BooleanField(
        _("dans la bibliothèque"),
        default=True,
        help_text=_("Décocher pour un document utilisé seulement dans une page."),
    )

    admin_form_fields = Document.admin_form_fields + (
        "description",
        "doc_type",
        "audiences",
        "language",
        "in_library",
    )

    search_fields = AbstractDocument.search_fields + [
        index.SearchField("description"),
        index.SearchField("audience_labels"),
        index.SearchField("doc_type_labels"),
        index.FilterField("in_library"),
    ]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def _in_each_language(self, labels):
        """`labels()` in French and English, for the search index (one index, two languages)."""
        words = []
        for language in ("fr", "en"):
            with translation.override(language):
                words.extend(str(label) for label in labels())
        return " ".join(dict.fromkeys(words))

    def audience_labels(self):
        return self._in_each_language(lambda: [a.get_code_display() for a in self.audiences.all()])

    def doc_type_labels(self):
        return self._in_each_language(lambda: [self.get_doc_type_display()])

    @property
    def format_label(self):
        """Upper-case file extension shown to visitors: "PDF", "XLSX"."""
        return self.file_extension.upper()
