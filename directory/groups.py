"""The admin groups of the directory and the workflow of facilitators' proposals.

- *Coordinateurs*: people who keep the directory true (and follow the errors visitors
  report), and nothing else; what each member reaches is narrowed to its coordination's
  territory (`directory.scope`).
- *Facilitateurs*: a facilitator account edits its own record as a draft and submits it to the
  coordination of its territory (the workflow below); it cannot publish.
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
]
WORKFLOW = "Validation des fiches par la coordination"


def ensure_coordinators_group(**kwargs):
    """Create or refresh the groups and the workflow: admin access plus
    add/change/delete/publish/lock of the directory's snippets for coordinators; view/change
    (never publish) of facilitators for facilitator accounts. Runs after every `migrate`
    (idempotent)."""
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
    codenames += ["publish_facilitator", "lock_facilitator", "unlock_facilitator"]
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
            codename__in=["access_admin", "view_facilitator", "change_facilitator"],
        )
    )
    ensure_workflow()
    return group


def ensure_workflow():
    """The workflow of facilitator records: one `CoordinationApprovalTask`. Created once;
    an administrator may change it afterwards (it is then left alone)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

    from directory.models import CoordinationApprovalTask, Facilitator

    content_type = ContentType.objects.get_for_model(Facilitator)
    if WorkflowContentType.objects.filter(content_type=content_type).exists():
        return
    task = CoordinationApprovalTask.objects.order_by("pk").first()
    if task is None:
        task = CoordinationApprovalTask.objects.create(name="Validation par la coordination")
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.create(workflow=workflow, content_type=content_type)
