"""Keeps an admin session without its second factor out of the Wagtail admin."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts import twofactor

# Admin views reachable before the second factor: signing in and out, the verification page,
# what those pages load, and the pages reached by a link from an e-mail (an invitation, an
# unlock link).
ALWAYS_OPEN = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "accounts_verify",
    "accounts_invitation",
    "accounts_unlock_request",
    "accounts_unlock",
}


class SecondFactorMiddleware:
    """For a signed-in user on an admin URL (after django-otp's OTPMiddleware):

    - verified with a device this session: nothing to do;
    - has a confirmed device: sent to the verification page;
    - no device and `twofactor.second_factor_required`: sent to the enrolment page;
    - otherwise (second factor optional): let through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not request.path_info.startswith(
            reverse("wagtailadmin_home")
        ):
            return None
        name = getattr(request.resolver_match, "url_name", None)
        if name in ALWAYS_OPEN or user.is_verified():
            return None
        if twofactor.has_device(user):
            return redirect_to_login(request.get_full_path(), reverse("accounts_verify"))
        if name == "accounts_enrol":
            return None
        if twofactor.second_factor_required(user):
            return redirect_to_login(request.get_full_path(), reverse("accounts_enrol"))
        return None
