"""EMAIL_BACKEND of the site: stores each message in the outbox and returns at once. The
real transport is `OUTBOX_DELIVERY_BACKEND`, used only by the `send_outbox` worker."""

from django.core.mail.backends.base import BaseEmailBackend

from outbox.queue import enqueue


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            enqueue(message)
        return len(email_messages)
