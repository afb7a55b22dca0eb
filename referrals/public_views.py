"""The pages the signed links of a request's e-mails open, without any account: the sender's
tracking page and "was this useful?", the facilitator's one-step answers ("I take it",
"forward to…", "decline"). A GET shows, a POST acts. A wrong or expired link gets the same
page as any unknown address, saying nothing about any request. These pages are private:
never cached, not indexed, and the token never leaves in a Referer header.

They are exempt from Django's CSRF check, on purpose: with `Referrer-Policy: no-referrer` a
browser posts the form with `Origin: null`, which that check refuses; and the signed token
in the address already is the secret a forged cross-site form could not know."""

from functools import wraps

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from referrals import lifecycle
from referrals.forms import DeclineForm, ForwardForm, RatingForm
from referrals.policies import handover_targets


def private_page(view):
    """GET and POST only, never cached, `noindex`, no Referer leaving with the token, the
    token as the only CSRF protection (see above)."""

    @wraps(view)
    @csrf_exempt
    @never_cache
    @require_http_methods(["GET", "POST"])
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def not_found(request):
    """The answer to a wrong or expired link: the same for every one of them."""
    return TemplateResponse(request, "referrals/link_not_found.html", status=404)


def history(project):
    return project.events.filter(public=True).select_related(
        "facilitator__structure", "coordination"
    )


@private_page
def track(request, token):
    reading = lifecycle.read_sender_link("track", token)
    if reading.project is None:
        return not_found(request)
    project = reading.project
    return TemplateResponse(
        request,
        "referrals/track.html",
        {"project": project, "handler": project.handler(), "events": history(project)},
    )


@private_page
def rate(request, token):
    reading = lifecycle.read_sender_link("rate", token)
    if reading.project is None:
        return not_found(request)
    project, done, status = reading.project, False, 200
    form = RatingForm(request.POST or None) if reading.possible else None
    if form is not None and request.method == "POST":
        if form.is_valid():
            try:
                project = lifecycle.rate(
                    project, form.cleaned_data["rating"], form.cleaned_data["comment"]
                )
                done, form = True, None
            except lifecycle.TransitionRefused as refusal:
                form.add_error(None, str(refusal))
        if form is not None:
            status = 400
    return TemplateResponse(
        request,
        "referrals/rate.html",
        {"project": project, "form": form, "done": done},
        status=status,
    )


def _action(request, token, purpose, form_class=None, act=None):
    """The common frame of the facilitator's answers: read the link, show the request and
    the form while the action is possible, act on a valid POST, else show the state."""
    reading = lifecycle.read_action_link(purpose, token)
    if reading.project is None:
        return not_found(request)
    project, facilitator = reading.project, reading.facilitator
    form, done, status = None, False, 200
    if reading.possible:
        extra = {}
        if form_class is ForwardForm:
            near, others = handover_targets(project)
            extra = {"project": project, "near": near, "others": others}
        data = request.POST if request.method == "POST" else None
        form = form_class(data, **extra) if form_class else None
        if request.method == "POST":
            if form is None or form.is_valid():
                try:
                    project = act(project, facilitator, form)
                    done, form = True, None
                except lifecycle.TransitionRefused as refusal:
                    if form is None:
                        status = 409
                    else:
                        form.add_error(None, str(refusal))
            if form is not None:
                status = 400
    return TemplateResponse(
        request,
        "referrals/action.html",
        {
            "purpose": purpose,
            "project": project,
            "facilitator": facilitator,
            "possible": reading.possible,
            "form": form,
            "done": done,
            "handler": project.handler(),
            "events": project.events.select_related("facilitator__structure", "coordination"),
            "title": {
                "take": _("Je m'en occupe"),
                "forward": _("Transmettre ce projet"),
                "decline": _("Décliner ce projet"),
            }[purpose],
        },
        status=status,
    )


def _who(facilitator):
    return {"by": facilitator.user, "label": facilitator.full_name}


@private_page
def take(request, token):
    return _action(
        request,
        token,
        "take",
        act=lambda project, facilitator, form: lifecycle.acknowledge(project, **_who(facilitator)),
    )


@private_page
def forward(request, token):
    def act(project, facilitator, form):
        to_facilitator, to_coordination = form.target()
        return lifecycle.forward(
            project,
            to_facilitator=to_facilitator,
            to_coordination=to_coordination,
            message=form.cleaned_data["message"],
            **_who(facilitator),
        )

    return _action(request, token, "forward", ForwardForm, act)


@private_page
def decline(request, token):
    return _action(
        request,
        token,
        "decline",
        DeclineForm,
        lambda project, facilitator, form: lifecycle.decline(
            project, form.cleaned_data["reason"], **_who(facilitator)
        ),
    )
