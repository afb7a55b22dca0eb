"""Security headers of every answer: Content-Security-Policy (django-csp) with the admin's own
policy, Permissions-Policy and Cross-Origin-Resource-Policy.

Django's SecurityMiddleware and XFrameOptionsMiddleware add the rest (HSTS in production,
X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy, X-Frame-Options).
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

ADMIN_PREFIX = "/admin/"
# Open data meant to be fetched from other sites (the API sends CORS headers).
CROSS_ORIGIN_PREFIXES = ("/api/",)


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, with `ADMIN_CONTENT_SECURITY_POLICY` under /admin/ (the Wagtail
    admin needs inline scripts and styles; the public site has none). Page previews (Wagtail
    renders them through the whole middleware stack with a dummy request for the page's own
    URL) keep the public policy but may be framed by the admin's preview panel."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        elif getattr(request, "is_dummy", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        shared = request.path_info.startswith(CROSS_ORIGIN_PREFIXES)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", "cross-origin" if shared else "same-origin"
        )
        return response
