"""What happens when a contracting authority sends its project: store it, route it, mail it,
and tell the sender who will answer."""

from django.core import signing
from django.utils import timezone

from directory import coverage
from directory.lookup import MAX_QUERY_LENGTH, find_commune
from directory.models import Territory
from referrals import lifecycle
from referrals.models import ProjectRequest
from referrals.routing import route

SALT = "referrals.confirmation"
CONFIRMATION_SECONDS = 3600


def submit(form, language):
    """Store the request from a valid form, routed by the directory's rule, then queue the
    e-mails in the outbox (the worker sends them: the visitor never waits for a mail
    server)."""
    data = form.cleaned_data
    commune, authority = data["commune"], data.get("authority")
    routing = route(commune, authority)
    project = ProjectRequest.objects.create(
        language=language or "fr",
        authority=authority,
        organisation=data.get("organisation") or authority.name,
        contact_name=data["contact_name"],
        email=data["email"],
        phone=data.get("phone", ""),
        nature=data["nature"],
        subject=data["subject"],
        amount=data.get("amount"),
        duration=data.get("duration", ""),
        commune=commune,
        place=data["place"],
        publication_date=data.get("publication_date"),
        insertion_hours=data.get("insertion_hours"),
        message=data.get("message", ""),
        consent_at=timezone.now(),
        routed_to=routing.facilitator,
        coordination=routing.coordination,
        route=routing.route,
        route_explanation=routing.explanation,
    )
    # Stored first, then recorded and queued: nothing is lost.
    return lifecycle.receive(project, absence=routing.absence)


def confirmation_token(project):
    """A signed token for the confirmation URL (no cookie needed, not guessable)."""
    return signing.dumps(project.pk, salt=SALT)


def confirmation(token):
    """The request a confirmation token names, or None when it is forged or over an hour
    old."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=CONFIRMATION_SECONDS)
    except signing.BadSignature:
        return None
    return (
        ProjectRequest.objects.select_related("routed_to__structure", "commune", "coordination")
        .filter(pk=pk)
        .first()
    )


def initial_from(params):
    """Form values carried from a commune's answer or from the calculator:
    `commune` (INSEE code), `authority` (its alias `donneur`), `heures`, `montant`."""
    initial = {}
    code = params.get("commune", "").strip()
    if code:
        commune = Territory.objects.by_code(code)
        if commune is not None and commune.kind == Territory.Kind.COMMUNE:
            initial["place"] = f"{commune.name} ({commune.departement_code})"
    authority = coverage.find_buyer(coverage.buyer_value(params))
    if authority is not None:
        initial["authority"] = authority.pk
    for name, key in (("insertion_hours", "heures"), ("amount", "montant")):
        value = params.get(key, "").strip()
        if value and len(value) <= 20:
            initial[name] = value
    return initial


def preview(form):
    """Whom the project would go to, from the place and buyer known to the form: the values
    carried in the URL before sending, or those typed when the form comes back with errors."""
    if form.is_bound:
        data = getattr(form, "cleaned_data", {})
        commune, authority = data.get("commune"), data.get("authority")
        return route(commune, authority) if commune is not None else None
    return recipient(form.initial.get("place", ""), str(form.initial.get("authority") or ""))


def recipient(place, authority):
    """Whom a project in `place` (as typed: a commune, a postal code…) would go to for the
    buyer whose id is `authority`; None while the place names no single commune."""
    place = (place or "").strip()
    if not place or len(place) > MAX_QUERY_LENGTH:
        return None
    commune = find_commune(place).commune
    if commune is None:
        return None
    return route(commune, coverage.find_buyer(authority))
