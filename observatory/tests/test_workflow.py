"""Who enters and validates reports: a facilitator their own structure's only, the
coordination validates; only validated reports are public."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from conftest import text
from directory.tests.factories import CoordinationFactory, FacilitatorFactory
from observatory import policies
from observatory.models import StructureReport
from observatory.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db
Status = StructureReport.Status


@pytest.fixture
def people(land):
    mine = FacilitatorFactory(covers=[land["accm"]], structure__name="PLIE Arles")
    other = FacilitatorFactory(covers=[land["amp"]], structure__name="PLIE Marseille")
    user = User.objects.create_user("facilitatrice", "f@example.org", "pw")
    user.groups.add(Group.objects.get(name="Facilitateurs"))
    mine.user = user
    mine.save()
    coordinator = User.objects.create_user("coordination", "c@example.org", "pw")
    coordinator.groups.add(Group.objects.get(name="Coordinateurs"))
    CoordinationFactory(name="Coordination nationale", members=[coordinator])
    return {
        "user": user,
        "coordinator": coordinator,
        "mine": mine.structure,
        "other": other.structure,
    }


def test_a_facilitator_sees_and_edits_only_their_own_structures_reports(client, people):
    own = ReportFactory(structure=people["mine"], status=Status.DRAFT)
    foreign = ReportFactory(structure=people["other"], status=Status.DRAFT)
    client.force_login(people["user"])
    listing = client.get(reverse("wagtailsnippets_observatory_structurereport:list"))
    assert listing.status_code == 200
    assert "PLIE Arles" in text(listing) and "PLIE Marseille" not in text(listing)
    edit = "wagtailsnippets_observatory_structurereport:edit"
    assert client.get(reverse(edit, args=[own.pk])).status_code == 200
    assert client.get(reverse(edit, args=[foreign.pk])).status_code == 404


def test_a_facilitator_cannot_enter_another_structures_report_nor_validate(people):
    user = people["user"]
    foreign = StructureReport(structure=people["other"], year=2025)
    assert "propre structure" in policies.check_change(user, foreign, Status.DRAFT)
    own = StructureReport(structure=people["mine"], year=2025)
    assert policies.check_change(user, own, Status.SUBMITTED) is None
    assert "coordination" in policies.check_change(user, own, Status.VALIDATED)
    own.status = Status.VALIDATED
    own.save()
    assert "validé" in policies.check_change(user, own, Status.DRAFT)
    assert policies.check_change(people["coordinator"], own, Status.REJECTED) is None


def test_the_upload_form_offers_only_the_own_structure(client, people):
    client.force_login(people["user"])
    response = client.post(
        reverse("observatory_xlsx"), {"structure": people["other"].pk, "year": 2025}
    )
    assert response.status_code == 200
    assert not StructureReport.objects.exists()
    assert list(response.context["form"].fields["structure"].queryset) == [people["mine"]]


def test_someone_without_a_structure_gets_no_upload_page(client, land):
    stranger = User.objects.create_user("stranger", "s@example.org", "pw")
    stranger.groups.add(Group.objects.get(name="Facilitateurs"))
    client.force_login(stranger)
    response = client.get(reverse("observatory_xlsx"))
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response.url == "/admin/"


def test_the_coordinators_group_may_validate_and_publish():
    group = Group.objects.get(name="Coordinateurs")
    assert group.permissions.filter(codename="validate_structurereport").exists()
    assert group.permissions.filter(codename="publish_year").exists()
    assert (
        not Group.objects.get(name="Facilitateurs")
        .permissions.filter(codename="validate_structurereport")
        .exists()
    )


def test_a_rejected_report_needs_a_comment(people):
    from django.core.exceptions import ValidationError

    report = ReportFactory.build(structure=people["mine"], status=Status.REJECTED)
    with pytest.raises(ValidationError) as error:
        report.clean()
    assert "review_comment" in error.value.message_dict


def test_only_validated_reports_are_public(client, people):
    ReportFactory(structure=people["mine"], year=2024, hours_total=4321)
    ReportFactory(structure=people["mine"], year=2025, hours_total=9999, status=Status.SUBMITTED)
    page = text(client.get(f"/fr/annuaire/structures/{people['mine'].slug}/"))
    assert "4 321" in page.replace("\u202f", " ").replace("\xa0", " ")
    assert "9 999" not in page.replace("\u202f", " ").replace("\xa0", " ")
    assert "Résultats 2024" in page
    api = client.get("/api/v1/results/", {"year": 2025, "structure": people["mine"].slug})
    assert api.json()["results"] == [] and api.json()["coverage"] == {"reported": False}
    national = client.get("/api/v1/results/", {"year": 2025}).json()
    assert national["results"] == []
    assert national["coverage"]["reported"] == 0
    csv = client.get(f"/fr/annuaire/structures/{people['mine'].slug}/resultats.csv")
    assert "9999" not in csv.content.decode() and "4321" in csv.content.decode()
