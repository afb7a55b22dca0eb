"""Keep `DirectoryChange` true: any write to what the public map shows records a change."""

from django.db.models.signals import post_delete, post_save

from directory.models import (
    AuthorityPerimeter,
    ContractingAuthority,
    DirectoryChange,
    Facilitator,
    FacilitatorTerritory,
    LeadDesignation,
    Structure,
)

WATCHED = [
    Facilitator,  # saved on publish and unpublish too
    FacilitatorTerritory,
    LeadDesignation,
    Structure,
    ContractingAuthority,
    AuthorityPerimeter,
]


def directory_changed(sender, raw=False, **kwargs):
    if not raw:  # loading fixtures
        DirectoryChange.touch()


def connect():
    for model in WATCHED:
        post_save.connect(directory_changed, sender=model, dispatch_uid=f"change-{model.__name__}")
        post_delete.connect(
            directory_changed, sender=model, dispatch_uid=f"change-del-{model.__name__}"
        )
