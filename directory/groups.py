"""The admin groups of the directory and the workflow of facilitators' proposals.

- *Coordinateurs*: people who keep the directory true (and follow the errors visitors
  report), and nothing else; what each member reaches is narrowed to its coordination's
  territory (`directory.scope`).
- *Facilitateurs*: a facilitator account edits its own record and its structure's as drafts
  and submits them to the coordination of its territory (the workflow below); it cannot
  publish. It records its own absences directly (no approval: an absence changes nothing
  public). It may choose and upload images (its structure's logo).
"""

COORDINATORS = "Coordinateurs"
FACILITATORS = "Facilitateurs"
DIRECTORY_MODELS = [
    "structure",
    "facilitator",
    "contractingauthority",
    "leaddesignation",
    "namedperimeter",
    "territorychange",
    "absence",
]
WORKFLOW = "Validation des fiches par la coordination"


def ensure_coordinators_group(**kwargs):
    """Create or refresh the groups and the workflow: admin access plus
    add/change/delete/publish/lock of the directory's snippets for coordinators; view/change
    (never publish) of facilitators for facilitator accounts, and their absences. Runs after
    every `migrate` (idempotent)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from wagtail.snippets.models import create_extra_permissions

    # Wagtail adds the publish/lock permissions of snippets after "directory" has migrated:
    # make sure they exist before giving them.
    create_extra_permissions(
        apps.get_app_config("wagtailsnippets"), using=kwargs.get("using", "default")
    )
    group, _created = Group.objects.get_or_create(name=COORDINATORS)
    codenames = ["access_admin"]
    for model in DIRECTORY_MODELS:
        codenames += [f"{action}_{model}" for action in ("add", "change", "delete", "view")]
    for model in ("facilitator", "structure"):
        codenames += [f"{action}_{model}" for action in ("publish", "lock", "unlock")]
    # Error reports come from the public form: followed and deleted, never added.
    codenames += ["view_errorreport", "change_errorreport", "delete_errorreport"]
    permissions = Permission.objects.filter(
        content_type__app_label__in=["directory", "wagtailadmin"], codename__in=codenames
    )
    group.permissions.set(permissions)

    facilitators, _created = Group.objects.get_or_create(name=FACILITATORS)
    facilitators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["directory", "wagtailadmin"],
            codename__in=[
                "access_admin",
                "view_facilitator",
                "change_facilitator",
                "view_structure",
                "change_structure",
                "view_absence",
                "add_absence",
                "change_absence",
                "delete_absence",
            ],
        )
    )
    _allow_images(facilitators)
    ensure_workflow()
    return group


def _allow_images(group):
    """Choose and upload images in the root collection (a structure's logo)."""
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for codename in ("add_image", "choose_image"):
        permission = Permission.objects.filter(
            content_type__app_label="wagtailimages", codename=codename
        ).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


# Created by Wagtail's migrations; never a choice of the portal's administrators.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def ensure_workflow():
    """The workflow of facilitator records and of structures: one `CoordinationApprovalTask`.
    Assigned once per model; an administrator may change it afterwards (it is then left
    alone). Wagtail's own default workflow is not such a choice: it is replaced."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowContentType

    from directory.models import Facilitator, Structure

    workflow = None
    for model in (Facilitator, Structure):
        content_type = ContentType.objects.get_for_model(model)
        assigned = (
            WorkflowContentType.objects.filter(content_type=content_type)
            .select_related("workflow")
            .first()
        )
        if assigned is not None and assigned.workflow.name != WAGTAIL_DEFAULT_WORKFLOW:
            continue
        if workflow is None:
            workflow = _workflow()
        if assigned is None:
            WorkflowContentType.objects.create(workflow=workflow, content_type=content_type)
        else:
            assigned.workflow = workflow
            assigned.save(update_fields=["workflow"])


def _workflow():
    """The facilitators' workflow if it is assigned, else the one named `WORKFLOW` (created
    with its task when missing)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

    from directory.models import CoordinationApprovalTask, Facilitator

    assigned = (
        WorkflowContentType.objects.filter(
            content_type=ContentType.objects.get_for_model(Facilitator)
        )
        .exclude(workflow__name=WAGTAIL_DEFAULT_WORKFLOW)
        .first()
    )
    if assigned is not None:
        return assigned.workflow
    task = CoordinationApprovalTask.objects.order_by("pk").first()
    if task is None:
        task = CoordinationApprovalTask.objects.create(name="Validation par la coordination")
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow
