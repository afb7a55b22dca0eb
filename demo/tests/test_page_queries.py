"""Queries per page on the demo site (issue 16): the home ≤ 20, a news article ≤ 15, a commune
page ≤ 15, a finder result ≤ 15. Counted past the page cache (a query string bypasses it),
once the site's frame is cached, as a visitor after the first one finds them."""

import io

import pytest
from django.core.management import call_command

from news.models import NewsPage
from portal import pagecache

pytestmark = pytest.mark.django_db


def test_the_busiest_pages_stay_within_their_query_budget(
    client, locales, django_assert_max_num_queries
):
    call_command("seed_demo", stdout=io.StringIO())
    article = NewsPage.objects.live().filter(locale=locales["fr"]).first().url
    pages = [
        ("/fr/", 20),
        (article, 15),
        ("/fr/annuaire/communes/13108/", 15),
        ("/en/directory/communes/13108/", 15),
        ("/fr/trouver-mon-facilitateur/?q=Tarascon", 15),
        ("/en/find-my-facilitator/?q=Arles", 15),
    ]
    for url, budget in pages:
        bypass = "&" if "?" in url else "?"
        assert client.get(f"{url}{bypass}warm=1").status_code == 200, url
        with django_assert_max_num_queries(budget, info=url):
            response = client.get(f"{url}{bypass}visit=2")
        assert response.status_code == 200 and pagecache.HEADER not in response, url
    # Served from the page cache: no query at all.
    client.get("/fr/")
    with django_assert_max_num_queries(0):
        assert client.get("/fr/")[pagecache.HEADER] == "hit"
