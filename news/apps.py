from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Actualités")

    def ready(self):
        from news import policies

        policies.register()
        connect_page_cache_purges()


def connect_page_cache_purges():
    """Articles show their category and tags: renaming or deleting one changes every page
    that lists them, so the page cache is forgotten (`portal.pagecache`)."""
    from django.db.models.signals import post_delete, post_save
    from taggit.models import Tag

    from news.models import NewsCategory
    from portal import pagecache

    def changed(sender, instance, raw=False, **kwargs):
        if not raw:
            pagecache.purge()

    for model in (NewsCategory, Tag):
        name = model.__name__
        # weak=False: `changed` lives only in this call.
        post_save.connect(changed, sender=model, dispatch_uid=f"pagecache-news-{name}", weak=False)
        post_delete.connect(
            changed, sender=model, dispatch_uid=f"pagecache-news-del-{name}", weak=False
        )
