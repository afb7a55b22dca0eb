"""Sent after each delivery attempt of an outgoing message, with `message` (an
OutgoingMessage whose status tells the outcome): callers that queued with a `key` follow
their messages this way without the outbox knowing them."""

from django.dispatch import Signal

delivery_attempted = Signal()
