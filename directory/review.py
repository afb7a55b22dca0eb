"""The review of a facilitator's proposal by its coordination (docs/domain.md, "Coordinations").

A facilitator account proposes a change of its record or of its structure's page: a new
revision, submitted to the workflow `CoordinationApprovalTask`; the coordination approves it
(the latest revision is published) or rejects it with a comment. This module answers, in
one place, what the reviewer and the facilitator are told:

- `proposal(record)`: what the proposal changes against the live record, field by field
  (old → new, labels and values as a person reads them) and, for a facilitator, the
  territories it adds to or removes from the coverage. The "Fiche à valider" e-mail, the
  review screen and the decision e-mail all show this one answer;
- `status(record)`: the state of a record in the listing (à valider, refusée, brouillon,
  publiée…), and `with_status(queryset, status)` the records in that state;
- `claim(task_state)`: a decision takes the task state under a lock, so that two decisions
  on one proposal (a double click, a stale tab, an autosave racing the buttons) give one
  decision and a clear message, never an error;
- `notify_submitted` / `notify_decision`: the e-mails of the proposal and of its decision.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Prefetch
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TaskState,
    WorkflowState,
)
from wagtail.utils.text import text_from_html

from directory.models import Territory

# Wagtail's own fields (drafts, schedules, locks, revisions): never part of a proposal.
BOOKKEEPING = frozenset(
    mixin_field.name
    for mixin in (DraftStateMixin, LockableMixin, RevisionMixin)
    for mixin_field in mixin._meta.local_fields
)
# Long texts (a structure's presentation) are cut in the summaries.
LONG_TEXT = 300
# The listing names this many territories of a coverage, then "+ n autres".
SHOWN_TERRITORIES = 2


# -- What a proposal changes ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of the record: its label, the live value and the proposed one (text, or a
    date the templates write in full; "" when empty)."""

    label: str
    old: object
    new: object


@dataclass(frozen=True)
class Proposal:
    """What the latest revision of a record changes against its live version.

    `status`: "new" (the record is not published: everything it holds will be), "changed",
    or "unchanged" (nothing differs from the live record)."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"

    status: str
    record: object
    changes: tuple = ()
    added: tuple = ()  # territories added to the coverage
    removed: tuple = ()  # territories removed from it

    @property
    def is_new(self):
        return self.status == self.NEW

    @property
    def has_changes(self):
        return self.status != self.UNCHANGED

    @property
    def added_labels(self):
        return [territory_label(territory) for territory in self.added]

    @property
    def removed_labels(self):
        return [territory_label(territory) for territory in self.removed]


def proposal(record):
    """What the proposal waiting on `record` (a facilitator or a structure) changes: its
    latest revision against the live record, as Wagtail's "compare with live" view reads
    them (`wagtail.admin.compare`). A record that is not published has no live version:
    every field holding a value, and every territory of its coverage, is new."""
    model = type(record)
    live = model._default_manager.filter(pk=record.pk).first()
    if live is None:
        return Proposal(Proposal.UNCHANGED, record)
    proposed = live.get_latest_revision_as_object() if live.latest_revision_id else live
    baseline = live if live.live else None

    changes = []
    for db_field in compared_fields(model):
        new = display_value(db_field, proposed)
        if baseline is None:
            if new not in ("", None):
                changes.append(FieldChange(capfirst(db_field.verbose_name), "", new))
            continue
        comparison = FieldPanel(db_field.name).bind_to_model(model).get_comparison_class()
        compared = comparison(db_field, baseline, proposed)
        if compared.has_changed():
            old = display_value(db_field, baseline)
            if old != new:  # rich text rewritten the same way is no change to a reader
                changes.append(FieldChange(str(compared.field_label()), old, new))

    added, removed = (), ()
    if hasattr(proposed, "coverage_items"):
        before = coverage_ids(baseline) if baseline is not None else []
        after = coverage_ids(proposed)
        added_ids = [pk for pk in after if pk not in before]
        removed_ids = [pk for pk in before if pk not in after]
        found = Territory.objects.in_bulk(added_ids + removed_ids)
        added = tuple(found[pk] for pk in added_ids if pk in found)
        removed = tuple(found[pk] for pk in removed_ids if pk in found)

    if baseline is None:
        status = Proposal.NEW
    elif changes or added or removed:
        status = Proposal.CHANGED
    else:
        status = Proposal.UNCHANGED
    return Proposal(status, live, tuple(changes), added, removed)


def compared_fields(model):
    """The fields of `model` a proposal may change, in the model's order: its own editable
    fields, not Wagtail's bookkeeping. (The coverage, a child relation, is compared apart.)"""
    return [
        db_field
        for db_field in model._meta.concrete_fields
        if db_field.editable
        and not db_field.primary_key
        and db_field.name not in BOOKKEEPING
        and db_field.name != "live"
    ]


def display_value(db_field, obj):
    """The value of `db_field` on `obj` as a person reads it: a choice's label, a related
    record's name (an account's full name), rich text as plain text, a long text cut; a
    date stays a date (the templates write it in French). "" when empty."""
    value = db_field.value_from_object(obj)
    if value is None or value == "":
        return ""
    if db_field.choices:
        return str(dict(db_field.flatchoices).get(value, value))
    if db_field.is_relation:
        try:
            related = getattr(obj, db_field.name)
        except db_field.related_model.DoesNotExist:
            return ""
        if related is None:
            return ""
        if hasattr(related, "get_full_name") and hasattr(related, "get_username"):
            return related.get_full_name() or related.get_username()
        return str(related)
    if isinstance(value, datetime.date):
        return value
    if isinstance(db_field, RichTextField):
        value = text_from_html(value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return Truncator(" ".join(str(value).split())).chars(LONG_TEXT)


def coverage_ids(facilitator):
    """The territory ids of a facilitator's coverage (live rows or a revision's), in order."""
    return [item.territory_id for item in facilitator.coverage_items.all()]


def territory_label(territory):
    """A territory by name and kind: "Châteaurenard (commune 13027)", "CA Arles-Crau-Camargue
    (EPCI 241300417)", "Pays d'Aix (périmètre nommé)"."""
    kind = str(territory.get_kind_display())
    if not kind.isupper():  # "commune", "département", but "EPCI"
        kind = kind.lower()
    if territory.kind == Territory.Kind.PERIMETER:
        return f"{territory.name} ({kind})"
    return f"{territory.name} ({kind} {territory.code})"


# -- The state of a record, in the listing -----------------------------------------------------


class Status(models.TextChoices):
    """Where a record stands, from its workflow and its draft state (one state at a time, in
    this order of precedence)."""

    TO_REVIEW = "a-valider", gettext_lazy("À valider")
    REJECTED = "refusee", gettext_lazy("Refusée, à corriger")
    DRAFT = "brouillon", gettext_lazy("Brouillon")
    CHANGED = "publiee-brouillon", gettext_lazy("Publiée, brouillon en cours")
    PUBLISHED = "publiee", gettext_lazy("Publiée")


def status(record):
    """The `Status` of a facilitator or a structure: awaiting its coordination (a workflow
    task in progress), rejected (to correct and submit again), a draft never or no longer
    published, published with a draft saved since, or published. Reads the workflow states
    prefetched by `with_review_state` when there are."""
    state = record.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return Status.TO_REVIEW
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Status.REJECTED
    if not record.live:
        return Status.DRAFT
    if record.has_unpublished_changes:
        return Status.CHANGED
    return Status.PUBLISHED


def _workflow_states(model, state):
    return WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(model),
        object_id=Cast(OuterRef("pk"), CharField()),
        status=state,
    )


def with_status(queryset, wanted):
    """The records of `queryset` whose `status()` is `wanted` (one query, no loop)."""
    model = queryset.model
    in_review = Exists(_workflow_states(model, WorkflowState.STATUS_IN_PROGRESS))
    rejected = Exists(_workflow_states(model, WorkflowState.STATUS_NEEDS_CHANGES))
    if wanted == Status.TO_REVIEW:
        return queryset.filter(in_review)
    if wanted == Status.REJECTED:
        return queryset.filter(rejected)
    settled = queryset.filter(~in_review, ~rejected)
    if wanted == Status.DRAFT:
        return settled.filter(live=False)
    if wanted == Status.CHANGED:
        return settled.filter(live=True, has_unpublished_changes=True)
    if wanted == Status.PUBLISHED:
        return settled.filter(live=True, has_unpublished_changes=False)
    return queryset


def with_review_state(queryset):
    """`queryset` with what `status()` and `coverage_summary()` read prefetched: the active
    workflow states (as Wagtail's page listings do) and, for facilitators, the coverage with
    its territories — so that a listing makes the same few queries whatever its length."""
    queryset = queryset.prefetch_related(
        Prefetch(
            "_workflow_states",
            queryset=WorkflowState.objects.active().select_related("current_task_state"),
            to_attr="_current_workflow_states",
        )
    )
    if hasattr(queryset.model, "coverage_items"):
        queryset = queryset.prefetch_related("coverage_items__territory")
    return queryset


def coverage_summary(facilitator, shown=SHOWN_TERRITORIES):
    """A facilitator's coverage in a few words: its first territories, then "+ n autres"."""
    names = [item.territory.name for item in facilitator.coverage_items.all()]
    if not names:
        return ""
    text = ", ".join(names[:shown])
    rest = len(names) - shown
    if rest > 0:
        text += " " + ngettext("+ %(count)s autre", "+ %(count)s autres", rest) % {"count": rest}
    return text


# -- Decisions ----------------------------------------------------------------------------------


class AlreadyDecided(PermissionDenied):
    """The proposal was decided (or withdrawn) meanwhile: nothing is done twice. Views show
    `message` and go on; any other caller gets a 403, never an error."""

    def __init__(self, task_state=None):
        self.task_state = task_state
        self.message = already_decided_message(task_state)
        super().__init__(self.message)


def already_decided_message(task_state):
    """What a reviewer is told when the proposal they act on was decided meanwhile."""
    if task_state is None or task_state.finished_by is None:
        return _(
            "Cette proposition n'attend plus de décision (elle a été traitée ou retirée "
            "entre-temps) : rien n'a été modifié."
        )
    who = task_state.finished_by.get_full_name() or task_state.finished_by.get_username()
    if task_state.status == TaskState.STATUS_APPROVED:
        return _("Cette proposition a déjà été approuvée par %(name)s : rien n'a été modifié.") % {
            "name": who
        }
    if task_state.status == TaskState.STATUS_REJECTED:
        return _("Cette proposition a déjà été refusée par %(name)s : rien n'a été modifié.") % {
            "name": who
        }
    return _(
        "Cette proposition n'attend plus de décision (elle a été traitée ou retirée "
        "entre-temps) : rien n'a été modifié."
    )


def claim(task_state):
    """Take `task_state` for a decision: its row locked until the transaction ends (a second
    decision waits, then finds it decided), returned fresh. Raises `AlreadyDecided` when it
    no longer awaits a decision. Call inside a transaction."""
    # No join here: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    fresh = TaskState.objects.select_for_update().filter(pk=getattr(task_state, "pk", None)).first()
    if fresh is None or fresh.status != TaskState.STATUS_IN_PROGRESS:
        raise AlreadyDecided(fresh)
    return fresh.specific


def claim_current(record):
    """`claim` the task of `record`'s workflow in progress; `AlreadyDecided` (naming the last
    decision) if there is none any more."""
    states = task_states_of(record).select_related("finished_by").order_by("-started_at")
    current = states.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
    ).first()
    if current is None:
        raise AlreadyDecided(states.first())
    return claim(current)


def task_states_of(record):
    """The task states of `record`'s workflows (a decision names one of these)."""
    return TaskState.objects.filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(type(record)),
        workflow_state__object_id=str(record.pk),
    )


# -- E-mails ---------------------------------------------------------------------------------


def admin_url(record):
    """The record's edit view in the admin: the review screen while a proposal waits."""
    meta = record._meta
    path = reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[record.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def is_structure(record):
    return record._meta.model_name == "structure"


def notify_submitted(record, user, addresses):
    """E-mail `addresses` (the coordination's) that `record` has a change to review: who
    proposes it, what it changes (old → new, coverage added and removed) and the link to the
    review screen."""
    with translation.override("fr"):
        send_mail(
            _("Fiche à valider : %(name)s") % {"name": record},
            render_to_string(
                "directory/email/proposal_submitted.txt",
                {
                    "record": record,
                    "is_structure": is_structure(record),
                    "user": user,
                    "proposal": proposal(record),
                    "url": admin_url(record),
                },
            ),
            None,
            addresses,
        )


@dataclass(frozen=True)
class Decision:
    """A coordination's decision on a proposal, as the facilitator is told of it."""

    record: object
    approved: bool
    published: bool  # approved and the workflow finished: the change is public
    decided_by: str  # "Dominique Exemple (Coordination des Bouches-du-Rhône)"
    decided_at: datetime.datetime
    comment: str
    proposal: Proposal
    recipients: list = field(default_factory=list)


def decider_label(user, record):
    """Who decided, with the coordination they decided for: the closest of the record's
    coordinations they belong to (a superuser outside them: the portal's administration)."""
    from directory import scope
    from directory.models import Coordination

    name = user.get_full_name() or user.get_username()
    theirs = [
        coordination
        for coordination in scope.coordinations_of(record)
        if coordination.members.filter(pk=user.pk).exists()
    ]
    closest_first = Coordination.Kind.values  # departmental, regional, national
    theirs.sort(key=lambda coordination: closest_first.index(coordination.kind))
    where = theirs[0].name if theirs else _("administration du portail")
    return f"{name} ({where})"


def decision_recipients(record, workflow_state, decider):
    """The accounts told of a decision: the one who submitted the proposal and, for a
    facilitator, the record's own account — active, with an e-mail; never the decider.
    (`notify_decision` leaves out those who turned the notification off in their profile.)"""
    accounts = [workflow_state.requested_by, getattr(record, "user", None)]
    found, seen = [], set()
    for account in accounts:
        if account is None or account.pk in seen or account.pk == getattr(decider, "pk", None):
            continue
        seen.add(account.pk)
        if account.is_active and account.email:
            found.append(account)
    return found


def notify_decision(task_state, user, before):
    """E-mail the facilitator the decision taken on `task_state`: who decided, approved (and
    published) or rejected, the comment, what the proposal changed (`before`, computed before
    the decision) and the link to the record."""
    from wagtail.users.models import UserProfile

    workflow_state = task_state.workflow_state
    record = workflow_state.content_object
    approved = task_state.status == TaskState.STATUS_APPROVED
    setting = "approved_notifications" if approved else "rejected_notifications"
    recipients = [
        account
        for account in decision_recipients(record, workflow_state, user)
        if getattr(UserProfile.get_for_user(account), setting, True)
    ]
    if not recipients:
        return None
    decision = Decision(
        record=record,
        approved=approved,
        published=approved and workflow_state.status == WorkflowState.STATUS_APPROVED,
        decided_by=decider_label(user, record),
        decided_at=task_state.finished_at,
        comment=task_state.comment or "",
        proposal=before,
        recipients=recipients,
    )
    with translation.override("fr"):
        if approved:
            subject = _("Modification approuvée : %(name)s")
        else:
            subject = _("Modification refusée : %(name)s")
        send_mail(
            subject % {"name": record},
            render_to_string(
                "directory/email/decision.txt",
                {
                    "decision": decision,
                    "record": record,
                    "is_structure": is_structure(record),
                    "url": admin_url(record),
                },
            ),
            None,
            [account.email for account in recipients],
        )
    return decision


def reviewed_by_coordination(workflow_state):
    """Whether the decision that ended `workflow_state`'s step was a coordination's (its
    e-mail is `notify_decision`'s, not Wagtail's generic notification)."""
    from directory.models import CoordinationApprovalTask

    task_state = workflow_state.current_task_state
    return task_state is not None and isinstance(task_state.task.specific, CoordinationApprovalTask)
