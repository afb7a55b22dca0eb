"""Who may see the outbox's messages: whoever holds the "view outgoing message" permission
sees them all (they are the site's, not a territory's); resending one takes the "change"
permission."""

from portal import policies


def register():
    from outbox.models import OutgoingMessage

    policies.register(
        policies.Unrestricted(
            OutgoingMessage,
            reason="The site's outgoing e-mails belong to no territory: the 'view outgoing "
            "message' permission gives them all, 'change' lets one be sent again.",
        )
    )
