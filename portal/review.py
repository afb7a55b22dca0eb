"""Nobody approves their own work: the rule of the review steps of the editorial workflow
(`portal.models.PeerApprovalTask`, used by *Relecture puis publication*).

- The *authors* of a page (or snippet) under review are the person who submitted it to the
  workflow and the person who saved its latest revision (someone who edits a page during its
  review has written what is approved).
- A member of the step's groups approves, or asks for changes on, what others wrote; on their
  own work the step offers them no action (they may still cancel their own submission, as in
  Wagtail).
- A superuser acts on every step, like Wagtail's own group approval, but not on their own work
  either, unless nobody else could: no other active member of the step's groups and no other
  active superuser (a one-person installation must not be stuck).
"""

from django.contrib.auth import get_user_model


def authors(obj):
    """The ids of the users who wrote what is under review in `obj`'s current workflow: the
    submitter and the author of its latest revision."""
    found = set()
    state = getattr(obj, "current_workflow_state", None)
    if state is not None and state.requested_by_id:
        found.add(state.requested_by_id)
    revision = obj.get_latest_revision() if hasattr(obj, "get_latest_revision") else None
    if revision is not None and revision.user_id:
        found.add(revision.user_id)
    return found


def someone_else_may_approve(groups, excluded):
    """Whether an active user outside `excluded` (ids) belongs to one of `groups` or is a
    superuser."""
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__in=groups))
        .exclude(pk__in=excluded)
        .exists()
    )


def may_review(user, obj, groups):
    """Whether `user` may approve or reject `obj` at a step approved by `groups`."""
    if not user.is_active:
        return False
    member = user.is_superuser or user.groups.filter(pk__in=[g.pk for g in groups]).exists()
    if not member:
        return False
    written_by = authors(obj)
    if user.pk not in written_by:
        return True
    return user.is_superuser and not someone_else_may_approve(groups, written_by)
