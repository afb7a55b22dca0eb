"""Who may see or change what in the admin: one policy per model, declared in its app's
`policies.py` and asked by every admin view, chooser, export and choice list.

A `Policy` answers, for one model and one user:

- `visible(user, queryset)`: the objects they may list, open, export or read the history of;
  every other object is a 404, as if it did not exist;
- `choosable(user, queryset, purpose=None)`: those a chooser or a form's choice list offers
  them (the visible ones unless the policy says otherwise; a choice list with a rule of its
  own names its `purpose`, and the field carries it as `field.purpose` for the door test);
- `may_change(user, obj)` / `may_delete(user, obj)`: whether they may change or delete one
  visible object (Wagtail's model permissions still apply on top);
- `deletion_refused(user, obj)`: why `obj` may not be deleted now (a sentence naming what
  holds it), or None.

The pieces below apply a policy without the views repeating it: `PolicyViews` (a viewset
mixin: listing, export and every view of one object), the chooser mixins, and `guards` (a
custom admin view that takes an object's id). Forms narrow their choice fields with
`choosable`; the site history leaves out the rows of objects a reader may not see
(`visible_log_entries`). `tests/test_admin_doors.py` walks every admin URL for every
demo role and checks that each one obeys its model's policy; a viewset whose model has no
policy fails it.

This module is on the ground floor: it knows no model. Apps register their policies when
they are ready (`register`).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import redirect
from wagtail.admin.views.generic import IndexView
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.panels import SnippetChooserViewSet

_POLICIES = {}

# Purposes of choice lists whose rule differs from "what the user may see": the user model's
# policy (`accounts`) answers for them.
FOLLOW = "follow"  # who may be named to follow a project request (`referrals`)


class Policy:
    """Who may see or change the objects of `model`. Subclasses define `visible`."""

    model = None
    # Whether the policy narrows objects by territory (or ownership): the door test then
    # checks that every role reaches only its own.
    territorial = True

    def visible(self, user, queryset):
        """The objects of `queryset` that `user` may see."""
        raise NotImplementedError

    def choosable(self, user, queryset, purpose=None):
        """The objects of `queryset` a chooser or choice list offers `user`; `purpose` names
        a choice list with a rule of its own (e.g. "follow": who may follow a request), which
        the policy knows."""
        return self.visible(user, queryset)

    def may_see(self, user, obj):
        if obj is None or obj.pk is None:
            return False
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def may_change(self, user, obj):
        return self.may_see(user, obj)

    def may_delete(self, user, obj):
        return self.may_change(user, obj)

    def deletion_refused(self, user, obj):
        """None when `obj` may be deleted now, else the sentence saying what holds it."""
        return None

    def __repr__(self):
        label = self.model._meta.label if self.model is not None else "?"
        return f"<{type(self).__name__} of {label}>"


class Unrestricted(Policy):
    """Objects that anyone allowed by Wagtail's model permissions sees whole (news
    categories, tags…): no territory applies. `reason` says why, for the reader of the
    registry."""

    territorial = False

    def __init__(self, model, reason):
        self.model = model
        self.reason = reason

    def visible(self, user, queryset):
        return queryset


def register(policy):
    """Declare `policy` (an instance with its `model` set) as the one of its model."""
    model = policy.model
    if model is None:
        raise ValueError(f"{policy!r} has no model")
    current = _POLICIES.get(model)
    if current is not None and type(current) is not type(policy):
        raise ValueError(f"{model._meta.label} already has a policy: {current!r}")
    _POLICIES[model] = policy
    return policy


def policy_for(model):
    """The policy of `model` (for a proxy model without one, its concrete model's), or None."""
    if model is None:
        return None
    return _POLICIES.get(model) or _POLICIES.get(model._meta.concrete_model)


def registered():
    """{model: policy} of every registered policy."""
    return dict(_POLICIES)


def visible(user, queryset):
    """`queryset` narrowed to what `user` may see; unchanged for a model without policy."""
    policy = policy_for(queryset.model)
    return queryset if policy is None else policy.visible(user, queryset)


def choosable(user, queryset, purpose=None):
    """`queryset` narrowed to what `user` may choose (for `purpose`); unchanged for a model
    without policy."""
    policy = policy_for(queryset.model)
    return queryset if policy is None else policy.choosable(user, queryset, purpose)


def get_visible_or_404(user, model, pk):
    """The object of `model` with primary key `pk` if `user` may see it; else Http404."""
    try:
        return visible(user, model._default_manager.all()).get(pk=unquote(str(pk)))
    except (model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def guards(model, pk="pk"):
    """Decorate a custom admin view that takes the id of a `model` object in its URL
    argument `pk`: outside the user's policy, it answers 404 before the view runs. The
    door test reads `view.guarded_model` to know what the argument names."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if kwargs.get(pk) is not None:
                get_visible_or_404(request.user, model, kwargs[pk])
            return view(request, *args, **kwargs)

        guarded.guarded_model = model
        guarded.guarded_argument = pk
        return guarded

    return decorate


class PolicyViews:
    """A Wagtail viewset mixin: the listing (and its CSV/XLSX export) shows what the model's
    policy makes visible; every view of one object (edit, delete, copy, history, revisions,
    workflow, preview, usage, inspect, lock…) answers 404 for an object outside it; the
    deletion of an object the policy holds back is refused with its sentence."""

    def construct_view(self, view_class, **kwargs):
        if issubclass(view_class, IndexView):
            view_class = _policed_index(view_class)
        view = super().construct_view(view_class, **kwargs)
        model = self.model
        deleting = view_class is getattr(self, "delete_view_class", None)
        edit_url_name = self.get_url_name("edit") if hasattr(self, "get_url_name") else None

        @wraps(view)
        def policed(request, *args, **view_kwargs):
            pk = view_kwargs.get("pk")
            if pk is not None:
                obj = get_visible_or_404(request.user, model, pk)
                if deleting:
                    refused = policy_for(model).deletion_refused(request.user, obj)
                    if refused:
                        messages.error(request, refused)
                        return redirect(edit_url_name, obj.pk)
            return view(request, *args, **view_kwargs)

        policed.guarded_model = model
        policed.guarded_argument = "pk"
        return policed


def _policed_index(view_class):
    """`view_class` (a listing, with its export and its results fragment) narrowed to what
    the model's policy makes visible."""

    class PolicedIndexView(view_class):
        def get_base_queryset(self):
            return visible(self.request.user, super().get_base_queryset())

    PolicedIndexView.__name__ = view_class.__name__
    PolicedIndexView.__qualname__ = view_class.__qualname__
    return PolicedIndexView


class PolicyChooserMixin:
    """Choose and chosen views of a chooser: only what the policy lets the user choose."""

    def get_object_list(self, *args, **kwargs):
        return choosable(self.request.user, super().get_object_list(*args, **kwargs))


class PolicyChosenMixin:
    """The "chosen" view of a chooser: 404 for what the user may not choose."""

    def get_object(self, pk):
        model = self.model_class
        try:
            return choosable(self.request.user, model._default_manager.all()).get(
                pk=unquote(str(pk))
            )
        except (model.DoesNotExist, ValueError, TypeError) as error:
            raise Http404 from error


class PolicyChosenMultipleMixin:
    def get_objects(self, pks):
        return choosable(self.request.user, super().get_objects(pks))


class PolicyChooseView(PolicyChooserMixin, snippet_choosers.ChooseView):
    pass


class PolicyChooseResultsView(PolicyChooserMixin, snippet_choosers.ChooseResultsView):
    pass


class PolicyChosenView(PolicyChosenMixin, snippet_choosers.SnippetChosenView):
    pass


class PolicyChosenMultipleView(
    PolicyChosenMultipleMixin, snippet_choosers.SnippetChosenMultipleView
):
    pass


class PolicySnippetChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser that offers only what the model's policy lets the user choose."""

    choose_view_class = PolicyChooseView
    choose_results_view_class = PolicyChooseResultsView
    chosen_view_class = PolicyChosenView
    chosen_multiple_view_class = PolicyChosenMultipleView


class PolicySnippetViewSet(PolicyViews, SnippetViewSet):
    """A snippet viewset whose every view, listing, export and chooser obey the model's
    policy."""

    chooser_viewset_class = PolicySnippetChooserViewSet


# -- The site history --------------------------------------------------------------------


def visible_log_entries(user, queryset):
    """The audit-log rows of `queryset` (Wagtail's `ModelLogEntry`) that `user` may read:
    for every model with a policy, the rows of objects outside what the policy lets them
    see (or deleted since, when the policy narrows at all) are left out — as if those
    objects did not exist, like everywhere else. A model whose policy shows `user`
    everything costs nothing; for the others, the policy is asked about the objects the log
    names (a short, flat query each). Other log models (pages') are returned as they are:
    Wagtail's page permissions already apply to them."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import ValidationError
    from django.db.models import Q
    from wagtail.models import ModelLogEntry

    if queryset.model is not ModelLogEntry:
        return queryset
    hidden = Q()
    for model, policy in registered().items():
        everything = model._default_manager.all()
        if policy.visible(user, everything) is everything:  # kept whole: nothing to hide
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        logged = set(
            queryset.filter(content_type=content_type)
            .order_by()
            .values_list("object_id", flat=True)
            .distinct()
        )
        if not logged:
            continue
        pks, unreadable = {}, []
        for object_id in logged:
            try:
                pks[model._meta.pk.to_python(object_id)] = object_id
            except ValidationError:
                unreadable.append(object_id)
        seen = set(
            policy.visible(user, everything.filter(pk__in=list(pks))).values_list("pk", flat=True)
        )
        out = unreadable + [object_id for pk, object_id in pks.items() if pk not in seen]
        if out:
            hidden |= Q(content_type=content_type, object_id__in=out)
    return queryset.exclude(hidden) if hidden else queryset


def log_users(user):
    """The people whose entries `user` may read in the site history (its user filter lists
    them and no one else)."""
    from django.contrib.auth import get_user_model
    from wagtail.log_actions import registry as log_registry

    ids = set()
    for log_model in log_registry.get_log_entry_models():
        entries = visible_log_entries(user, log_model.objects.viewable_by_user(user))
        ids |= entries.get_user_ids()
    ids.discard(None)
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name")
