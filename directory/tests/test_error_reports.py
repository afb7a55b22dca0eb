""" "Signaler une erreur": the links on cards and answers, the public form (subject read from
the link, validation, honeypot, consent, CSRF, rate limit), the routing to the territory's
coordination and its e-mail, the thank-you page, the scoped admin listing and follow-up, and
the retention purge."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import ModelLogEntry

from conftest import flush_outbox, text
from directory import coverage, error_reports
from directory.models import ErrorReport, Facilitator
from directory.tests import test_coordinations
from directory.tests.factories import FacilitatorFactory, StructureFactory

# The coordinations' fixtures: five départements, their coordinations and members.
france, people = test_coordinations.france, test_coordinations.people

pytestmark = pytest.mark.django_db

FORM = "/fr/signaler-une-erreur/"


def valid(**changes):
    return {"message": "Le téléphone a changé : 04 90 00 00 00.", "consent": "on", **changes}


def report(client, query, **changes):
    return client.post(f"{FORM}?{query}", valid(**changes))


def body(response):
    return text(response).replace("&#x27;", "'")


# -- Links --------------------------------------------------------------------------------


def test_every_card_and_the_answer_link_to_the_form(people, france):
    arles = people["arles"]
    with translation.override("fr"):
        html = render_to_string(
            "directory/includes/answer.html", {"answer": coverage.answer(france["arles"])}
        )
    # The answer itself, and the card within it carrying the commune along.
    assert f'href="{FORM}?commune=13004"' in html
    assert f'href="{FORM}?fiche={arles.pk}&amp;commune=13004"' in html
    assert "Signaler une erreur dans cette réponse" in html
    # A card alone (directory page, structure page, search) carries the facilitator only.
    with translation.override("en"):
        card = render_to_string("directory/includes/facilitator.html", {"facilitator": arles})
    assert f'href="/en/report-an-error/?fiche={arles.pk}"' in card
    assert "Report an error" in card


# -- The form -----------------------------------------------------------------------------


def test_the_form_names_the_subject_and_who_receives_it(client, people, france):
    arles = people["arles"]
    response = client.get(f"{FORM}?fiche={arles.pk}&commune=13004")
    assert response.status_code == 200
    page = body(response)
    assert "Camille Arnaud (PLIE d'Arles)" in page and "Arles (13004)" in page
    assert "Coordination des Bouches-du-Rhône" in page
    assert "365 jours" in page  # what is kept and for how long
    english = client.get("/en/report-an-error/?commune=95018")
    assert english.status_code == 200
    assert "Coordination du Val-d'Oise" in body(english) and "Report an error" in body(english)
    assert ErrorReport.objects.count() == 0  # a GET never changes anything


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("", 400, "utilisez le lien"),
        ("fiche=999999", 404, "n'existe pas"),
        ("fiche=abc", 404, "n'existe pas"),
        ("fiche=-3", 404, "n'existe pas"),
        ("fiche=99999999999999999999999", 404, "n'existe pas"),
        ("commune=00000", 404, "Aucune commune"),
        ("commune=13", 404, "Aucune commune"),  # a département, not a commune
        ("commune=" + "9" * 300, 404, "Aucune commune"),
    ],
)
def test_a_wrong_subject_is_a_clear_message(client, people, query, status, message):
    for response in (client.get(f"{FORM}?{query}"), client.post(f"{FORM}?{query}", valid())):
        assert response.status_code == status
        assert message in body(response)
    assert ErrorReport.objects.count() == 0


def test_a_withdrawn_facilitator_cannot_be_reported(client, people):
    arles = people["arles"]
    arles.unpublish()
    assert client.get(f"{FORM}?fiche={arles.pk}").status_code == 404


def test_a_report_is_stored_routed_and_mailed_to_the_coordination(client, people, france):
    arles = people["arles"]
    response = report(client, f"fiche={arles.pk}&commune=13004", email="visiteur@example.org")
    assert response.status_code == 302
    stored = ErrorReport.objects.get()
    assert stored.facilitator == arles and stored.commune == france["arles"]
    assert stored.coordination == france["c13"]
    assert stored.status == ErrorReport.Status.NEW and stored.language == "fr"
    assert stored.email == "visiteur@example.org" and stored.consent_at is not None
    assert "04 90 00 00 00" in stored.message
    # The thank-you page names who receives it.
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "transmis <strong>à la coordination des Bouches-du-Rhône</strong>," in body(thanks)
    assert f"n° {stored.pk}" in body(thanks)
    # One e-mail, through the outbox, to the coordination's address and its members.
    assert mail.outbox == []
    flush_outbox()
    (message,) = mail.outbox
    assert set(message.to) == {"c13@example.org", "coordination.13@example.org"}
    assert message.reply_to == ["visiteur@example.org"]
    assert "Camille Arnaud" in message.subject
    assert f"/admin/signalements/edit/{stored.pk}/" in message.body


def test_a_commune_answer_goes_to_the_commune_coordination(client, people, france):
    assert report(client, "commune=95018").status_code == 302
    assert report(client, "commune=59350").status_code == 302
    by_commune = {r.commune.code: r.coordination for r in ErrorReport.objects.all()}
    assert by_commune == {"95018": france["c95"], "59350": france["national"]}
    flush_outbox()
    recipients = sorted(tuple(sorted(m.to)) for m in mail.outbox)
    assert ("c95@example.org", "coordination.95@example.org") in recipients
    assert ("nationale@example.org",) in recipients  # its address and its member's, once
    assert all("c13@example.org" not in m.to for m in mail.outbox)


def test_a_facilitator_goes_to_the_coordination_of_its_territory(client, people, france):
    """The rule that receives a facilitator's proposals: departmental when its whole
    territory is in one département, else the national coordination."""
    both = FacilitatorFactory(
        last_name="Deux", covers=[france["d13"], france["d95"]], structure=StructureFactory()
    )
    both.save_revision().publish()
    report(client, f"fiche={people['argenteuil'].pk}")
    report(client, f"fiche={both.pk}&commune=13004")
    routed = {r.facilitator.last_name: r.coordination for r in ErrorReport.objects.all()}
    assert routed == {"Mercier": france["c95"], "Deux": france["national"]}


@pytest.mark.parametrize(
    "changes, field_error",
    [
        ({"message": ""}, "Décrivez ce qui est inexact."),
        ({"message": "   "}, "Décrivez ce qui est inexact."),
        ({"message": "x" * 2001}, "2000"),
        ({"consent": ""}, "sans votre accord"),
        ({"email": "pas-une-adresse"}, "adresse e-mail valide"),
        ({"message": "Texte\x00nul"}, "caractère invisible"),
    ],
)
def test_bad_input_is_explained_and_kept(client, people, changes, field_error):
    response = report(client, f"fiche={people['arles'].pk}", **changes)
    assert response.status_code == 200
    assert field_error in body(response)
    assert ErrorReport.objects.count() == 0


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_kept(client, people):
    response = report(client, f"fiche={people['arles'].pk}", site_web="http://spam.example")
    assert response.status_code == 302
    assert "Merci" in body(client.get(response["Location"]))
    assert ErrorReport.objects.count() == 0
    flush_outbox()
    assert mail.outbox == []


def test_the_form_needs_its_csrf_token(people):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{FORM}?fiche={people['arles'].pk}", valid()).status_code == 403
    assert ErrorReport.objects.count() == 0


def test_complete_reports_are_rate_limited_and_the_text_is_kept(client, people, settings):
    settings.ERROR_REPORT_RATE_LIMIT = 2
    query = f"fiche={people['arles'].pk}"
    assert report(client, query).status_code == 302
    # Correcting a form is never counted.
    assert report(client, query, message="").status_code == 200
    assert report(client, query).status_code == 302
    limited = report(client, query, message="Troisième signalement")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Troisième signalement" in body(limited) and "réessayez dans" in body(limited)
    assert ErrorReport.objects.count() == 2


def test_the_thank_you_token_cannot_be_forged(client, people):
    report(client, f"fiche={people['arles'].pk}")
    stored = ErrorReport.objects.get()
    assert error_reports.read_thanks_token(error_reports.thanks_token(stored)) == stored
    assert error_reports.read_thanks_token(str(stored.pk)) is None
    page = body(client.get("/fr/signaler-une-erreur/merci/", {"n": f"{stored.pk}:forged"}))
    assert "Coordination" not in page and "Merci" in page


# -- Admin --------------------------------------------------------------------------------


@pytest.fixture
def reports(client, people, france):
    """One report about a facilitator of 13 (from Arles's answer), one about Argenteuil's
    answer (95) and one about Lille's (national)."""
    report(client, f"fiche={people['arles'].pk}&commune=13004", message="Arles : mauvais numéro")
    report(client, "commune=95018", message="Argenteuil : réponse fausse")
    report(client, "commune=59350", message="Lille : personne ?")
    return {r.message.split(" :")[0]: r for r in ErrorReport.objects.all()}


LISTING = "/admin/signalements/"


def test_each_coordination_lists_the_reports_of_its_territory_only(client, people, reports):
    seen = {}
    for who in ("m13", "m95", "national"):
        client.force_login(people[who])
        response = client.get(LISTING)
        assert response.status_code == 200
        seen[who] = {name for name in reports if reports[name].subject in body(response)}
    assert seen == {
        "m13": {"Arles"},
        "m95": {"Argenteuil"},
        "national": {"Arles", "Argenteuil", "Lille"},
    }
    # The facilitator account has no listing: its coordination handles the reports.
    client.force_login(people["facilitator"])
    assert client.get(LISTING).status_code in (302, 403)


def test_a_report_outside_the_territory_is_not_found(client, people, reports):
    client.force_login(people["m95"])
    arles = reports["Arles"]
    for view in ("edit", "inspect", "delete", "history", "usage"):
        assert client.get(f"{LISTING}{view}/{arles.pk}/").status_code == 404, view
    response = client.post(f"{LISTING}edit/{arles.pk}/", {"status": "rejected", "note": "x"})
    assert response.status_code == 404
    assert client.post(f"{LISTING}delete/{arles.pk}/").status_code == 404
    arles.refresh_from_db()
    assert arles.status == ErrorReport.Status.NEW
    # Its own report opens.
    own = reports["Argenteuil"]
    assert client.get(f"{LISTING}edit/{own.pk}/").status_code == 200
    assert client.get(f"{LISTING}inspect/{own.pk}/").status_code == 200


def test_the_listing_filters_by_status(client, people, reports):
    ErrorReport.objects.filter(pk=reports["Lille"].pk).update(status=ErrorReport.Status.FIXED)
    client.force_login(people["national"])
    fixed = body(client.get(LISTING, {"status": "fixed"}))
    assert reports["Lille"].subject in fixed and reports["Arles"].subject not in fixed
    new = body(client.get(LISTING, {"status": "new"}))
    assert reports["Lille"].subject not in new and reports["Arles"].subject in new


def test_following_a_report_records_who_handles_it(client, people, reports):
    client.force_login(people["m13"])
    arles = reports["Arles"]
    form = client.get(f"{LISTING}edit/{arles.pk}/")
    handlers = form.context["form"].fields["handled_by"].queryset
    assert people["m13"] in handlers and people["m95"] not in handlers
    response = client.post(
        f"{LISTING}edit/{arles.pk}/", {"status": "in_progress", "handled_by": "", "note": "Vu."}
    )
    assert response.status_code == 302
    arles.refresh_from_db()
    assert arles.status == ErrorReport.Status.IN_PROGRESS and arles.handled_by == people["m13"]
    # Someone of another territory cannot be named.
    refused = client.post(
        f"{LISTING}edit/{arles.pk}/",
        {"status": "fixed", "handled_by": people["m95"].pk, "note": ""},
    )
    assert refused.status_code == 200
    arles.refresh_from_db()
    assert arles.status == ErrorReport.Status.IN_PROGRESS


def test_nobody_adds_a_report_in_the_admin(client, people, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-12")
    client.force_login(admin)
    assert client.get(f"{LISTING}new/").status_code in (302, 403)
    assert f"{LISTING}new/" not in body(client.get(LISTING))


# -- Retention ----------------------------------------------------------------------------


def test_purge_deletes_reports_older_than_their_retention(client, people, reports, settings):
    settings.ERROR_REPORT_RETENTION_DAYS = 30
    old = reports["Lille"]
    client.force_login(people["national"])
    client.post(f"{LISTING}edit/{old.pk}/", {"status": "fixed", "handled_by": "", "note": "x"})
    assert ModelLogEntry.objects.filter(object_id=str(old.pk)).exists()
    ErrorReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("purge_requests", "--dry-run", stdout=out)
    assert "1 error report(s)" in out.getvalue() and ErrorReport.objects.count() == 3
    call_command("purge_requests", stdout=out)
    assert set(ErrorReport.objects.values_list("pk", flat=True)) == {
        reports["Arles"].pk,
        reports["Argenteuil"].pk,
    }
    assert not ModelLogEntry.objects.filter(
        content_type__model="errorreport", object_id=str(old.pk)
    ).exists()


def test_a_deleted_facilitator_leaves_its_reports_named(client, people):
    arles = people["arles"]
    report(client, f"fiche={arles.pk}")
    Facilitator.objects.filter(pk=arles.pk).delete()
    stored = ErrorReport.objects.get()
    assert stored.facilitator is None and "Camille Arnaud" in stored.subject


def test_the_dashboard_counts_the_reports_to_handle(client, people, reports):
    ErrorReport.objects.filter(pk=reports["Lille"].pk).update(status=ErrorReport.Status.IN_PROGRESS)
    client.force_login(people["m13"])
    assert "1 nouveau signalement, 0 en cours" in strip_tags(body(client.get("/admin/")))
    client.force_login(people["national"])
    assert "2 nouveaux signalements, 1 en cours" in strip_tags(body(client.get("/admin/")))
