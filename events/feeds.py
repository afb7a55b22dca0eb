"""RSS feed of an agenda: the events as they are announced."""

from django.contrib.syndication.views import Feed
from django.utils import formats, timezone


class EventFeed(Feed):
    """The 20 latest announced events of one agenda, in its language, with their dates."""

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def title(self):
        return self.index_page.title

    def link(self):
        return self.index_page.url

    def description(self):
        return self.index_page.intro

    def items(self):
        return self.index_page.events().order_by("-first_published_at", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        when = formats.date_format(item.local_start, "DATE_FORMAT")
        if not item.all_day:
            when += " " + formats.time_format(item.local_start, "TIME_FORMAT")
        parts = [when, item.location_text, item.intro]
        return " — ".join(part for part in parts if part)

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at or timezone.now()

    def item_categories(self, item):
        return [str(item.get_category_display())]
