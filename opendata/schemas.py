"""What the open-data API accepts and answers, as pydantic schemas: ninja validates the
parameters with them and generates the OpenAPI description from them.

Descriptions are written in French and translated when the description is served
(`opendata.views`); `N_` only marks them for translation."""

from typing import Annotated, Literal

from django.utils.translation import gettext_noop as N_
from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from directory.lookup import MAX_QUERY_LENGTH

# No control characters, C0 or C1 (a NUL byte is refused by PostgreSQL): every free-text
# parameter.
TEXT = r"^[^\x00-\x1f\x7f-\x9f]*$"
# A search: the same, with at least one character that is not a space.
QUERY = r"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
# An optional query parameter: absent, never null (a query string cannot say null).
Optional = SkipJsonSchema[None]

# Official codes: INSEE commune codes (13108, 2A004), arrondissements, départements (13, 2A,
# 971).
COMMUNE_CODE = r"^[0-9A-Za-z]{1,9}$"
DEPARTEMENT_CODE = r"^[0-9A-Za-z]{1,3}$"
# The buyer's id: ASCII digits only ("²" is a digit for Python, not an id), bounded so that it
# fits a database integer (the same rule as `portal.parsing.parse_id`).
AUTHORITY_ID = r"^[0-9]{1,18}$"


# Query parameters every operation takes. (Comments rather than docstrings in this module:
# a docstring would become the schema's description.)
# Values are taken as sent (no whitespace stripped before the patterns apply): what the
# description says is what is accepted.
class Params(Schema):
    model_config = ConfigDict(extra="ignore")

    # A language tag ("fr", "en", "fr-FR"): letters and hyphens, at most 5 characters.
    lang: Annotated[str, StringConstraints(max_length=5, pattern=r"^[A-Za-z-]*$")] | Optional = (
        Field(
            None,
            description=N_(
                "Langue des messages et des explications : fr (par défaut) ou en ; toute autre "
                "valeur donne le français."
            ),
        )
    )


class AuthorityParams(Params):
    authority: Annotated[str, StringConstraints(pattern=AUTHORITY_ID)] | Optional = Field(
        None,
        description=N_(
            "Identifiant du donneur d'ordre (chiffres) : sa propre désignation d'un chef de "
            "file s'applique à ses marchés."
        ),
        examples=["1"],
    )


class LookupParams(AuthorityParams):
    q: str = Field(
        ...,
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        pattern=QUERY,
        description=N_("Nom de commune, code postal, code INSEE ou adresse."),
        examples=["Tarascon"],
    )


class SuggestParams(Params):
    q: str = Field(
        ...,
        min_length=2,
        max_length=MAX_QUERY_LENGTH,
        pattern=QUERY,
        description=N_("Début d'un nom de commune, d'un code postal ou d'un code INSEE."),
        examples=["tara"],
    )


class WhiteZonesParams(Params):
    departement: str = Field(
        ...,
        min_length=1,
        pattern=DEPARTEMENT_CODE,
        description=N_("Code du département (13, 2A, 971…)."),
        examples=["13"],
    )


class LayerParams(Params):
    v: Annotated[str, StringConstraints(max_length=40, pattern=TEXT)] | Optional = Field(
        None,
        description=N_(
            "Version de l'annuaire (celle de l'ETag) : une adresse qui porte la version en "
            "cours peut être gardée un an par le navigateur ; sinon, elle est revalidée à "
            "chaque usage."
        ),
    )


# The results' parameters may be given empty (`?year=&departement=13`): empty is absent.
YEAR = r"^(20[0-9]{2}|2100)?$"
REGION_CODE = r"^([0-9]{2})?$"
STRUCTURE_SLUG = r"^([-a-zA-Z0-9_]{1,120})?$"


class ResultsParams(Params):
    year: Annotated[str, StringConstraints(pattern=YEAR)] | Optional = Field(
        None,
        description=N_(
            "Année des bilans (2000 à 2100) ; sans elle, la dernière année publiée (à défaut, "
            "la dernière qui a des bilans validés)."
        ),
        examples=["2024"],
    )
    departement: Annotated[str, StringConstraints(pattern=r"^([0-9A-Za-z]{1,3})?$")] | Optional = (
        Field(None, description=N_("Code du département (13, 2A, 971…)."), examples=["13"])
    )
    region: Annotated[str, StringConstraints(pattern=REGION_CODE)] | Optional = Field(
        None, description=N_("Code INSEE de la région (93…)."), examples=["93"]
    )
    structure: Annotated[str, StringConstraints(pattern=STRUCTURE_SLUG)] | Optional = Field(
        None,
        description=N_("Identifiant d'adresse d'une structure publiée (la fin de sa page)."),
        examples=["plie-arles-crau-camargue-montagnette"],
    )


# Every response schema refuses unknown fields: the description says all there is.
class Answer(Schema):
    model_config = ConfigDict(extra="forbid")


class Error(Answer):
    error: str = Field(description=N_("Le message d'erreur, dans la langue demandée."))


class ParameterError(Error):
    parameter: str | None = Field(
        None, description=N_("Le paramètre refusé, quand c'est un paramètre.")
    )


class NotFound(Error):
    parameter: str | None = Field(
        None, description=N_("Le paramètre qui ne désigne rien (authority), s'il y a lieu.")
    )


class LookupNotFound(NotFound):
    candidates: list = Field(description=N_("Toujours vide."), max_length=0)


class Epci(Answer):
    code: str
    name: str


class CommuneRef(Answer):
    code: str = Field(description=N_("Code INSEE."))
    name: str
    departement: str | None = Field(description=N_("Code du département."))
    epci: Epci | None = Field(description=N_("L'intercommunalité de la commune, s'il y en a une."))


class TerritoryRef(Answer):
    kind: Literal["region", "departement", "epci", "commune", "arrondissement", "perimeter"]
    code: str
    name: str


class PerimeterRef(Answer):
    code: str = Field(description=N_("Code du périmètre nommé (attribué par le portail)."))
    name: str


class CoordinationRef(Answer):
    name: str
    kind: Literal["departemental", "regional", "national"]
    email: str = Field(description=N_("E-mail (peut être vide)."))
    phone: str = Field(description=N_("Téléphone (peut être vide)."))


class StructureRef(Answer):
    name: str
    kind: str = Field(description=N_("Type de structure (plie, mde, epci, association…)."))


class Facilitator(Answer):
    id: int
    name: str
    job_title: str = Field(description=N_("Fonction (peut être vide)."))
    structure: StructureRef
    email: str
    phone: str = Field(description=N_("Téléphone (peut être vide)."))
    coverage: list[TerritoryRef] = Field(description=N_("Les territoires qu'il couvre."))


STATUS_DESCRIPTION = N_(
    "white : aucun facilitateur ne couvre la commune ; lead : un chef de file est désigné (par "
    "le donneur d'ordre ou pour un territoire) ; contact : aucun chef de file, un seul "
    "facilitateur couvre la commune ; several : plusieurs la couvrent, aucun n'est désigné ; "
    "tied : plusieurs chefs de file sont désignés au même niveau."
)
Status = Literal["white", "lead", "contact", "several", "tied"]
Rule = Literal["authority", "territory"]


# The answer for one commune (and an optional buyer).
class CommuneAnswer(Answer):
    query: str | None = Field(description=N_("La recherche telle que reçue (null par code)."))
    commune: CommuneRef
    status: Status = Field(description=STATUS_DESCRIPTION)
    white_zone: bool = Field(description=N_("Vrai quand aucun facilitateur ne couvre la commune."))
    lead: Facilitator | None = Field(description=N_("Le chef de file désigné (statut lead)."))
    contact: Facilitator | None = Field(
        description=N_("Le seul facilitateur qui couvre la commune (statut contact).")
    )
    leads: list[Facilitator] = Field(
        description=N_("Les chefs de file désignés : un (lead), plusieurs (tied), sinon aucun.")
    )
    rule: Rule | None = Field(
        description=N_(
            "Ce qui a désigné le chef de file : authority (le donneur d'ordre) ou territory "
            "(une désignation territoriale) ; null sans désignation."
        )
    )
    designated_on: TerritoryRef | None = Field(
        description=N_("Le territoire sur lequel porte la désignation retenue.")
    )
    explanation: str = Field(description=N_("La règle appliquée, en une phrase."))
    facilitators: list[Facilitator] = Field(
        description=N_("Tous les facilitateurs qui couvrent la commune, par nom.")
    )
    coordination: CoordinationRef | None = Field(
        description=N_(
            "La coordination qui répond pour la commune : départementale, sinon régionale, "
            "sinon nationale (elle reçoit les projets des zones blanches)."
        )
    )
    perimeters: list[PerimeterRef] = Field(
        description=N_("Les périmètres nommés qui contiennent la commune.")
    )
    candidates: list = Field(description=N_("Toujours vide ici."), max_length=0)


class Candidate(Answer):
    code: str
    name: str
    departement: str | None
    postal_codes: list[str]


class Point(Answer):
    lon: float
    lat: float
    label: str = Field(description=N_("L'adresse comprise par le service d'adresses."))


# The answer to a lookup: one commune (as `CommuneAnswer`), or the candidates to choose from
# (then every field about the commune is null or empty).
class LookupAnswer(CommuneAnswer):
    commune: CommuneRef | None = Field(description=N_("null quand plusieurs communes répondent."))
    status: Status | None = Field(description=STATUS_DESCRIPTION)
    white_zone: bool | None
    explanation: str | None
    candidates: list[Candidate] = Field(
        description=N_("Les communes possibles quand la recherche en désigne plusieurs.")
    )
    point: Point | None = Field(description=N_("Le point trouvé pour une adresse."))
    notice: str | None = Field(
        description=N_("Ce qu'il faut savoir (par exemple : service d'adresses indisponible).")
    )


class Suggestion(Candidate):
    label: str = Field(description=N_("« Tarascon (13) » : ce que la recherche comprend."))


class Suggestions(Answer):
    query: str
    communes: list[Suggestion] = Field(max_length=10)


class DepartementRef(Answer):
    code: str
    name: str


class WhiteZoneCommune(Answer):
    code: str
    name: str
    population: int


class WhiteZones(Answer):
    departement: DepartementRef
    communes: list[WhiteZoneCommune] = Field(description=N_("La plus peuplée d'abord."))
    white_zone_communes: int
    white_zone_population: int
    total_communes: int
    total_population: int
    licence: str


# GeoJSON (RFC 7946). The properties of the map layers are built by `maps.geo`; they are
# described here, other properties may be added later.


class Geometry(Schema):
    type: str = Field(description=N_("Polygon ou MultiPolygon."))
    coordinates: list


class Feature(Schema):
    type: Literal["Feature"]
    id: str | None = None
    geometry: Geometry | None
    properties: dict


class DirectoryFeatureProperties(Answer):
    facilitator_id: int
    facilitator: str
    structure: str
    email: str
    phone: str
    territory_kind: str
    territory_code: str
    territory_name: str


class DirectoryFeature(Feature):
    properties: DirectoryFeatureProperties


class DirectoryCollection(Schema):
    type: Literal["FeatureCollection"]
    licence: str
    features: list[DirectoryFeature]


class DepartementProperties(Schema):
    code: str
    name: str
    population: int
    communes: int
    white_communes: int
    white_population: int
    covered_share: float = Field(description=N_("Part de la population couverte (%)."))
    coverage: str = Field(description=N_("Classe de légende : none, low, mid, high, full."))
    bbox: list[float | None]


class DepartementFeature(Feature):
    properties: DepartementProperties


class DepartementsLayer(Schema):
    type: Literal["FeatureCollection"]
    features: list[DepartementFeature]


class CommuneProperties(Schema):
    code: str
    name: str
    population: int
    status: Status = Field(description=STATUS_DESCRIPTION)
    facilitators: list[int] = Field(description=N_("Identifiants des facilitateurs qui couvrent."))
    leads: list[int] = Field(
        description=N_(
            "Identifiants des personnes que la réponse nomme d'abord : le ou les chefs de file, "
            "ou le contact."
        )
    )
    rule: Rule | None
    lead_territory: str | None = Field(
        description=N_("Code du territoire de la désignation retenue.")
    )
    epci: str | None


class CommuneFeature(Feature):
    properties: CommuneProperties


class CommunesLayer(Schema):
    type: Literal["FeatureCollection"]
    features: list[CommuneFeature]
    departement: DepartementRef
    bbox: list[float | None]


class EpciProperties(Schema):
    code: str
    name: str


class EpciFeature(Feature):
    properties: EpciProperties


class EpciLayer(Schema):
    type: Literal["FeatureCollection"]
    features: list[EpciFeature]


class PerimeterProperties(Schema):
    code: str
    name: str
    population: int
    communes: int = Field(description=N_("Nombre de communes du périmètre."))


class PerimeterFeature(Feature):
    properties: PerimeterProperties


class PerimetersLayer(Schema):
    type: Literal["FeatureCollection"]
    features: list[PerimeterFeature]


# -- results of the observatory (`observatory.consolidation`, `observatory.export`) --------


class FieldErrors(Answer):
    errors: dict[str, str] = Field(
        description=N_("Chaque paramètre refusé, avec son message, dans la langue demandée.")
    )


class ResultRow(Answer):
    annee: int = Field(ge=2000, le=2100)
    niveau: Literal["structure", "departement", "region", "national"]
    code: str = Field(description=N_("Code du territoire, identifiant de la structure ou vide."))
    nom: str
    rubrique: Literal["key", "public", "sex", "age", "sector", "outcome", "authority"]
    indicateur: str = Field(description=N_("Code de l'indicateur (voir le Table Schema)."))
    libelle: str
    valeur: int = Field(ge=0)
    provisoire: bool = Field(
        description=N_("L'année n'est pas encore publiée : ses chiffres vont encore changer.")
    )


class TerritoryCoverage(Answer):
    reported: int = Field(ge=0, description=N_("Structures qui ont un bilan validé."))
    expected: int = Field(ge=0, description=N_("Structures attendues sur le territoire."))
    missing: list[str] = Field(description=N_("Identifiants des structures sans bilan validé."))


class StructureCoverage(Answer):
    reported: bool = Field(description=N_("La structure a-t-elle un bilan validé ?"))


class Results(Answer):
    year: int
    provisional: bool = Field(
        description=N_(
            "true : l'année n'est pas encore publiée (par la coordination nationale, ou parce "
            "qu'assez de structures attendues ont un bilan validé) ; ses chiffres sont "
            "provisoires et vont encore changer."
        )
    )
    level: Literal["structure", "departement", "region", "national"]
    code: str | None = Field(
        description=N_("Code du territoire ou identifiant de la structure ; null au national.")
    )
    coverage: TerritoryCoverage | StructureCoverage
    schema_url: str = Field(
        alias="schema", description=N_("Le Table Schema des lignes (et des fichiers CSV).")
    )
    results: list[ResultRow] = Field(description=N_("Une ligne par chiffre, comme les CSV."))


class TableConstraints(Answer):
    required: bool | Optional = None
    minimum: int | Optional = None
    maximum: int | Optional = None
    enum: list[str] | Optional = None


class TableField(Answer):
    name: str
    type: Literal["string", "integer", "boolean"]
    title: str
    description: str | Optional = None
    constraints: TableConstraints | Optional = None


class TableSchema(Answer):
    schema_url: str = Field(alias="$schema")
    name: str
    title: str
    description: str
    fields: list[TableField]
    missing_values: list[str] = Field(alias="missingValues")
