from wagtail import hooks

from referrals.views import RequestsPanel, project_request_viewset


@hooks.register("register_admin_viewset")
def register_project_requests():
    return project_request_viewset


@hooks.register("construct_homepage_panels")
def add_requests_panel(request, panels):
    if request.user.has_perm("referrals.view_projectrequest"):
        panels.append(RequestsPanel(request))
