"""Dates as French writes them: the first day of a month is "1er" ("1er avril 2027"), which
Django's formats cannot say (its `j` is a bare number). Every long date of the portal goes
through `date_format()` here or the template filter `date` (`portal.templatetags.
portal_dates`, a builtin that wraps Django's)."""

import re

from django.utils import formats
from django.utils.translation import get_language

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST = re.compile(rf"(?<![\d,.])\b1 (?=(?:{MONTHS})\b)", re.IGNORECASE)


def first_of_month(text, language=None):
    """`text` with "1 avril" written "1er avril" when the language is French (the active
    one by default); other languages and other days unchanged."""
    language = (language or get_language() or "").lower()
    if not language.startswith("fr") or not text:
        return text
    return FIRST.sub("1er ", text)


def date_format(value, format_string):
    """Django's `formats.date_format`, with French's "1er"."""
    return first_of_month(formats.date_format(value, format_string))
