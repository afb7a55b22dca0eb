"""The signed links of a request's e-mails (Django signing, one salt per purpose, so that a
link made for one purpose is refused for any other):

- `track`: the sender's tracking page; works as long as the request is kept
  (`REFERRAL_RETENTION_DAYS`, after which `purge_requests` deletes it);
- `rate`: the sender's "was this useful?" question, sent on closing;
- `take`, `forward`, `decline`: the handling facilitator's answers from the e-mail, valid
  `ACTION_DAYS` days. Each names the facilitator and the hand-over it was sent for (the
  request's latest received/forwarded/declined/rerouted step): once the request has moved on,
  the link only shows where it stands.

Whether the action is still possible is the lifecycle's rule (`referrals.lifecycle`); this
module only makes and reads the tokens."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

ACTION_DAYS = 30
SENDER_PURPOSES = ("track", "rate")
ACTION_PURPOSES = ("take", "forward", "decline")
URL_NAMES = {
    "track": "referrals:track",
    "rate": "referrals:rate",
    "take": "referrals:take",
    "forward": "referrals:forward",
    "decline": "referrals:decline",
}


def salt(purpose):
    return f"referrals.link.{purpose}"


def max_age(purpose):
    if purpose in ACTION_PURPOSES:
        return datetime.timedelta(days=ACTION_DAYS)
    return datetime.timedelta(days=settings.REFERRAL_RETENTION_DAYS)


def make(purpose, project, **data):
    """A token for `purpose` on `project`, carrying `data` (small, JSON-serialisable)."""
    if purpose not in URL_NAMES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return signing.dumps({"r": project.pk, **data}, salt=salt(purpose), compress=True)


@dataclass
class Link:
    """A token that verified: the request's id and what the token carries."""

    purpose: str
    request_id: int
    data: dict = field(default_factory=dict)


def read(purpose, token):
    """The `Link` a token makes for `purpose`, or None when it is forged, made for another
    purpose, or too old. Never says which."""
    try:
        data = signing.loads(token, salt=salt(purpose), max_age=max_age(purpose))
        request_id = int(data.pop("r"))
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None
    return Link(purpose, request_id, data)


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def url(purpose, project, language="fr", **data):
    """The absolute address of a new link, under the `language` prefix (the sender's
    language for theirs; French for the network's)."""
    with translation.override(language):
        return absolute(reverse(URL_NAMES[purpose], args=[make(purpose, project, **data)]))
