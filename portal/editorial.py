"""Editorial roles and the review workflow of the portal's pages.

- *Rédacteurs* write: they create and edit pages (and the images, documents and news
  categories pages use), translate pages and submit them for review; they cannot publish or
  unpublish.
- *Modérateurs* decide: they approve, publish, unpublish, lock and unlock pages; they may also
  delete images and documents.
- Every page goes through the workflow *Relecture puis publication*: a proofreading step
  (another rédacteur or a modérateur approves or asks for changes), then the modérateurs'
  approval, which publishes the page. Both steps are `PeerApprovalTask`s: nobody approves
  their own work (`portal.review`; a superuser acts on every step, but on their own work only
  when nobody else could).

Created by `ensure_editorial_roles` after every `migrate` (idempotent), on the root of the
page tree so that every language's home page and everything below it are covered.

Wagtail's own leftovers (the groups *Editors* and *Moderators*, the workflow *Moderators
approval*) are merged into the project's and removed by `retire_wagtail_defaults`, which runs
once every app's own `post_migrate` work is done (the directory assigns its workflow first).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

WRITERS = "Rédacteurs"
MODERATORS = "Modérateurs"
WORKFLOW = "Relecture puis publication"
REVIEW_TASK = "Relecture"
APPROVAL_TASK = "Validation et publication"

# What Wagtail's migrations create, and where their members go.
WAGTAIL_GROUPS = {"Editors": WRITERS, "Moderators": MODERATORS}
WAGTAIL_WORKFLOW = "Moderators approval"

WRITER_PAGE_PERMISSIONS = ["add", "change"]
MODERATOR_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
# Model permissions (app label, codename) besides the admin itself.
WRITER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    # "Traduire cette page": the translation is created as a draft (settings
    # WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE) and reviewed like any page.
    ("wagtail_localize", "submit_translation"),
    ("news", "view_newscategory"),
    ("news", "add_newscategory"),
    ("news", "change_newscategory"),
]
MODERATOR_PERMISSIONS = [*WRITER_PERMISSIONS, ("news", "delete_newscategory")]
# Images and documents, in the root collection. Wagtail checks them against its own models
# (wagtailimages.Image, wagtaildocs.Document: `permission_policy.auth_model`), whatever the
# project's document model.
WRITER_MEDIA_ACTIONS = ["add", "change", "choose"]
MODERATOR_MEDIA_ACTIONS = [*WRITER_MEDIA_ACTIONS, "delete"]


def _permissions(pairs):
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    query = Q(pk__in=[])
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def media_permissions(actions):
    """The image and document permissions of `actions` ("add", "change", "choose"…), on the
    models Wagtail's permission policies check."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents.permissions import permission_policy as documents
    from wagtail.images.permissions import permission_policy as images

    found = []
    for policy in (images, documents):
        model = policy.auth_model
        found += Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            codename__in=[f"{action}_{model._meta.model_name}" for action in actions],
        )
    return found


def _group(name, model_permissions, page_permissions, media_actions, root_page, root_collection):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.set(_permissions(model_permissions))
    wanted = Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=[f"{kind}_page" for kind in page_permissions],
    )
    GroupPagePermission.objects.filter(group=group, page=root_page).exclude(
        permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root_page, permission=permission
        )
    media = media_permissions(media_actions)
    GroupCollectionPermission.objects.filter(group=group, collection=root_collection).exclude(
        permission__in=media
    ).delete()
    for permission in media:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )
    return group


def _task(name, groups):
    """The `PeerApprovalTask` called `name`, approved by `groups`. A Wagtail group approval
    task of that name (what earlier versions installed) becomes one in place, keeping its id:
    the pages under review on it stay there, with their history."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Task

    from portal.models import PeerApprovalTask

    kinds = ContentType.objects.get_for_models(PeerApprovalTask, GroupApprovalTask).values()
    task = Task.objects.filter(name=name, content_type__in=kinds).order_by("pk").first()
    if task is None:
        task = PeerApprovalTask.objects.create(name=name)
    else:
        task = task.specific
        if not isinstance(task, PeerApprovalTask):
            task = _as_peer_approval(task)
    task.groups.set(groups)
    return task


def _as_peer_approval(task):
    from portal.models import PeerApprovalTask

    pk, name, active = task.pk, task.name, task.active
    task.delete(keep_parents=True)  # the group approval row only; the task row stays
    converted = PeerApprovalTask(task_ptr_id=pk, name=name, active=active)
    converted.save()
    return converted


@transaction.atomic
def ensure_editorial_roles(**kwargs):
    """Create or refresh the two groups, their permissions on the page tree, the two-step
    workflow and its assignment to the tree. Returns the workflow."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from wagtail.models import Collection, Page, Workflow, WorkflowPage, WorkflowTask

    # "news" migrates after "portal": make sure its permissions exist before giving them.
    create_permissions(
        apps.get_app_config("news"), verbosity=0, using=kwargs.get("using", "default")
    )
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if root_page is None or root_collection is None:
        return None
    writers = _group(
        WRITERS,
        WRITER_PERMISSIONS,
        WRITER_PAGE_PERMISSIONS,
        WRITER_MEDIA_ACTIONS,
        root_page,
        root_collection,
    )
    moderators = _group(
        MODERATORS,
        MODERATOR_PERMISSIONS,
        MODERATOR_PAGE_PERMISSIONS,
        MODERATOR_MEDIA_ACTIONS,
        root_page,
        root_collection,
    )
    review = _task(REVIEW_TASK, [writers, moderators])
    approval = _task(APPROVAL_TASK, [moderators])

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW)
    steps = list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    if steps != [review.pk, approval.pk]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate([review, approval]):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    # The tree gets this workflow unless someone chose another one in the admin (Wagtail's
    # own default is replaced by `retire_wagtail_defaults`).
    if not WorkflowPage.objects.filter(page=root_page).exists():
        WorkflowPage.objects.create(page=root_page, workflow=workflow)
    return workflow


def after_every_app(handler):
    """A `post_migrate` receiver running `handler` once per migrate, after every app's own
    receivers (Django signals each app in turn, in INSTALLED_APPS order)."""
    from django.apps import apps

    def receiver(sender, **kwargs):
        with_models = [config for config in apps.get_app_configs() if config.models_module]
        if with_models and sender is with_models[-1]:
            handler(**kwargs)

    receiver.__name__ = handler.__name__
    return receiver


@transaction.atomic
def retire_wagtail_defaults(**kwargs):
    """Merge Wagtail's default groups and workflow into the project's, then remove them.

    - The members of *Editors* join the rédacteurs, those of *Moderators* the modérateurs;
      both groups are deleted.
    - Pages assigned the workflow *Moderators approval* get *Relecture puis publication*;
      snippet types assigned it get the editorial workflow too (each app assigns its own
      first: the directory's records keep *Validation des fiches par la coordination*).
    - What was waiting for review in it is submitted again, by the same person, to the
      workflow that now applies; what was sent back for changes is cancelled (its author
      submits it again when ready).
    - The workflow and its task are deleted, or disabled when they have a history to keep.

    Idempotent: a second run finds nothing to do. Returns the number of things changed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow, WorkflowContentType, WorkflowPage, WorkflowState

    changed = 0
    for old_name, new_name in WAGTAIL_GROUPS.items():
        old = Group.objects.filter(name=old_name).first()
        if old is None:
            continue
        new, _created = Group.objects.get_or_create(name=new_name)
        for user in get_user_model().objects.filter(groups=old):
            user.groups.add(new)
        old.delete()
        changed += 1

    old_workflow = Workflow.objects.filter(name=WAGTAIL_WORKFLOW, active=True).first()
    if old_workflow is None:
        return changed
    editorial = Workflow.objects.filter(name=WORKFLOW).first() or ensure_editorial_roles(**kwargs)
    pending = []
    for state in WorkflowState.objects.filter(
        workflow=old_workflow,
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
    ).select_related("requested_by"):
        obj = state.content_object
        if obj is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            pending.append((obj, state.requested_by))
        if state.current_task_state_id is None:  # nothing to log: just close it
            WorkflowState.objects.filter(pk=state.pk).update(status=WorkflowState.STATUS_CANCELLED)
        else:
            state.cancel()
        changed += 1
    if editorial is not None:
        changed += WorkflowPage.objects.filter(workflow=old_workflow).update(workflow=editorial)
        changed += WorkflowContentType.objects.filter(workflow=old_workflow).update(
            workflow=editorial
        )
    for obj, requested_by in pending:
        workflow = obj.get_workflow()
        if workflow is not None and workflow.active:
            workflow.start(obj, requested_by)
        else:
            logger.warning("%r was submitted to %s and is no longer", obj, WAGTAIL_WORKFLOW)
    _remove(old_workflow)
    return changed + 1


def _remove(workflow):
    """Delete `workflow` and its tasks used nowhere else; keep them, disabled, when they
    hold a history (past reviews)."""
    from wagtail.models import TaskState, WorkflowState

    tasks = [item.task.specific for item in workflow.workflow_tasks.select_related("task")]
    if WorkflowState.objects.filter(workflow=workflow).exists():
        workflow.deactivate()
    else:
        workflow.delete()
    for task in tasks:
        if task.workflow_tasks.exists():
            continue
        if TaskState.objects.filter(task=task).exists():
            task.deactivate()
        else:
            task.delete()
