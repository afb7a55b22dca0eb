"""Who may see or change the news' records in the admin (`portal.policies`): news categories
are public labels of the site, the same for everyone; Wagtail's model permissions (the
editorial groups, `portal.editorial`) decide who adds, changes or deletes them."""

from news.models import NewsCategory
from portal import policies


def register():
    """Declare the news' policies (called when the app is ready)."""
    policies.register(
        policies.Unrestricted(
            NewsCategory, reason="public labels of the site; the editorial groups edit them"
        )
    )
