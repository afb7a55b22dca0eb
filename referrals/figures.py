"""Counts of project requests for a year and a territory, shown beside the structures' reported
figures. The one place these counts are made (it will also count answers in time and
escalations)."""

from django.db.models import Sum

from referrals.models import ProjectRequest


def request_figures(year, departements=None):
    """Requests received in `year` (by reception date), how many of them ended with a clause
    written, and the insertion hours those clauses plan; limited to requests whose commune lies
    in one of `departements` (Territory objects or ids) when given."""
    requests = ProjectRequest.objects.filter(created_at__year=year)
    if departements is not None:
        requests = requests.filter(commune__departement__in=list(departements))
    written = requests.filter(status=ProjectRequest.Status.CLAUSE_WRITTEN)
    return {
        "received": requests.count(),
        "clauses_written": written.count(),
        "hours_planned": written.aggregate(total=Sum("insertion_hours"))["total"] or 0,
    }
