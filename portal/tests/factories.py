import factory
from django.core.files.base import ContentFile

from portal.models import GuidanceDocument, ResultsPage


class GuidanceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceDocument
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Document {n}")
    description = "Un document utile."
    doc_type = GuidanceDocument.DocType.GUIDE
    file = factory.LazyAttribute(
        lambda o: ContentFile(b"%PDF-1.4\n" + b"x" * 2048, name=f"{o.title.lower()}.pdf")
    )

    @factory.post_generation
    def audiences(self, create, codes, **kwargs):
        from portal.models import Audience

        if create and codes:
            self.audiences.set(Audience.objects.filter(code__in=codes))


class ResultsPageFactory(factory.Factory):
    """Builds (does not save) a results page; add it with conftest.publish_child."""

    class Meta:
        model = ResultsPage

    year = 2025
    title = factory.LazyAttribute(lambda o: f"Résultats {o.year}")
    slug = factory.LazyAttribute(lambda o: str(o.year))
