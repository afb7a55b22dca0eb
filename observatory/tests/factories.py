import factory

from directory.tests.factories import StructureFactory
from observatory.models import StructureReport


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructureReport

    structure = factory.SubFactory(StructureFactory)
    year = 2024
    status = StructureReport.Status.VALIDATED
    hours_total = 1000
    people_total = 10
