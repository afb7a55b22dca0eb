from django.middleware.csrf import get_token
from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.components import Component

from outbox import views
from outbox.models import OutgoingMessage

Status = OutgoingMessage.Status


class OutboxPanel(Component):
    """Dashboard panel: e-mails that failed for good, and those waiting for a retry."""

    name = "outbox"
    template_name = "outbox/dashboard_panel.html"
    order = 30

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        failed = OutgoingMessage.objects.filter(status=Status.FAILED).order_by("-created_at")
        return {
            "request": self.request,
            "csrf_token": get_token(self.request),
            "may_resend": views.may_resend(self.request.user),
            "failed": list(failed[:10]),
            "failed_count": failed.count(),
            "retrying": OutgoingMessage.objects.filter(
                status=Status.QUEUED, attempts__gt=0
            ).count(),
        }


@hooks.register("construct_homepage_panels")
def add_outbox_panel(request, panels):
    """Only for who may read the outbox (it holds personal data), and only when something
    went wrong."""
    if not request.user.has_perm("outbox.view_outgoingmessage"):
        return
    problems = OutgoingMessage.objects.filter(status=Status.FAILED).exists() or (
        OutgoingMessage.objects.filter(status=Status.QUEUED, attempts__gt=0).exists()
    )
    if problems:
        panels.append(OutboxPanel(request))


@hooks.register("register_admin_urls")
def register_outbox_urls():
    return [
        path("outbox/<int:pk>/resend/", views.resend, name="outbox_resend"),
        path("outbox/resend-all/", views.resend_all, name="outbox_resend_all"),
    ]
