"""The public end of a confirmation reminder: "still accurate" (a page whose POST confirms; a
GET never changes anything) and "something changed" (the record's edit in the admin)."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from directory import freshness


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    reading = freshness.read_token(token)
    confirmed = False
    if reading.facilitator is not None and not reading.problem and request.method == "POST":
        reading.facilitator = freshness.confirm(reading.facilitator)
        confirmed = True
    response = TemplateResponse(
        request,
        "directory/confirm.html",
        {"reading": reading, "confirmed": confirmed, "token": token},
    )
    if reading.problem in ("expired", "invalid", "replaced"):
        response.status_code = 400
    return response


def change(request, token):
    reading = freshness.read_token(token)
    if reading.facilitator is None or reading.problem in ("expired", "invalid"):
        response = TemplateResponse(
            request, "directory/confirm.html", {"reading": reading, "token": token}
        )
        response.status_code = 400
        return response
    return redirect(
        reverse("wagtailsnippets_directory_facilitator:edit", args=[reading.facilitator.pk])
    )
