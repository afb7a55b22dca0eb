"""Demo yearly reports: 2023, 2024 and 2025 for every demo structure, validated, with the
orders of magnitude of the seeds (a small employment area about 30 people and 9,000 hours, a
metropolitan Maison de l'emploi tens of thousands, a metropolis or a département hundreds of
thousands). One structure is left unreported for 2025 to show the "has not reported" case.

2026 is a campaign under way (`CAMPAIGN`): a few reports validated, some submitted to their
coordination (the Arles PLIE's, the demo facilitator's, and the Roissy Maison de l'Emploi's,
in Val-d'Oise), some drafts, one refused with its comment, the others not started. So 2026
stays provisional and the public default stays 2025 (published by the share of validated
reports); 2023 and 2024 were published by the national coordination.
Idempotent: an existing report is left as it is."""

import zlib

from django.utils import timezone

from directory.models import Coordination, Structure
from observatory.models import PublishedYear, ReportAuthorityHours, StructureReport

Status = StructureReport.Status
YEARS = [2023, 2024, 2025]
UNREPORTED_2025 = "Métropole Aix-Marseille-Provence — Pays de Martigues"
PUBLISHED_YEARS = [2023, 2024]  # by the national coordination; 2025 by the share rule
CAMPAIGN_YEAR = 2026
# Where the structures stand in the 2026 campaign (others: not started).
CAMPAIGN = {
    "CBE du Seignanx": Status.VALIDATED,
    "Coordination départementale des clauses sociales du Val-d'Oise": Status.VALIDATED,
    "Métropole Européenne de Lille — équipe clauses sociales": Status.VALIDATED,
    "PLIE Marseille Provence Métropole Est": Status.VALIDATED,
    "PLIE Arles Crau Camargue Montagnette": Status.SUBMITTED,
    "Maison de l'Emploi de la CA Roissy Pays de France": Status.SUBMITTED,
    "Maison de l'Initiative et de l'Emploi Roubaix-Tourcoing-Vallée de la Lys": (Status.SUBMITTED),
    "PLIE Marseille Provence Métropole Centre": Status.DRAFT,
    "Métropole Aix-Marseille-Provence — Pays d'Aix": Status.DRAFT,
    "Maison de l'Emploi Ouest Provence": Status.REJECTED,
}
REJECTION = (
    "Les heures par donneur d'ordre ne sont pas réparties : précisez au moins la part de la "
    "Métropole et celle des bailleurs sociaux."
)

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
GROWTH = {2023: 0.88, 2024: 1.0, 2025: 1.09, 2026: 1.14}
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


def planned():
    """[(structure name, year, status)] of the demo reports, for the structures loaded."""
    result = []
    for name in Structure.objects.order_by("name").values_list("name", flat=True):
        for year in YEARS:
            if not (year == 2025 and name == UNREPORTED_2025):
                result.append((name, year, Status.VALIDATED))
        if name in CAMPAIGN:
            result.append((name, CAMPAIGN_YEAR, CAMPAIGN[name]))
    return result


def build():
    """Create the missing demo reports and published years; returns how many were created."""
    created = 0
    now = timezone.now()
    structures = {structure.name: structure for structure in Structure.objects.all()}
    for name, year, status in planned():
        structure = structures[name]
        if StructureReport.objects.filter(structure=structure, year=year).exists():
            continue
        values = figures(structure.name, year)
        report = StructureReport.objects.create(
            structure=structure,
            year=year,
            status=status,
            validated_at=now if status == Status.VALIDATED else None,
            review_comment=REJECTION if status == Status.REJECTED else "",
            **values,
        )
        if status != Status.REJECTED:
            ReportAuthorityHours.objects.bulk_create(
                ReportAuthorityHours(report=report, authority=authority, hours=hours, sort_order=i)
                for i, (authority, hours) in enumerate(
                    authorities_for(structure.name, values["hours_total"])
                )
            )
        created += 1
    national = Coordination.objects.filter(kind=Coordination.Kind.NATIONAL).first()
    publisher = national.members.order_by("pk").first() if national else None
    for year in PUBLISHED_YEARS:
        _record, made = PublishedYear.objects.get_or_create(
            year=year, defaults={"published_by": publisher}
        )
        created += made
    return created
