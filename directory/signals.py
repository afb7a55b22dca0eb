"""Keep `DirectoryChange` true: it moves when what the public sees changes, and only then.

The public sees live facilitators (with their coverage), and every structure, contracting
authority (with its perimeter) and lead designation. So:

- a facilitator changes the directory when it is published (saved live), unpublished
  (Wagtail's `unpublished` signal), deleted while live, or saved live directly (an import, the
  shell). Wagtail's own bookkeeping saves (`save_revision()` of a draft, locking and
  unlocking, workflow locks) write only its bookkeeping fields with `update_fields`: they leave
  the version alone, as does any save of a record that is not live;
- a facilitator's coverage changes the directory when that facilitator is live;
- the plain models (structures, authorities and perimeters, lead designations, named
  perimeters and their members) change it on
  every save and delete, except a save of Wagtail's revision bookkeeping only.

And the coordination is told when a facilitator submits a change of its record
(`proposal_submitted`); the facilitator is told of the decision by the task itself
(`CoordinationApprovalTask.on_action`), so Wagtail's generic decision e-mail is not sent for
these (`unless_reviewed_by_coordination`).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin
from wagtail.signals import task_submitted, unpublished

from directory.models import (
    AuthorityPerimeter,
    ContractingAuthority,
    Coordination,
    DirectoryChange,
    Facilitator,
    FacilitatorTerritory,
    LeadDesignation,
    NamedPerimeter,
    PerimeterMember,
    Structure,
)
from portal import pagecache

# Always public when saved.
PLAIN = [
    LeadDesignation,
    Structure,
    ContractingAuthority,
    AuthorityPerimeter,
    NamedPerimeter,
    PerimeterMember,
]

# Fields Wagtail's mixins write for themselves (revisions, drafts, locks, schedules): a save of
# these alone changes nothing the public sees. `live` is the one that does.
BOOKKEEPING = frozenset(
    field.name
    for mixin in (DraftStateMixin, LockableMixin, RevisionMixin)
    for field in mixin._meta.local_fields
) - {"live"}


def directory_changed():
    """What the public sees of the directory changed: move its version (map layers, HTTP
    validators) and forget every cached page (commune pages, the finder, figures on the home
    page). The page cache is purged now and again when the transaction commits, so that no
    page rendered from the old data in between stays cached."""
    DirectoryChange.touch()
    pagecache.purge()
    transaction.on_commit(pagecache.purge)


def page_cache_purge(sender, **kwargs):
    pagecache.purge()
    transaction.on_commit(pagecache.purge)


def _bookkeeping_only(update_fields):
    return update_fields is not None and set(update_fields) <= BOOKKEEPING


def _live(facilitator_ids):
    return Facilitator.objects.filter(pk__in=facilitator_ids, live=True).exists()


def plain_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and not _bookkeeping_only(update_fields):  # raw: loading fixtures
        directory_changed()


def plain_deleted(sender, instance, **kwargs):
    directory_changed()


def facilitator_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """Publishing saves the record live; saving a draft or a lock writes bookkeeping only."""
    if not raw and instance.live and not _bookkeeping_only(update_fields):
        directory_changed()


def facilitator_unpublished(sender, instance, **kwargs):
    directory_changed()


def facilitator_deleted(sender, instance, **kwargs):
    if instance.live:
        directory_changed()


def coverage_item_changed(sender, instance, raw=False, **kwargs):
    """A coverage row saved or deleted (the parent saved with its children, or alone)."""
    if not raw and _live([instance.facilitator_id]):
        directory_changed()


def coverage_set(sender, instance, action, reverse, pk_set, **kwargs):
    """`facilitator.coverage.add/remove/set/clear()` (and the reverse, from a territory)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # Reverse: instance is a territory, pk_set its facilitators (None when cleared).
    if (pk_set is None or _live(pk_set)) if reverse else instance.live:
        directory_changed()


def perimeter_set(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        directory_changed()


def proposal_submitted(sender, instance, user=None, **kwargs):
    """E-mail the closest coordination(s) of the record (their address and members) that a
    change waits for their approval, with what it changes (`review.notify_submitted`)."""
    from directory import review, scope
    from directory.models import CoordinationApprovalTask

    if not isinstance(instance.task.specific, CoordinationApprovalTask):
        return
    record = instance.workflow_state.content_object
    addresses = scope.coordination_addresses(scope.closest_coordinations(record))
    if addresses:
        review.notify_submitted(record, user, addresses)


def unless_reviewed_by_coordination(notifier):
    """Wagtail's e-mail of a workflow's approval or rejection, except for the decisions of a
    coordination: their e-mail (`review.notify_decision`, sent by the task) says who decided,
    the comment and what changed, and the facilitator gets one message, not two."""

    def notify(sender, instance, **kwargs):
        from directory import review

        if review.reviewed_by_coordination(instance):
            return None
        return notifier(sender=sender, instance=instance, **kwargs)

    return notify


def _replace_wagtail_decision_emails():
    from wagtail.admin import signal_handlers as wagtail_mail
    from wagtail.models import WorkflowState
    from wagtail.signals import workflow_approved, workflow_rejected

    for signal, notifier, uid in (
        (
            workflow_approved,
            wagtail_mail.workflow_approval_email_notifier,
            "workflow_state_approved_email_notification",
        ),
        (
            workflow_rejected,
            wagtail_mail.workflow_rejection_email_notifier,
            "workflow_state_rejected_email_notification",
        ),
    ):
        # Same dispatch_uid as Wagtail's handler (wagtail.admin.signal_handlers), which
        # `wagtail.admin` connected before this app was ready.
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(
            unless_reviewed_by_coordination(notifier), sender=WorkflowState, dispatch_uid=uid
        )


def connect():
    for model in PLAIN:
        name = model.__name__
        post_save.connect(plain_saved, sender=model, dispatch_uid=f"change-{name}")
        post_delete.connect(plain_deleted, sender=model, dispatch_uid=f"change-del-{name}")
    post_save.connect(facilitator_saved, sender=Facilitator, dispatch_uid="change-Facilitator")
    post_delete.connect(
        facilitator_deleted, sender=Facilitator, dispatch_uid="change-del-Facilitator"
    )
    unpublished.connect(
        facilitator_unpublished, sender=Facilitator, dispatch_uid="change-unpub-Facilitator"
    )
    for signal, uid in ((post_save, "change"), (post_delete, "change-del")):
        signal.connect(
            coverage_item_changed,
            sender=FacilitatorTerritory,
            dispatch_uid=f"{uid}-FacilitatorTerritory",
        )
    m2m_changed.connect(
        coverage_set, sender=Facilitator.coverage.through, dispatch_uid="change-m2m-coverage"
    )
    m2m_changed.connect(
        perimeter_set,
        sender=ContractingAuthority.lead_perimeter.through,
        dispatch_uid="change-m2m-perimeter",
    )
    # Coordinations are shown beside answers but are not the directory's version: they only
    # purge the page cache (and what it remembers, see `coverage.coordination_for`).
    for signal, uid in ((post_save, "pagecache"), (post_delete, "pagecache-del")):
        signal.connect(page_cache_purge, sender=Coordination, dispatch_uid=f"{uid}-Coordination")
    m2m_changed.connect(
        page_cache_purge,
        sender=Coordination.territories.through,
        dispatch_uid="pagecache-m2m-coordination",
    )
    task_submitted.connect(proposal_submitted, dispatch_uid="directory-proposal-submitted")
    _replace_wagtail_decision_emails()
