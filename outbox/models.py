"""The outbox: every e-mail the site sends is stored here first, then delivered by the
`send_outbox` worker."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMessage(models.Model):
    """One e-mail waiting to leave, sent, or given up on."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("À envoyer")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec définitif")

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    # A caller's name for the message ("referrals.request:12:sender"): queued at most once.
    key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    subject = models.CharField(_("objet du message"), max_length=300)
    recipients = models.TextField(_("destinataires"))
    payload = models.BinaryField()  # the pickled django.core.mail.EmailMessage
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {self.recipients}"

    @property
    def failure_reason(self):
        """Why it did not leave, as a sentence (`outbox.failures.explain`)."""
        from outbox.failures import explain

        return explain(self.last_error)
