from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Projects sent by contracting authorities to facilitators, and their follow-up."""

    name = "referrals"
    verbose_name = _("Demandes des donneurs d'ordre")

    def ready(self):
        from referrals.access import ensure_groups

        post_migrate.connect(ensure_groups, sender=self)
