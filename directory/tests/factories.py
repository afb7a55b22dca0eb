import datetime

import factory

from directory.models import (
    Absence,
    ContractingAuthority,
    Coordination,
    Facilitator,
    Structure,
    Territory,
)
from directory.names import normalise


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    kind = Territory.Kind.COMMUNE
    code = factory.Sequence(lambda n: f"{13000 + n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    search_name = factory.LazyAttribute(lambda o: normalise(o.name))
    population = 1000


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"PLIE {n}")
    kind = Structure.Kind.PLIE


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator
        skip_postgeneration_save = True

    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Exemple{n}")
    structure = factory.SubFactory(StructureFactory)
    email = factory.LazyAttribute(lambda o: f"{o.last_name.lower()}@example.org")
    phone = "01 00 00 00 01"
    live = True

    @factory.post_generation
    def covers(self, create, territories, **kwargs):
        if create and territories:
            self.coverage.set(territories)
            self.save()  # a ParentalManyToManyField is written on save


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractingAuthority
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Donneur d'ordre {n}")
    kind = ContractingAuthority.Kind.DEPARTEMENT

    @factory.post_generation
    def perimeter(self, create, territories, **kwargs):
        if create and territories:
            self.lead_perimeter.set(territories)


class CoordinationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordination
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Coordination {n}")
    kind = Coordination.Kind.NATIONAL
    email = factory.Sequence(lambda n: f"coordination{n}@example.org")
    phone = "01 00 00 02 00"

    @factory.post_generation
    def territories(self, create, territories, **kwargs):
        if create and territories:
            self.territories.set(territories)

    @factory.post_generation
    def members(self, create, users, **kwargs):
        if create and users:
            self.members.set(users)


class AbsenceFactory(factory.django.DjangoModelFactory):
    """An absence of a few days, from `start` (given) to `end` (given, or a week later)."""

    class Meta:
        model = Absence

    facilitator = factory.SubFactory(FacilitatorFactory)
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(days=7))
