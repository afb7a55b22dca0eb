"""The directory's version row: when the published directory last changed."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DirectoryChange(models.Model):
    """When the published directory last changed: one row, touched when what the public sees
    changes — a facilitator published, unpublished or deleted while live, its live coverage,
    a lead designation, a structure or a contracting authority — and never by drafts, locks or
    revision bookkeeping (see `directory.signals`). Map data caches and HTTP validators (ETag,
    Last-Modified) key on it."""

    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("modification de l'annuaire")
        verbose_name_plural = _("modifications de l'annuaire")

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def touch(cls):
        """Record a change now."""
        now = timezone.now()
        if not cls.objects.filter(pk=1).update(changed_at=now):
            cls.objects.update_or_create(pk=1, defaults={"changed_at": now})
        return now

    @classmethod
    def last(cls):
        """The time of the last change (recorded now if none is known yet)."""
        value = cls.objects.filter(pk=1).values_list("changed_at", flat=True).first()
        return value or cls.touch()
