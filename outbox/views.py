"""The dashboard's "Renvoyer" buttons: a message given up on is queued again, once its cause
is fixed (what `send_outbox --retry-failed` does from a terminal)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from outbox import queue
from outbox.models import OutgoingMessage
from portal import policies

PERMISSION = "outbox.change_outgoingmessage"


def may_resend(user):
    return user.has_perm(PERMISSION)


@require_POST
@policies.guards(OutgoingMessage, pk="pk")
def resend(request, pk):
    """Queue one failed message again (it leaves with the worker's next run)."""
    if not may_resend(request.user):
        raise PermissionDenied
    message = policies.get_visible_or_404(request.user, OutgoingMessage, pk)
    if queue.retry_failed(OutgoingMessage.objects.filter(pk=message.pk)):
        messages.success(
            request,
            _("L'e-mail « %(subject)s » à %(recipients)s repart : il sera envoyé d'ici une minute.")
            % {"subject": message.subject, "recipients": message.recipients},
        )
    else:
        messages.info(request, _("Cet e-mail n'est plus en échec : rien à renvoyer."))
    return redirect("wagtailadmin_home")


@require_POST
def resend_all(request):
    """Queue every failed message again."""
    if not may_resend(request.user):
        raise PermissionDenied
    count = queue.retry_failed(policies.visible(request.user, OutgoingMessage.objects.all()))
    messages.success(
        request,
        ngettext(
            "%(count)s e-mail repart : il sera envoyé d'ici une minute.",
            "%(count)s e-mails repartent : ils seront envoyés d'ici une minute.",
            count,
        )
        % {"count": count},
    )
    return redirect("wagtailadmin_home")
