"""Territory names: INSEE articles and the normalised form used for search."""

import re
import unicodedata

# INSEE "type de nom en clair" (TNCC): the article that goes before a commune's name.
ARTICLES = {0: "", 1: "", 2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}

_LEADING_ARTICLE = re.compile(r"^(l|le|la|les|aux|las|los) ")


def with_article(name, tncc):
    """The display name of a commune: "Ciotat" with TNCC 3 is "La Ciotat"."""
    return f"{ARTICLES.get(int(tncc or 0), '')}{name}"


def without_french_article(phrase):
    """`phrase` without its leading French article ("la CA du Seignanx" gives "CA du
    Seignanx"), for a name written to fit a French sentence and shown in another language."""
    return re.sub(r"^(l'|l’|le |la |les )", "", phrase or "", count=1, flags=re.IGNORECASE)


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
