"""Example answers shown in the OpenAPI description and on the documentation page (invented
people, as in the demo directory). A test checks each against its response schema."""

FACILITATOR = {
    "id": 1,
    "name": "Camille Arnaud",
    "job_title": "Chargée de mission clauses sociales",
    "structure": {"name": "PLIE du Pays d'Arles", "kind": "plie"},
    "email": "camille.arnaud@example.org",
    "phone": "04 90 00 00 01",
    "coverage": [{"kind": "epci", "code": "241300417", "name": "CA Arles-Crau-Camargue"}],
}
TARASCON = {
    "code": "13108",
    "name": "Tarascon",
    "departement": "13",
    "epci": {"code": "241300417", "name": "CA Arles-Crau-Camargue"},
}
COMMUNE_ANSWER = {
    "query": None,
    "commune": TARASCON,
    "status": "lead",
    "white_zone": False,
    "lead": FACILITATOR,
    "contact": None,
    "leads": [FACILITATOR],
    "rule": "territory",
    "designated_on": {"kind": "epci", "code": "241300417", "name": "CA Arles-Crau-Camargue"},
    "explanation": (
        "Chef de file désigné par la CA Arles-Crau-Camargue pour son territoire. En vigueur "
        "depuis le 1er mars 2026 (Délibération 2026-045 du conseil communautaire)."
    ),
    "facilitators": [FACILITATOR],
    "coordination": {
        "name": "Coordination départementale des clauses sociales des Bouches-du-Rhône",
        "kind": "departemental",
        "email": "coordination.13@example.org",
        "phone": "04 00 00 00 13",
    },
    "perimeters": [],
    "candidates": [],
}

EXAMPLES = {
    "lookup": {**COMMUNE_ANSWER, "query": "Tarascon", "point": None, "notice": None},
    "suggest": {
        "query": "tara",
        "communes": [
            {
                "code": "13108",
                "name": "Tarascon",
                "departement": "13",
                "postal_codes": ["13150"],
                "label": "Tarascon (13)",
            }
        ],
    },
    "commune": COMMUNE_ANSWER,
    "white_zones": {
        "departement": {"code": "13", "name": "Bouches-du-Rhône"},
        "communes": [{"code": "13027", "name": "Châteaurenard", "population": 16000}],
        "white_zone_communes": 1,
        "white_zone_population": 16000,
        "total_communes": 119,
        "total_population": 2043110,
        "licence": "Licence Ouverte / Open Licence 2.0",
    },
    "facilitators_geojson": {
        "type": "FeatureCollection",
        "licence": "Licence Ouverte / Open Licence 2.0",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.6, 43.6], [4.7, 43.6], [4.7, 43.7], [4.6, 43.6]]],
                },
                "properties": {
                    "facilitator_id": 1,
                    "facilitator": "Camille Arnaud",
                    "structure": "PLIE du Pays d'Arles",
                    "email": "camille.arnaud@example.org",
                    "phone": "04 90 00 00 01",
                    "territory_kind": "epci",
                    "territory_code": "241300417",
                    "territory_name": "CA Arles-Crau-Camargue",
                },
            }
        ],
    },
    "map_epci": {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "241300417",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.6, 43.6], [4.7, 43.6], [4.7, 43.7], [4.6, 43.6]]],
                },
                "properties": {"code": "241300417", "name": "CA Arles-Crau-Camargue"},
            }
        ],
    },
    "map_perimeters": {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "AMP-AIX",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[5.3, 43.5], [5.5, 43.5], [5.5, 43.6], [5.3, 43.5]]],
                },
                "properties": {
                    "code": "AMP-AIX",
                    "name": "Pays d'Aix",
                    "population": 400000,
                    "communes": 36,
                },
            }
        ],
    },
    "results": {
        "year": 2025,
        "provisional": False,
        "level": "departement",
        "code": "13",
        "coverage": {
            "reported": 9,
            "expected": 10,
            "missing": ["maison-de-l-emploi-ouest-provence"],
        },
        "schema": "https://clauses-sociales.example.org/api/v1/schemas/results.json",
        "results": [
            {
                "annee": 2025,
                "niveau": "departement",
                "code": "13",
                "nom": "Bouches-du-Rhône",
                "rubrique": "key",
                "indicateur": "hours_total",
                "libelle": "heures d'insertion réalisées",
                "valeur": 412000,
                "provisoire": False,
            },
            {
                "annee": 2025,
                "niveau": "departement",
                "code": "13",
                "nom": "Bouches-du-Rhône",
                "rubrique": "authority",
                "indicateur": "authority_hours",
                "libelle": "Métropole d'Aix-Marseille-Provence",
                "valeur": 98000,
                "provisoire": False,
            },
        ],
    },
}
