import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from conftest import publish_child, translate
from directory.groups import COORDINATORS, FACILITATORS
from directory.models import Coordination, LeadDesignation
from directory.tests.factories import (
    AuthorityFactory,
    CoordinationFactory,
    FacilitatorFactory,
    StructureFactory,
)
from referrals.models import ReferralPage
from referrals.policies import ensure_groups


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def people(land, django_user_model, settings):
    """The Arles PLIE leads on its EPCI; a Département officer leads for the Département's own
    contracts in 13; Marseille has two facilitators and no lead; Pertuis one facilitator."""
    settings.REFERRAL_COORDINATION_EMAILS = ["coordination@example.org"]
    ensure_groups()
    plie = FacilitatorFactory(
        first_name="Camille",
        last_name="Arnaud",
        email="camille.arnaud@example.org",
        covers=[land["accm"]],
        structure=StructureFactory(name="PLIE Arles Crau Camargue Montagnette"),
    )
    LeadDesignation.objects.create(
        territory=land["accm"], facilitator=plie, designated_by="la CA Arles-Crau-Camargue"
    )
    officer = FacilitatorFactory(first_name="Marion", last_name="Chevalier")
    departement = AuthorityFactory(
        name="Département des Bouches-du-Rhône", lead=officer, perimeter=[land["d13"]]
    )
    centre = FacilitatorFactory(first_name="Hugo", last_name="Martin", covers=[land["marseille"]])
    est = FacilitatorFactory(first_name="Léa", last_name="Bernard", covers=[land["marseille"]])
    pertuis = FacilitatorFactory(first_name="Jules", last_name="Roux", covers=[land["pertuis"]])

    def account(username, facilitator=None, group=FACILITATORS):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pass-word-123"
        )
        user.groups.add(Group.objects.get(name=group))
        if facilitator:
            facilitator.user = user
            facilitator.save()
        return user

    coordinator = account("coordination", group=COORDINATORS)
    CoordinationFactory(
        name="Coordination nationale", email="coordination@example.org", members=[coordinator]
    )
    return {
        "plie": plie,
        "officer": officer,
        "departement": departement,
        "centre": centre,
        "est": est,
        "pertuis": pertuis,
        "plie_user": account("camille", plie),
        "pertuis_user": account("jules", pertuis),
        "coordinator": coordinator,
    }


@pytest.fixture
def referral_page(home, locales, people):
    page = publish_child(home, ReferralPage(title="Envoyer mon projet", slug="envoyer-mon-projet"))
    translate(page, locales["en"], title="Send my project", slug="send-my-project")
    return page


@pytest.fixture
def c13(people, land, django_user_model):
    """The departmental coordination of the Bouches-du-Rhône, with one member."""
    member = django_user_model.objects.create_user(
        "c13", "membre.c13@example.org", "pass-word-123", first_name="Nora", last_name="Petit"
    )
    member.groups.add(*people["coordinator"].groups.all())
    return CoordinationFactory(
        name="Coordination des Bouches-du-Rhône",
        kind=Coordination.Kind.DEPARTEMENTAL,
        email="coordination13@example.org",
        territories=[land["d13"]],
        members=[member],
    )
