"""Demo yearly reports: 2023, 2024 and 2025 for every demo structure, validated, with the
orders of magnitude of the seeds (a small employment area about 30 people and 9,000 hours, a
metropolitan Maison de l'emploi tens of thousands, a metropolis or a département hundreds of
thousands). One structure is left unreported for 2025 to show the "has not reported" case.
Idempotent: an existing report is left as it is."""

import zlib

from django.utils import timezone

from directory.models import Structure
from observatory.models import ReportAuthorityHours, StructureReport

YEARS = [2023, 2024, 2025]
UNREPORTED_2025 = "Métropole Aix-Marseille-Provence — Pays de Martigues"

# Hours of 2024 and the share of services hours, per structure (others: 12,000 h, 45 %).
SIZES = {
    "PLIE Marseille Provence Métropole Centre": (185_000, 0.42),
    "PLIE Marseille Provence Métropole Ouest": (26_000, 0.40),
    "PLIE Marseille Provence Métropole Est": (31_000, 0.45),
    "Métropole Aix-Marseille-Provence — Pays d'Aix": (64_000, 0.40),
    "Métropole Aix-Marseille-Provence — Pays Salonais": (21_000, 0.38),
    "Métropole Aix-Marseille-Provence — Pays d'Aubagne et de l'Étoile": (17_500, 0.41),
    "Maison de l'Emploi Ouest Provence": (36_000, 0.35),
    "Métropole Aix-Marseille-Provence — Pays de Martigues": (14_500, 0.33),
    "PLIE Arles Crau Camargue Montagnette": (19_000, 0.44),
    "CBE du Seignanx": (9_000, 0.38),
    "Maison de l'Initiative et de l'Emploi Roubaix-Tourcoing-Vallée de la Lys": (41_000, 0.54),
    "Métropole Européenne de Lille — équipe clauses sociales": (310_000, 0.47),
    "Coordination départementale des clauses sociales du Val-d'Oise": (240_000, 0.43),
    "Maison de l'Emploi de la CA Roissy Pays de France": (58_000, 0.50),
}
GROWTH = {2023: 0.88, 2024: 1.0, 2025: 1.09}
HOURS_PER_PERSON = 300  # the Seignanx: about 30 people for 9,000 hours
PUBLIC = [
    ("public_long_term_unemployed", 0.34),
    ("public_minimum_benefits", 0.26),
    ("public_youth", 0.19),
    ("public_disabled", 0.05),
    ("public_over_50", 0.08),
    ("public_siae", 0.05),
]
OUTCOMES = [
    ("outcome_cdi", 0.13),
    ("outcome_cdd", 0.16),
    ("outcome_work_study", 0.07),
    ("outcome_training", 0.10),
]


def _wobble(name, year):
    """A steady pseudo-random factor between 0.93 and 1.07 per structure and year."""
    return 0.93 + (zlib.crc32(f"{name}{year}".encode()) % 1400) / 10_000


def _parts(total, shares, rest):
    values = {name: round(total * share) for name, share in shares}
    values[rest] = max(0, total - sum(values.values()))
    return values


def figures(name, year):
    """The demo figures of one structure and year (breakdowns add up to their totals)."""
    base, services = SIZES.get(name, (12_000, 0.45))
    hours = round(base * GROWTH[year] * _wobble(name, year) / 10) * 10
    people = max(3, round(hours / HOURS_PER_PERSON))
    women = round(people * 0.31)
    under_26 = round(people * 0.29)
    age_50 = round(people * 0.14)
    building = round(hours * (0.95 - services))
    service_hours = round(hours * services)
    result = {
        "hours_total": hours,
        "people_total": people,
        "operations_total": max(1, round(hours / 700)),
        "companies_total": max(1, round(hours / 1100)),
        "authorities_total": 3 if hours < 20_000 else 6,
        "people_women": women,
        "people_men": people - women,
        "age_under_26": under_26,
        "age_26_49": people - under_26 - age_50,
        "age_50_plus": age_50,
        "hours_building": building,
        "hours_services": service_hours,
        "hours_intellectual": hours - building - service_hours,
    }
    result.update(_parts(people, PUBLIC, "public_other"))
    result.update(_parts(people, OUTCOMES, "outcome_other"))
    return result


def authorities_for(structure_name, hours):
    """Hours by contracting authority: the main buyer of the territory, then the others."""
    if "Marseille" in structure_name or "Aix" in structure_name or "Provence" in structure_name:
        main = "Métropole d'Aix-Marseille-Provence"
    elif "Arles" in structure_name:
        main = "Département des Bouches-du-Rhône"
    elif "Roubaix" in structure_name:
        main = "Ville de Roubaix"
    elif "Lille" in structure_name:
        main = "Métropole Européenne de Lille"
    elif "Val-d'Oise" in structure_name or "Roissy" in structure_name:
        main = "Société des grands projets"
    else:
        main = "Communes et intercommunalités du territoire"
    first = round(hours * 0.47)
    second = round(hours * 0.21)
    return [
        (main, first),
        ("Bailleurs sociaux", second),
        ("Autres donneurs d'ordre", hours - first - second),
    ]


def build():
    """Create the missing demo reports; returns how many were created."""
    created = 0
    now = timezone.now()
    for structure in Structure.objects.order_by("name"):
        for year in YEARS:
            if year == 2025 and structure.name == UNREPORTED_2025:
                continue
            if StructureReport.objects.filter(structure=structure, year=year).exists():
                continue
            values = figures(structure.name, year)
            report = StructureReport.objects.create(
                structure=structure,
                year=year,
                status=StructureReport.Status.VALIDATED,
                validated_at=now,
                **values,
            )
            ReportAuthorityHours.objects.bulk_create(
                ReportAuthorityHours(report=report, authority=name, hours=hours, sort_order=i)
                for i, (name, hours) in enumerate(
                    authorities_for(structure.name, values["hours_total"])
                )
            )
            created += 1
    return created
