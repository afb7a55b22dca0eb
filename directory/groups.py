"""The "Coordinateurs" group: people who keep the directory true, and nothing else."""

COORDINATORS = "Coordinateurs"
DIRECTORY_MODELS = [
    "structure",
    "facilitator",
    "contractingauthority",
    "leaddesignation",
    "namedperimeter",
    "territorychange",
]


def ensure_coordinators_group(**kwargs):
    """Create or refresh the group: admin access plus add/change/delete/publish/lock of the
    directory's snippets. Runs after every `migrate` (idempotent)."""
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
    permissions = Permission.objects.filter(
        content_type__app_label__in=["directory", "wagtailadmin"], codename__in=codenames
    )
    group.permissions.set(permissions)
    return group
