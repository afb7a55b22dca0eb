"""Mail backends that fail like a mail server that is down, for the failure-path tests."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class DownBackend(EmailBackend):
    """Refuses every message."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(EmailBackend):
    """Accepts the first message of each connection, then fails (a server dying mid-way)."""

    def send_messages(self, messages):
        if getattr(self, "accepted", 0) >= 1:
            raise ConnectionRefusedError(111, "Connection refused")
        self.accepted = getattr(self, "accepted", 0) + 1
        return super().send_messages(messages)


__all__ = ["DownBackend", "FlakyBackend", "mail"]
