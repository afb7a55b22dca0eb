"""French writes the first day of a month "1er" (`portal.dates`), in pages, the admin and
e-mails alike; English and other days are left as Django writes them."""

import datetime

from django.template import Context, Template
from django.utils import translation

from portal import dates


def test_the_first_of_the_month_is_1er_in_french_only():
    first = datetime.date(2027, 4, 1)
    with translation.override("fr"):
        assert dates.date_format(first, "j F Y") == "1er avril 2027"
        assert dates.date_format(datetime.date(2027, 4, 11), "j F Y") == "11 avril 2027"
        assert dates.date_format(datetime.date(2027, 6, 1), "l j F Y") == "mardi 1er juin 2027"
        assert dates.date_format(datetime.date(2027, 4, 21), "j F") == "21 avril"
    with translation.override("en"):
        assert dates.date_format(first, "j F Y") == "1 April 2027"
    # Only a day before a month: "1 090 heures", "2021 avril" and "0,1 mai" stay.
    assert dates.first_of_month("1 090 heures, 21 avril, 0,1 mai", "fr") == (
        "1 090 heures, 21 avril, 0,1 mai"
    )


def test_every_template_date_says_1er():
    template = Template('{{ day|date:"j F Y" }} — {{ moment|date:"j F Y, H:i" }}')
    context = Context(
        {"day": datetime.date(2027, 1, 1), "moment": datetime.datetime(2026, 12, 1, 9, 30)}
    )
    with translation.override("fr"):
        assert template.render(context) == "1er janvier 2027 — 1er décembre 2026, 09:30"
    with translation.override("en"):
        assert template.render(context) == "1 January 2027 — 1 December 2026, 09:30"
