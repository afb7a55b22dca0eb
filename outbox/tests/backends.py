"""A mail server that refuses the message for good (5xx)."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPDataError(550, b"Mailbox unavailable")
