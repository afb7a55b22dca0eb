from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "observatory"
    verbose_name = _("Observatoire")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from observatory import groups, pages
        from portal import results

        post_migrate.connect(groups.give_report_permissions, sender=self)
        # The national results page (portal) shows the consolidation without importing us.
        results.register_national_figures(pages.national_figures)
        results.register_context_provider(pages.national_results_context)
