"""Sizing an insertion clause: how many work hours to reserve for people far from employment.

hours = amount excl. VAT × labour share × insertion rate ÷ loaded hourly labour cost
(docs/domain.md, "Insertion hours"). €1,000,000 × 50 % × 5 % ÷ €30 ≈ 833 hours.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.numbers import format_number

HOURS_PER_MONTH = Decimal("151.67")  # legal full-time month in France (35 h × 52 / 12)
DEFAULT_RATE = Decimal("5")
DEFAULT_HOURLY_COST = Decimal("30")
MAX_AMOUNT = Decimal("10000000000")  # €10 billion: beyond, a typing error

# Used when the site settings list no sector (coordinators edit them there).
DEFAULT_SECTORS = [
    ("Peinture", "Painting", Decimal("70")),
    ("Maçonnerie, gros œuvre", "Masonry, structural works", Decimal("50")),
    ("Charpente métallique", "Steel frame", Decimal("20")),
    ("Nettoyage", "Cleaning", Decimal("80")),
    ("Espaces verts", "Green spaces", Decimal("70")),
]


def parse_number(text, language="fr"):
    """A Decimal from what people type: "1 000 000,50", "1 000 000", "1.000.000,50",
    "1000000.50", "50 %", "30 €"; in English also "1,000,000.50". Raises ValueError when it
    is not a number."""
    value = str(text).strip()
    value = re.sub(r"[\s\u00a0\u202f'€%]", "", value)
    value = value.removesuffix("EUR").removesuffix("eur")
    if not value:
        raise ValueError("empty")
    if language == "en" and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value):
        value = value.replace(",", "")  # English grouping
    elif "," in value:
        # French: the comma is the decimal mark, dots (if any) group thousands.
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        value = value.replace(".", "")  # "1.000.000": dots group thousands
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", value):
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation as error:
        raise ValueError(text) from error


@dataclass
class Estimate:
    """Insertion hours for a contract, with the figures that produced them."""

    amount: Decimal
    labour_share: Decimal  # percent
    rate: Decimal  # percent
    hourly_cost: Decimal

    @property
    def labour_amount(self):
        return self.amount * self.labour_share / 100

    @property
    def exact_hours(self):
        return self.labour_amount * self.rate / 100 / self.hourly_cost

    @property
    def hours(self):
        """Rounded to the hour."""
        return int(self.exact_hours.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def months(self):
        """Full-time months (151.67 h each), to one decimal."""
        return (Decimal(self.hours) / HOURS_PER_MONTH).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


class NumberField(forms.CharField):
    """A number typed the French way (or the English way), within bounds."""

    def __init__(self, *, minimum, maximum, unit="", **kwargs):
        self.minimum, self.maximum, self.unit = Decimal(minimum), Decimal(maximum), unit
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value, get_language())
        except ValueError:
            raise forms.ValidationError(
                _("Saisissez un nombre, par exemple 1 000 000,50."), code="invalid"
            ) from None
        if number < self.minimum or number > self.maximum:
            raise forms.ValidationError(
                _("Saisissez une valeur entre %(min)s et %(max)s%(unit)s."),
                code="range",
                params={
                    "min": format_number(self.minimum, "-2"),
                    "max": format_number(self.maximum, "-2"),
                    "unit": f" {self.unit}" if self.unit else "",
                },
            )
        return number


class CalculatorForm(forms.Form):
    """The calculator's inputs. `sectors` is a list of (key, label, share)."""

    sector = forms.ChoiceField(label=_("Secteur ou lot"), required=False)
    amount = NumberField(
        label=_("Montant du marché (€ HT)"), minimum="1", maximum=MAX_AMOUNT, unit="€"
    )
    labour_share = NumberField(
        label=_("Part de main-d'œuvre (%)"),
        minimum="1",
        maximum="100",
        unit="%",
        required=False,
        help_text=_("Préremplie selon le secteur ; modifiez-la si vous la connaissez."),
    )
    rate = NumberField(
        label=_("Taux d'insertion (%)"),
        minimum="1",
        maximum="30",
        unit="%",
        initial="5",
        help_text=_("Souvent 5 à 10 % ; 5 % pour les marchés de rénovation urbaine (ANRU)."),
    )
    hourly_cost = NumberField(
        label=_("Coût horaire chargé (€)"),
        minimum="10",
        maximum="200",
        unit="€",
        initial="30",
        help_text=_("Salaire chargé d'une heure de travail ; souvent 25 à 30 €."),
    )

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = {key: share for key, _label, share in sectors}
        self.fields["sector"].choices = [
            ("", _("Choisissez un secteur")),
            *[(key, f"{label} ({format_number(share, '-2')} %)") for key, label, share in sectors],
            ("autre", _("Autre (saisissez la part de main-d'œuvre)")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("labour_share") is None and "labour_share" not in self.errors:
            share = self.shares.get(data.get("sector"))
            if share is None:
                self.add_error(
                    "labour_share",
                    _("Choisissez un secteur ou saisissez la part de main-d'œuvre."),
                )
            else:
                data["labour_share"] = share
        return data

    def estimate(self):
        """The estimate for valid input, else None."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Estimate(data["amount"], data["labour_share"], data["rate"], data["hourly_cost"])
