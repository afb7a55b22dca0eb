from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models

from portal import policies, translations


@hooks.register("register_admin_menu_item")
def register_site_link():
    """A link back to the public site, for editors who land in the admin first."""
    return MenuItem(_("Voir le site"), "/", icon_name="site", order=10000)


class PolicedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk deletion of snippets, for every model with a policy
    (`portal.policies`): objects the user may not see are neither named on the confirmation
    page nor deleted, as if they did not exist (a selection of none visible is a 404)."""

    @classproperty
    def models(cls):
        return [model for model in get_snippet_models() if policies.policy_for(model)]

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        user = self.request.user

        def seen(items):
            if not items:
                return []
            kept = set(
                policies.visible(
                    user, self.model._default_manager.filter(pk__in=[o.pk for o in items])
                ).values_list("pk", flat=True)
            )
            return [item for item in items if item.pk in kept]

        objects = seen(objects)
        no_access = seen(extra.get("items_with_no_access", []))
        if not objects and not no_access:
            raise Http404
        return objects, {**extra, "items_with_no_access": no_access}


# After Wagtail's own (order 0): the registry keeps the last one per model and action.
hooks.register("register_bulk_action", PolicedDeleteBulkAction, order=100)


@hooks.register("before_bulk_action")
def keep_bulk_actions_to_the_policy(request, action_type, objects, action_class_instance):
    """A bulk action (publish, delete…) touching an object the user may not see is refused
    as a whole; a bulk deletion of objects their policy holds back (a perimeter in use…) is
    refused with the policy's sentences, nothing deleted."""
    refused = []
    for obj in objects:
        policy = policies.policy_for(type(obj))
        if policy is None:
            continue
        if not policy.may_see(request.user, obj):
            raise PermissionDenied
        if action_type == "delete":
            reason = policy.deletion_refused(request.user, obj)
            if reason:
                refused.append(reason)
    if refused:
        for reason in refused:
            messages.error(request, reason)
        viewset = getattr(action_class_instance.model, "snippet_viewset", None)
        listing = reverse(viewset.get_url_name("list")) if viewset else None
        return redirect(get_valid_next_url_from_request(request) or listing or "wagtailadmin_home")
    return None


# Translations are published through the review workflow only (`portal.translations`).
hooks.register("construct_page_action_menu", translations.hide_refused_actions)
