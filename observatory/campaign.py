"""The report campaign of a year: which structures a coordination expects a report from, where
each one stands, and the reminders to those that have not transmitted theirs.

- The structures of a campaign are those expected to report (`consolidation.
  reporting_structures`: published, with a published facilitator) that the user may report
  for (`observatory.policies.reportable_structures`: its territory), plus any of its
  territory's structures that already has a report for the year.
- A structure's state for the year: not started (no report), draft, submitted, validated or
  refused (its report's status).
- "Relancer" e-mails the structures that have not transmitted (not started, draft, refused):
  to the accounts of their facilitators, else their facilitators' addresses
  (`notifications.structure_addresses`). A structure is reminded at most once every
  `REMINDER_DAYS` days for a year, whoever sends it; every reminder is recorded
  (`ReportReminder`).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatory import consolidation, notifications, policies
from observatory.models import ReportReminder, StructureReport
from portal import policies as portal_policies

Status = StructureReport.Status
NOT_STARTED = "not_started"
STATES = [
    (NOT_STARTED, gettext_lazy("Non commencé")),
    (Status.DRAFT, gettext_lazy("Brouillon")),
    (Status.SUBMITTED, gettext_lazy("Transmis")),
    (Status.VALIDATED, gettext_lazy("Validé")),
    (Status.REJECTED, gettext_lazy("Refusé")),
]
STATE_LABELS = dict(STATES)
# Not transmitted yet: the structures a reminder goes to.
REMINDED_STATES = {NOT_STARTED, Status.DRAFT, Status.REJECTED}
REMINDER_DAYS = 7


def default_year(today=None):
    """The year a campaign screen opens on: last year (reports are made after the year)."""
    return (today or timezone.localdate()).year - 1


@dataclass
class Row:
    """One structure of a campaign."""

    structure: object
    report: StructureReport | None
    last_reminder: ReportReminder | None = None

    @property
    def state(self):
        return self.report.status if self.report else NOT_STARTED

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def awaited(self):
        """True when the structure has not transmitted its report yet."""
        return self.state in REMINDED_STATES

    def next_reminder_at(self):
        """When this structure may be reminded again (None: now)."""
        if self.last_reminder is None:
            return None
        return self.last_reminder.sent_at + datetime.timedelta(days=REMINDER_DAYS)

    def may_be_reminded(self, now=None):
        following = self.next_reminder_at()
        return self.awaited and (following is None or following <= (now or timezone.now()))


@dataclass
class Campaign:
    """A user's campaign of a year: every row, the counts by state and the rows shown (those
    of `state`, or all)."""

    year: int
    rows: list = field(default_factory=list)
    state: str | None = None

    @property
    def shown(self):
        if not self.state:
            return self.rows
        return [row for row in self.rows if row.state == self.state]

    @property
    def counts(self):
        """[(state, label, count)] in the order of STATES."""
        found = {}
        for row in self.rows:
            found[row.state] = found.get(row.state, 0) + 1
        return [(state, label, found.get(state, 0)) for state, label in STATES]

    @property
    def awaited(self):
        return [row for row in self.rows if row.awaited]

    @property
    def last_reminder(self):
        """The most recent reminder of this campaign's structures for the year, or None."""
        sent = [row.last_reminder for row in self.rows if row.last_reminder is not None]
        return max(sent, key=lambda reminder: reminder.sent_at, default=None)

    def next_reminder_at(self, now=None):
        """When the awaited structures that may not be reminded now may be (the earliest),
        or None when some may be reminded now (or none is awaited)."""
        now = now or timezone.now()
        awaited = self.awaited
        if not awaited or any(row.may_be_reminded(now) for row in awaited):
            return None
        return min(row.next_reminder_at() for row in awaited)


def campaign(user, year, state=None):
    """The Campaign of `year` for `user` (filtered on `state` when it is one of STATES)."""
    expected = consolidation.reporting_structures()
    reports = {
        report.structure_id: report
        for report in portal_policies.visible(
            user, StructureReport.objects.filter(year=year)
        ).select_related("structure")
    }
    structures = policies.reportable_structures(user).filter(
        Q(pk__in=expected.values("pk")) | Q(pk__in=list(reports))
    )
    reminders = {}
    for reminder in ReportReminder.objects.filter(year=year, structure__in=structures).order_by(
        "sent_at"
    ):
        reminders[reminder.structure_id] = reminder  # the last one wins
    rows = [
        Row(structure, reports.get(structure.pk), reminders.get(structure.pk))
        for structure in structures.order_by("name")
    ]
    return Campaign(year, rows, state if state in STATE_LABELS else None)


def entry_path(structure, year, report=None):
    """Where a structure enters (or finds) its report of `year` in the admin: the report, or
    the new report form prefilled with the structure and the year."""
    if report is not None:
        return reverse("wagtailsnippets_observatory_structurereport:edit", args=[report.pk])
    add = reverse("wagtailsnippets_observatory_structurereport:add")
    return f"{add}?{urlencode({'structure': structure.pk, 'year': year})}"


@dataclass
class Reminded:
    """What a "Relancer" did: the rows reminded, those reminded less than a week ago, and
    those without any address."""

    sent: list = field(default_factory=list)
    too_soon: list = field(default_factory=list)
    unreachable: list = field(default_factory=list)


def remind(user, year, now=None):
    """Remind every structure of `user`'s campaign of `year` that has not transmitted its
    report and was not reminded in the last REMINDER_DAYS days: one e-mail each, recorded."""
    now = now or timezone.now()
    outcome = Reminded()
    sender = user.get_full_name() or user.get_username()
    for row in campaign(user, year).awaited:
        if not row.may_be_reminded(now):
            outcome.too_soon.append(row)
            continue
        addresses = notifications.structure_addresses(row.structure)
        if not addresses:
            outcome.unreachable.append(row)
            continue
        with translation.override("fr"):
            subject = _("Bilan %(year)s : à transmettre à la coordination") % {"year": year}
            notifications.send_to(
                subject,
                "observatory/email/report_reminder.txt",
                {
                    "structure": row.structure,
                    "year": year,
                    "state": row.state,
                    "url": notifications.absolute(entry_path(row.structure, year, row.report)),
                    "sender_name": sender,
                },
                addresses,
            )
        row.last_reminder = ReportReminder.objects.create(
            structure=row.structure,
            year=year,
            sent_at=now,
            sent_by=user,
            recipients=", ".join(addresses),
        )
        outcome.sent.append(row)
    return outcome
