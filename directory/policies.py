"""Who may see, change, delete or choose each record of the directory: one `portal.policies`
policy per model, all built on the territorial scope (`directory.scope.Scope`).

- Superusers and the national coordination: everything.
- A departmental or regional coordination: what lies inside its territory (the rules of
  `Scope`), and its own coordination; a record outside it is a 404 in every view, absent from
  every listing, export and chooser.
- A facilitator account: its own record, its absences and its structure; it may choose any
  published facilitator (a deputy, someone to hand a request to): the public directory shows
  them all.

A record that others depend on is never deleted from under them: a structure that employs
facilitators, a named perimeter that carries coverage, designations or a buyer's perimeter.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from directory.models import (
    Absence,
    AuthorityPerimeter,
    ContractingAuthority,
    Coordination,
    ErrorReport,
    Facilitator,
    FacilitatorTerritory,
    LeadDesignation,
    NamedPerimeter,
    Structure,
    Territory,
    TerritoryChange,
)
from directory.scope import scope_for
from portal import policies


class ScopePolicy(policies.Policy):
    """The records of one directory model that lie inside the user's scope."""

    def __init__(self, model):
        self.model = model

    def visible(self, user, queryset):
        return scope_for(user).filter(queryset)


class FacilitatorPolicy(ScopePolicy):
    """Facilitators inside the scope; a facilitator account sees and changes its own record
    only, but may also choose the published facilitators (its deputy during an absence):
    what they are is public."""

    def choosable(self, user, queryset, purpose=None):
        if scope_for(user).proposes:
            return queryset.filter(Q(pk__in=scope_for(user).own) | Q(live=True))
        return self.visible(user, queryset)


class ProposablePolicy(ScopePolicy):
    """Records inside the scope; a facilitator account proposing a change of its own record
    (its coverage, its structure, its structure's partners) may choose any, since its
    coordination reviews the proposal before anything is published."""

    def choosable(self, user, queryset, purpose=None):
        if scope_for(user).proposes:
            return queryset
        return self.visible(user, queryset)


class PerimeterPolicy(ScopePolicy):
    """Named perimeters lie inside a territory when all their communes do; one that carries
    coverage, lead designations or a buyer's perimeter is not deleted before they are moved
    or removed."""

    def visible(self, user, queryset):
        return scope_for(user).territories(queryset)

    def deletion_refused(self, user, obj):
        holders = perimeter_holders(obj)
        if not holders:
            return None
        return format_html(
            "{} <ul>{}</ul>",
            _(
                "Le périmètre « %(name)s » ne peut pas être supprimé : ces fiches s'en "
                "servent. Retirez-le de chacune (ou remplacez-le), puis recommencez."
            )
            % {"name": obj.name},
            format_html_join("", '<li><a href="{}">{}</a></li>', holders),
        )


def perimeter_holders(perimeter):
    """(admin URL, label) of every record that uses `perimeter`: facilitators covering it,
    lead designations on it, buyers whose perimeter holds it."""
    found = []
    for item in FacilitatorTerritory.objects.filter(territory=perimeter).select_related(
        "facilitator"
    ):
        found.append(
            (
                reverse("wagtailsnippets_directory_facilitator:edit", args=[item.facilitator_id]),
                _("Couverture de %(name)s") % {"name": item.facilitator},
            )
        )
    for designation in LeadDesignation.objects.filter(territory=perimeter).select_related(
        "facilitator"
    ):
        found.append(
            (
                reverse("wagtailsnippets_directory_leaddesignation:edit", args=[designation.pk]),
                _("Désignation de %(name)s comme chef de file") % {"name": designation.facilitator},
            )
        )
    for item in AuthorityPerimeter.objects.filter(territory=perimeter).select_related("authority"):
        found.append(
            (
                reverse(
                    "wagtailsnippets_directory_contractingauthority:edit",
                    args=[item.authority_id],
                ),
                _("Périmètre du donneur d'ordre %(name)s") % {"name": item.authority},
            )
        )
    return found


class StructurePolicy(ProposablePolicy):
    """A structure that still employs facilitators is not deleted."""

    def deletion_refused(self, user, obj):
        names = [str(f) for f in obj.facilitators.all()[:10]]
        if not names:
            return None
        return _(
            "La structure « %(structure)s » ne peut pas être supprimée : elle emploie "
            "encore %(names)s. Rattachez ces facilitateurs à une autre structure, ou "
            "supprimez-les, puis recommencez."
        ) % {"structure": obj, "names": ", ".join(names)}


class CoordinationPolicy(ScopePolicy):
    """Every coordination for superusers and the national coordination; its own for a member
    of a territorial coordination (its team is managed from "Mon équipe"), which changes or
    deletes none: their territories and members are the national coordination's."""

    def visible(self, user, queryset):
        scope = scope_for(user)
        if scope.everything:
            return queryset
        if not scope.territorial:
            return queryset.none()
        return queryset.filter(pk__in=user.coordinations.values("pk"))

    def may_change(self, user, obj):
        return scope_for(user).everything and self.may_see(user, obj)


class TerritoryChangePolicy(ScopePolicy):
    """What `load_territories` changed: the national coordination sees every change; a
    territorial one those of communes of its départements (by the old code's département,
    or the new one's)."""

    def visible(self, user, queryset):
        scope = scope_for(user)
        if scope.everything:
            return queryset
        if not scope.territorial:
            return queryset.none()
        codes = list(scope.departements_of().values_list("code", flat=True))  # "13", "2A", "971"
        inside = Q(pk__in=[])
        for code in codes:
            inside |= Q(code__startswith=code) | Q(new_code__startswith=code)
        return queryset.filter(inside)


def register():
    """Declare the directory's policies (called when the app is ready)."""
    for model in (LeadDesignation, ErrorReport):
        policies.register(ScopePolicy(model))
    for model in (Territory, ContractingAuthority):
        policies.register(ProposablePolicy(model))
    # A facilitator account records its own absences (no proposal to approve: an absence
    # changes no public answer); a coordination those of the records in its scope.
    policies.register(ScopePolicy(Absence))
    policies.register(FacilitatorPolicy(Facilitator))
    policies.register(CoordinationPolicy(Coordination))
    policies.register(StructurePolicy(Structure))
    policies.register(PerimeterPolicy(NamedPerimeter))
    policies.register(TerritoryChangePolicy(TerritoryChange))
