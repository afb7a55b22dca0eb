"""What the accounts app remembers: the invitations coordinations send, and the self-service
unlock links of locked accounts. Both are single-use links: the row says whether the link was
used, and a new link replaces the previous one."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_nonce():
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """The invitation of one account, sent by a coordination (`accounts.invitations`): a
    colleague joining the coordination, or a facilitator whose account is linked to its record.
    The link it sends carries `nonce`: sending again draws a new one (the previous link stops
    working), choosing the password clears it (the link works once)."""

    class Kind(models.TextChoices):
        COLLEAGUE = "colleague", _("membre de la coordination")
        FACILITATOR = "facilitator", _("facilitateur")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="invitation",
    )
    kind = models.CharField(_("invité comme"), max_length=20, choices=Kind.choices)
    coordination = models.ForeignKey(
        "directory.Coordination",
        verbose_name=_("coordination"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        help_text=_("La coordination qui a invité ce compte."),
    )
    facilitator = models.ForeignKey(
        "directory.Facilitator",
        verbose_name=_("fiche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    nonce = models.CharField(max_length=40, default=new_nonce, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return str(self.user)

    @property
    def expires_at(self):
        return self.sent_at + timedelta(days=settings.ACCOUNT_INVITATION_DAYS)

    @property
    def pending(self):
        return self.accepted_at is None

    @property
    def expired(self):
        return self.pending and timezone.now() >= self.expires_at


class UnlockLink(models.Model):
    """A self-service unlock link sent to the e-mail of a locked account
    (`accounts.lockout`): valid `LOGIN_UNLOCK_LINK_HOURS`, once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unlock_links"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien de déblocage")
        verbose_name_plural = _("liens de déblocage")

    def __str__(self):
        return str(self.user)
