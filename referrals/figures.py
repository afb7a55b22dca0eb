"""What came of the project requests: how many were received, taken within the promised delay,
signalled to the coordination, how many ended with a clause and the hours those clauses plan.
The one place these counts are made: the observatory's pages, the admin report and its CSV
all call `request_figures`.

Every figure counts the requests *received* in the period (a cohort): a request received on
30 April and taken on 4 May counts in April, as taken within the delay if it was.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from referrals import delays
from referrals.models import ProjectRequest

# The counts, in the order of the report's columns and of the CSV.
COUNTS = (
    "received",
    "acknowledged",
    "acknowledged_in_time",
    "escalated",
    "clauses_written",
    "hours_planned",
)
GROUPS = ("month", "departement", "coordination")


def request_figures(year, departements=None, *, by=(), requests=None, month=None):
    """The figures of the requests received in `year`, in the site's time zone.

    - `departements` (Territory objects or ids): only requests whose commune lies in one of
      them (None: wherever).
    - `requests`: the requests to count from (a queryset: the admin passes those the viewer
      may see; every request by default).
    - `month` (1–12): that month only.
    - `by`: empty, the totals as one dict; else a tuple of "month", "departement",
      "coordination", one dict per group met, with those keys (a month number, a Territory
      or None, a Coordination or None) beside the counts, in month, département code,
      coordination name order.

    The counts: `received`; `acknowledged` (taken, at any time) and `acknowledged_in_time`
    (first taken by the last day of the delay, `delays.due_date`); `escalated` (signalled to
    the coordination); `clauses_written`; `hours_planned`, the hours of those clauses as
    recorded when the clause was written (the sender's estimate for a clause recorded
    without them).
    """
    unknown = set(by) - set(GROUPS)
    if unknown:
        raise ValueError(f"request_figures: cannot group by {', '.join(sorted(unknown))}")
    queryset = ProjectRequest.objects.all() if requests is None else requests
    queryset = queryset.filter(created_at__year=year)
    if month is not None:
        queryset = queryset.filter(created_at__month=month)
    if departements is not None:
        queryset = queryset.filter(commune__departement__in=list(departements))
    rows = queryset.order_by().values_list(
        "created_at",
        "acknowledged_at",
        "escalated_at",
        "status",
        "clause_hours",
        "insertion_hours",
        "commune__departement",
        "coordination",
    )
    groups = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for (
        created_at,
        acknowledged_at,
        escalated_at,
        status,
        clause_hours,
        insertion_hours,
        departement,
        coordination,
    ) in rows.iterator():
        values = {
            "month": timezone.localtime(created_at).month,
            "departement": departement,
            "coordination": coordination,
        }
        counts = groups[tuple(values[name] for name in by)]
        counts["received"] += 1
        if acknowledged_at is not None:
            counts["acknowledged"] += 1
            if delays.local_date(acknowledged_at) <= delays.due_date(created_at):
                counts["acknowledged_in_time"] += 1
        if escalated_at is not None:
            counts["escalated"] += 1
        if status == ProjectRequest.Status.CLAUSE_WRITTEN:
            counts["clauses_written"] += 1
            hours = clause_hours if clause_hours is not None else insertion_hours
            counts["hours_planned"] += hours or 0
    if not by:
        return groups[()] if groups else dict.fromkeys(COUNTS, 0)
    return _labelled(groups, by)


def _labelled(groups, by):
    """The grouped counts as dicts, with territories and coordinations as objects."""
    from directory.models import Coordination, Territory

    def objects(model, name):
        if name not in by:
            return {}
        ids = {key[by.index(name)] for key in groups} - {None}
        return model.objects.in_bulk(ids)

    territories = objects(Territory, "departement")
    coordinations = objects(Coordination, "coordination")
    result = []
    for key, counts in groups.items():
        row = dict(zip(by, key, strict=True))
        if "departement" in row:
            row["departement"] = territories.get(row["departement"])
        if "coordination" in row:
            row["coordination"] = coordinations.get(row["coordination"])
        row.update(counts)
        result.append(row)

    def order(row):
        return (
            row.get("month") or 0,
            row["departement"].code if row.get("departement") else "~",
            row["coordination"].name if row.get("coordination") else "~",
        )

    return sorted(result, key=order)


def share(part, whole):
    """`part` out of `whole` as a whole percentage, or None when there is nothing to share."""
    return round(100 * part / whole) if whole else None


def years(requests=None):
    """The years in which `requests` (all by default) were received, latest first, the
    current year always included."""
    queryset = ProjectRequest.objects.all() if requests is None else requests
    found = {moment.year for moment in queryset.dates("created_at", "year")}
    found.add(timezone.localdate().year)
    return sorted(found, reverse=True)


def departements(requests):
    """The départements of the communes of `requests`, by code."""
    from directory.models import Territory

    ids = requests.exclude(commune__isnull=True).values("commune__departement")
    return Territory.objects.filter(Q(pk__in=ids)).order_by("code")
