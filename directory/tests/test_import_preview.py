"""The import previews before it writes, applies everything or nothing, respects the state
columns and pending changes, stays inside the importer's territory, and an export imported
back changes nothing."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import text
from directory import transfer
from directory.groups import COORDINATORS
from directory.models import DirectoryChange, Facilitator, LeadDesignation, PendingImport
from directory.scope import EVERYTHING, scope_for
from directory.tests import test_coordinations as coordinations
from directory.tests.factories import CoordinationFactory, FacilitatorFactory, StructureFactory
from maps.geo import version_token

pytestmark = pytest.mark.django_db
# The demo's coordinations (95, 13, national) and their members, as the coordination tests
# build them.
france, _people, _submit = coordinations.france, coordinations.people, coordinations._submit


@pytest.fixture
def people(_people):
    """The coordination tests' people, Arles's record published afresh (their fixture saves it
    after publishing, which leaves Wagtail's "draft" flag on)."""
    _people["arles"].save_revision().publish()
    _people["arles"].refresh_from_db()
    assert transfer.pending_ids([_people["arles"]]) == set()
    return _people


HEADER = transfer.EXPORT_COLUMNS


def csv_bytes(rows, header=HEADER):
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def row_of(facilitator, **changes):
    """The export's row of a record, as a dict, with `changes`."""
    rows = list(transfer.export_rows(Facilitator.objects.filter(pk=facilitator.pk)))
    values = dict(zip(rows[0], rows[1], strict=True))
    values.update(changes)
    return [values[column] for column in HEADER]


def new_row(email, coverage="13004", **changes):
    values = {
        "structure": "PLIE Test",
        "type_structure": "plie",
        "prenom": "Nina",
        "nom": "Nouvelle",
        "fonction": "Facilitatrice",
        "email": email,
        "telephone": "01 00 00 00 30",
        "secteurs": "",
        "couverture": coverage,
        "chef_de_file": "non",
        "chef_de_file_details": "",
        "derniere_verification": "",
        "publie": "",
        **changes,
    }
    return [values[column] for column in HEADER]


@pytest.fixture
def national(db):
    user = get_user_model().objects.create_user("nat", "nat@example.org", "pass")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    CoordinationFactory(name="Coordination nationale", members=[user])
    return user


@pytest.fixture
def records(land):
    """Three published records (one lead on its EPCI), one withdrawn, all verified long ago."""
    structure = StructureFactory(name="PLIE Test")
    old = datetime.date(2025, 3, 1)
    made = {}
    for key, last_name, territory in [
        ("lea", "Martin", land["accm"]),
        ("yann", "Petit", land["chateaurenard"]),
        ("zoe", "Absente", land["tarascon"]),
        ("retiree", "Retirée", land["arles"]),
    ]:
        facilitator = FacilitatorFactory(
            last_name=last_name,
            email=f"{key}@example.org",
            structure=structure,
            covers=[territory],
            last_verified=old,
        )
        facilitator.save_revision().publish()
        made[key] = facilitator
    LeadDesignation.objects.create(
        territory=land["accm"], facilitator=made["lea"], designated_by="le comité"
    )
    made["retiree"].unpublish()
    for facilitator in made.values():
        facilitator.refresh_from_db()
    return made


def plan_of(rows, scope=EVERYTHING, user=None):
    errors, plan = transfer.preview("annuaire.csv", csv_bytes(rows), scope, user)
    assert plan is not None, errors
    return plan


def revisions(facilitator):
    return facilitator.revisions.count()


def send(client, data, name="a.csv"):
    """Upload a file in the admin: the preview's address, or the page with the errors."""
    return client.post(
        reverse("directory_import"),
        {"file": SimpleUploadedFile(name, data), "designated_by": "la coordination"},
    )


# -- the preview --------------------------------------------------------------------------


def test_the_preview_classifies_each_row_and_names_what_changes(records, land):
    lea, yann = records["lea"], records["yann"]
    plan = plan_of(
        [
            row_of(
                lea,
                telephone="01 99 99 99 99",
                couverture="241300417 13027",
                chef_de_file="241300417",
            ),
            row_of(yann),
            new_row("nina@example.org"),
        ]
    )
    actions = {row.email: row.action for row in plan.rows}
    assert actions == {
        "lea@example.org": transfer.UPDATE,
        "yann@example.org": transfer.UNCHANGED,
        "nina@example.org": transfer.CREATE,
    }
    changes = {c.column: (c.old, c.new) for c in plan.rows[0].changes}
    assert changes == {
        "telephone": ("01 00 00 00 01", "01 99 99 99 99"),
        "couverture": (
            "CA Arles-Crau-Camargue (241300417)",
            "CA Arles-Crau-Camargue (241300417), Châteaurenard (13027)",
        ),
    }
    assert plan.rows[1].changes == []
    created = {c.column: c.new for c in plan.rows[2].changes}
    assert created["couverture"] == "Arles (13004)" and created["publie"] == "oui"
    # The records of the directory the file leaves out are listed, and kept.
    assert [f.email for f in plan.absent] == ["zoe@example.org", "retiree@example.org"]
    assert (plan.created, plan.updated, plan.unchanged, plan.skipped) == (1, 1, 1, 0)
    assert lea.phone == Facilitator.objects.get(pk=lea.pk).phone  # nothing written


def test_uploading_keeps_the_file_and_shows_the_preview_writing_nothing(client, national, records):
    client.force_login(national)
    version, revs = DirectoryChange.last(), revisions(records["lea"])
    data = csv_bytes([row_of(records["lea"], fonction="Cheffe de projet")])
    response = send(client, data)
    assert response.status_code == 302
    assert PendingImport.objects.get().user == national
    page = client.get(response["Location"])
    html = text(page)
    assert page.status_code == 200
    assert "Rien n'est encore modifié." in html and "Mise à jour" in html
    assert "Fonction" in html and "Cheffe de projet" in html
    assert "3 fiches de l'annuaire absentes du fichier (conservées)" in html
    assert "Appliquer l'import" in html
    assert Facilitator.objects.get(pk=records["lea"].pk).job_title != "Cheffe de projet"
    assert DirectoryChange.last() == version and revisions(records["lea"]) == revs


def test_a_bad_file_keeps_its_all_or_nothing_messages_and_nothing_is_kept(client, national, land):
    client.force_login(national)
    data = csv_bytes(
        [new_row("pas-un-email"), new_row("ok@example.org", coverage="99999", nom="Autre")]
    )
    response = send(client, data)
    html = text(response)
    assert "Le fichier ne peut pas être importé : 2 erreurs. Rien n'a été modifié." in html
    assert "Adresse e-mail invalide." in html and "Code de territoire inconnu : 99999." in html
    assert PendingImport.objects.count() == 0 and Facilitator.objects.count() == 0


# -- the state columns ----------------------------------------------------------------------


def test_publie_is_respected(records, land):
    retiree, lea = records["retiree"], records["lea"]
    version = DirectoryChange.last()
    plan = plan_of(
        [
            # A withdrawn record fixed in the file stays withdrawn...
            row_of(retiree, telephone="01 00 00 00 42"),
            # A new row without a state is published, a new row "non" is not.
            new_row("sans-etat@example.org", publie=""),
            new_row("brouillon@example.org", publie="non", nom="Brouillon"),
        ]
    )
    transfer.apply_plan(plan, "x")
    retiree.refresh_from_db()
    assert not retiree.live and retiree.phone == "01 00 00 00 42"
    assert retiree.latest_revision.content["phone"] == "01 00 00 00 42"  # the editor's draft
    assert Facilitator.objects.get(email="sans-etat@example.org").live  # a new row: published
    draft = Facilitator.objects.get(email="brouillon@example.org")
    assert not draft.live and draft.revisions.count() == 1
    assert not Facilitator.objects.published().filter(email="brouillon@example.org").exists()
    # Only the new published record reached the public.
    assert DirectoryChange.last() > version

    # publie "non" withdraws a live record; "oui" publishes a withdrawn one.
    plan = plan_of([row_of(lea, publie="non"), row_of(retiree, publie="oui")])
    assert [c.column for c in plan.rows[0].changes] == ["publie"]
    transfer.apply_plan(plan, "x")
    lea.refresh_from_db()
    retiree.refresh_from_db()
    assert not lea.live and retiree.live and retiree.phone == "01 00 00 00 42"


def test_a_file_without_the_state_columns_keeps_state_and_dates(records, land):
    retiree = records["retiree"]
    header = transfer.COLUMNS
    row = row_of(retiree, telephone="01 00 00 00 43")[: len(header)]
    errors, plan = transfer.preview("a.csv", csv_bytes([row], header=header), EVERYTHING)
    assert not errors
    assert [c.column for c in plan.rows[0].changes] == ["telephone"]
    transfer.apply_plan(plan, "x")
    retiree.refresh_from_db()
    assert not retiree.live and retiree.last_verified == datetime.date(2025, 3, 1)


def test_the_verification_date_comes_from_its_own_column(records, land):
    lea, yann = records["lea"], records["yann"]
    plan = plan_of(
        [
            row_of(lea, derniere_verification="15/10/2026"),
            row_of(yann, telephone="01 00 00 00 44", derniere_verification=""),
            new_row("nina@example.org"),
            new_row("omar@example.org", nom="Omar", derniere_verification="2026-02-01"),
        ]
    )
    assert [c.column for c in plan.rows[0].changes] == ["derniere_verification"]
    transfer.apply_plan(plan, "x")
    lea.refresh_from_db()
    yann.refresh_from_db()
    assert lea.last_verified == datetime.date(2026, 10, 15)
    assert yann.last_verified == datetime.date(2025, 3, 1)  # empty: kept, still to re-verify
    assert Facilitator.objects.get(email="nina@example.org").last_verified == timezone.localdate()
    omar = Facilitator.objects.get(email="omar@example.org")
    assert omar.last_verified == datetime.date(2026, 2, 1)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    errors, plan = transfer.preview(
        "a.csv",
        csv_bytes(
            [
                row_of(lea, derniere_verification="31/02/2026"),
                new_row("x@example.org", derniere_verification=future),
            ]
        ),
        EVERYTHING,
    )
    assert plan is None
    assert [(e.line, e.column) for e in errors] == [
        (2, "derniere_verification"),
        (3, "derniere_verification"),
    ]
    assert "AAAA-MM-JJ" in errors[0].message and "futur" in errors[1].message


# -- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_of_the_unchanged_file_is_a_no_op(client, national, records, fmt):
    client.force_login(national)
    exported = client.get(reverse("directory_export", args=[fmt])).content
    version, token = DirectoryChange.last(), version_token()
    counts = {pk: revisions(f) for pk, f in records.items()}
    designations = list(LeadDesignation.objects.values_list("pk", "territory", "designated_by"))
    errors, plan = transfer.preview(f"export.{fmt}", exported, EVERYTHING)
    assert not errors and plan.unchanged == 4 and not plan.changes_anything
    result = transfer.apply_file(f"export.{fmt}", exported, EVERYTHING, "x", national)
    assert result.ok and (result.created, result.updated) == (0, 0)
    assert DirectoryChange.last() == version and version_token() == token
    assert {pk: revisions(f) for pk, f in records.items()} == counts
    assert list(LeadDesignation.objects.values_list("pk", "territory", "designated_by")) == (
        designations
    )
    # Through the admin: the preview says so and offers nothing to apply.
    response = send(client, exported, f"export.{fmt}")
    html = text(client.get(response["Location"]))
    assert "Ce fichier ne change rien à l'annuaire" in html and "Appliquer l'import" not in html
    assert DirectoryChange.last() == version


# -- pending changes --------------------------------------------------------------------------


def test_a_saved_draft_is_never_overwritten(records):
    lea = records["lea"]
    lea.phone = "01 00 00 00 77"
    draft = lea.save_revision()  # a draft: the live row keeps its phone
    lea.refresh_from_db()
    assert lea.has_unpublished_changes
    plan = plan_of([row_of(lea, fonction="Autre fonction"), row_of(records["yann"])])
    assert plan.rows[0].action == transfer.SKIPPED and "ignorée" in plan.rows[0].warnings[0]
    transfer.apply_plan(plan, "x")
    lea.refresh_from_db()
    assert lea.job_title != "Autre fonction" and lea.latest_revision == draft
    # A row that changes nothing is simply unchanged, with the warning.
    plan = plan_of([row_of(lea)])
    assert plan.rows[0].action == transfer.UNCHANGED and plan.rows[0].warnings


def test_a_proposal_in_the_coordination_workflow_is_never_overwritten(client, people, france):
    arles = people["arles"]
    client.force_login(people["facilitator"])
    assert _submit(client, arles, [france["epci13"]], phone="01 00 00 00 55").status_code == 302
    arles.refresh_from_db()
    assert arles.workflow_in_progress
    client.force_login(people["m13"])
    data = csv_bytes([row_of(arles, telephone="01 00 00 00 66")])
    response = send(client, data)
    html = text(client.get(response["Location"]))
    assert "Ignorée" in html and "attend d'être validée ou publiée" in html
    assert "Appliquer l'import" not in html  # nothing else to apply
    arles.refresh_from_db()
    assert arles.phone not in ("01 00 00 00 55", "01 00 00 00 66") and arles.workflow_in_progress


# -- applying ---------------------------------------------------------------------------------


def test_apply_writes_everything_or_nothing(records, monkeypatch):
    plan = plan_of(
        [
            new_row("premiere@example.org"),
            row_of(records["lea"], telephone="01 00 00 00 88"),
            new_row("troisieme@example.org", nom="Troisième"),
        ]
    )
    calls = []
    original = Facilitator.save_revision

    def failing(self, *args, **kwargs):
        calls.append(self.email)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Facilitator, "save_revision", failing)
    data = csv_bytes(
        [
            new_row("premiere@example.org"),
            row_of(records["lea"], telephone="01 00 00 00 88"),
            new_row("troisieme@example.org", nom="Troisième"),
        ]
    )
    with pytest.raises(RuntimeError):
        transfer.apply_file("a.csv", data, EVERYTHING, "x", fingerprint=plan.fingerprint)
    assert len(calls) == 3
    assert not Facilitator.objects.filter(email="premiere@example.org").exists()
    assert Facilitator.objects.get(pk=records["lea"].pk).phone == "01 00 00 00 01"


def test_the_admin_applies_the_preview_then_forgets_the_file(client, national, records):
    client.force_login(national)
    data = csv_bytes(
        [
            row_of(records["lea"], telephone="01 00 00 00 88"),
            row_of(records["yann"], publie="non"),
            new_row("n@example.org"),
        ]
    )
    response = send(client, data)
    preview = response["Location"]
    applied = client.post(preview, {"action": "apply"})
    assert applied["Location"] == reverse("wagtailsnippets_directory_facilitator:list")
    assert Facilitator.objects.get(pk=records["lea"].pk).phone == "01 00 00 00 88"
    assert not Facilitator.objects.get(pk=records["yann"].pk).live  # withdrawn by its user
    assert Facilitator.objects.get(email="n@example.org").live
    assert PendingImport.objects.count() == 0
    # Applying twice (a double click, the back button) finds nothing to apply.
    again = client.post(preview, {"action": "apply"}, follow=True)
    assert "Cet aperçu a expiré" in text(again)
    assert Facilitator.objects.filter(email="n@example.org").count() == 1


def test_a_stale_preview_is_refused_and_shown_afresh(client, national, records):
    client.force_login(national)
    lea = records["lea"]
    data = csv_bytes([row_of(lea, telephone="01 00 00 00 88")])
    preview = send(client, data)["Location"]
    # Someone edits the record meanwhile.
    lea.job_title = "Modifiée entre-temps"
    lea.save_revision().publish()
    version = DirectoryChange.last()
    response = client.post(preview, {"action": "apply"}, follow=True)
    html = text(response)
    assert "L'annuaire a changé depuis cet aperçu" in html and "rien n'a été modifié" in html
    lea.refresh_from_db()
    assert lea.phone == "01 00 00 00 01" and DirectoryChange.last() == version
    # The page now shows the new preview (the job title the file would undo) and must be
    # acknowledged before it can be applied.
    assert "Modifiée entre-temps" in html and "Appliquer l'import" not in html
    client.post(preview, {"action": "refresh"})
    assert "Appliquer l'import" in text(client.get(preview))
    client.post(preview, {"action": "apply"})
    lea.refresh_from_db()
    assert lea.phone == "01 00 00 00 88" and lea.job_title == ""  # as the file says


def test_the_kept_file_is_its_sender_s_only_and_expires(client, national, records):
    client.force_login(national)
    data = csv_bytes([new_row("n@example.org")])
    preview = send(client, data)["Location"]
    other = get_user_model().objects.create_user("other", "other@example.org", "pass")
    other.groups.add(Group.objects.get(name=COORDINATORS))
    CoordinationFactory(name="Autre nationale", members=[other])
    client.force_login(other)
    assert "Cet aperçu a expiré" in text(client.post(preview, {"action": "apply"}, follow=True))
    client.force_login(national)
    token = preview.rstrip("/").rsplit("/", 1)[1]
    tampered = preview.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert client.get(tampered)["Location"] == reverse("directory_import")
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))
    assert client.post(preview, {"action": "apply"})["Location"] == reverse("directory_import")
    assert not Facilitator.objects.filter(email="n@example.org").exists()
    assert transfer.purge_stashes() == 1
    # Cancelling deletes the file.
    preview = send(client, data)["Location"]
    client.post(preview, {"action": "cancel"})
    assert PendingImport.objects.count() == 0


# -- the importer's territory -----------------------------------------------------------------


def test_a_coordination_imports_only_within_its_territory(client, people, france):
    arles = people["arles"]  # covers an EPCI of 13
    client.force_login(people["m95"])
    data = csv_bytes(
        [
            row_of(people["argenteuil"], telephone="01 00 00 00 95"),
            row_of(arles, telephone="01 00 00 00 13"),
            new_row("nouveau13@example.org", coverage="13004"),
        ]
    )
    response = send(client, data)
    html = text(response)
    assert response.status_code == 200 and PendingImport.objects.count() == 0
    assert "Le fichier ne peut pas être importé : 2 erreurs." in html
    assert "<td>3</td><td>email</td><td>Camille Arnaud a une fiche hors du territoire" in html
    assert (
        "<td>4</td><td>couverture</td><td>Hors du territoire de votre coordination : Arles" in html
    )
    arles.refresh_from_db()
    assert arles.phone != "01 00 00 00 13"
    errors, plan = transfer.preview("a.csv", data, scope_for(people["m95"]), people["m95"])
    assert [e.line for e in errors] == [3, 4] and [r.line for r in plan.rows] == [2]

    # Inside its territory, it imports; the absent records are those of its territory only.
    ok = csv_bytes([row_of(people["argenteuil"], telephone="01 00 00 00 95")])
    preview = send(client, ok)["Location"]
    html = text(client.get(preview))
    assert "0 fiche de votre territoire absente" in html and "Arnaud" not in html
    client.post(preview, {"action": "apply"})
    assert Facilitator.objects.get(pk=people["argenteuil"].pk).phone == "01 00 00 00 95"

    # The coordination of 13 imports Arles's record; the national one sees everything.
    errors, plan = transfer.preview(
        "a.csv", csv_bytes([row_of(arles, fonction="Cheffe")]), scope_for(people["m13"])
    )
    assert not errors and plan.rows[0].action == transfer.UPDATE
    errors, plan = transfer.preview("a.csv", data, scope_for(people["national"]))
    assert not errors and {f.pk for f in plan.absent} == set()


def test_a_territorial_import_needs_a_coverage(people, france):
    errors, plan = transfer.preview(
        "a.csv", csv_bytes([new_row("vide@example.org", coverage="")]), scope_for(people["m95"])
    )
    assert [(e.line, e.column) for e in errors] == [(2, "couverture")]
