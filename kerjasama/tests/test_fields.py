"""Rupiah amounts: typed grouped or plain, stored exactly, shown grouped."""

from decimal import Decimal

import pytest
from django import forms

from kerjasama.fields import AmountField, AmountInput


class AmountForm(forms.Form):
    amount = AmountField(max_digits=18, decimal_places=2, required=False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1.500.000.000", Decimal("1500000000")),
        ("1500000000", Decimal("1500000000")),
        ("Rp 1.500.000", Decimal("1500000")),
        ("1.500.000,50", Decimal("1500000.50")),
        ("1500000,5", Decimal("1500000.5")),
        ("1500000.50", Decimal("1500000.50")),
        ("1.500", Decimal("1500")),
        ("", None),
    ],
)
def test_an_amount_is_read_grouped_or_plain_and_stored_exactly(typed, stored):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == stored


@pytest.mark.parametrize("typed", ["1.50.000", "satu juta", "1,500,000", "12.34.5", "\x00", "9" * 100_000])
def test_what_is_not_an_amount_is_a_form_error(typed):
    form = AmountForm({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"]


def test_the_input_shows_the_amount_grouped_for_a_numeric_keyboard():
    html = AmountForm(initial={"amount": Decimal("1500000000.00")}).as_p()
    assert 'value="1.500.000.000"' in html
    assert 'inputmode="decimal"' in html and "data-amount" in html and 'type="text"' in html
    assert AmountInput().format_value(Decimal("2500.50")) == "2.500,50"
