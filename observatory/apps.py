from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "observatory"
    verbose_name = _("Observatoire")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from observatory import groups, pages, policies
        from portal import results

        policies.register()
        post_migrate.connect(groups.give_report_permissions, sender=self)
        # The national results page (portal) shows the consolidation without importing us.
        results.register_national_figures(pages.national_figures)
        results.register_context_provider(pages.national_results_context)
        connect_page_cache_purges()


def connect_page_cache_purges():
    """The observatory's public pages show the structures' reports and the count of project
    requests, and which year is published: a report, a request or a published year saved or
    deleted forgets every cached page (`portal.pagecache`)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from portal import pagecache

    def purge(sender, raw=False, **kwargs):
        if not raw:
            pagecache.purge()

    for label in (
        "observatory.StructureReport",
        "observatory.PublishedYear",
        "referrals.ProjectRequest",
    ):
        model = apps.get_model(label)
        for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(purge, sender=model, weak=False, dispatch_uid=f"pagecache-{uid}-{label}")
