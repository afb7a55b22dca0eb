from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Projects sent by contracting authorities to facilitators, and their follow-up."""

    name = "referrals"
    verbose_name = _("Demandes des donneurs d'ordre")

    def ready(self):
        from referrals import policies

        post_migrate.connect(policies.ensure_groups, sender=self)
        policies.register()

        from referrals import notify  # connects the outbox receiver
        from referrals.models import ProjectRequest

        post_delete.connect(
            lambda instance, **kwargs: notify.forget(instance),
            sender=ProjectRequest,
            weak=False,
            dispatch_uid="referrals.forget_mails",
        )
