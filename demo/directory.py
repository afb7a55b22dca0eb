"""The demo directory (docs/domain.md has its examples): real structures and territories, invented
people (names, example.org e-mails, 01 00 00 00 xx phones). Idempotent."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from directory import error_reports, perimeters
from directory.loading import TerritoryLoader
from directory.models import (
    Absence,
    ContractingAuthority,
    Coordination,
    ErrorReport,
    Facilitator,
    LeadDesignation,
    NamedPerimeter,
    PerimeterMember,
    Structure,
    Territory,
)
from directory.names import normalise

DEMO_DEPARTEMENTS = ["13", "40", "59", "92", "95"]
K = Territory.Kind
AMP = "Métropole d'Aix-Marseille-Provence"

# (structure, kind, person (first, last, title), covers: communes of the département or
# ("epci", code) / ("departement", code), département, designated by — None: no designation)
STRUCTURES = [
    (
        "PLIE Marseille Provence Métropole Centre",
        "plie",
        ("Julien", "Marchand"),
        ["13055"],
        "13",
        "la " + AMP,
    ),
    (
        "PLIE Marseille Provence Métropole Ouest",
        "plie",
        ("Sophie", "Lambert"),
        [
            "Marignane",
            "Saint-Victoret",
            "Gignac-la-Nerthe",
            "Châteauneuf-les-Martigues",
            "Le Rove",
            "Ensuès-la-Redonne",
            "Carry-le-Rouet",
            "Sausset-les-Pins",
        ],
        "13",
        "la " + AMP,
    ),
    (
        "PLIE Marseille Provence Métropole Est",
        "plie",
        ("Nadia", "Ferrand"),
        [
            "Allauch",
            "Plan-de-Cuques",
            "Septèmes-les-Vallons",
            "Cassis",
            "Carnoux-en-Provence",
            "La Ciotat",
            "Ceyreste",
            "Roquefort-la-Bédoule",
            "Gémenos",
        ],
        "13",
        "la " + AMP,
    ),
    (
        "Métropole Aix-Marseille-Provence — Pays d'Aix",
        "collectivite",
        ("Thomas", "Girard"),
        [
            "Aix-en-Provence",
            "Beaurecueil",
            "Bouc-Bel-Air",
            "Cabriès",
            "Châteauneuf-le-Rouge",
            "Coudoux",
            "Éguilles",
            "Fuveau",
            "Gardanne",
            "Gréasque",
            "Jouques",
            "Lambesc",
            "Le Puy-Sainte-Réparade",
            "Les Pennes-Mirabeau",
            "Meyrargues",
            "Meyreuil",
            "Mimet",
            "Peynier",
            "Peyrolles-en-Provence",
            "Puyloubier",
            "Rognes",
            "Rousset",
            "Saint-Antonin-sur-Bayon",
            "Saint-Cannat",
            "Saint-Estève-Janson",
            "Saint-Marc-Jaumegarde",
            "Saint-Paul-lès-Durance",
            "Simiane-Collongue",
            "Trets",
            "Vauvenargues",
            "Venelles",
            "Ventabren",
            "Vitrolles",
            "La Roque-d'Anthéron",
            "Le Tholonet",
        ],
        "13",
        "la " + AMP,
    ),
    (
        "Métropole Aix-Marseille-Provence — Pays Salonais",
        "collectivite",
        ("Laura", "Benoit"),
        [
            "Alleins",
            "Aurons",
            "La Barben",
            "Charleval",
            "Eyguières",
            "La Fare-les-Oliviers",
            "Lamanon",
            "Lançon-Provence",
            "Mallemort",
            "Pélissanne",
            "Rognac",
            "Saint-Chamas",
            "Salon-de-Provence",
            "Sénas",
            "Vernègues",
            "Velaux",
            "Berre-l'Étang",
        ],
        "13",
        "la " + AMP,
    ),
    (
        "Métropole Aix-Marseille-Provence — Pays d'Aubagne et de l'Étoile",
        "collectivite",
        ("Karim", "Roussel"),
        [
            "Aubagne",
            "Auriol",
            "Belcodène",
            "La Bouilladisse",
            "Cadolive",
            "Cuges-les-Pins",
            "La Destrousse",
            "Peypin",
            "Roquevaire",
            "Saint-Savournin",
            "La Penne-sur-Huveaune",
        ],
        "13",
        "la " + AMP,
    ),
    (
        "Maison de l'Emploi Ouest Provence",
        "mde",
        ("Élodie", "Perrin"),
        [
            "Istres",
            "Miramas",
            "Fos-sur-Mer",
            "Port-Saint-Louis-du-Rhône",
            "Cornillon-Confoux",
            "Grans",
        ],
        "13",
        "la " + AMP,
    ),
    (
        "Métropole Aix-Marseille-Provence — Pays de Martigues",
        "collectivite",
        ("Antoine", "Vidal"),
        ["Martigues", "Port-de-Bouc", "Saint-Mitre-les-Remparts"],
        "13",
        "la " + AMP,
    ),
    (
        "PLIE Arles Crau Camargue Montagnette",
        "plie",
        ("Camille", "Arnaud"),
        [("epci", "241300417")],
        "13",
        "la CA Arles-Crau-Camargue-Montagnette",
    ),
    (
        "CBE du Seignanx",
        "association",
        ("Lucie", "Duval"),
        [("epci", "244000659")],
        "40",
        "la CC du Seignanx",
    ),
    (
        "Maison de l'Initiative et de l'Emploi Roubaix-Tourcoing-Vallée de la Lys",
        "mde",
        ("Mehdi", "Caron"),
        [
            "Roubaix",
            "Tourcoing",
            "Wattrelos",
            "Croix",
            "Wasquehal",
            "Hem",
            "Lys-lez-Lannoy",
            "Leers",
            "Halluin",
            "Neuville-en-Ferrain",
            "Comines",
            "Wervicq-Sud",
        ],
        "59",
        "la Métropole Européenne de Lille",
    ),
    (
        "Métropole Européenne de Lille — équipe clauses sociales",
        "epci",
        ("Pauline", "Lefèvre"),
        [("epci", "200093201")],
        "59",
        "la Métropole Européenne de Lille",
    ),
    (
        "Coordination départementale des clauses sociales du Val-d'Oise",
        "association",
        ("Hugo", "Mercier"),
        [("departement", "95")],
        "95",
        "le comité départemental des clauses sociales du Val-d'Oise",
    ),
    (
        "Maison de l'Emploi de la CA Roissy Pays de France",
        "mde",
        ("Inès", "Fontaine"),
        [("epci", "200055655")],
        "95",
        "la CA Roissy Pays de France",
    ),
    # Landes: one facilitator and no designation (status "contact" there); two facilitators
    # and no designation (status "several"). Dax and the rest of Landes stay white.
    (
        "Mont de Marsan Agglomération",
        "epci",
        ("Hugo", "Lemoine"),
        [("epci", "244000808")],
        "40",
        None,
    ),
    (
        "Communauté de communes Maremne Adour Côte Sud",
        "epci",
        ("Claire", "Dumas"),
        [("epci", "244000865")],
        "40",
        None,
    ),
    (
        "Association Chantiers d'insertion Côte Sud (démonstration)",
        "association",
        ("Yanis", "Robert"),
        [("epci", "244000865")],
        "40",
        None,
    ),
]

# The Métropole's territories named as perimeters: the structure whose communes make the
# perimeter, its name and code. Their facilitator is designated once, on the perimeter.
PERIMETERS = {
    "Métropole Aix-Marseille-Provence — Pays d'Aix": ("Pays d'Aix", "AMP-AIX"),
    "Métropole Aix-Marseille-Provence — Pays Salonais": ("Pays Salonais", "AMP-SAL"),
    "Métropole Aix-Marseille-Provence — Pays d'Aubagne et de l'Étoile": (
        "Pays d'Aubagne et de l'Étoile",
        "AMP-AUB",
    ),
    "Maison de l'Emploi Ouest Provence": ("Ouest Provence", "AMP-OP"),
    "Métropole Aix-Marseille-Provence — Pays de Martigues": ("Pays de Martigues", "AMP-MAR"),
}

OFFICER = (
    "Département des Bouches-du-Rhône — direction de l'insertion",
    "departement",
    ("Marion", "Chevalier"),
)

AUTHORITIES = [
    ("Département des Bouches-du-Rhône", "departement", ("departement", "13")),
    (AMP, "epci", ("epci", "200054807")),
    ("Société des grands projets", "public-company", None),
    ("Ville de Roubaix", "commune", ("commune", "59512")),
    ("Bailleur social du Val-d'Oise (démonstration)", "social-landlord", ("departement", "95")),
]


# (name, kind, territories as (kind, code), e-mail, phone): structures' names from the field,
# invented addresses (docs/domain.md, "Coordinations").
COORDINATIONS = [
    (
        "Coordination départementale des clauses sociales du Val-d'Oise",
        "departemental",
        [("departement", "95")],
        "coordination95@example.org",
        "01 00 00 01 95",
    ),
    (
        "Coordination départementale des clauses sociales des Bouches-du-Rhône",
        "departemental",
        [("departement", "13")],
        "coordination13@example.org",
        "01 00 00 01 13",
    ),
    (
        "Mission d'appui au développement des clauses sociales d'Île-de-France",
        "regional",
        [("region", "11")],
        "mission-idf@example.org",
        "01 00 00 01 11",
    ),
    (
        "Réseau Aliéna des clauses sociales de Nouvelle-Aquitaine",
        "regional",
        [("region", "75")],
        "aliena@example.org",
        "01 00 00 01 75",
    ),
    (
        "Coordination nationale des clauses sociales",
        "national",
        [],
        "coordination@example.org",
        "01 00 00 01 00",
    ),
]


class MissingTerritory(Exception):
    pass


def _territory(kind, code):
    territory = Territory.objects.filter(kind=kind, code=code).first()
    if territory is None:
        raise MissingTerritory(f"{kind} {code} is not loaded")
    return territory


def _commune(name_or_code, departement):
    if name_or_code.isdigit():
        return _territory(K.COMMUNE, name_or_code)
    commune = (
        Territory.objects.communes()
        .filter(departement__code=departement, search_name=normalise(name_or_code))
        .first()
    )
    if commune is None:
        raise MissingTerritory(f"commune {name_or_code} ({departement}) is not loaded")
    return commune


@transaction.atomic
def build(load=True):
    """Load the five demo départements (those not loaded yet, if asked) and the demo
    directory; returns how many records were created."""
    if load:
        loaded = set(
            Territory.objects.of_kind(K.DEPARTEMENT)
            .filter(code__in=DEMO_DEPARTEMENTS)
            .values_list("code", flat=True)
        )
        missing = [code for code in DEMO_DEPARTEMENTS if code not in loaded]
        if missing:  # `load_territories` refreshes them on demand
            TerritoryLoader(missing).run()
    created = 0
    for people, (name, kind, (first, last), covers, departement, designated_by) in enumerate(
        STRUCTURES, start=1
    ):
        structure, made = Structure.objects.get_or_create(name=name, defaults={"kind": kind})
        created += made
        facilitator = Facilitator.objects.filter(structure=structure).first()
        perimeter = None
        if name in PERIMETERS:
            communes = [_commune(item, departement) for item in covers]
            perimeter, made = _perimeter(*PERIMETERS[name], communes)
            created += made
        if facilitator is None:
            facilitator = Facilitator(
                first_name=first,
                last_name=last,
                job_title="Facilitatrice clause sociale"
                if first in FEMININE
                else "Facilitateur clause sociale",
                structure=structure,
                email=f"{normalise(first).replace(' ', '')}.{normalise(last).replace(' ', '')}"
                "@example.org",
                phone=f"01 00 00 00 {people:02d}",
                sectors="bâtiment, travaux publics, services",
            )
            territories = (
                [perimeter]
                if perimeter
                else [
                    _territory(K.EPCI if item[0] == "epci" else K.DEPARTEMENT, item[1])
                    if isinstance(item, tuple)
                    else _commune(item, departement)
                    for item in covers
                ]
            )
            facilitator.save()
            facilitator.coverage.set(territories)
            facilitator.save_revision().publish()
            for territory in territories if designated_by else []:
                LeadDesignation.objects.get_or_create(
                    territory=territory,
                    facilitator=facilitator,
                    defaults={"designated_by": designated_by},
                )
            created += 1
        if perimeter:
            _lead_on_perimeter(facilitator, perimeter, communes, designated_by)

    name, kind, (first, last) = OFFICER
    structure, made = Structure.objects.get_or_create(name=name, defaults={"kind": kind})
    officer = Facilitator.objects.filter(structure=structure).first()
    if officer is None:
        officer = Facilitator(
            first_name=first,
            last_name=last,
            job_title="Chargée de mission clause sociale",
            structure=structure,
            email="marion.chevalier@example.org",
            phone="01 00 00 00 99",
            sectors="marchés du Département",
        )
        officer.save()
        officer.save_revision().publish()
        created += 1

    for name, kind, territories, email, phone in COORDINATIONS:
        coordination, made = Coordination.objects.get_or_create(
            name=name, defaults={"kind": kind, "email": email, "phone": phone}
        )
        if made:
            coordination.territories.set([_territory(*item) for item in territories])
            created += 1

    for name, kind, territory in AUTHORITIES:
        authority, made = ContractingAuthority.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "territory": _territory(*territory) if territory else None},
        )
        created += made
        if made and name == "Département des Bouches-du-Rhône":
            authority.lead = officer
            authority.save()
            authority.lead_perimeter.set([_territory(K.DEPARTEMENT, "13")])
    created += _error_reports()
    created += _absence()
    return created


# An absence over today, so that the demo shows a request going to a deputy: the PLIE
# Marseille Provence Métropole Ouest's facilitator is away, the PLIE Est's stands in.
ABSENCE = (("Sophie", "Lambert"), ("Nadia", "Ferrand"), "Congés (absence de démonstration).")


def _absence(today=None):
    """The demo's absence, from two days before `today` (the site's) to twelve days after;
    seeded again once it is over, it moves to the new dates. Returns 1 when it was created
    (else 0); left alone when other absences recorded since fill those days."""
    (first, last), (deputy_first, deputy_last), note = ABSENCE
    absent = Facilitator.objects.filter(first_name=first, last_name=last).first()
    deputy = Facilitator.objects.filter(first_name=deputy_first, last_name=deputy_last).first()
    if absent is None or deputy is None:
        return 0
    today = today or timezone.localdate()
    absence = Absence.objects.filter(facilitator=absent, note=note).first()
    if absence is not None and absence.start <= today <= absence.end:
        return 0
    made = absence is None
    absence = absence or Absence(facilitator=absent, deputy=deputy, note=note)
    absence.start = today - datetime.timedelta(days=2)
    absence.end = today + datetime.timedelta(days=12)
    try:
        absence.full_clean()
    except ValidationError:
        return 0
    absence.save()
    return int(made)


# "Signaler une erreur" (visitor's text, e-mail, status): a facilitator card of Arles's answer,
# Tarascon's and Argenteuil's answers, Lille's (the national coordination's), already fixed.
ERROR_REPORTS = [
    (
        ("Camille", "Arnaud"),
        "13004",
        "Le numéro de téléphone indiqué ne répond plus depuis septembre.",
        "visiteur.arles@example.org",
        ErrorReport.Status.NEW,
    ),
    (
        None,
        "13108",
        "Le PLIE nous a dit couvrir Tarascon, la réponse dit autre chose.",
        "",
        ErrorReport.Status.IN_PROGRESS,
    ),
    (
        None,
        "95018",
        "Argenteuil a son propre facilitateur à la mairie, il n'apparaît pas.",
        "achats.argenteuil@example.org",
        ErrorReport.Status.NEW,
    ),
    (None, "59350", "Il manque le facilitateur de la MEL.", "", ErrorReport.Status.FIXED),
]


def _error_reports():
    """The demo's error reports, routed by the directory's rule (no e-mail is sent)."""
    created = 0
    for name, code, message, email, status in ERROR_REPORTS:
        if ErrorReport.objects.filter(message=message).exists():
            continue
        facilitator = None
        if name is not None:
            first, last = name
            facilitator = Facilitator.objects.filter(first_name=first, last_name=last).first()
        subject = error_reports.Subject(
            facilitator=facilitator, commune=Territory.objects.filter(code=code).first()
        )
        if subject.commune is None:
            continue  # its département is not loaded
        coordinations = error_reports.recipients(subject)
        ErrorReport.objects.create(
            facilitator=facilitator,
            commune=subject.commune,
            subject=subject.label,
            message=message,
            email=email,
            status=status,
            consent_at=timezone.now(),
            coordination=coordinations[0] if coordinations else None,
        )
        created += 1
    return created


def _perimeter(name, code, communes):
    """The named perimeter of these communes, and 1 when it was created (else 0)."""
    perimeter, made = NamedPerimeter.objects.get_or_create(
        code=code, defaults={"name": name, "search_name": normalise(name)}
    )
    for commune in communes:
        PerimeterMember.objects.get_or_create(perimeter=perimeter, territory=commune)
    if made:
        perimeters.refresh(perimeter)
    return perimeter, int(made)


def _lead_on_perimeter(facilitator, perimeter, communes, designated_by):
    """`facilitator` covers the perimeter and is its one designated lead. An older demo
    database had the communes one by one in its coverage and designations: they are replaced
    (a new published revision, only when something changes)."""
    LeadDesignation.objects.get_or_create(
        territory=perimeter, facilitator=facilitator, defaults={"designated_by": designated_by}
    )
    LeadDesignation.objects.filter(facilitator=facilitator, territory__in=communes).delete()
    if list(facilitator.coverage.all()) != [perimeter]:
        facilitator.coverage.set([perimeter])
        facilitator.save()
        facilitator.save_revision().publish()


FEMININE = {
    "Claire",
    "Sophie",
    "Nadia",
    "Laura",
    "Élodie",
    "Camille",
    "Lucie",
    "Pauline",
    "Inès",
    "Marion",
}
