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


def approve(client, page, task_state):
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    )


def test_nobody_approves_their_own_submission(client, article, writer, moderator):
    client.force_login(writer)
    edit(client, article, "action-submit", "Titre relu par une autre")
    state = current_state(article)
    review = state.current_task_state

    # The author sees no approval action, and a forged one changes nothing.
    form = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'data-workflow-action-name="approve"' not in form
    assert not review.task.specific.get_task_states_user_can_moderate(writer).exists()
    approve(client, article, review)
    review.refresh_from_db()
    assert review.status == "in_progress"

    # Another rédacteur proofreads; the page then waits for a modérateur.
    colleague = member("relecture", WRITERS)
    client.force_login(colleague)
    assert review.task.specific.get_task_states_user_can_moderate(colleague).exists()
    form = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'data-workflow-action-name="approve"' in form
    approve(client, article, review)
    state.refresh_from_db()
    assert state.current_task_state.task.name == APPROVAL_TASK


def test_a_moderator_proofreads_but_not_what_they_last_edited(client, article, writer, moderator):
    client.force_login(writer)
    edit(client, article, "action-submit", "Titre à relire")
    state = current_state(article)
    review = state.current_task_state
    # The modérateur edits the page under review: now they wrote its latest version.
    client.force_login(moderator)
    edit(client, article, "action-save", "Titre corrigé par la modération")
    approve(client, article, review)
    review.refresh_from_db()
    assert review.status == "in_progress"
    # A second modérateur approves both steps.
    client.force_login(member("moderation2", MODERATORS))
    approve(client, article, review)
    state.refresh_from_db()
    approve(client, article, state.current_task_state)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert live_title(article) == "Titre corrigé par la modération"


def test_a_superuser_approves_others_and_their_own_only_when_alone(client, article, writer):
    boss = get_user_model().objects.create_superuser("direction", "direction@example.org", "x")
    client.force_login(boss)
    edit(client, article, "action-submit", "Titre de la direction")
    state = current_state(article)
    review = state.current_task_state
    approve(client, article, review)  # the rédacteur could proofread it
    review.refresh_from_db()
    assert review.status == "in_progress"

    writer.is_active = False  # nobody else left: the superuser is not stuck
    writer.save()
    approve(client, article, review)
    review.refresh_from_db()
    assert review.status == "approved"


def test_wagtail_leftover_groups_and_workflow_are_merged_into_the_project_ones(
    client, article, moderator
):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

    from directory.models import Facilitator
    from news.models import NewsCategory
    from portal.editorial import retire_wagtail_defaults

    # What Wagtail's migrations create, as an older database may still hold it.
    editors = Group.objects.create(name="Editors")
    old_moderators = Group.objects.create(name="Moderators")
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=editors,
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(codename=codename),
        )
    claire = get_user_model().objects.create_user("claire", "claire@example.org", "x")
    claire.groups.add(editors)
    old = Workflow.objects.create(name="Moderators approval")
    old_task = GroupApprovalTask.objects.create(name="Moderators approval")
    old_task.groups.set([old_moderators])
    WorkflowTask.objects.create(workflow=old, task=old_task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=article, defaults={"workflow": old})
    for model in (Facilitator, NewsCategory):
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": old}
        )
    client.force_login(claire)
    edit(client, article, "action-submit", "Titre soumis à l'ancien workflow")
    assert current_state(article).workflow == old

    from directory.groups import ensure_workflow

    ensure_workflow()  # the directory's post_migrate work, which runs before the retirement
    assert retire_wagtail_defaults() > 0
    assert set(Group.objects.values_list("name", flat=True)) == {
        WRITERS,
        MODERATORS,
        "Coordinateurs",
        "Facilitateurs",
    }
    assert claire.groups.filter(name=WRITERS).exists()
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert WorkflowPage.objects.get(page=article).workflow.name == WORKFLOW
    workflows = {
        model: WorkflowContentType.objects.get(
            content_type=ContentType.objects.get_for_model(model)
        ).workflow.name
        for model in (Facilitator, NewsCategory)
    }
    assert workflows == {
        Facilitator: "Validation des fiches par la coordination",
        NewsCategory: WORKFLOW,
    }
    # The page waiting for review waits in the editorial workflow, submitted by the same person.
    state = current_state(article)
    assert state.workflow.name == WORKFLOW and state.requested_by == claire
    assert state.current_task_state.task.name == REVIEW_TASK
    assert retire_wagtail_defaults() == 0  # a second migrate changes nothing


def test_review_tasks_of_an_older_installation_become_peer_approval_tasks(client, article, writer):
    from wagtail.models import GroupApprovalTask, Task

    from portal.models import PeerApprovalTask

    # An older version installed Wagtail's group approval under the same names.
    workflow = ensure_editorial_roles()
    for task in Task.objects.filter(name__in=[REVIEW_TASK, APPROVAL_TASK]):
        specific = task.specific
        groups = list(specific.groups.all())
        pk, name = task.pk, task.name
        specific.delete(keep_parents=True)
        legacy = GroupApprovalTask(task_ptr_id=pk, name=name)
        legacy.save()
        legacy.groups.set(groups)
    client.force_login(writer)
    edit(client, article, "action-submit", "Titre en relecture")
    review = current_state(article).current_task_state
    assert type(review.task.specific) is GroupApprovalTask

    ensure_editorial_roles()
    review.refresh_from_db()
    assert type(review.task.specific) is PeerApprovalTask  # the same task, kept in place
    assert review.status == "in_progress"
    assert [t.task.specific_class for t in workflow.workflow_tasks.all()] == [
        PeerApprovalTask,
        PeerApprovalTask,
    ]
    assert not review.task.specific.get_actions(article, writer)  # the author's own
