"""An uploaded import file kept between its preview and "Apply" (`directory.transfer`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingImport(models.Model):
    """The bytes of an uploaded directory file, kept server-side for the user who sent it
    while they read its preview. The preview page names it by a signed token bound to that
    user and to the file's hash (`transfer.stash`/`transfer.unstash`); it expires after
    `transfer.PREVIEW_MAX_AGE` and is deleted once applied or cancelled. `fingerprint` is the
    digest of the preview the user last saw: "Apply" writes only if the directory would still
    be changed exactly that way."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)
    file_name = models.CharField(_("nom du fichier"), max_length=255)
    content = models.BinaryField(_("contenu"))
    sha256 = models.CharField(_("empreinte du fichier"), max_length=64)
    designated_by = models.CharField(_("désignations faites par"), max_length=200)
    fingerprint = models.CharField(_("empreinte de l'aperçu"), max_length=64)

    class Meta:
        verbose_name = _("import en attente")
        verbose_name_plural = _("imports en attente")

    def __str__(self):
        return self.file_name
