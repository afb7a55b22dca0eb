"""The rules of facilitators' absences (`directory.models.Absence`).

- An absence runs from its first to its last day, both included; it ends on or after the
  day it starts.
- One person's absences never overlap: a longer absence is the same one, changed.
- The deputy is another facilitator, published in the directory, who has no absence of their
  own over any of those days (a deputy who is away would leave the requests unanswered; with
  no deputy, the coordination of the territory receives them).

Who receives a request during an absence is decided by `referrals.routing` from `on()`.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Absence
from portal.dates import date_format


def period(absence):
    """ "du 3 janvier 2027 au 12 janvier 2027", or "le 3 janvier 2027" for one day."""
    if absence.start is None or absence.end is None:
        return ""
    if absence.start == absence.end:
        return _("le %(day)s") % {"day": date_format(absence.start, "j F Y")}
    return _("du %(start)s au %(end)s") % {
        "start": date_format(absence.start, "j F Y"),
        "end": date_format(absence.end, "j F Y"),
    }


def overlapping(facilitator, start, end, exclude=None):
    """The absences of `facilitator` sharing at least one day with `start`…`end`."""
    absences = Absence.objects.filter(facilitator=facilitator, start__lte=end, end__gte=start)
    if exclude is not None and exclude.pk is not None:
        absences = absences.exclude(pk=exclude.pk)
    return absences.order_by("start")


def check(absence):
    """Raise a ValidationError (French messages, by field) when `absence` breaks a rule."""
    errors = {}
    start, end = absence.start, absence.end
    dated = start is not None and end is not None
    if dated and end < start:
        errors["end"] = _("Le dernier jour d'absence ne peut pas précéder le premier.")
        dated = False
    facilitator = absence.facilitator if absence.facilitator_id else None
    if dated and facilitator is not None:
        other = overlapping(facilitator, start, end, exclude=absence).first()
        if other is not None:
            errors[NON_FIELD_ERRORS] = _(
                "%(name)s a déjà une absence enregistrée %(period)s : modifiez-la plutôt que "
                "d'en ajouter une autre."
            ) % {"name": facilitator.full_name, "period": period(other)}
    deputy = absence.deputy if absence.deputy_id else None
    if deputy is not None:
        if facilitator is not None and deputy.pk == facilitator.pk:
            errors["deputy"] = _(
                "Le suppléant doit être une autre personne que la personne absente."
            )
        elif not deputy.live:
            errors["deputy"] = _(
                "Cette fiche n'est pas publiée dans l'annuaire : choisissez un facilitateur "
                "dont la fiche est publiée."
            )
        elif dated:
            away = overlapping(deputy, start, end).first()
            if away is not None:
                errors["deputy"] = _(
                    "%(name)s a aussi une absence enregistrée %(period)s : choisissez un autre "
                    "suppléant, ou aucun (la coordination recevra alors les demandes)."
                ) % {"name": deputy.full_name, "period": period(away)}
    if errors:
        raise ValidationError(errors)


def on(facilitator, day=None):
    """The absence of `facilitator` that holds `day` (today, in the site's time zone), with
    its deputy; None when they are at work."""
    day = day or timezone.localdate()
    return (
        Absence.objects.filter(facilitator=facilitator, start__lte=day, end__gte=day)
        .select_related("facilitator", "deputy__structure")
        .order_by("start")
        .first()
    )


def current_and_upcoming(facilitator, day=None):
    """The absences of `facilitator` not over yet on `day` (today), soonest first."""
    day = day or timezone.localdate()
    return (
        Absence.objects.filter(facilitator=facilitator, end__gte=day)
        .select_related("deputy__structure")
        .order_by("start")
    )
