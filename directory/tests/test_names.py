"""Bodies named in a sentence: with their article, contracted after "à" and "de"."""

from directory.names import body_phrase, person_phrase


def test_a_coordination_takes_its_article_in_a_sentence():
    name = "Coordination départementale des clauses sociales du Val-d'Oise"
    assert body_phrase(name) == (
        "la coordination départementale des clauses sociales du Val-d'Oise"
    )
    assert body_phrase(name, "à").startswith("à la coordination départementale")
    assert body_phrase(name, "de").startswith("de la coordination départementale")
    assert body_phrase(name, "par").startswith("par la coordination départementale")
    assert body_phrase(name, "à", "en") == f"to the {name}"


def test_articles_follow_the_first_noun():
    network = "Réseau Aliéna des clauses sociales de Nouvelle-Aquitaine"
    assert body_phrase(network, "à") == (
        "au réseau Aliéna des clauses sociales de Nouvelle-Aquitaine"
    )
    assert body_phrase(network, "de").startswith("du réseau Aliéna")
    assert body_phrase("Agence pour l'emploi", "à") == "à l'Agence pour l'emploi"
    assert body_phrase("Hospices civils de Lyon", "à") == "aux Hospices civils de Lyon"
    # A name written with its own article keeps it, in lower case inside the sentence.
    assert body_phrase("La Maison de l'Emploi", "à") == "à la Maison de l'Emploi"
    assert body_phrase("GIP Maximilien", "par") == "par le GIP Maximilien"


def test_people_are_named_as_they_are():
    assert person_phrase("Claire Martin (PLIE Arles)", "à") == "à Claire Martin (PLIE Arles)"
    assert person_phrase("Agathe Morel", "de") == "d'Agathe Morel"
    assert person_phrase("Agathe Morel", "à", "en") == "to Agathe Morel"
