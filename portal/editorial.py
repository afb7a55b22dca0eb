"""Editorial roles and the review workflow of the portal's pages.

- *Rédacteurs* write: they create and edit pages (and the images, documents and news
  categories pages use) and submit them for review; they cannot publish or unpublish.
- *Modérateurs* decide: they approve, publish, unpublish, lock and unlock pages.
- Every page goes through the workflow *Relecture puis publication*: a proofreading step
  (another rédacteur or a modérateur approves or asks for changes), then the modérateurs'
  approval, which publishes the page. Superusers can act on every step.

Created by `ensure_editorial_roles` after every `migrate` (idempotent), on the root of the
page tree so that every language's home page and everything below it are covered. Both groups
may also add, edit and choose images and documents.
"""

from django.db import transaction

WRITERS = "Rédacteurs"
MODERATORS = "Modérateurs"
WORKFLOW = "Relecture puis publication"
REVIEW_TASK = "Relecture"
APPROVAL_TASK = "Validation et publication"

WRITER_PAGE_PERMISSIONS = ["add", "change"]
MODERATOR_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
# Model permissions (app label, codename) besides the admin itself.
WRITER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("news", "view_newscategory"),
    ("news", "add_newscategory"),
    ("news", "change_newscategory"),
]
MODERATOR_PERMISSIONS = [*WRITER_PERMISSIONS, ("news", "delete_newscategory")]


def _permissions(pairs):
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    query = Q(pk__in=[])
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def _group(name, model_permissions, page_permissions, root_page, root_collection):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
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
    for model, chooser in ((get_image_model(), "image"), (get_document_model(), "document")):
        name = model._meta.model_name
        codenames = [f"add_{name}", f"change_{name}", f"choose_{chooser}"]
        for permission in Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(model), codename__in=codenames
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    return group


def _task(name, groups):
    from wagtail.models import GroupApprovalTask

    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
    task.groups.set(groups)
    return task


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
        WRITERS, WRITER_PERMISSIONS, WRITER_PAGE_PERMISSIONS, root_page, root_collection
    )
    moderators = _group(
        MODERATORS, MODERATOR_PERMISSIONS, MODERATOR_PAGE_PERMISSIONS, root_page, root_collection
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
    # own default, "Moderators approval", is replaced).
    assignment = WorkflowPage.objects.filter(page=root_page).select_related("workflow").first()
    if assignment is None:
        WorkflowPage.objects.create(page=root_page, workflow=workflow)
    elif assignment.workflow.name == "Moderators approval":
        assignment.workflow = workflow
        assignment.save()
    return workflow
