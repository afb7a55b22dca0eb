"""Territory names: INSEE articles and the normalised form used for search."""

import re
import unicodedata

# INSEE "type de nom en clair" (TNCC): the article that goes before a commune's name.
ARTICLES = {0: "", 1: "", 2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}

_LEADING_ARTICLE = re.compile(r"^(l|le|la|les|aux|las|los) ")


def with_article(name, tncc):
    """The display name of a commune: "Ciotat" with TNCC 3 is "La Ciotat"."""
    return f"{ARTICLES.get(int(tncc or 0), '')}{name}"


def normalise(text):
    """Lower case, no accents, hyphens and apostrophes as spaces, no leading article.

    "LA CIOTAT", "la ciotat" and "Ciotat" all give "ciotat"; "L'Isle-sur-la-Sorgue" gives
    "isle sur la sorgue"; "St-Victoret" stays "st victoret".
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"[-'’`_.,/]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _LEADING_ARTICLE.sub("", text, count=1)


# INSEE TNCC → the "of" form in French ("charnière"): "département des Bouches-du-Rhône".
CHARNIERES = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "des ",
    7: "de las ",
    8: "de los ",
}
# The definite article a French body's name takes, by its first word ("la CA …").
_FEMININE = {
    "ca",
    "cc",
    "cu",
    "communauté",
    "commune",
    "coordination",
    "direction",
    "maison",
    "métropole",
    "mission",
    "mairie",
    "région",
    "société",
    "ville",
    "préfecture",
    "régie",
    "caisse",
    "chambre",
    "fédération",
    "plateforme",
    "cellule",
    "délégation",
    "structure",
}
_PLURAL = {"hospices", "hôpitaux"}
_OWN_ARTICLE = re.compile(r"^(le|la|les|l['’])\s*", re.IGNORECASE)
_VOWEL = re.compile(r"^([aeiouyàâäéèêëîïôöûüœ]|h[oôaâ]pit|habitat|hôtel)", re.IGNORECASE)
# French intercommunalities, abbreviated or in full ("CA Arles-Crau-Camargue-Montagnette",
# "Communauté d'agglomération d'Arles-Crau-Camargue-Montagnette"), and their English nouns:
# "the Arles-Crau-Camargue-Montagnette urban community".
_OF = r"(?:de la |de l'|du |des |de |d')?"
EPCI_FORMS = [
    ("CA", re.compile(rf"^(?:CA|Communauté d'agglomération) {_OF}(.+)$"), "urban community"),
    ("CU", re.compile(rf"^(?:CU|Communauté urbaine) {_OF}(.+)$"), "urban community"),
    ("CC", re.compile(rf"^(?:CC|Communauté de communes) {_OF}(.+)$"), "community of communes"),
    ("ME", re.compile(r"^Métropole [Ee]uropéenne de (.+)$"), "European Metropolis of"),
    ("ME", re.compile(rf"^Métropole {_OF}(.+)$"), "metropolis"),
]


def epci_parts(name):
    """(type, core name, English noun) of an intercommunality's name, abbreviated or in full;
    (None, name, None) for other names."""
    name = without_article(name)
    for kind, pattern, noun in EPCI_FORMS:
        match = pattern.match(name)
        if match:
            return kind, match.group(1), noun
    return None, name, None


def same_body(first, second):
    """True when two names designate the same body ("la CA X" and "Communauté
    d'agglomération de X")."""
    one, other = epci_parts(first), epci_parts(second)
    return (one[0], normalise(one[1])) == (other[0], normalise(other[1]))


def without_article(name):
    """The name without a leading French article ("la Métropole …" → "Métropole …")."""
    return _OWN_ARTICLE.sub("", (name or "").strip(), count=1)


def french_definite(name):
    """A French body's name with its definite article: "le Département des Bouches-du-Rhône",
    "la CA Arles-Crau-Camargue-Montagnette", "l'Agence …". A name that already starts with an
    article is kept as written."""
    name = (name or "").strip()
    if not name or _OWN_ARTICLE.match(name):
        return name
    first = name.split()[0].lower().strip(",")
    if first in _PLURAL:
        return f"les {name}"
    if _VOWEL.match(first):
        return f"l'{name}"
    return f"{'la' if first in _FEMININE else 'le'} {name}"


def french_of(name):
    """ "de" + the French body's name with its article: "du Département…", "de la CA…"."""
    phrase = french_definite(name)
    lower = phrase[:4].lower()
    if lower.startswith("le "):
        return "du " + phrase[3:]
    if lower.startswith("les "):
        return "des " + phrase[4:]
    if lower.startswith("l'") or lower.startswith("l’"):
        return "de " + phrase
    return "de " + phrase


def english_body(name):
    """A French body's name in an English sentence: "the Arles-Crau-Camargue-Montagnette urban
    community", "the European Metropolis of Lille", "the Bouches-du-Rhône département", "the
    Aix-Marseille-Provence metropolis"; other names keep their French form after "the"."""
    name = without_article(name)
    _kind, core, noun = epci_parts(name)
    if noun and noun.endswith(" of"):
        return f"the {noun} {core}"
    if noun:
        return f"the {core} {noun}"
    for prefix, noun in (("Département", "département"), ("Région", "region")):
        match = re.match(rf"^{prefix} {_OF}(.+)$", name)
        if match:
            return f"the {match.group(1)} {noun}"
    match = re.match(rf"^Ville {_OF}(.+)$", name)
    if match:
        return f"the City of {match.group(1)}"
    return f"the {name}"


def territory_phrase(territory, language):
    """How a sentence names a territory: "la commune d'Arles" / "Arles", "le territoire de la
    CA …" / "the … urban community", "le département des Bouches-du-Rhône" / "the
    Bouches-du-Rhône département", "la région …" / "the … region". `territory` needs `kind`,
    `name` and `name_type`."""
    kind, name = territory.kind, territory.name
    if language == "en":
        if kind == "epci":
            return english_body(name)
        if kind == "departement":
            return f"the {name} département"
        if kind == "region":
            return f"the {name} region"
        if kind == "perimeter":
            return f"the {name} area"
        return name
    if kind == "commune":
        return "la commune " + _commune_of(name)
    if kind == "epci":
        return "le territoire " + french_of(name)
    if kind == "departement":
        return "le département " + CHARNIERES.get(territory.name_type or 0, "de ") + name
    if kind == "region":
        return "la région " + name
    return "le territoire " + french_of(name)


def _commune_of(name):
    """ "de Tarascon", "d'Arles", "du Rove", "de La Ciotat", "des Pennes-Mirabeau"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if _VOWEL.match(name) and not name.startswith(("La ", "L'")):
        return "d'" + name
    return "de " + name


# The common noun a body's name may start with: lowercase inside a sentence ("à la
# coordination départementale…", "au réseau Aliéna…"); a proper name keeps its capital.
_COMMON_NOUNS = {
    "coordination",
    "mission",
    "réseau",
    "plateforme",
    "cellule",
    "pôle",
    "service",
    "comité",
    "délégation",
    "direction",
    "équipe",
    "collectif",
    "groupement",
    "centre",
}
_LEADING_NOUN = re.compile(r"^(le |la |les |l['’])(\w+)", re.IGNORECASE)
# French preposition followed by the definite article, contracted.
_CONTRACTED = {"à": {"le ": "au ", "les ": "aux "}, "de": {"le ": "du ", "les ": "des "}}
_ENGLISH_PREPOSITIONS = {"": "", "à": "to", "de": "of", "par": "by"}


def _after(preposition, phrase):
    """`phrase` after a French preposition: "à" + "le réseau…" is "au réseau…", "de" +
    "Agathe" is "d'Agathe"."""
    if not preposition:
        return phrase
    lower = phrase.lower()
    for article, contracted in _CONTRACTED.get(preposition, {}).items():
        if lower.startswith(article):
            return contracted + phrase[len(article) :]
    if preposition == "de" and _VOWEL.match(phrase) and not _OWN_ARTICLE.match(phrase):
        return "d'" + phrase
    return f"{preposition} {phrase}"


def body_phrase(name, preposition="", language="fr"):
    """How a sentence names a body (a coordination, a network…), with its article and after
    `preposition` ("", "à", "de" or "par"):

    - "Coordination départementale des clauses sociales du Val-d'Oise" gives "la coordination
      départementale des clauses sociales du Val-d'Oise", "à la coordination…", "de la
      coordination…", "par la coordination…";
    - "Réseau Aliéna des clauses sociales" gives "le réseau Aliéna…", "au réseau Aliéna…",
      "du réseau Aliéna…";
    - in English: "the Coordination départementale…", "to the …", "of the …", "by the …".
    """
    name = " ".join((name or "").split())
    if not name:
        return ""
    if (language or "fr").startswith("en"):
        words = [_ENGLISH_PREPOSITIONS.get(preposition, preposition), english_body(name)]
        return " ".join(word for word in words if word)
    phrase = french_definite(name)
    match = _LEADING_NOUN.match(phrase)
    if match:
        article, noun = match.groups()
        if noun.lower() in _COMMON_NOUNS:
            noun = noun.lower()
        phrase = article.lower() + noun + phrase[match.end() :]
    return _after(preposition, phrase)


def person_phrase(name, preposition="", language="fr"):
    """A person's name after `preposition`: "à Claire Martin", "d'Agathe Moreau", "to
    Claire Martin"."""
    if (language or "fr").startswith("en"):
        words = [_ENGLISH_PREPOSITIONS.get(preposition, preposition), name]
        return " ".join(word for word in words if word)
    return _after(preposition, name)
