"""A translation is created as a draft and published through the review workflow, whoever
asks for it: never the source's text live under the other language's address."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from conftest import publish_child
from portal.editorial import MODERATORS, WRITERS
from portal.models import StandardPage

pytestmark = pytest.mark.django_db


def member(username, group):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "x")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def article(home):
    page = StandardPage(
        title="Comprendre la clause",
        slug="comprendre",
        intro="Chapeau",
        body=[("paragraph", "<p>Texte en français.</p>")],
    )
    return publish_child(home, page)


def translate(client, page, locale):
    """Ask for a translation as the admin's "Traduire cette page" does; returns the copy."""
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [locale.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Page.objects.get(translation_key=page.translation_key, locale=locale).specific


def workflow_action(client, page, action):
    state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status="in_progress"
    )
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, action, state.current_task_state.pk],
        )
    )


def test_a_translation_by_an_administrator_is_a_draft_until_the_workflow_publishes_it(
    client, article, locales
):
    admin = get_user_model().objects.create_superuser("admin2", "admin2@example.org", "x")
    client.force_login(admin)
    english = translate(client, article, locales["en"])
    assert not english.live and english.has_unpublished_changes
    assert client.get("/en/comprendre/").status_code == 404

    # A rédacteur translates it and submits it; another proofreads, a modérateur publishes.
    writer = member("traductrice", WRITERS)
    client.force_login(writer)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk]))
    assert page.status_code == 200
    client.post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]),
        nested_form_data(
            {
                "title": "Understanding the clause",
                "slug": "understanding",
                "intro": "Standfirst",
                "body": streamfield([("paragraph", rich_text("<p>English text.</p>"))]),
                "comments": inline_formset([]),
                "action-submit": "action-submit",
            }
        ),
    )
    english.refresh_from_db()
    assert not english.live
    client.force_login(member("relectrice", WRITERS))
    workflow_action(client, english, "approve")
    assert client.get("/en/understanding/").status_code == 404
    client.force_login(member("moderatrice", MODERATORS))
    workflow_action(client, english, "approve")
    english.refresh_from_db()
    assert english.live and english.title == "Understanding the clause"
    assert client.get("/en/understanding/").status_code == 200


def test_a_parent_copied_for_translation_is_a_draft_too(client, article, locales):
    """Translating a page whose parent has no translation copies the parent: as a draft,
    not as a live alias showing the French text on the English site."""
    child = publish_child(
        article,
        StandardPage(title="Les publics", slug="publics", intro="Qui", body=[]),
    )
    client.force_login(member("traducteur", WRITERS))
    english_child = translate(client, child, locales["en"])
    english_parent = english_child.get_parent().specific
    assert english_parent.locale == locales["en"]
    assert english_parent.alias_of_id is None
    assert not english_parent.live and not english_child.live
    assert client.get("/en/comprendre/").status_code == 404
    assert client.get("/en/comprendre/publics/").status_code == 404


def test_a_translation_is_not_turned_back_into_an_alias(client, article, locales):
    admin = get_user_model().objects.create_superuser("admin3", "admin3@example.org", "x")
    client.force_login(admin)
    english = translate(client, article, locales["en"])
    edit_form = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content
    assert b"localize-convert-to-alias" not in edit_form
    response = client.post(f"/admin/localize/page/{english.pk}/convert_to_alias/")
    assert response.status_code == 403
    english.refresh_from_db()
    assert english.alias_of_id is None and not english.live


def test_writers_and_moderators_may_translate(client, article, locales):
    for group in (WRITERS, MODERATORS):
        user = member(f"membre-{group}", group)
        client.force_login(user)
        form = client.get(reverse("wagtail_localize:submit_page_translation", args=[article.pk]))
        assert form.status_code == 200, group
