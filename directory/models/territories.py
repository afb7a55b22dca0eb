"""Reference territories: régions, départements, EPCI, communes and municipal arrondissements,
with their official codes. Loaded by `manage.py load_territories`, never edited by hand."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.names import normalise


class TerritoryQuerySet(models.QuerySet):
    def communes(self):
        return self.filter(kind=Territory.Kind.COMMUNE)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def by_code(self, code):
        """The commune (or other territory) for an official code; an arrondissement code gives
        its parent commune."""
        code = (code or "").strip().upper()
        # Codes of different levels can coincide (département 93, région 93): most specific
        # first. A code names a handful of territories at most: they are ranked here rather
        # than by an SQL CASE (which costs more to build than the query costs to run).
        found = list(self.filter(code=code).select_related("parent").order_by())
        if not found:
            return None
        territory = min(found, key=lambda t: _specificity(t.kind))
        if territory.kind == Territory.Kind.ARRONDISSEMENT:
            return territory.parent
        return territory

    def search(self, text, kinds=None, limit=20):
        """Territories matching a name (prefix, accent/case/hyphen/article-insensitive), a postal
        code (several communes possible) or an official code. Arrondissements give their
        commune."""
        text = (text or "").strip()
        queryset = self
        if kinds:
            queryset = queryset.filter(kind__in=kinds)
        if not text:
            return queryset.none()
        compact = text.replace(" ", "").upper()
        if re.fullmatch(r"\d{5}", compact):
            # A postal code or an INSEE code: both can be five digits, and only communes and
            # municipal arrondissements have five-digit codes (an arrondissement gives its
            # commune, as `by_code` does). Three index lookups in one query (a UNION: an OR
            # of them would read every commune), then the communes.
            ids = (
                PostalCode.objects.filter(code=compact)
                .values_list("territory_id")
                .union(
                    Territory.objects.filter(kind=Territory.Kind.COMMUNE, code=compact)
                    .order_by()
                    .values_list("pk"),
                    Territory.objects.filter(kind=Territory.Kind.ARRONDISSEMENT, code=compact)
                    .order_by()
                    .values_list("parent_id"),
                )
            )
            return queryset.filter(kind=Territory.Kind.COMMUNE, pk__in=[pk for (pk,) in ids])
        if re.fullmatch(r"(\d[\dAB]\d{3}|\d{9}|\d{2,3}|2[AB])", compact):
            territory = self.by_code(compact)
            return queryset.filter(pk=territory.pk) if territory else queryset.none()
        query = normalise(text)
        if not query:
            return queryset.none()
        results = (
            queryset.exclude(kind=Territory.Kind.ARRONDISSEMENT)
            # The name starts with the query, or one of its words does ("sorgue" finds
            # "isle sur la sorgue"): a prefix search of the indexed keys (`NameKey`).
            .filter(pk__in=NameKey.objects.starting_with(query).values("territory_id"))
            .order_by(
                models.Case(
                    models.When(search_name=query, then=0),
                    models.When(search_name__startswith=query, then=1),
                    default=2,
                ),
                "-population",
            )
        )
        return results[:limit] if limit else results

    def with_parents(self, *names):
        """Join the given parents (default: EPCI, département, région) without their outlines."""
        names = names or ("epci", "departement", "region")
        return self.select_related(*names).defer(*[f"{name}__outline" for name in names])

    def with_outline(self):
        """Territories with their outline loaded (it is left out by default: it is big)."""
        return self.defer(None)

    def containing(self, lon, lat):
        """Communes whose bounding box contains the point; the exact test is
        `Territory.contains_point`."""
        return self.communes().filter(
            min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
        )


SPECIFICITY = ["commune", "arrondissement", "perimeter", "epci", "departement", "region"]


def _specificity(kind):
    return SPECIFICITY.index(kind) if kind in SPECIFICITY else len(SPECIFICITY)


class TerritoryManager(models.Manager.from_queryset(TerritoryQuerySet)):
    """Leaves the outline out unless asked (`with_outline()`): most code needs names and
    codes, and outlines are the bulk of the table."""

    def get_queryset(self):
        return super().get_queryset().defer("outline")


class Territory(models.Model):
    """A région, département, EPCI, commune or municipal arrondissement, with its official code.

    Reference data loaded by `manage.py load_territories`, never edited by hand.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        EPCI = "epci", _("EPCI")
        COMMUNE = "commune", _("Commune")
        ARRONDISSEMENT = "arrondissement", _("Arrondissement municipal")
        PERIMETER = "perimeter", _("Périmètre nommé")

    kind = models.CharField(_("niveau"), max_length=20, choices=Kind.choices, db_index=True)
    code = models.CharField(_("code officiel"), max_length=9, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    epci_type = models.CharField(_("type d'EPCI"), max_length=10, blank=True)
    name_type = models.PositiveSmallIntegerField(
        _("type de nom (TNCC INSEE)"),
        default=0,
        help_text=_("L'article du nom : 2 « le » (du), 3 « la », 4 « les » (des)…"),
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    postal_codes = models.CharField(_("codes postaux"), max_length=400, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("commune de rattachement"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="arrondissements",
    )
    epci = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="epci_communes"
    )
    departement = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    outline = models.JSONField(_("contour (GeoJSON simplifié)"), null=True, blank=True)

    objects = TerritoryManager()

    class Meta:
        verbose_name = _("territoire")
        base_manager_name = "objects"  # related lookups (commune.epci…) skip outlines too
        verbose_name_plural = _("territoires")
        ordering = ["kind", "search_name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_territory_code")
        ]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]

    def __str__(self):
        if self.kind == self.Kind.COMMUNE and self.departement_id:
            return f"{self.name} ({self.departement_code})"
        if self.kind == self.Kind.DEPARTEMENT:
            return f"{self.name} ({self.code})"
        if self.kind == self.Kind.EPCI:
            return f"{self.name} (EPCI {self.code})"
        return f"{self.name} ({self.get_kind_display().lower()})"

    @property
    def departement_code(self):
        """The département code of a commune, read from its INSEE code (no query)."""
        if self.code.startswith("97"):
            return self.code[:3]
        return self.code[:2]

    @property
    def postal_code_list(self):
        return [code for code in self.postal_codes.split(",") if code]

    def contains_point(self, lon, lat):
        """Exact point-in-outline test with shapely (the outline is simplified)."""
        from shapely.geometry import Point, shape

        if not self.outline:
            return False
        return shape(self.outline).covers(Point(lon, lat))


def name_keys(search_name):
    """The keys of a normalised name: the name, then what follows each of its spaces
    ("isle sur la sorgue", "sur la sorgue", "la sorgue", "sorgue"). A name matches a query
    when one of its keys starts with it."""
    keys = [search_name] + [search_name[i + 1 :] for i, c in enumerate(search_name) if c == " "]
    return list(dict.fromkeys(key for key in keys if key))


class NameKeyQuerySet(models.QuerySet):
    def starting_with(self, prefix):
        """Keys starting with `prefix`. The range lets SQLite use the B-tree index (its LIKE
        ignores case, the index does not); PostgreSQL uses its `varchar_pattern_ops` index for
        the LIKE. Both conditions together give exactly the prefix matches."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return self.filter(key__gte=prefix, key__lt=upper, key__startswith=prefix)


class NameKey(models.Model):
    """One key of a territory's normalised name (`name_keys`), so that a name search reads an
    index instead of scanning every name. Kept by `directory.search_index`."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, db_index=True)

    objects = NameKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("clé de nom de territoire")
        verbose_name_plural = _("clés de noms de territoires")

    def __str__(self):
        return self.key


class PostalCode(models.Model):
    """One postal code of a territory (`Territory.postal_codes`), indexed. Kept by
    `directory.search_index`."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, db_index=True)

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")

    def __str__(self):
        return self.code
