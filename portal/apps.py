from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from portal import checks  # noqa: F401 (registers the system checks)
        from portal.editorial import (
            after_every_app,
            ensure_editorial_roles,
            retire_wagtail_defaults,
        )

        post_migrate.connect(ensure_editorial_roles, sender=self)
        post_migrate.connect(
            after_every_app(retire_wagtail_defaults),
            dispatch_uid="portal.retire_wagtail_defaults",
            weak=False,
        )
        connect_page_cache_purges()
        connect_translation_drafts()


def connect_translation_drafts():
    """Pages copied for translation as aliases become drafts (`portal.translations`)."""
    from wagtail.signals import copy_for_translation_done

    from portal.translations import keep_copied_parents_as_drafts

    copy_for_translation_done.connect(
        keep_copied_parents_as_drafts, dispatch_uid="portal.translation-drafts"
    )


def connect_page_cache_purges():
    """Every cached page is forgotten when a page is published, unpublished, moved or deleted,
    and when what pages show besides pages changes (sites, view restrictions, site settings,
    documents, images). The directory purges it itself (`directory.signals.directory_changed`)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from portal import pagecache

    page_published.connect(pagecache.purge, dispatch_uid="pagecache-published")
    page_unpublished.connect(pagecache.purge, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(pagecache.purge, dispatch_uid="pagecache-moved")
    shown = (
        Page,
        Site,
        PageViewRestriction,
        BaseSiteSetting,
        BaseGenericSetting,
        AbstractDocument,
        AbstractImage,
    )

    def saved_or_deleted(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or not isinstance(instance, shown):
            return
        if isinstance(instance, Page) and kwargs.get("signal") is post_save:
            return  # drafts and revisions: only publishing (above) changes the site
        if isinstance(instance, (BaseSiteSetting, BaseGenericSetting)) and kwargs.get("created"):
            return  # created with its defaults on first read: pages showed those already
        pagecache.purge()

    post_save.connect(saved_or_deleted, dispatch_uid="pagecache-saved", weak=False)
    post_delete.connect(saved_or_deleted, dispatch_uid="pagecache-deleted", weak=False)
