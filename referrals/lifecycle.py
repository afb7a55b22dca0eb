"""The life of a project request, from reception to the sender's opinion (docs/domain.md,
"Following a request"). Every change goes through one of these functions: each runs in a
transaction on the locked request, records a `RequestEvent` (who, when, what), queues its
e-mails in the outbox in the same transaction, and raises `TransitionRefused` (with a message
fit for the person acting) when the change is impossible from where the request stands.

Statuses: new → acknowledged → in progress → clause written | closed without clause. A
forward, a decline or a re-route hands the request to someone else and puts it back to "new"
(the new handler has to take it); `acknowledged_at` keeps the first acknowledgment. The
sender is e-mailed, in their language, on every change of status or of handler.

The timing of reminders and escalations is not decided here: `remind` and `escalate` send
and record, whoever calls them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import coverage
from referrals import notify
from referrals.models import ProjectRequest, RequestEvent
from referrals.policies import assignees, full_name

Status = ProjectRequest.Status
Kind = RequestEvent.Kind
OPEN = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
# What the sender sees on the tracking page.
PUBLIC = {
    Kind.RECEIVED,
    Kind.ACKNOWLEDGED,
    Kind.IN_PROGRESS,
    Kind.FORWARDED,
    Kind.DECLINED,
    Kind.REROUTED,
    Kind.REPLIED,
    Kind.CLAUSE_WRITTEN,
    Kind.CLOSED,
}
MAX_HOURS = 10_000_000  # as the request form's estimate


class TransitionRefused(Exception):
    """The change asked is impossible from the request's present state (the message says
    why, in the active language)."""


def _label(by, label):
    if label:
        return label
    return full_name(by) if by is not None else ""


def _locked(request):
    """The request, locked until the transaction ends (only its own row: PostgreSQL refuses
    FOR UPDATE on the nullable side of the outer joins)."""
    return (
        ProjectRequest.objects.select_for_update(of=("self",))
        .select_related("routed_to__structure", "coordination", "commune", "assignee")
        .get(pk=request.pk)
    )


def _event(project, kind, by=None, label="", **fields):
    return RequestEvent.objects.create(
        request=project,
        kind=kind,
        actor=by,
        actor_label=_label(by, label),
        public=kind in PUBLIC,
        **fields,
    )


def _done(request, project):
    """Bring the caller's instance up to date, and return the saved request."""
    if request is not project:
        request.refresh_from_db()
    return project


def _refuse_closed(project):
    if not project.is_open:
        raise TransitionRefused(
            _("Cette demande est déjà close (%(status)s) : rien n'a été modifié.")
            % {"status": project.get_status_display()}
        )


def receive(request, absence=None):
    """A request was just stored and routed: record its reception and queue the first
    e-mails (the handler's with its action links, the coordination's copy, the sender's
    acknowledgment with the tracking link). `absence`: the absence of the facilitator it was
    meant for, when it went to their deputy or to the coordination instead
    (`referrals.routing.cover_absence`); the reception step names them and their last day."""
    with transaction.atomic():
        project = _locked(request)
        if not project.events.filter(kind=Kind.RECEIVED).exists():
            _event(
                project,
                Kind.RECEIVED,
                label=project.contact_name,
                facilitator=project.routed_to,
                coordination=None if project.routed_to_id else project.coordination,
                absent_label=absence.facilitator.full_name if absence else "",
                absent_until=absence.end if absence else None,
            )
        notify.send(project)
    return _done(request, project)


def acknowledge(request, by=None, label=""):
    """The handler takes the request ("I take it"): status acknowledged. Only a new request
    can be taken."""
    with transaction.atomic():
        project = _locked(request)
        _refuse_closed(project)
        if project.status != Status.NEW:
            raise TransitionRefused(
                _("Cette demande est déjà prise en compte : rien n'a été modifié.")
            )
        now = timezone.now()
        project.status = Status.ACKNOWLEDGED
        project.acknowledged_at = project.acknowledged_at or now
        project.save(update_fields=["status", "acknowledged_at", "updated_at"])
        event = _event(project, Kind.ACKNOWLEDGED, by, label)
        notify.to_sender(project, event)
    return _done(request, project)


def start(request, by=None, label=""):
    """Work has started on the request: status in progress (from new or acknowledged)."""
    with transaction.atomic():
        project = _locked(request)
        _refuse_closed(project)
        if project.status == Status.IN_PROGRESS:
            raise TransitionRefused(_("Cette demande est déjà en cours : rien n'a été modifié."))
        project.status = Status.IN_PROGRESS
        project.acknowledged_at = project.acknowledged_at or timezone.now()
        project.save(update_fields=["status", "acknowledged_at", "updated_at"])
        event = _event(project, Kind.IN_PROGRESS, by, label)
        notify.to_sender(project, event)
    return _done(request, project)


def _hand_to(project, kind, to_facilitator, to_coordination, message, by, label):
    """Give an open request to another facilitator or to a coordination."""
    _refuse_closed(project)
    if (to_facilitator is None) == (to_coordination is None):
        raise TransitionRefused(_("Choisissez un facilitateur ou la coordination."))
    if to_facilitator is not None:
        if not getattr(to_facilitator, "live", True):
            raise TransitionRefused(_("Ce facilitateur n'est pas publié dans l'annuaire."))
        if to_facilitator.pk == project.routed_to_id:
            raise TransitionRefused(_("Cette demande est déjà adressée à ce facilitateur."))
    elif not project.routed_to_id and project.coordination_id == to_coordination.pk:
        raise TransitionRefused(_("Cette demande est déjà adressée à cette coordination."))
    previous = project.routed_to
    project.routed_to = to_facilitator
    if to_coordination is not None:
        project.coordination = to_coordination
    project.status = Status.NEW
    project.assignee = None  # the new handler's people follow it
    project.save(update_fields=["routed_to", "coordination", "status", "assignee", "updated_at"])
    event = _event(
        project,
        kind,
        by,
        label,
        message=message.strip(),
        facilitator=to_facilitator,
        coordination=to_coordination,
    )
    notify.to_new_handler(project, event, previous=previous)
    notify.to_sender(project, event)
    return event


def forward(request, to_facilitator=None, to_coordination=None, message="", by=None, label=""):
    """The handler passes the request to another facilitator or to a coordination, with a
    message for them. The new handler gets the request with its own links; the sender is
    told who handles it now."""
    with transaction.atomic():
        project = _locked(request)
        _hand_to(project, Kind.FORWARDED, to_facilitator, to_coordination, message, by, label)
    return _done(request, project)


def decline(request, reason, by=None, label=""):
    """The facilitator will not handle the request (with a reason): it goes back to the
    commune's coordination, which orients it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        project = _locked(request)
        _refuse_closed(project)
        if not project.routed_to_id:
            raise TransitionRefused(
                _("Cette demande n'est adressée à aucun facilitateur : rien à décliner.")
            )
        if not reason:
            raise TransitionRefused(_("Indiquez la raison : la coordination en a besoin."))
        declined_by = project.routed_to
        project.routed_to = None
        project.status = Status.NEW
        project.assignee = None
        project.save(update_fields=["routed_to", "status", "assignee", "updated_at"])
        event = _event(
            project,
            Kind.DECLINED,
            by,
            label or declined_by.full_name,
            message=reason,
            facilitator=declined_by,
            coordination=project.coordination,
        )
        notify.to_new_handler(project, event, previous=declined_by)
        notify.to_sender(project, event)
    return _done(request, project)


def reroute(request, to_facilitator=None, to_coordination=None, message="", by=None, label=""):
    """The coordination (or an administrator) gives the request to another facilitator (or
    coordination): the new handler gets it with its links, the previous facilitator is told,
    the sender learns who handles it now."""
    with transaction.atomic():
        project = _locked(request)
        _hand_to(project, Kind.REROUTED, to_facilitator, to_coordination, message, by, label)
    return _done(request, project)


def assign(request, user, by=None):
    """Name the person who follows the request ("suivie par"), among `policies.assignees`;
    that person is e-mailed. `user` None clears it (no e-mail)."""
    with transaction.atomic():
        project = _locked(request)
        if user is not None and not assignees(project).filter(pk=user.pk).exists():
            raise TransitionRefused(
                _("%(name)s ne peut pas suivre cette demande.") % {"name": full_name(user)}
            )
        if (user.pk if user else None) == project.assignee_id:
            raise TransitionRefused(_("Cette personne suit déjà cette demande."))
        project.assignee = user
        project.save(update_fields=["assignee", "updated_at"])
        event = _event(
            project,
            Kind.ASSIGNED,
            by,
            message=full_name(user) if user else "",
        )
        if user is not None:
            notify.to_assignee(project, event)
    return _done(request, project)


def reply(request, body, by=None, label=""):
    """Write to the sender from the request's page: the e-mail goes through the outbox with
    Reply-To the handler's address, and the text is kept in the history (shown on the
    tracking page). Possible at any status."""
    body = (body or "").strip()
    if not body:
        raise TransitionRefused(_("Le message est vide : rien n'a été envoyé."))
    with transaction.atomic():
        project = _locked(request)
        event = _event(project, Kind.REPLIED, by, label, message=body)
        notify.reply(project, event, by)
    return _done(request, project)


def _close(project, status, **fields):
    now = timezone.now()
    project.status = status
    project.closed_at = now
    project.acknowledged_at = project.acknowledged_at or now
    for name, value in fields.items():
        setattr(project, name, value)
    project.save(update_fields=["status", "closed_at", "acknowledged_at", "updated_at", *fields])
    return project


def write_clause(request, hours, contract_start, by=None, label=""):
    """The clause is written: the expected insertion hours and the contract's start date
    are recorded, the request closes, and the sender gets the "was this useful?" link."""
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        raise TransitionRefused(_("Indiquez le nombre d'heures d'insertion prévues.")) from None
    if not 1 <= hours <= MAX_HOURS:
        raise TransitionRefused(
            _("Le nombre d'heures doit être compris entre 1 et %(max)s.") % {"max": MAX_HOURS}
        )
    if contract_start is None:
        raise TransitionRefused(_("Indiquez la date de début d'exécution du marché."))
    with transaction.atomic():
        project = _locked(request)
        _refuse_closed(project)
        _close(
            project,
            Status.CLAUSE_WRITTEN,
            clause_hours=hours,
            contract_start=contract_start,
        )
        event = _event(project, Kind.CLAUSE_WRITTEN, by, label)
        notify.to_sender(project, event)
    return _done(request, project)


def close_without_clause(request, reason, by=None, label=""):
    """The request ends without a clause (with the reason, kept in the history); the sender
    gets the "was this useful?" link."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("Indiquez pourquoi la demande est close sans clause."))
    with transaction.atomic():
        project = _locked(request)
        _refuse_closed(project)
        _close(project, Status.CLOSED)
        event = _event(project, Kind.CLOSED, by, label, message=reason)
        notify.to_sender(project, event)
    return _done(request, project)


def rate(request, rating, comment=""):
    """The sender's answer to "was this useful?" (1 to 5, optional comment), once, on a
    closed request; the handler is told."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise TransitionRefused(_("Choisissez une note de 1 à 5."))
    comment = (comment or "").strip()
    with transaction.atomic():
        project = _locked(request)
        if project.is_open:
            raise TransitionRefused(_("Cette demande n'est pas encore close."))
        if project.rated_at is not None:
            raise TransitionRefused(_("Votre avis est déjà enregistré : merci."))
        project.rating = rating
        project.rating_comment = comment
        project.rated_at = timezone.now()
        project.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        event = _event(
            project, Kind.RATED, label=project.contact_name, message=f"{rating}/5 {comment}"
        )
        notify.to_handler_rating(project, event)
    return _done(request, project)


def remind(request):
    """Remind the handler that the request waits for an acknowledgment (its e-mail carries
    the action links again). Refused once the request is taken or closed."""
    with transaction.atomic():
        project = _locked(request)
        _refuse_closed(project)
        if project.status != Status.NEW:
            raise TransitionRefused(_("Cette demande est déjà prise en compte."))
        project.reminded_at = timezone.now()
        project.save(update_fields=["reminded_at", "updated_at"])
        event = _event(project, Kind.REMINDED, label=_("Relance automatique"))
        notify.reminder(project, event)
    return _done(request, project)


def escalate(request):
    """Tell the commune's coordination that the request is still waiting past the delay;
    when that coordination is the one handling it (nobody else to chase), the coordination
    above it (`coverage.coordination_above`). Refused once the request is taken or closed."""
    with transaction.atomic():
        project = _locked(request)
        _refuse_closed(project)
        if project.status != Status.NEW:
            raise TransitionRefused(_("Cette demande est déjà prise en compte."))
        project.escalated_at = timezone.now()
        project.save(update_fields=["escalated_at", "updated_at"])
        target = project.coordination
        if project.routed_to_id is None and target is not None:
            target = coverage.coordination_above(project.commune, target) or target
        event = _event(
            project,
            Kind.ESCALATED,
            label=_("Relance automatique"),
            coordination=target,
        )
        notify.escalation(project, event)
    return _done(request, project)


# -- Reading the e-mails' links ------------------------------------------------------------


class LinkReading:
    """What a signed link opens: the request (None for a wrong or expired link, which must
    say nothing of any request), the facilitator it was sent to, and whether its action is
    still possible (else the page shows where the request stands)."""

    def __init__(self, project=None, facilitator=None, possible=False):
        self.project = project
        self.facilitator = facilitator
        self.possible = possible


def _request(pk):
    return (
        ProjectRequest.objects.select_related(
            "routed_to__structure", "coordination", "commune__departement", "assignee"
        )
        .filter(pk=pk)
        .first()
    )


def read_sender_link(purpose, token):
    """The request of a sender's link ("track" or "rate"); for "rate", possible while the
    request is closed and not rated yet."""
    from referrals import links

    link = links.read(purpose, token)
    project = _request(link.request_id) if link else None
    if project is None:
        return LinkReading()
    if purpose == "rate":
        return LinkReading(project, possible=not project.is_open and project.rated_at is None)
    return LinkReading(project, possible=True)


def read_action_link(purpose, token):
    """The request and facilitator of an action link ("take", "forward", "decline"). The
    action is possible while the request is open and still in the hand-over the link was
    sent for (same facilitator, no forward, decline or re-route since); "take" only while
    the request is new. A link is thus used once: after its action, it shows the state."""
    from directory.models import Facilitator
    from referrals import links

    link = links.read(purpose, token)
    project = _request(link.request_id) if link else None
    if project is None:
        return LinkReading()
    facilitator = (
        Facilitator.objects.select_related("structure").filter(pk=link.data.get("f")).first()
    )
    if facilitator is None:
        return LinkReading()
    latest = project.handover()
    current = (
        project.is_open
        and project.routed_to_id == facilitator.pk
        and (latest.pk if latest else None) == link.data.get("h")
    )
    if purpose == "take":
        current = current and project.status == Status.NEW
    return LinkReading(project, facilitator, possible=current)
