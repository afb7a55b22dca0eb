"""The directory's version (`DirectoryChange`, which the map layers' ETag and cache follow)
moves when what the public sees changes, and only then."""

import datetime

import pytest
from django.urls import reverse

from directory.models import ContractingAuthority, DirectoryChange, Facilitator, LeadDesignation
from directory.tests.factories import AuthorityFactory, FacilitatorFactory, StructureFactory

pytestmark = pytest.mark.django_db
PAST = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
LAYER = "/api/v1/map/departements.geojson"


@pytest.fixture
def version(db):
    """Sets the last change in the past; `version.moved()` tells whether it moved since."""

    class Version:
        @staticmethod
        def reset():
            DirectoryChange.objects.update_or_create(pk=1, defaults={"changed_at": PAST})

        @staticmethod
        def moved():
            return DirectoryChange.last() != PAST

    return Version


@pytest.fixture
def published(land, version):
    """A published facilitator covering the CA Arles, with its first revision live."""
    facilitator = FacilitatorFactory(live=False, covers=[land["accm"]])
    facilitator.save_revision().publish()
    facilitator.refresh_from_db()
    version.reset()
    return facilitator


def url(name, facilitator):
    return reverse(f"wagtailsnippets_directory_facilitator:{name}", args=[facilitator.pk])


def edit_form(facilitator, land, **changes):
    data = {
        "first_name": facilitator.first_name,
        "last_name": facilitator.last_name,
        "job_title": "",
        "structure": facilitator.structure_id,
        "email": facilitator.email,
        "phone": facilitator.phone,
        "sectors": "",
        "last_verified": "2026-11-01",
        "coverage_items-TOTAL_FORMS": "1",
        "coverage_items-INITIAL_FORMS": "0",
        "coverage_items-MIN_NUM_FORMS": "0",
        "coverage_items-MAX_NUM_FORMS": "1000",
        "coverage_items-0-territory": land["accm"].pk,
        "coverage_items-0-ORDER": "1",
    }
    return data | changes


def test_saving_a_draft_of_a_published_facilitator_leaves_the_version(
    admin_client, published, land, version
):
    etag = admin_client.get(LAYER)["ETag"]
    form = edit_form(published, land, email="nouvelle.adresse@example.org")
    response = admin_client.post(url("edit", published), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    published.refresh_from_db()
    assert published.has_unpublished_changes and published.email != form["email"]
    assert not version.moved()
    assert admin_client.get(LAYER)["ETag"] == etag
    # The same through the API: a revision saved, not published.
    published.phone = "01 00 00 00 99"
    published.save_revision()
    assert not version.moved()


def test_locking_and_unlocking_leave_the_version(admin_client, published, version):
    assert admin_client.post(url("lock", published)).status_code == 302
    published.refresh_from_db()
    assert published.locked
    assert not version.moved()
    assert admin_client.post(url("unlock", published)).status_code == 302
    published.refresh_from_db()
    assert not published.locked
    assert not version.moved()


def test_publishing_moves_the_version_and_the_layers_etag(admin_client, published, land, version):
    etag = admin_client.get(LAYER)["ETag"]
    form = edit_form(published, land, email="nouvelle.adresse@example.org")
    response = admin_client.post(url("edit", published), form | {"action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    published.refresh_from_db()
    assert published.email == form["email"]
    assert version.moved()
    assert admin_client.get(LAYER)["ETag"] != etag


def test_publishing_a_saved_draft_moves_the_version(published, version):
    published.email = "brouillon@example.org"
    revision = published.save_revision()
    assert not version.moved()
    revision.publish()
    assert version.moved()


def test_unpublishing_moves_the_version(admin_client, published, version):
    assert admin_client.post(url("unpublish", published)).status_code == 302
    published.refresh_from_db()
    assert not published.live
    assert version.moved()


def test_deleting_a_published_facilitator_moves_the_version(admin_client, published, version):
    assert admin_client.post(url("delete", published)).status_code == 302
    assert not Facilitator.objects.filter(pk=published.pk).exists()
    assert version.moved()


def test_a_facilitator_never_published_changes_nothing_public(admin_client, land, version):
    """Created as a draft, edited as a draft, deleted: the public never saw it."""
    draft = FacilitatorFactory(live=False, covers=[land["accm"]])
    version.reset()
    response = admin_client.post(url("edit", draft), edit_form(draft, land, phone="01 02"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.phone == "01 02" and not draft.live  # saved in place: it is not live
    draft.coverage.add(land["tdp"])
    assert not version.moved()
    assert admin_client.post(url("delete", draft)).status_code == 302
    assert not version.moved()


def test_saving_a_live_facilitator_directly_moves_the_version(published, land, version):
    published.email = "import@example.org"
    published.save()
    assert version.moved()
    version.reset()
    published.save(update_fields=["phone"])
    assert version.moved()
    version.reset()
    published.coverage.add(land["tdp"])
    assert version.moved()
    version.reset()
    land["tdp"].facilitators.remove(published)
    assert version.moved()


def test_bookkeeping_saves_leave_the_version(published, version):
    published.save(update_fields=["has_unpublished_changes", "latest_revision"])
    authority = AuthorityFactory()
    version.reset()
    authority.save_revision()  # a plain model's revision: only `latest_revision` is written
    assert not version.moved()


def test_designations_and_plain_records_move_the_version(published, land, version):
    designation = LeadDesignation.objects.create(
        territory=land["accm"], facilitator=published, designated_by="la CA Arles-Crau-Camargue"
    )
    assert version.moved()
    version.reset()
    designation.designated_by = "le comité départemental"
    designation.save()
    assert version.moved()
    version.reset()
    designation.delete()
    assert version.moved()

    version.reset()
    StructureFactory(name="Maison de l'Emploi Exemple")
    assert version.moved()
    version.reset()
    authority = AuthorityFactory(lead=published)
    assert version.moved()
    version.reset()
    authority.lead_perimeter.add(land["accm"])
    assert version.moved()
    version.reset()
    ContractingAuthority.objects.get(pk=authority.pk).delete()
    assert version.moved()
