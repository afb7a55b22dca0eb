"""The review of a facilitator's proposal, as the coordination and the facilitator see it: the
"Fiche à valider" e-mail and the review screen list what changes (old → new, coverage added
and removed); the decision and its comment reach the facilitator by e-mail; the listing shows
each record's state and coverage and filters those awaiting review; and a decision is taken
once, whatever autosave, a double click or a stale tab sends (`directory.review`,
`directory.admin_review`)."""

import json
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks
from wagtail.models import TaskState
from wagtail.test.utils.form_data import rich_text
from wagtail.users.models import UserProfile

from conftest import flush_outbox, text
from directory import review
from directory.models import Facilitator
from directory.tests import test_coordinations
from directory.tests.factories import FacilitatorFactory, StructureFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

# The territories, coordinations and accounts of the coordination tests: Camille Arnaud
# (PLIE d'Arles) covers the EPCI "CA Bouches-du-Rhône" and has the account "facilitatrice";
# "coordination.13" is a member of the Bouches-du-Rhône's coordination.
france = test_coordinations.france
people = test_coordinations.people

LISTING = "wagtailsnippets_directory_facilitator:list"


@pytest.fixture
def reviewers(people):
    """The accounts, with a named member of the coordination of 13, and Camille's record
    published with its account (the account is part of the live version)."""
    member = people["m13"]
    member.first_name, member.last_name = "Dominique", "Exemple"
    member.save()
    people["arles"].save_revision().publish()
    return people


def _edit_url(record):
    return reverse(f"wagtailsnippets_directory_{record._meta.model_name}:edit", args=[record.pk])


def _form(facilitator, territories, **changes):
    """The edit form of `facilitator` as the browser posts it: its latest version, the
    coverage rows it has (those not in `territories` marked deleted) and the new ones."""
    record = Facilitator.objects.get(pk=facilitator.pk).get_latest_revision_as_object()
    data = {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "job_title": record.job_title,
        "structure": record.structure_id,
        "email": record.email,
        "phone": record.phone,
        "sectors": record.sectors,
        "last_verified": record.last_verified.isoformat(),
        "user": record.user_id or "",
    }
    wanted = [territory.pk for territory in territories]
    index = 0
    for item in record.coverage_items.all():
        data[f"coverage_items-{index}-id"] = item.pk
        data[f"coverage_items-{index}-territory"] = item.territory_id
        data[f"coverage_items-{index}-ORDER"] = str(index + 1)
        if item.territory_id not in wanted:
            data[f"coverage_items-{index}-DELETE"] = "1"
        index += 1
    initial = index
    kept = {item.territory_id for item in record.coverage_items.all()}
    for pk in wanted:
        if pk not in kept:
            data[f"coverage_items-{index}-territory"] = pk
            data[f"coverage_items-{index}-ORDER"] = str(index + 1)
            index += 1
    data.update(
        {
            "coverage_items-TOTAL_FORMS": str(index),
            "coverage_items-INITIAL_FORMS": str(initial),
            "coverage_items-MIN_NUM_FORMS": "0",
            "coverage_items-MAX_NUM_FORMS": "1000",
        }
    )
    data.update(changes)
    return data


def _submit(client, facilitator, territories, **changes):
    return client.post(
        _edit_url(facilitator),
        {**_form(facilitator, territories, **changes), "action-submit": "1"},
    )


def _autosave(client, record, data):
    """What Wagtail's autosave sends: the whole form, answered in JSON."""
    return client.post(_edit_url(record), data, HTTP_ACCEPT="application/json")


def _action(record, action):
    state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    return reverse(
        f"wagtailsnippets_directory_{record._meta.model_name}:workflow_action",
        args=[record.pk, action, state.pk],
    )


def _mails_to(address):
    flush_outbox()
    return [message for message in mail.outbox if address in message.to]


def _forget_mails():
    """Deliver what waits in the outbox, then forget every message sent so far."""
    flush_outbox()
    mail.outbox.clear()


# -- What the coordination is told of a proposal ------------------------------------------


def test_the_mail_to_validate_lists_each_change_old_to_new(client, reviewers, france):
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _forget_mails()
    response = _submit(
        client, arles, [france["chateaurenard"]], phone="01 00 00 00 02", job_title="Facilitatrice"
    )
    assert response.status_code == 302
    told = _mails_to("c13@example.org")
    assert [message.subject for message in told] == ["Fiche à valider : Camille Arnaud"]
    body = told[0].body
    assert "Téléphone : 01 00 00 00 01 → 01 00 00 00 02" in body
    assert "Fonction : (vide) → Facilitatrice" in body
    assert "+ ajouté : Châteaurenard (commune 13027)" in body
    assert "- retiré : CA Bouches-du-Rhône (EPCI 213000000)" in body
    # What does not change is not listed; the link opens the review screen.
    assert "E-mail :" not in body and "Compte d'administration" not in body
    assert f"http://testserver{_edit_url(arles)}" in body


def test_a_proposal_that_changes_nothing_says_so(client, reviewers, france):
    client.force_login(reviewers["facilitator"])
    _forget_mails()
    _submit(client, reviewers["arles"], [france["epci13"]])
    body = _mails_to("c13@example.org")[0].body
    assert "La proposition ne change rien à la fiche publiée." in body
    assert "→" not in body


def test_a_record_never_published_is_new_in_every_field(france):
    draft = FacilitatorFactory(
        first_name="Alix",
        last_name="Nouvelle",
        phone="01 00 00 00 09",
        live=False,
        covers=[france["epci13"], france["chateaurenard"]],
    )
    draft.save_revision()
    proposal = review.proposal(draft)
    assert proposal.status == review.Proposal.NEW
    changes = {change.label: (change.old, change.new) for change in proposal.changes}
    assert changes["Téléphone"] == ("", "01 00 00 00 09")
    assert changes["Structure"] == ("", draft.structure.name)
    assert "Fonction" not in changes  # empty: nothing to tell
    assert set(proposal.added_labels) == {
        "CA Bouches-du-Rhône (EPCI 213000000)",
        "Châteaurenard (commune 13027)",
    }


def test_a_structure_proposal_lists_its_changes_as_read(client, reviewers):
    plie = reviewers["arles"].structure
    plie.presentation = "<p>Le PLIE d'Arles.</p>"
    plie.save_revision().publish()
    client.force_login(reviewers["facilitator"])
    _forget_mails()
    client.post(
        _edit_url(plie),
        {
            "address": "",
            "website": "https://plie-arles.example.org/",
            "logo": "",
            "presentation": rich_text("<p>Le PLIE d'Arles <b>accompagne</b> les clauses.</p>"),
            "partner_insertion": "",
            "partner_others": "",
            "action-submit": "1",
        },
    )
    body = _mails_to("c13@example.org")[0].body
    assert "propose une modification de la présentation de sa structure, PLIE d'Arles" in body
    assert "Site web : (vide) → https://plie-arles.example.org/" in body
    assert "Présentation : Le PLIE d'Arles. → Le PLIE d'Arles accompagne les clauses." in body
    assert "<p>" not in body


# -- The review screen ----------------------------------------------------------------------


def test_the_review_screen_shows_the_changes_first_and_does_not_autosave(client, reviewers, france):
    arles = reviewers["arles"]
    client.force_login(reviewers["m13"])
    before = client.get(_edit_url(arles)).content.decode()
    assert "data-w-autosave-interval-value" in before  # autosave is on outside a review
    assert "Modifications proposées, à valider" not in before

    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"], france["chateaurenard"]], phone="01 00 00 00 02")
    # She sees what she proposed on her record, locked while the coordination decides.
    hers = text(client.get(_edit_url(arles)))
    assert "Modifications proposées, à valider" in hers and "01 00 00 00 02" in hers
    client.force_login(reviewers["m13"])
    page = client.get(_edit_url(arles))
    html = text(page)
    assert page.status_code == 200
    summary = html.index("Modifications proposées, à valider")
    assert summary < html.index('name="first_name"')  # at the top, above the form's fields
    table = html[summary : html.index("Comparer en détail")]
    assert "Téléphone" in table and "01 00 00 00 01" in table and "01 00 00 00 02" in table
    assert "Ajouté : Châteaurenard (commune 13027)" in table
    assert "Fonction" not in table  # unchanged
    assert "data-w-autosave-interval-value" not in html  # no autosave during the review
    compare = reverse(
        "wagtailsnippets_directory_facilitator:revisions_compare",
        args=[arles.pk, "live", "latest"],
    )
    assert client.get(compare).status_code == 200


# -- The decision, told to the facilitator ----------------------------------------------------


def test_an_approval_with_a_comment_is_mailed_once_with_who_decided_and_what(
    client, reviewers, france
):
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    _forget_mails()
    client.force_login(reviewers["m13"])
    response = client.post(_action(arles, "approve"), {"comment": "Merci, c'est à jour."})
    assert response.status_code == 302
    arles.refresh_from_db()
    assert arles.live and arles.phone == "01 00 00 00 02" and not arles.has_unpublished_changes
    to_her = _mails_to("camille@example.org")
    assert len(to_her) == 1  # ours, not Wagtail's generic notification as well
    assert to_her[0].subject == "Modification approuvée : Camille Arnaud"
    body = to_her[0].body
    assert "a été approuvée. Elle est publiée" in body
    assert "Décision de Dominique Exemple (Coordination des Bouches-du-Rhône)" in body
    assert "Son commentaire :\nMerci, c'est à jour." in body
    assert "Téléphone : 01 00 00 00 01 → 01 00 00 00 02" in body
    assert f"http://testserver{_edit_url(arles)}" in body
    assert not _mails_to("coordination.13@example.org")  # the decider is not told


def test_a_rejection_with_a_comment_is_mailed_and_nothing_is_published(client, reviewers, france):
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"], france["chateaurenard"]])
    _forget_mails()
    client.force_login(reviewers["m13"])
    response = client.post(
        _action(arles, "reject"), {"comment": "Châteaurenard relève d'une autre structure."}
    )
    assert response.status_code == 302
    arles.refresh_from_db()
    assert set(arles.coverage.all()) == {france["epci13"]}
    to_her = _mails_to("camille@example.org")
    assert [message.subject for message in to_her] == ["Modification refusée : Camille Arnaud"]
    body = to_her[0].body
    assert "a été refusée. Rien n'a été publié" in body
    assert "Châteaurenard relève d'une autre structure." in body
    assert "+ ajouté : Châteaurenard (commune 13027)" in body


def test_a_facilitator_who_turned_the_notification_off_is_not_mailed(client, reviewers, france):
    profile = UserProfile.get_for_user(reviewers["facilitator"])
    profile.rejected_notifications = False
    profile.save()
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    _forget_mails()
    client.force_login(reviewers["m13"])
    client.post(_action(arles, "reject"), {"comment": "Numéro à vérifier."})
    assert not _mails_to("camille@example.org")


# -- The listing ------------------------------------------------------------------------------


def test_the_listing_shows_the_state_and_filters_those_to_validate(client, reviewers, france):
    client.force_login(reviewers["facilitator"])
    _submit(client, reviewers["arles"], [france["epci13"]], phone="01 00 00 00 02")
    client.force_login(reviewers["national"])
    listing = text(client.get(reverse(LISTING)))
    assert "État" in listing and "Couverture" in listing
    arnaud = listing[listing.index("Camille Arnaud") :]
    assert "À valider" in arnaud[: arnaud.index("camille@example.org")]
    mercier = listing[listing.index("Mercier") :]
    assert "Publiée" in mercier[: mercier.index("01 00 00 00 01")]

    to_validate = text(client.get(reverse(LISTING) + "?status=a-valider"))
    assert "Arnaud" in to_validate and "Mercier" not in to_validate
    published = text(client.get(reverse(LISTING) + "?status=publiee"))
    assert "Mercier" in published and "Arnaud" not in published


def test_the_listing_names_the_first_territories_then_how_many_more(client, admin_user, france):
    communes = [
        TerritoryFactory(code=f"1390{n}", name=f"Commune du test {n}", departement=france["d13"])
        for n in range(4)
    ]
    FacilitatorFactory(last_name="Couvrante", covers=communes)
    client.force_login(admin_user)
    listing = text(client.get(reverse(LISTING)))
    assert re.search(r"Commune du test \d, Commune du test \d \+ 2 autres", listing)


def test_the_listing_makes_the_same_queries_whatever_its_length(client, admin_user, france):
    structure = StructureFactory(name="Structure du test")

    def add(count):
        for _n in range(count):
            facilitator = FacilitatorFactory(
                structure=structure, covers=[france["epci13"], france["d13"], france["arles"]]
            )
            facilitator.save_revision(user=admin_user)  # a draft: "Publiée, brouillon en cours"

    client.force_login(admin_user)
    add(2)
    client.get(reverse(LISTING))  # warm the caches (content types, settings)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(LISTING)).status_code == 200
    add(8)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(LISTING))
    assert "Publiée, brouillon en cours" in text(response)
    assert len(many) == len(few)


# -- A decision is taken once, whatever autosave sends -----------------------------------------


def test_approve_with_a_comment_right_after_an_autosave(client, reviewers, france):
    arles = reviewers["arles"]
    # The facilitator's page autosaves a draft, then she submits it.
    client.force_login(reviewers["facilitator"])
    saved = _autosave(client, arles, _form(arles, [france["epci13"]], phone="01 00 00 00 02"))
    assert saved.status_code == 200 and saved.json()["success"]
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    arles.refresh_from_db()
    assert arles.workflow_in_progress and arles.phone == "01 00 00 00 01"

    # A page of the reviewer's opened before the submission still autosaves: refused with a
    # message, nothing saved into the proposal under review…
    client.force_login(reviewers["m13"])
    revision = arles.latest_revision_id
    late = _autosave(client, arles, _form(arles, [france["epci13"]], phone="01 00 00 00 99"))
    assert late.status_code == 400
    assert "n'est plus enregistrée automatiquement" in late.json()["error_message"]
    # …even carrying the hidden fields of the "Approuver" button: no decision from it.
    carried = _autosave(
        client,
        arles,
        {
            **_form(arles, [france["epci13"]]),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": "Par l'autosave"}),
        },
    )
    assert carried.status_code == 400
    arles.refresh_from_db()
    assert arles.latest_revision_id == revision and arles.workflow_in_progress

    _forget_mails()
    approve = _action(arles, "approve")
    response = client.post(approve, {"comment": "Vu avec la structure."})
    assert response.status_code == 302
    arles.refresh_from_db()
    assert arles.live and arles.phone == "01 00 00 00 02"
    assert not arles.workflow_in_progress and not arles.has_unpublished_changes
    to_her = _mails_to("camille@example.org")
    assert len(to_her) == 1 and "Vu avec la structure." in to_her[0].body

    # The same decision again (a double click, a second tab): told, nothing happens twice.
    _forget_mails()
    again = client.post(approve, {"comment": "Vu avec la structure."}, follow=True)
    assert again.status_code == 200
    assert "Cette proposition a déjà été approuvée par Dominique Exemple" in text(again)
    assert not _mails_to("camille@example.org")
    assert TaskState.objects.filter(status=TaskState.STATUS_APPROVED).count() == 1


def test_reject_with_a_comment_right_after_a_draft_saved_by_the_reviewer(client, reviewers, france):
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    client.force_login(reviewers["m13"])
    # The reviewer saves a draft with the button (allowed: it becomes part of the proposal).
    draft = client.post(_edit_url(arles), _form(arles, [france["epci13"]], phone="01 00 00 00 03"))
    assert draft.status_code == 302
    _forget_mails()
    response = client.post(_action(arles, "reject"), {"comment": "Quel est le bon numéro ?"})
    assert response.status_code == 302
    arles.refresh_from_db()
    assert arles.phone == "01 00 00 00 01" and not arles.workflow_in_progress
    to_her = _mails_to("camille@example.org")
    assert len(to_her) == 1 and "Quel est le bon numéro ?" in to_her[0].body
    assert "Téléphone : 01 00 00 00 01 → 01 00 00 00 03" in to_her[0].body


def test_a_decision_from_the_edit_form_is_taken_once(client, reviewers, france):
    """The buttons of the review screen post the form with hidden fields; the second post (the
    race's loser, or a stale tab) used to save a draft and fail with a 500."""
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    client.force_login(reviewers["m13"])
    decision = {
        **_form(arles, [france["epci13"]]),
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": json.dumps({"comment": "Approuvé depuis la fiche."}),
    }
    _forget_mails()
    first = client.post(_edit_url(arles), decision)
    assert first.status_code == 302
    arles.refresh_from_db()
    assert arles.live and arles.phone == "01 00 00 00 02" and not arles.has_unpublished_changes
    assert "Approuvé depuis la fiche." in _mails_to("camille@example.org")[0].body
    revisions = arles.revisions.count()

    _forget_mails()
    second = client.post(_edit_url(arles), decision, follow=True)
    assert second.status_code == 200
    assert "déjà été approuvée par Dominique Exemple" in text(second)
    arles.refresh_from_db()
    assert not arles.has_unpublished_changes and arles.revisions.count() == revisions
    assert not _mails_to("camille@example.org")


def test_a_decision_names_a_task_of_this_record_only(client, reviewers, france):
    """Wagtail's view takes any task state id: through the URL of another record in review,
    the approver would have decided Camille's proposal unseen."""
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    hers = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    other = FacilitatorFactory(covers=[france["arles"]])
    other.save_revision()
    Facilitator.get_default_workflow().start(other, reviewers["m13"])
    client.force_login(reviewers["m13"])
    elsewhere = reverse(
        "wagtailsnippets_directory_facilitator:workflow_action",
        args=[other.pk, "approve", hers.pk],
    )
    assert client.post(elsewhere).status_code == 404
    arles.refresh_from_db()
    assert arles.workflow_in_progress and arles.phone == "01 00 00 00 01"


def _decide_meanwhile(reviewer, action="approve", comment="Décidé dans l'autre onglet."):
    """Another request's decision, taken while this one runs (the race's winner)."""
    state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    state.task.specific.on_action(state.specific, reviewer, action, comment=comment)


def test_the_loser_of_a_race_on_the_review_screen_is_told_not_failed(client, reviewers, france):
    """Both posts of the review screen's button found the task in progress; the first decided
    before the second saved its form: the second used to save a draft, then fail with
    "'NoneType' object has no attribute 'on_action'"."""
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    client.force_login(reviewers["m13"])
    decision = {
        **_form(arles, [france["epci13"]]),
        "action-workflow-action": "true",
        "workflow-action-name": "reject",
        "workflow-action-extra-data": json.dumps({"comment": "Refusé dans ce second onglet."}),
    }

    def winner(request, record):
        if request.method == "POST":
            _decide_meanwhile(reviewers["m13"])

    with hooks.register_temporarily("before_edit_snippet", winner):
        response = client.post(_edit_url(arles), decision, follow=True)
    assert response.status_code == 200
    assert "déjà été approuvée par Dominique Exemple" in text(response)
    arles.refresh_from_db()
    assert arles.phone == "01 00 00 00 02" and not arles.has_unpublished_changes
    assert list(TaskState.objects.values_list("status", flat=True)) == ["approved"]


def test_the_loser_of_a_race_on_the_decision_modal_is_told_not_failed(client, reviewers, france):
    arles = reviewers["arles"]
    client.force_login(reviewers["facilitator"])
    _submit(client, arles, [france["epci13"]], phone="01 00 00 00 02")
    client.force_login(reviewers["m13"])
    url = _action(arles, "reject")
    task = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS).task.specific
    actions = type(task).get_actions

    def actions_then_the_winner(self, obj, user):
        found = actions(self, obj, user)
        _decide_meanwhile(reviewers["m13"])  # after this request checked the task
        return found

    _forget_mails()
    with mock.patch.object(type(task), "get_actions", actions_then_the_winner):
        response = client.post(
            url,
            {"comment": "Refusé dans ce second onglet."},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
    assert response.status_code == 200 and response.json()["step"] == "success"
    arles.refresh_from_db()
    assert arles.phone == "01 00 00 00 02" and not arles.workflow_in_progress
    assert list(TaskState.objects.values_list("status", flat=True)) == ["approved"]
    to_her = _mails_to("camille@example.org")
    assert [message.subject for message in to_her] == ["Modification approuvée : Camille Arnaud"]
