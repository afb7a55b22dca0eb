"""The API's JSON for the directory's objects. Every answer field is read from
`directory.coverage.Answer`: no rule is re-derived here."""

from directory.models import Territory


def territory_json(territory):
    return {"kind": territory.kind, "code": territory.code, "name": territory.name}


def facilitator_json(facilitator):
    """A published facilitator, its structure and its coverage (prefetched by the answer)."""
    return {
        "id": facilitator.pk,
        "name": facilitator.full_name,
        "job_title": facilitator.job_title,
        "structure": {"name": facilitator.structure.name, "kind": facilitator.structure.kind},
        "email": facilitator.email,
        "phone": facilitator.phone,
        "coverage": [territory_json(territory) for territory in facilitator.coverage.all()],
    }


def commune_ref(commune):
    return {
        "code": commune.code,
        "name": commune.name,
        "departement": commune.departement.code if commune.departement else None,
        "epci": {"code": commune.epci.code, "name": commune.epci.name} if commune.epci else None,
    }


def answer_json(answer, query=None):
    """The answer for one commune (`coverage.answer`), as `schemas.CommuneAnswer`."""
    return {
        "query": query,
        "commune": commune_ref(answer.commune),
        "status": str(answer.status),
        "white_zone": answer.white_zone,
        "lead": facilitator_json(answer.lead) if answer.lead else None,
        "contact": facilitator_json(answer.contact) if answer.contact else None,
        "leads": [facilitator_json(f) for f in answer.leads],
        "rule": answer.rule,
        "designated_on": territory_json(answer.designated_on) if answer.designated_on else None,
        "explanation": answer.explanation,
        "facilitators": [facilitator_json(f) for f in answer.facilitators],
        "coordination": coordination_json(answer.coordination),
        "perimeters": [{"code": p.code, "name": p.name} for p in answer.perimeters],
        "candidates": [],
    }


def coordination_json(coordination):
    if coordination is None:
        return None
    return {
        "name": coordination.name,
        "kind": coordination.kind,
        "email": coordination.email,
        "phone": coordination.phone,
    }


def candidates_json(query, communes):
    """The lookup's answer when several communes match: nothing about a commune, only the
    candidates."""
    return {
        "query": query,
        "commune": None,
        "status": None,
        "white_zone": None,
        "lead": None,
        "contact": None,
        "leads": [],
        "rule": None,
        "designated_on": None,
        "explanation": None,
        "facilitators": [],
        "coordination": None,
        "perimeters": [],
        "candidates": [candidate_json(commune) for commune in communes],
    }


def candidate_json(commune):
    return {
        "code": commune.code,
        "name": commune.name,
        "departement": commune.departement.code if commune.departement else None,
        "postal_codes": commune.postal_code_list,
    }


def suggestion_json(commune):
    """A candidate with the label the search box shows and the lookup understands back:
    "Tarascon (13)"."""
    return {**candidate_json(commune), "label": f"{commune.name} ({commune.departement_code})"}


def is_commune(territory):
    return territory is not None and territory.kind == Territory.Kind.COMMUNE
