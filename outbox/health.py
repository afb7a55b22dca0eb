"""The outbox's part of the site's health (`portal.health`): mail that waits too long means the
`send_outbox` worker is stopped or the mail server refuses it."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from outbox.models import OutgoingMessage
from portal.health import Unhealthy

WAITING = [OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.SENDING]


def oldest_waiting():
    """The oldest message still to send (queued, or being sent) was queued at most
    OUTBOX_MAX_AGE_MINUTES ago. Two indexed queries; only counts and minutes are told."""
    waiting = OutgoingMessage.objects.filter(status__in=WAITING)
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is None:
        return {"waiting": 0, "oldest_minutes": 0}
    age = (timezone.now() - oldest) / timedelta(minutes=1)
    limit = settings.OUTBOX_MAX_AGE_MINUTES
    if age > limit:
        raise Unhealthy(f"an e-mail has waited {age:.0f} minutes (at most {limit})")
    return {"waiting": waiting.count(), "oldest_minutes": round(age)}
