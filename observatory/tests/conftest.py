"""A campaign's world: the `land` of the project's conftest (13 and 84 in région 93) plus the
Val-d'Oise (95, région 11); structures in each département and one across 13 and 84; the
coordinations of 13, 84 and 95 and the national one, each with a member account; facilitator
accounts. People invented, addresses @example.org."""

import pytest
from django.contrib.auth.models import Group, User

from directory.models import Coordination, Territory
from directory.tests.factories import CoordinationFactory, FacilitatorFactory, TerritoryFactory

K = Territory.Kind


def account(username, group, first_name="", last_name=""):
    user = User.objects.create_user(
        username,
        f"{username}@example.org",
        "pw",
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def world(land):
    r11 = TerritoryFactory(kind=K.REGION, code="11", name="Île-de-France")
    d95 = TerritoryFactory(kind=K.DEPARTEMENT, code="95", name="Val-d'Oise", region=r11)
    roissy_epci = TerritoryFactory(kind=K.EPCI, code="200055655", name="CA Roissy Pays de France")
    sarcelles = TerritoryFactory(
        code="95585",
        name="Sarcelles",
        epci=roissy_epci,
        departement=d95,
        region=r11,
        population=58000,
    )
    # 13: Arles (with a facilitator account), a structure with no account, one silent.
    arles = FacilitatorFactory(
        covers=[land["accm"]],
        structure__name="PLIE Arles",
        first_name="Camille",
        last_name="Arnaud",
        email="camille.arnaud@example.org",
    )
    tarascon = FacilitatorFactory(
        covers=[land["tarascon"]],
        structure__name="Maison de l'emploi de Tarascon",
        email="accueil.tarascon@example.org",
    )
    # Across 13 and 84: the Métropole's communes lie in both.
    metro = FacilitatorFactory(
        covers=[land["amp"]], structure__name="Métropole", email="metro@example.org"
    )
    # 95.
    roissy = FacilitatorFactory(
        covers=[roissy_epci],
        structure__name="Maison de l'emploi de Roissy",
        first_name="Inès",
        last_name="Garnier",
        email="ines.garnier@example.org",
    )
    facilitatrice = account("facilitatrice.arles", "Facilitateurs", "Camille", "Arnaud")
    facilitatrice.email = "c.arnaud.compte@example.org"
    facilitatrice.save()
    arles.user = facilitatrice
    arles.save()
    roissy_user = account("facilitateur.roissy", "Facilitateurs", "Inès", "Garnier")
    roissy.user = roissy_user
    roissy.save()
    kinds = Coordination.Kind
    users = {
        "c95": account("coordination.95", "Coordinateurs", "Agathe", "Morel"),
        "c13": account("coordination.13", "Coordinateurs", "Bastien", "Royer"),
        "c84": account("coordination.84", "Coordinateurs", "Chloé", "Vidal"),
        "national": account("coordination", "Coordinateurs", "Coordination", "nationale"),
    }
    CoordinationFactory(
        name="Coordination du Val-d'Oise",
        kind=kinds.DEPARTEMENTAL,
        email="c95@example.org",
        territories=[d95],
        members=[users["c95"]],
    )
    CoordinationFactory(
        name="Coordination des Bouches-du-Rhône",
        kind=kinds.DEPARTEMENTAL,
        email="c13@example.org",
        territories=[land["d13"]],
        members=[users["c13"]],
    )
    CoordinationFactory(
        name="Coordination du Vaucluse",
        kind=kinds.DEPARTEMENTAL,
        email="c84@example.org",
        territories=[land["d84"]],
        members=[users["c84"]],
    )
    CoordinationFactory(
        name="Coordination nationale",
        kind=kinds.NATIONAL,
        email="nationale@example.org",
        members=[users["national"]],
    )
    return {
        **land,
        "d95": d95,
        "sarcelles": sarcelles,
        "arles": arles.structure,
        "tarascon": tarascon.structure,
        "metro": metro.structure,
        "roissy": roissy.structure,
        "facilitatrice": facilitatrice,
        "roissy_user": roissy_user,
        **users,
    }
