"""The directory's version row: when the published directory last changed."""

import datetime

from django.db import models
from django.db.models import Max, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DirectoryChange(models.Model):
    """When the published directory last changed: one row, touched when what the public sees
    changes — a facilitator published, unpublished or deleted while live, its live coverage,
    a lead designation, a structure or a contracting authority — and never by drafts, locks or
    revision bookkeeping (see `directory.signals`); `last()` adds the midnights at which a
    designation started or ended. Map data caches and HTTP validators (ETag, Last-Modified)
    key on it."""

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
        """The time of the last change (recorded now if none is known yet), in one query.

        A lead designation starts or stops counting at midnight on its own, without a save
        (`LeadDesignation.starts_on`, `ends_on`, and a buyer's designation): the last such
        midnight that has passed is a change too, so that everything keyed on this version
        (the published directory, map layers, ETags) moves with it."""
        from .registry import ContractingAuthority, LeadDesignation

        today = timezone.localdate()

        def latest(queryset, field):
            return Subquery(
                queryset.order_by()
                .annotate(one=Value(1))
                .values("one")
                .annotate(latest=Max(field))
                .values("latest")[:1]
            )

        designations = LeadDesignation.objects.all()
        authorities = ContractingAuthority.objects.filter(lead__isnull=False)
        row = (
            cls.objects.filter(pk=1)
            .annotate(
                started=latest(designations.filter(starts_on__lte=today), "starts_on"),
                ended=latest(designations.filter(ends_on__lt=today), "ends_on"),
                lead_started=latest(
                    authorities.filter(lead_starts_on__lte=today), "lead_starts_on"
                ),
                lead_ended=latest(authorities.filter(lead_ends_on__lt=today), "lead_ends_on"),
            )
            .values_list("changed_at", "started", "ended", "lead_started", "lead_ended")
            .first()
        )
        if row is None:
            return cls.touch()
        changed_at, started, ended, lead_started, lead_ended = row
        boundaries = [day for day in (started, lead_started) if day]
        boundaries += [day + datetime.timedelta(days=1) for day in (ended, lead_ended) if day]
        if not boundaries:
            return changed_at
        midnight = timezone.make_aware(datetime.datetime.combine(max(boundaries), datetime.time()))
        return max(changed_at, midnight)
