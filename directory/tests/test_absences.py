"""Facilitators' absences: the rules (dates, overlaps, deputy), who records them in the admin
(a facilitator its own, straight away; a coordination those of its territory) and the panel
of the facilitator's edit screen."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from conftest import text
from directory import absences
from directory.models import Absence
from directory.tests import test_coordinations
from directory.tests.factories import AbsenceFactory, FacilitatorFactory

pytestmark = pytest.mark.django_db

france, people = test_coordinations.france, test_coordinations.people
JAN = datetime.date(2027, 1, 4)  # a Monday
ADD = reverse("wagtailsnippets_directory_absence:add")
INDEX = reverse("wagtailsnippets_directory_absence:list")


def edit_url(absence):
    return reverse("wagtailsnippets_directory_absence:edit", args=[absence.pk])


def days(start, length):
    return {"start": start.isoformat(), "end": (start + datetime.timedelta(length)).isoformat()}


@pytest.fixture
def colleague(people):
    """A published colleague of the Arles facilitator, in the same structure."""
    return FacilitatorFactory(
        first_name="Inès", last_name="Faure", structure=people["arles"].structure
    )


def messages(error):
    return " ".join(message for messages in error.message_dict.values() for message in messages)


# -- The rules ---------------------------------------------------------------------------------


def test_an_absence_ends_on_or_after_its_first_day(people):
    absence = Absence(facilitator=people["arles"], start=JAN, end=JAN - datetime.timedelta(1))
    with pytest.raises(ValidationError) as error:
        absence.full_clean()
    assert "ne peut pas précéder le premier" in messages(error.value)
    Absence(facilitator=people["arles"], start=JAN, end=JAN).full_clean()  # one day is fine


def test_one_persons_absences_never_overlap(people):
    AbsenceFactory(facilitator=people["arles"], start=JAN, end=JAN + datetime.timedelta(9))
    overlapping = Absence(
        facilitator=people["arles"], start=JAN + datetime.timedelta(9), end=JAN.replace(day=20)
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert (
        "Camille Arnaud a déjà une absence enregistrée du 4 janvier 2027 au 13 janvier 2027"
        in messages(error.value)
    )
    # The day after the last one is free; another person's absence never collides.
    Absence(
        facilitator=people["arles"], start=JAN.replace(day=14), end=JAN.replace(day=20)
    ).full_clean()
    Absence(facilitator=people["argenteuil"], start=JAN, end=JAN).full_clean()


def test_the_deputy_is_another_published_facilitator_at_work(people, colleague):
    arles = people["arles"]

    def refused(deputy):
        with pytest.raises(ValidationError) as error:
            Absence(
                facilitator=arles, start=JAN, end=JAN.replace(day=8), deputy=deputy
            ).full_clean()
        return error.value.message_dict["deputy"][0]

    assert "une autre personne que la personne absente" in refused(arles)
    AbsenceFactory(facilitator=colleague, start=JAN.replace(day=7), end=JAN.replace(day=20))
    assert "Inès Faure a aussi une absence enregistrée du 7 janvier 2027" in refused(colleague)
    draft = FacilitatorFactory(first_name="Zoé", last_name="Brouillon", live=False)
    assert "n'est pas publiée" in refused(draft)
    # Away only after the absence: a fine deputy.
    Absence(facilitator=arles, start=JAN, end=JAN.replace(day=6), deputy=colleague).full_clean()


def test_on_finds_the_absence_of_a_day_both_ends_included(people):
    absence = AbsenceFactory(facilitator=people["arles"], start=JAN, end=JAN.replace(day=12))
    assert absences.on(people["arles"], JAN - datetime.timedelta(1)) is None
    assert absences.on(people["arles"], JAN) == absence
    assert absences.on(people["arles"], JAN.replace(day=12)) == absence
    assert absences.on(people["arles"], JAN.replace(day=13)) is None
    assert absences.period(absence) == "du 4 janvier 2027 au 12 janvier 2027"


# -- The admin -------------------------------------------------------------------------------


def test_a_facilitator_records_its_own_absence_straight_away(client, people, colleague):
    client.force_login(people["facilitator"])
    form = client.get(ADD)
    assert form.status_code == 200
    field = form.context["form"].fields["facilitator"]
    assert list(field.queryset) == [people["arles"]]  # its own record, preselected
    assert form.context["form"]["facilitator"].value() == people["arles"].pk
    # The deputy: any published facilitator, its colleague among them.
    assert colleague in form.context["form"].fields["deputy"].queryset
    response = client.post(
        ADD,
        {
            "facilitator": people["arles"].pk,
            **days(JAN, 8),
            "deputy": colleague.pk,
            "note": "Congés d'hiver.",
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.facilitator, absence.deputy, absence.end) == (
        people["arles"],
        colleague,
        JAN.replace(day=12),
    )
    # No proposal to approve: nothing waits in the coordination's workflow.
    assert not WorkflowState.objects.exists()
    assert "Camille Arnaud" in text(client.get(INDEX))
    assert client.get(edit_url(absence)).status_code == 200


def test_a_facilitator_cannot_record_a_colleagues_absence(client, people, colleague):
    theirs = AbsenceFactory(facilitator=colleague, start=JAN)
    client.force_login(people["facilitator"])
    response = client.post(ADD, {"facilitator": colleague.pk, **days(JAN.replace(day=20), 3)})
    assert response.status_code == 200
    assert "Vous ne pouvez pas enregistrer l'absence de cette personne" in text(response)
    assert Absence.objects.count() == 1
    # Its colleague's absence is not there for it: not listed, not opened, not deleted.
    assert "Inès Faure" not in text(client.get(INDEX))
    assert client.get(edit_url(theirs)).status_code == 404
    delete = reverse("wagtailsnippets_directory_absence:delete", args=[theirs.pk])
    assert client.post(delete).status_code == 404
    assert Absence.objects.filter(pk=theirs.pk).exists()
    # The link of the edit screen names a colleague: the form does not take it up.
    form = client.get(ADD, {"facilitator": colleague.pk})
    assert form.context["form"]["facilitator"].value() == people["arles"].pk


def test_a_coordination_sees_the_absences_of_its_territory_only(client, people):
    arles = AbsenceFactory(facilitator=people["arles"], start=JAN, note="Arles")
    argenteuil = AbsenceFactory(facilitator=people["argenteuil"], start=JAN, note="95")
    client.force_login(people["m95"])
    listing = text(client.get(INDEX))
    assert "Hugo Mercier" in listing and "Camille Arnaud" not in listing
    assert client.get(edit_url(arles)).status_code == 404
    assert client.get(edit_url(argenteuil)).status_code == 200
    # It cannot record one for a record outside its territory either.
    response = client.post(ADD, {"facilitator": people["arles"].pk, **days(JAN.replace(day=20), 2)})
    assert response.status_code == 200 and Absence.objects.count() == 2
    client.force_login(people["m13"])
    assert client.get(edit_url(arles)).status_code == 200
    deputy = client.get(ADD).context["form"].fields["deputy"].queryset
    assert people["argenteuil"] not in deputy  # outside its territory
    client.force_login(people["national"])
    listing = text(client.get(INDEX))
    assert "Hugo Mercier" in listing and "Camille Arnaud" in listing


def test_the_edit_screen_lists_current_and_coming_absences(client, people, colleague):
    today = timezone.localdate()
    AbsenceFactory(
        facilitator=people["arles"],
        start=today - datetime.timedelta(30),
        end=today - datetime.timedelta(20),
    )
    AbsenceFactory(
        facilitator=people["arles"],
        start=today + datetime.timedelta(10),
        end=today + datetime.timedelta(12),
        deputy=colleague,
    )
    client.force_login(people["m13"])
    page = text(
        client.get(reverse("wagtailsnippets_directory_facilitator:edit", args=[people["arles"].pk]))
    )
    assert "suppléance : Inès Faure (PLIE d'Arles)" in page
    assert page.count("suppléance :") == 1  # the past one is not listed
    assert f"{ADD}?facilitator={people['arles'].pk}" in page
    assert "Les demandes déjà reçues ne sont pas déplacées" in page
