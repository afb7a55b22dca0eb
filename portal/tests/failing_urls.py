"""Test-only URLs (`test_error_reporting`): the portal's, plus a form view that fails."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import urlpatterns as portal_urlpatterns


@csrf_exempt
def failing_form(request):
    """A form view that breaks on what the visitor typed (the error's text repeats it, as a
    database error about a unique e-mail would)."""
    raise RuntimeError(f"cannot save {request.POST.get('email')} / {request.POST.get('phone')}")


urlpatterns = [path("test-failure/", failing_form), *portal_urlpatterns]
