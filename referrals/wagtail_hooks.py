from wagtail import hooks

from referrals.views import project_request_viewset


@hooks.register("register_admin_viewset")
def register_project_requests():
    return project_request_viewset
