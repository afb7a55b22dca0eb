"""Numbers as the active language writes them."""

from decimal import Decimal

from django.utils.formats import number_format


def format_number(value, places=0):
    """With grouping: 1 000 000,5 in French, 1,000,000.5 in English. `places` as Django's
    floatformat: 2 gives two fixed decimals, "-2" at most two (none when whole)."""
    places = str(places)
    digits = int(places.lstrip("-") or 0)
    value = Decimal(str(value))
    if places.startswith("-"):
        value = value.quantize(Decimal(1).scaleb(-digits)).normalize()
        digits = max(0, -value.as_tuple().exponent)
    return number_format(value, digits, use_l10n=True, force_grouping=True)
