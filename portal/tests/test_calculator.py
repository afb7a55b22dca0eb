"""The insertion-hours calculator: formula, rounding, French numbers, errors, the page."""

from decimal import Decimal

import pytest
from django.utils import translation

from conftest import publish_child, text, translate
from portal.calculator import CalculatorForm, Estimate, parse_number
from portal.models import CalculatorPage

SECTORS = [("1", "Peinture", Decimal("70")), ("2", "Maçonnerie", Decimal("50"))]


@pytest.mark.parametrize(
    "typed,value",
    [
        ("1 000 000,50", "1000000.50"),
        ("1\u202f000\u202f000", "1000000"),  # narrow no-break spaces, as French software writes
        ("1\u00a0000", "1000"),
        ("1.000.000,50", "1000000.50"),
        ("1000000.50", "1000000.50"),
        ("1 000 000 €", "1000000"),
        ("50 %", "50"),
        ("12,5", "12.5"),
    ],
)
def test_numbers_typed_the_french_way(typed, value):
    assert parse_number(typed) == Decimal(value)


def test_english_grouping_in_english_only():
    assert parse_number("1,000,000.50", "en") == Decimal("1000000.50")
    assert parse_number("12,5", "en") == Decimal("12.5")  # still a decimal comma
    with pytest.raises(ValueError):
        parse_number("1,000,000.50", "fr")


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "", "12 heures", "--5"])
def test_text_is_not_a_number(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_formula_of_design_md():
    """€1,000,000 × 50 % × 5 % ÷ €30 ≈ 833 hours, about 5.5 full-time months."""
    estimate = Estimate(Decimal("1000000"), Decimal("50"), Decimal("5"), Decimal("30"))
    assert estimate.labour_amount == Decimal("500000")
    assert estimate.hours == 833
    assert estimate.months == Decimal("5.5")  # 833 / 151.67


def test_rounding_to_the_nearest_hour():
    # 10,005 × 100 % × 10 % ÷ 30 = 33.35 → 33; 10,050 → 33.5 → 34 (half up).
    assert Estimate(Decimal("10005"), Decimal("100"), Decimal("10"), Decimal("30")).hours == 33
    assert Estimate(Decimal("10050"), Decimal("100"), Decimal("10"), Decimal("30")).hours == 34


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def form(**data):
    values = {"amount": "1 000 000", "rate": "5", "hourly_cost": "30", "sector": "2"}
    values.update(data)
    return CalculatorForm(values, sectors=SECTORS)


def test_the_sector_gives_the_labour_share_unless_typed():
    assert form().estimate().labour_share == Decimal("50")
    assert form(labour_share="70").estimate().hours == 1167
    assert form(sector="autre", labour_share="").estimate() is None


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("amount", "-1000", "entre 1 et 10\u00a0000\u00a0000\u00a0000 €"),
        ("amount", "99 000 000 000", "entre 1 et"),
        ("amount", "un million", "Saisissez un nombre"),
        ("labour_share", "120", "entre 1 et 100 %"),
        ("rate", "50", "entre 1 et 30 %"),
        ("hourly_cost", "0", "entre 10 et 200 €"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field(field, value, message):
    bound = form(**{field: value})
    assert bound.estimate() is None
    assert message in " ".join(bound.errors[field])


@pytest.fixture
def calculator(home, locales):
    page = publish_child(home, CalculatorPage(title="Calculer les heures", slug="calculateur"))
    translate(page, locales["en"], title="Insertion hours", slug="calculator")
    return page


URL = "/fr/calculateur/"


def test_page_spells_the_formula_out_with_the_users_numbers(client, calculator):
    params = {"sector": "", "amount": "1 000 000", "labour_share": "50", "rate": "5,0"}
    body = text(client.get(URL, {**params, "hourly_cost": "30"}))
    assert "833 heures d'insertion" in body
    assert "1\u00a0000\u00a0000 € HT × 50 % × 5 % ÷ 30 €/h ≈" in body
    assert "5,5 mois de travail à temps plein (151,67 heures par mois)" in body


def test_page_keeps_values_and_shows_errors(client, calculator):
    body = text(client.get(URL, {"amount": "abc", "labour_share": "150", "rate": "5"}))
    assert 'value="abc"' in body and 'value="150"' in body
    assert "Saisissez un nombre" in body and "entre 1 et 100 %" in body
    assert 'aria-invalid="true"' in body
    assert "heures d'insertion</h2>" not in body


def test_live_update_gets_the_result_only(client, calculator):
    response = client.get(
        URL,
        {"amount": "200000", "labour_share": "70", "rate": "10", "hourly_cost": "25", "partiel": 1},
    )
    body = text(response)
    assert "<html" not in body
    assert "560 heures d'insertion" in body  # 200,000 × 70 % × 10 % ÷ 25


def test_english_page_uses_english_labels_and_number_format(client, calculator):
    body = text(
        client.get(
            "/en/calculator/",
            {"sector": "2", "amount": "1,000,000", "rate": "5", "hourly_cost": "30"},
        )
    )
    assert "833 insertion hours" in body
    assert "Masonry" in body
