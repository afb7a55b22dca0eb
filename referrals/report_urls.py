"""The site-history report served in place of Wagtail's (included by portal/urls.py)."""

from referrals.views import site_history_urls as urlpatterns

__all__ = ["urlpatterns"]
