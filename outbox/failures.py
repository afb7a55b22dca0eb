"""Why an e-mail did not leave, in words a coordinator reads: the worker stores the technical
error ("ConnectionRefusedError: [Errno 111] Connection refused", "SMTPRecipientsRefused:
{'x@example.org': (550, b'5.1.1 User unknown')}"); screens show `explain(error)` instead
("Le serveur de messagerie est injoignable."). The technical text stays in the logs and the
database for whoever maintains the mail server."""

import re

from django.utils.translation import gettext as _

_CODE = re.compile(r"\((\d{3}),")


def _smtp_code(detail):
    """The SMTP reply code in a stored error ("(550, b'…')"), or None."""
    match = _CODE.search(detail)
    return int(match.group(1)) if match else None


def explain(error):
    """One sentence saying why a message was not sent, from the error the outbox stored
    (`OutgoingMessage.last_error`); "" when there is none."""
    error = (error or "").strip()
    if not error:
        return ""
    kind, _sep, detail = error.partition(":")
    kind, detail = kind.strip(), detail.strip()
    code = _smtp_code(detail)
    lower = error.lower()

    if "cannot encode" in lower or kind == "UnicodeEncodeError":
        return _("Adresse e-mail impossible à écrire : le message ne peut pas partir tel quel.")
    if kind == "SMTPRecipientsRefused":
        if code is not None and 400 <= code < 500:
            return _(
                "Le serveur du destinataire refuse le message pour l'instant ; un nouvel essai "
                "est prévu."
            )
        return _("Adresse refusée par le serveur du destinataire.")
    if kind == "SMTPSenderRefused":
        return _("Adresse d'expédition du portail refusée par le serveur de messagerie.")
    if kind == "SMTPAuthenticationError":
        return _(
            "Le serveur de messagerie a refusé l'identification du portail (identifiant ou mot "
            "de passe de l'envoi)."
        )
    if code == 552 or "too large" in lower:
        return _("Message trop volumineux pour le serveur de messagerie.")
    if kind in ("TimeoutError", "timeout", "socket.timeout") or "timed out" in lower:
        return _("Le serveur de messagerie n'a pas répondu à temps.")
    if kind in ("ConnectionRefusedError", "SMTPConnectError", "gaierror") or (
        "connection refused" in lower or "name or service not known" in lower
    ):
        return _("Le serveur de messagerie est injoignable.")
    if kind in ("SMTPServerDisconnected", "ConnectionResetError", "BrokenPipeError"):
        return _("Le serveur de messagerie a coupé la connexion.")
    if error == "Worker stopped while sending":
        return _("L'envoi a été interrompu (arrêt du service d'envoi) ; un nouvel essai est prévu.")
    if code is not None and 400 <= code < 500:
        return _("Le serveur de messagerie a demandé de réessayer plus tard.")
    if code is not None and code >= 500:
        return _("Message refusé par le serveur de messagerie.")
    if kind in ("OSError", "ConnectionError"):
        return _("Le serveur de messagerie n'a pas répondu.")
    return _(
        "Erreur d'envoi inattendue : la personne qui gère le serveur de messagerie en a le détail."
    )
