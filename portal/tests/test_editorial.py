"""Who can publish: rédacteurs submit, the review workflow runs, modérateurs publish."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from conftest import publish_child
from portal.editorial import (
    APPROVAL_TASK,
    MODERATORS,
    REVIEW_TASK,
    WORKFLOW,
    WRITERS,
    ensure_editorial_roles,
)
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
        body=[("paragraph", "<p>Texte publié.</p>")],
    )
    return publish_child(home, page)


@pytest.fixture
def writer(db):
    return member("redaction", WRITERS)


@pytest.fixture
def moderator(db):
    return member("moderation", MODERATORS)


def edit(client, page, action, title):
    """Send the page's edit form as the admin's buttons do."""
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "intro": page.intro,
            "body": streamfield([("paragraph", rich_text("<p>Texte modifié.</p>"))]),
            "comments": inline_formset([]),
            action: action,
        }
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def live_title(page):
    return Page.objects.get(pk=page.pk).title


def current_state(page):
    return WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status="in_progress"
    )


def test_the_roles_and_the_two_step_workflow_exist_once(db):
    workflow = ensure_editorial_roles()
    ensure_editorial_roles()  # a second migrate changes nothing
    assert [t.task.name for t in workflow.workflow_tasks.order_by("sort_order")] == [
        REVIEW_TASK,
        APPROVAL_TASK,
    ]
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow.name == WORKFLOW
    writers = Group.objects.get(name=WRITERS)
    moderators = Group.objects.get(name=MODERATORS)
    assert set(writers.page_permissions.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
    }
    assert "publish_page" in moderators.page_permissions.values_list(
        "permission__codename", flat=True
    )
    assert writers.collection_permissions.filter(permission__codename="add_image").exists()


def test_a_writer_cannot_publish_a_page(client, article, writer):
    client.force_login(writer)
    form = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert form.status_code == 200
    assert 'name="action-publish"' not in form.content.decode()

    edit(client, article, "action-publish", "Titre non relu")
    assert live_title(article) == "Comprendre la clause"  # kept as a draft, not published
    assert Page.objects.get(pk=article.pk).has_unpublished_changes

    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=article.pk).live


def test_submitting_starts_the_review_and_a_moderator_publishes(client, article, writer, moderator):
    client.force_login(writer)
    edit(client, article, "action-submit", "Titre relu")
    state = current_state(article)
    assert state.current_task_state.task.name == REVIEW_TASK
    assert state.requested_by == writer
    assert live_title(article) == "Comprendre la clause"

    # A second writer proofreads; the page then waits for the moderators, not for writers.
    client.force_login(member("relecture", WRITERS))
    review = state.current_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", review.pk])
    )
    state.refresh_from_db()
    approval = state.current_task_state
    assert approval.task.name == APPROVAL_TASK
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", approval.pk])
    )
    assert response.status_code in (302, 403)  # the admin turns "permission denied" into a
    state.refresh_from_db()  # redirect with a message
    assert state.current_task_state == approval
    assert state.current_task_state.status == "in_progress"
    assert live_title(article) == "Comprendre la clause"

    client.force_login(moderator)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", approval.pk])
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert live_title(article) == "Titre relu"
    assert client.get("/fr/comprendre/").status_code == 200


def test_a_moderator_can_ask_for_changes_and_unpublish(client, article, writer, moderator):
    client.force_login(writer)
    edit(client, article, "action-submit", "Titre à revoir")
    state = current_state(article)
    client.force_login(moderator)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[article.pk, "reject", state.current_task_state.pk],
        ),
        {"comment": "Précisez la source des chiffres."},
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert live_title(article) == "Comprendre la clause"

    client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    assert not Page.objects.get(pk=article.pk).live
