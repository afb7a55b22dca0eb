"""The admin account of a facilitator record ("compte d'administration"), set from the team
screen. The record keeps revisions: the account is written to the live row and to its latest
revision, so that publishing a pending draft (or a proposal the coordination approves) keeps
it instead of bringing back the old value."""

from django.db import transaction

from directory.models import Facilitator


@transaction.atomic
def set_account(facilitator, user):
    """Make `user` (or None) the account of `facilitator`; an account linked to another record
    is taken off it first (an account follows one record)."""
    account_id = user.pk if user is not None else None
    if account_id is not None:
        for other in Facilitator.objects.filter(user_id=account_id).exclude(pk=facilitator.pk):
            _write(other, None)
    _write(facilitator, account_id)
    facilitator.user_id = account_id


def _write(facilitator, account_id):
    Facilitator.objects.filter(pk=facilitator.pk).update(user_id=account_id)
    revision = facilitator.latest_revision
    if revision is not None and revision.content.get("user") != account_id:
        revision.content["user"] = account_id
        revision.save(update_fields=["content"])
