"""What the site's background processes leave for the health checks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchedulerHeartbeat(models.Model):
    """The time of the scheduler's last pass (`manage.py run_schedule`): a single row (pk 1),
    written by `portal.schedule.beat`, read by `/healthz/` and `manage.py check_health`."""

    beat_at = models.DateTimeField(_("dernier passage"))
    host = models.CharField(_("machine"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("battement du planificateur")
        verbose_name_plural = _("battements du planificateur")

    def __str__(self):
        return f"{self.host} {self.beat_at:%Y-%m-%d %H:%M:%S}"
