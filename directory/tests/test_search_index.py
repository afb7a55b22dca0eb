"""The territories' search index (`NameKey`, `PostalCode`) follows their names and codes, so
that `Territory.objects.search` gives the answers of a scan of every name."""

import pytest

from directory import search_index
from directory.models import NameKey, PostalCode, Territory, name_keys
from directory.names import normalise
from directory.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_keys_are_the_name_and_what_follows_each_space():
    assert name_keys("isle sur la sorgue") == [
        "isle sur la sorgue",
        "sur la sorgue",
        "la sorgue",
        "sorgue",
    ]
    assert name_keys("arles") == ["arles"]
    assert name_keys("") == []


def names(text):
    return [t.name for t in Territory.objects.search(text)]


def test_a_word_anywhere_in_the_name_matches_its_start_only():
    TerritoryFactory(name="L'Isle-sur-la-Sorgue", code="84054", population=19000)
    TerritoryFactory(name="Sorgues", code="84129", population=18000)
    TerritoryFactory(name="Lasorgue", code="84999", population=10)
    assert names("sorgue") == ["Sorgues", "L'Isle-sur-la-Sorgue"]
    assert names("sur la") == ["L'Isle-sur-la-Sorgue"]
    assert names("orgue") == []  # inside a word: no
    assert names("ISLE SUR") == ["L'Isle-sur-la-Sorgue"]


def test_a_rename_and_new_postal_codes_are_indexed_at_once():
    commune = TerritoryFactory(name="Ancien-Nom", code="13999", postal_codes="13990")
    assert names("ancien") == ["Ancien-Nom"] and names("13990") == ["Ancien-Nom"]
    commune.name, commune.search_name = "Nouveau-Nom", normalise("Nouveau-Nom")
    commune.postal_codes = "13991,13992"
    commune.save()
    assert names("ancien") == [] and names("nouveau") == ["Nouveau-Nom"]
    assert names("13990") == [] and names("13992") == ["Nouveau-Nom"]
    commune.delete()
    assert not NameKey.objects.exists() and not PostalCode.objects.exists()


def test_a_bulk_load_is_indexed_once_at_the_end():
    with search_index.deferred():
        TerritoryFactory(name="Tarascon", code="13108", postal_codes="13150")
        assert not NameKey.objects.exists()  # not yet
    assert names("taras") == ["Tarascon"] and names("13150") == ["Tarascon"]
    NameKey.objects.all().delete()
    search_index.reindex()
    assert names("taras") == ["Tarascon"]
