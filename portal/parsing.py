"""Reading numbers and ids typed into URLs and forms: one rule for the whole site.

Only ASCII digits count ("²" or "٣" pass `str.isdigit()` but are no id), and the length is
bounded so that no value overflows a database integer."""

import re

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value):
    """The positive integer id written in `value`, or None when it is not one."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number < 2**63 else None
