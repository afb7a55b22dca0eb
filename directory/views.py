"""Public views of the directory outside its page: the end of a confirmation reminder
("still accurate": a page whose POST confirms, a GET never changes anything; "something
changed": the record's edit in the admin) and the "Signaler une erreur" form."""

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from directory import error_reports, freshness
from directory.forms import ErrorReportForm
from directory.models import DirectoryPage
from portal.ratelimit import limit_answer, rate_limited, retry_message
from portal.validators import HONEYPOT_FIELD


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


def _directory_links():
    """The published directory page of the current language, and where its communes' pages
    live, for the links back (empty when it is not published)."""
    page = DirectoryPage.objects.live().filter(locale=Locale.get_active()).first()
    url = page.url if page is not None else ""
    return {"directory_url": url, "communes_url": url + "communes/" if url else ""}


@require_http_methods(["GET", "POST"])
def error_report(request):
    """ "Signaler une erreur": the form for the facilitator and/or commune named in the URL
    (`?fiche=<id>&commune=<INSEE code>`); a subject that does not exist is a clear 404 page.
    Only complete reports count in the rate limit: correcting a form is never blocked."""
    subject = error_reports.read_subject(request.GET)
    if subject.problem:
        response = TemplateResponse(
            request,
            "directory/error_report.html",
            {"subject": subject, "form": None, **_directory_links()},
        )
        response.status_code = 400 if subject.problem == "missing" else 404
        return response
    wait = 0
    if request.method == "POST":
        form = ErrorReportForm(request.POST)
        if request.POST.get(HONEYPOT_FIELD):
            # A bot: thanked, nothing kept.
            return redirect(reverse("directory_error_report_thanks"))
        if form.is_valid():
            wait = rate_limited(
                request, "error_report", settings.ERROR_REPORT_RATE_LIMIT, window=3600
            )
            if not wait:
                report = error_reports.submit(subject, form, get_language())
                token = error_reports.thanks_token(report)
                return redirect(
                    reverse("directory_error_report_thanks") + "?" + urlencode({"n": token})
                )
            form.add_error(
                None,
                gettext(
                    "Trop de signalements envoyés depuis votre connexion : %(retry)s "
                    "Votre texte est conservé ci-dessous."
                )
                % {"retry": retry_message(wait)},
            )
    else:
        form = ErrorReportForm()
    response = TemplateResponse(
        request,
        "directory/error_report.html",
        {
            "subject": subject,
            "form": form,
            "recipients": error_reports.recipients(subject),
            "action": request.path + "?" + urlencode(subject.query()),
            "retention_days": error_reports.retention_days(),
            **_directory_links(),
        },
    )
    return limit_answer(response, wait) if wait else response


def error_report_thanks(request):
    """The thank-you page: who will read the report (the token, signed, names it for an
    hour; without it the page only thanks)."""
    report = error_reports.read_thanks_token(request.GET.get("n", ""))
    return TemplateResponse(
        request,
        "directory/error_report_thanks.html",
        {
            "report": report,
            "retention_days": error_reports.retention_days(),
            **_directory_links(),
        },
    )
