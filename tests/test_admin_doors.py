"""Every door of the admin obeys its model's policy, for every demo account.

The test finds the doors itself: it walks every URL the admin registers (Wagtail's own, every
viewset's, every chooser's, every custom view's) and, for each account `seed_demo` creates,

- opens every object URL (edit, delete, copy, history, revisions, workflow, preview, usage,
  inspect, chosen, custom actions…) with an object the account's policy hides, by GET and by
  POST: the answer is a refusal (403, 404, or a redirect away) and the object is unchanged;
- opens every listing, report, chooser and form page: no server error; no link to an object
  the policy hides; every model choice field of every form on the page offers only what the
  policy lets the account choose (a field's current value excepted); the listing's CSV export
  names no hidden object;
- opens the forms of objects the account may see, with the same check of their choice lists.

A URL whose object argument the test cannot tie to a model, a model reachable in the admin
without a policy (`portal.policies`), or an argument it does not know fails the test with a
sentence saying what to do: a new view cannot slip past it. What Wagtail's own permissions
govern (pages, images, documents, workflows, users…) is listed below with the reason.
"""

import html
import io
import re
from collections import defaultdict
from functools import cache
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.forms import BaseForm, BaseFormSet, ModelChoiceField
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from wagtail.admin.viewsets import viewsets

from portal import policies

pytestmark = pytest.mark.django_db

# Namespaces (or URL names) whose objects Wagtail's own permissions govern, and why; their
# listings are still opened by every account (no server error), their object URLs are not.
WAGTAIL_GOVERNED = {
    "wagtailadmin_pages": "pages: Wagtail's page permissions (portal/editorial.py)",
    "wagtailadmin_explore": "pages: Wagtail's page permissions",
    "wagtailadmin_explore_results": "pages: Wagtail's page permissions",
    "wagtailadmin_choose_page_child": "pages: Wagtail's page permissions",
    "wagtailadmin_api": "pages, images, documents: Wagtail's permissions",
    "wagtailadmin_workflows": "workflows and tasks: Wagtail's permissions (superusers)",
    "wagtailadmin_collections": "collections: Wagtail's collection permissions",
    "wagtailimages": "images: Wagtail's collection permissions",
    "wagtailimages_chooser": "images: Wagtail's collection permissions",
    "wagtaildocs": "documents: Wagtail's collection permissions",
    "wagtaildocs_chooser": "documents: Wagtail's collection permissions",
    "wagtailforms": "form submissions: Wagtail's page permissions",
    "wagtailredirects": "redirects: Wagtail's model permissions (superusers)",
    "wagtailsites": "sites: Wagtail's model permissions (superusers)",
    "wagtaillocales": "languages: Wagtail's model permissions (superusers)",
    "wagtailusers_groups": "groups: Wagtail's model permissions (superusers)",
    "wagtailsettings": "site settings: Wagtail's settings permissions",
    "wagtail_localize": "translations: wagtail-localize checks the page's permissions",
    "wagtailadmin_password_reset_confirm": "a password reset link: no object of ours",
    "wagtailadmin_editing_sessions:release": "the user's own editing session",
    "translation_alias_refused": "refuses everyone: an alias would publish untranslated text",
}

# URL names never opened: the first ends the session, the second is Wagtail's deliberate
# server error (to try error reporting).
NOT_OPENED = {"wagtailadmin_logout", "wagtailadmin_error_test"}

# Arguments that name one object by its primary key.
OBJECT_ARGUMENTS = {"pk", "object_id"}


def _revision(obj):
    revision = getattr(obj, "latest_revision", None)
    return revision.pk if revision is not None else 1


def _state(obj, name):
    from wagtail.models import TaskState, WorkflowState

    states = WorkflowState.objects.for_instance(obj) if hasattr(obj, "workflow_states") else None
    state = states.order_by("-pk").first() if states is not None else None
    if name == "workflow_state_id":
        return state.pk if state else 1
    task_state = TaskState.objects.filter(workflow_state=state).order_by("-pk").first()
    if name == "task_state_id":
        return task_state.pk if task_state else 1
    return task_state.task_id if task_state else 1


def _actions():
    """The names of the actions taken on one object by URL: a request's, an account's."""
    from accounts import team
    from referrals import inbox

    return sorted(set(inbox.LABELS) | set(team.ACTIONS))


# The values tried for every other argument of an object URL (a list: each is tried).
OTHER_ARGUMENTS = {
    "revision_id": lambda obj: [_revision(obj)],
    "revision_id_a": lambda obj: ["earliest"],
    "revision_id_b": lambda obj: ["latest"],
    "workflow_state_id": lambda obj: [_state(obj, "workflow_state_id")],
    "task_state_id": lambda obj: [_state(obj, "task_state_id")],
    "task_id": lambda obj: [_state(obj, "task_id")],
    "action_name": lambda obj: ["approve", "reject"],
    "action": lambda obj: _actions(),
    "session_id": lambda obj: [1],
    # A second account named beside a coordination (removing a member): the first account.
    "account": lambda obj: [get_user_model().objects.order_by("pk").first().pk],
}
# The values of the arguments of URLs that name no object.
PLAIN_ARGUMENTS = {
    "fmt": ["csv", "xlsx", "geojson"],
    "token": ["unknown-token"],
}


def walk(patterns, prefix="", namespaces=()):
    """(route, full URL name, pattern) of every URL pattern under `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                namespaces + ((pattern.namespace,) if pattern.namespace else ()),
            )
        elif isinstance(pattern, URLPattern):
            name = ":".join([*namespaces, pattern.name]) if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


def arguments(pattern):
    """The names of a URL pattern's arguments."""
    regex = pattern.pattern.regex
    names = list(regex.groupindex)
    return names + ["<positional>"] * (regex.groups - len(names))


@cache
def viewsets_by_namespace():
    get_resolver().url_patterns  # noqa: B018 -- the viewsets register with the URLs
    found = {}
    for viewset in viewsets.viewsets:
        try:
            found[viewset.url_namespace] = viewset
        except Exception:  # noqa: BLE001 -- a viewset without URLs (Wagtail's pages)
            continue
    return found


@cache
def admin_doors():
    """Every admin URL: (name, arguments, model or None, argument naming the object)."""
    doors = []
    for route, name, pattern in walk(get_resolver().url_patterns):
        if not route.startswith("admin/"):
            continue
        names = arguments(pattern)
        assert name or not names, f"The admin URL {route} has arguments and no name."
        name = name or "/" + route.replace("^", "").replace("$", "")
        model, argument = None, None
        guarded = getattr(pattern.callback, "guarded_model", None)
        if guarded is not None and pattern.callback.guarded_argument in names:
            model, argument = guarded, pattern.callback.guarded_argument
        else:
            viewset = viewsets_by_namespace().get(name.rpartition(":")[0])
            found = set(names) & OBJECT_ARGUMENTS
            if (
                found
                and viewset is not None
                and hasattr(viewset.model, "_meta")
                and not (governed(name))
            ):
                model, argument = viewset.model, found.pop()
        doors.append((route, name, names, model, argument))
    return doors


def url_policy(name, model):
    """The policy a URL obeys for `model`: the one its viewset declares (`viewset.policy`, a
    chooser of public reference data…), else the model's."""
    viewset = viewsets_by_namespace().get(name.rpartition(":")[0])
    declared = getattr(viewset, "policy", None)
    if declared is not None and declared.model is model:
        return declared
    return policies.policy_for(model)


def governed(name):
    namespace = name.split(":")[0]
    return WAGTAIL_GOVERNED.get(name) or WAGTAIL_GOVERNED.get(namespace)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo site, built once for this module inside a transaction rolled back at the end;
    yields its accounts, by username."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        accounts = {
            user.username: user
            for user in get_user_model().objects.filter(is_active=True).order_by("username")
            if user.has_usable_password()
        }
        yield accounts
        transaction.set_rollback(True)


def model_of_arguments(kwargs):
    """The model named by `app_label`/`app_name` and `model_name` arguments, if any."""
    app_label = kwargs.get("app_label") or kwargs.get("app_name")
    if app_label and kwargs.get("model_name"):
        return apps.get_model(app_label, kwargs["model_name"])
    return None


class Visit:
    """One account's view of the admin: what its policies let it see and choose."""

    def __init__(self, user):
        self.user = user
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.failures = []

    def __hash__(self):
        return id(self)

    @cache  # noqa: B019 -- one Visit per test
    def visible_ids(self, model, policy=None):
        policy = policy or policies.policy_for(model)
        objects = model._default_manager.all()
        return set(policy.visible(self.user, objects).values_list("pk", flat=True))

    @cache  # noqa: B019
    def choosable_ids(self, model, purpose=None, policy=None):
        policy = policy or policies.policy_for(model)
        objects = model._default_manager.all()
        return set(policy.choosable(self.user, objects, purpose).values_list("pk", flat=True))

    def reachable_ids(self, model, name):
        """What a URL may show: a chooser's "chosen" view what the account may choose, any
        other view what it may see (by the policy its viewset declares, else the model's)."""
        policy = url_policy(name, model)
        if name.rpartition(":")[2].startswith("chosen"):
            return self.choosable_ids(model, policy=policy)
        return self.visible_ids(model, policy=policy)

    def hidden(self, model, count=2, name=""):
        """Up to `count` objects of `model` the account may not reach through URL `name`
        (first and last)."""
        ids = model._default_manager.exclude(pk__in=self.reachable_ids(model, name))
        first, last = ids.order_by("pk").first(), ids.order_by("-pk").first()
        return [obj for obj in {first, last} if obj is not None][:count]

    def seen(self, model):
        ids = self.visible_ids(model)
        return model._default_manager.filter(pk__in=ids).order_by("pk").first() if ids else None

    def fail(self, message):
        self.failures.append(message)

    def get(self, url, **extra):
        response = self.client.get(url, **extra)
        if response.status_code >= 500:
            self.fail(f"GET {url}: server error {response.status_code}")
        return response

    def refused(self, response):
        # A redirect is checked by the object being unchanged and by the GET's content.
        return response.status_code in (301, 302, 403, 404, 405)


def fingerprint(obj):
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    return None if fresh is None else repr(sorted(model_to_dict(fresh).items(), key=str))


def fill(names, obj, model):
    """Every combination of values for a URL's arguments, `obj` being the object named."""
    combinations = [{}]
    for name in names:
        if name in OBJECT_ARGUMENTS:
            values = [obj.pk]
        elif name in ("app_label", "app_name"):
            values = [model._meta.app_label]
        elif name == "model_name":
            values = [model._meta.model_name]
        elif name in OTHER_ARGUMENTS:
            values = OTHER_ARGUMENTS[name](obj)
        else:
            raise AssertionError(
                f"The door test does not know the URL argument '{name}': add the values to "
                "try to OTHER_ARGUMENTS in tests/test_admin_doors.py."
            )
        combinations = [{**c, name: value} for c in combinations for value in values]
    return combinations


ADMIN_PATH = re.compile(r"/admin/[^\s\"'<>\\]*")


def linked_objects(body):
    """(model, pk, URL) of every admin object URL found in a page or a JSON answer."""
    for path in set(ADMIN_PATH.findall(body.replace("\\/", "/"))):
        path = urlsplit(path).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        kwargs = match.kwargs
        model = getattr(match.func, "guarded_model", None)
        argument = getattr(match.func, "guarded_argument", None)
        if model is None:
            viewset = viewsets_by_namespace().get(match.namespace)
            found = set(kwargs) & OBJECT_ARGUMENTS
            if viewset is None or not found or not hasattr(viewset.model, "_meta"):
                model = model_of_arguments(kwargs)
                found = set(kwargs) & OBJECT_ARGUMENTS
                if model is None or not found:
                    continue
            else:
                model = viewset.model
            argument = found.pop()
        if policies.policy_for(model) is None or kwargs.get(argument) is None:
            continue
        yield model, kwargs[argument], path, f"{match.namespace}:{match.url_name}"


def forms_in(context):
    """Every form of a rendered page's context (forms, formsets' forms, filter sets' forms,
    action lists' forms)."""
    seen, found = set(), []

    def add(value, depth=0):
        if id(value) in seen or depth > 2:
            return
        seen.add(id(value))
        if isinstance(value, BaseForm):
            if "__prefix__" in (value.prefix or ""):
                return  # a formset's empty form: a template for scripts, never validated
            found.append(value)
            for formset in getattr(value, "formsets", {}).values():
                add(formset, depth + 1)
        elif isinstance(value, BaseFormSet):
            # Its forms (not its empty form: a template for scripts, never validated).
            for form in value.forms:
                add(form, depth + 1)
        elif isinstance(value, list | tuple):
            for item in value[:50]:
                add(item, depth + 1)
        elif isinstance(getattr(value, "form", None), BaseForm):
            add(value.form, depth + 1)

    for layer in context or []:
        for dictionary in getattr(layer, "dicts", [layer]):
            if isinstance(dictionary, dict):
                for value in dictionary.values():
                    add(value)
    return found


def check_page(visit, url, response, name=""):
    """No link to a hidden object; every choice list offers only what may be chosen."""
    if response.status_code != 200:
        return
    body = response.content.decode(errors="replace")
    for model, pk, path, url_name in linked_objects(body):
        try:
            pk = model._meta.pk.to_python(pk)
        except Exception:  # noqa: BLE001 -- a malformed id in a link is not ours to judge
            continue
        if pk not in visit.reachable_ids(model, url_name):
            visit.fail(f"{url} links to {path}: a {model._meta.label} the account may not reach")
    for form in forms_in(response.context):
        for field_name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField) or field.queryset is None:
                continue
            model = field.queryset.model
            if policies.policy_for(model) is None:
                continue
            current = form.initial.get(field_name)
            current = current if isinstance(current, list | tuple) else [current]
            kept = {getattr(value, "pk", value) for value in current if value is not None}
            offered = set(field.queryset.values_list("pk", flat=True))
            purpose = getattr(field, "purpose", None)
            policy = url_policy(name, model)
            wrong = offered - visit.choosable_ids(model, purpose, policy) - kept
            if wrong:
                names = [str(o) for o in model._default_manager.filter(pk__in=list(wrong)[:3])]
                visit.fail(
                    f"{url}: the field '{field_name}' offers {len(wrong)} {model._meta.label} the "
                    f"account may not choose, e.g. {names}"
                )


# Models whose hidden objects' names must appear in no page, export or download of the
# account (territories are left out: their names are public and appear as context).
NAMED_MODELS = ("directory.Facilitator", "directory.Structure", "directory.NamedPerimeter")


@cache
def signatures(visit, chooser=None):
    """{name: model label} of the objects the account may not see (in a chooser of
    `chooser`, the model's objects it may not choose), leaving out names that are part of an
    allowed one's ("Ouest Provence" in "Maison de l'Emploi Ouest Provence")."""
    hidden, allowed = {}, set()
    for label in NAMED_MODELS:
        model = apps.get_model(label)
        ids = visit.choosable_ids(model) if model is chooser else visit.visible_ids(model)
        allowed |= {str(o) for o in model._default_manager.filter(pk__in=ids)}
        for obj in model._default_manager.exclude(pk__in=ids):
            hidden[str(obj)] = label
    return {
        name: label
        for name, label in hidden.items()
        if len(name) >= 8 and not any(name in other for other in allowed)
    }


def check_names(visit, url, response, name=""):
    """A page, export or download names no object the account may not see (no object of a
    chooser's model it may not choose)."""
    if response.status_code != 200 or response.get("Content-Type", "").startswith(
        ("application/vnd.openxmlformats", "application/zip")
    ):
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = html.unescape(content.decode("utf-8-sig", errors="replace"))
    chooser = None
    if "choose" in name.rpartition(":")[2]:
        viewset = viewsets_by_namespace().get(name.rpartition(":")[0])
        chooser = getattr(viewset, "model", None)
    for hidden, label in signatures(visit, chooser).items():
        if hidden in text:
            visit.fail(f"{url} names {hidden!r}, a {label} the account may not see")


def check_export(visit, url, viewset):
    """The listing's CSV export names no hidden object."""
    if not getattr(viewset, "list_export", None) or not policies.policy_for(viewset.model):
        return
    check_names(visit, url + "?export=csv", visit.get(url + "?export=csv"))


def open_object_doors(visit, route, name, names, model, argument):
    """An object URL, with objects the account may not see (refused, unchanged) and with
    one it may see (its forms checked)."""
    if policies.policy_for(model) is None:
        visit.fail(
            f"{route} ({name}) reaches {model._meta.label}, which has no policy: register one "
            f"in {model._meta.app_label}/policies.py (portal.policies)."
        )
        return
    for obj in visit.hidden(model, name=name):
        for kwargs in fill(names, obj, model):
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            before = fingerprint(obj)
            for method in ("get", "post"):
                response = getattr(visit.client, method)(url)
                if response.status_code >= 500 or not visit.refused(response):
                    visit.fail(
                        f"{method.upper()} {url} ({name}) answers {response.status_code} for a "
                        f"{model._meta.label} the account may not see"
                    )
                elif (
                    method == "get"
                    and len(str(obj)) >= 8
                    and str(obj) in response.content.decode(errors="replace")
                ):
                    visit.fail(f"GET {url} shows {obj!r}, which the account may not see")
            if fingerprint(obj) != before:
                visit.fail(f"POST {url} ({name}) changed {obj!r}, which the account may not see")
    obj = visit.seen(model)
    if obj is not None and name.rpartition(":")[2] in ("edit", "inspect", "copy", "action"):
        for kwargs in fill(names, obj, model)[:4]:
            url = reverse(name, kwargs=kwargs)
            check_page(visit, url, visit.get(url), name)


def open_model_doors(visit, route, name, names):
    """A URL naming a model by app label and model name (bulk actions, editing sessions,
    translation of snippets…): tried for every model with a policy."""
    for model, policy in policies.registered().items():
        if not policy.territorial:
            continue
        for obj in visit.hidden(model, count=1):
            plain = {n: PLAIN_ARGUMENTS.get(n, [None])[0] for n in names}
            for kwargs in fill([n for n in names if n not in PLAIN_ARGUMENTS], obj, model):
                kwargs = {**{k: v for k, v in plain.items() if v is not None}, **kwargs}
                try:
                    url = reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    continue
                if "bulk" in name:
                    url += f"?id={obj.pk}"
                before = fingerprint(obj)
                response = visit.client.get(url)
                if response.status_code >= 500 or response.status_code == 200:
                    visit.fail(f"GET {url} answers {response.status_code} for hidden {obj!r}")
                visit.client.post(url)
                if fingerprint(obj) != before:
                    visit.fail(f"POST {url} changed {obj!r}, which the account may not see")


def open_plain_door(visit, route, name, names):
    """A URL naming no object: opened with each known value of its arguments."""
    combinations = [{}]
    for argument in names:
        if argument not in PLAIN_ARGUMENTS:
            visit.fail(
                f"{route} ({name}) takes '{argument}', which the door test cannot tie to a "
                "model: guard the view with portal.policies.guards(Model, pk=…) or add the "
                "argument's values to PLAIN_ARGUMENTS in tests/test_admin_doors.py."
            )
            return
        combinations = [{**c, argument: v} for c in combinations for v in PLAIN_ARGUMENTS[argument]]
    for kwargs in combinations:
        url = name if name.startswith("/") else reverse(name, kwargs=kwargs)
        response = visit.get(url)
        check_page(visit, url, response, name)
        check_names(visit, url, response, name)
        viewset = viewsets_by_namespace().get(name.rpartition(":")[0])
        if viewset is not None and name.rpartition(":")[2] in ("index", "list"):
            check_export(visit, url, viewset)


def roles():
    from demo import builder

    names = [builder.DEMO_ADMIN[0], builder.DEMO_COORDINATOR[0]]
    names += [entry[0] for entry in builder.DEMO_COORDINATIONS]
    names += [builder.DEMO_FACILITATOR[0], builder.DEMO_WRITER[0], builder.DEMO_MODERATOR[0]]
    return names


def test_every_admin_door_is_known():
    """Every admin URL with arguments is tied to a model with a policy, names a model by its
    app and name, takes only known plain arguments, or is governed by Wagtail."""
    unknown = []
    for route, name, names, model, _argument in admin_doors():
        if not names or governed(name) or model is not None:
            continue
        if {"app_label", "model_name"} <= set(names) or {"app_name", "model_name"} <= set(names):
            continue
        if set(names) <= set(PLAIN_ARGUMENTS):
            continue
        unknown.append(f"{route} ({name}): arguments {names}")
    assert not unknown, "Admin URLs the door test cannot tie to a policy:\n" + "\n".join(unknown)
    models = {model for *_rest, model, _argument in admin_doors() if model is not None}
    missing = sorted(m._meta.label for m in models if policies.policy_for(m) is None)
    assert not missing, f"Admin models without a policy (portal.policies): {missing}"


@pytest.mark.parametrize("username", roles())
def test_every_admin_door_obeys_the_policy(demo, username):
    assert username in demo, f"seed_demo no longer creates the account {username}"
    visit = Visit(demo[username])
    for route, name, names, model, argument in admin_doors():
        if name in NOT_OPENED:
            continue
        if model is not None:
            open_object_doors(visit, route, name, names, model, argument)
        elif governed(name) and names:
            continue
        elif {"model_name"} <= set(names):
            open_model_doors(visit, route, name, names)
        else:
            open_plain_door(visit, route, name, names)
    failures = sorted(set(visit.failures))
    assert not failures, f"{len(failures)} doors let {username} through:\n" + "\n".join(failures)


def test_the_walk_finds_the_doors_it_must(demo):
    """The walk sees the viewsets' object URLs, their choosers and the custom views, so a
    missing guard would be found."""
    by_name = {name: (model, argument) for _r, name, _n, model, argument in admin_doors()}
    from directory.models import Facilitator, NamedPerimeter

    assert by_name["wagtailsnippets_directory_facilitator:edit"] == (Facilitator, "pk")
    assert by_name["wagtailsnippets_directory_namedperimeter:copy"] == (NamedPerimeter, "pk")
    assert by_name["wagtailsnippetchoosers_directory_facilitator:chosen"][0] is Facilitator
    counts = defaultdict(int)
    for _route, _name, _names, model, _argument in admin_doors():
        counts[model is not None] += 1
    assert counts[True] > 100 and counts[False] > 100
