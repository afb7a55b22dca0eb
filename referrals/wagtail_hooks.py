from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from referrals.views import RequestsPanel, project_request_viewset


@hooks.register("register_admin_viewset")
def register_project_requests():
    return project_request_viewset


@hooks.register("construct_homepage_panels")
def add_requests_panel(request, panels):
    if request.user.has_perm("referrals.view_projectrequest"):
        panels.append(RequestsPanel(request))


class RequestFiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("referrals.view_projectrequest")


@hooks.register("register_reports_menu_item")
def register_request_figures_report():
    return RequestFiguresMenuItem(
        _("Demandes : chiffres"), reverse("demandes:figures"), icon_name="table", order=710
    )
