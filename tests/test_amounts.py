"""Norwegian money amounts: every form the letters and workbooks use, exact, with the precision the
wording implies ("10,1 mill." is 10 100 000 ± 50 000), and never a float.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reconcile.amounts as amounts_module
from reconcile.amounts import Amount, find_amounts, format_nok, parse_amount

D = Decimal


# --- one form at a time --------------------------------------------------------------------

FORMS = [
    # text, value, precision
    ("228 052 000", D(228052000), D(0)),
    ("228 052 000 kroner", D(228052000), D(0)),
    ("228 052 000 kr", D(228052000), D(0)),
    ("10 000 000,- kroner", D(10000000), D(0)),
    ("1 040 000,-", D(1040000), D(0)),
    ("11,04 mill. kroner", D(11040000), D(5000)),
    ("2 630,5 mill.", D(2630500000), D(50000)),
    ("0,5 mill.", D(500000), D(50000)),
    ("0,5 mill. kroner", D(500000), D(50000)),
    ("125,7 millioner kroner", D(125700000), D(50000)),
    ("48,2 millionar kroner", D(48200000), D(50000)),
    ("1,2 mrd. kroner", D(1200000000), D(50000000)),
    ("3 milliarder kroner", D(3000000000), D(500000000)),
    ("835 000 kroner", D(835000), D(0)),
    ("kr 27 450", D(27450), D(0)),
    ("kr. 27 450", D(27450), D(0)),
    ("NOK 27 450", D(27450), D(0)),
    ("4,120 mill.", D(4120000), D(500)),
    ("13 mill.", D(13000000), D(500000)),
    ("13 mill. kroner", D(13000000), D(500000)),
    ("10,1 mill.", D(10100000), D(50000)),
    ("3.3 mill. kroner", D(3300000), D(50000)),  # a decimal point where a comma belongs
    ("12,5 MNOK", D(12500000), D(50000)),
    ("666 666,67", D("666666.67"), D(0)),
    ("1.308.000", D(1308000), D(0)),
]


@pytest.mark.parametrize(("text", "value", "precision"), FORMS)
def test_each_norwegian_form_parses_to_its_exact_value_and_precision(text, value, precision):
    amount = parse_amount(text)
    assert amount is not None, text
    assert (amount.value, amount.precision) == (value, precision)
    assert isinstance(amount.value, Decimal) and isinstance(amount.precision, Decimal)


@pytest.mark.parametrize(("text", "value", "precision"), FORMS)
def test_each_form_is_found_in_running_text(text, value, precision):
    sentence = f"Bevilgningen på posten økes med {text} til tiltaket."
    money = [found for found in find_amounts(sentence, require_currency=False)]
    assert [(found.amount.value, found.amount.precision) for found in money] == [(value, precision)]


@pytest.mark.parametrize("separator", [" ", "\u00a0", "\u202f"], ids=["space", "no-break", "narrow-no-break"])
def test_group_separators_are_space_no_break_and_narrow_no_break(separator):
    text = separator.join(["228", "052", "000"])
    assert parse_amount(text).value == 228052000
    assert parse_amount(f"{text}{separator}kroner").value == 228052000
    [found] = find_amounts(f"Samlet bevilgning er {text} kroner.")
    assert found.amount.value == 228052000


def test_exact_amounts_in_kroner_have_no_rounding():
    for text in ("835 000 kroner", "kr 27 450", "10 000 000,- kroner", "228 052 000"):
        assert parse_amount(text).is_exact


@pytest.mark.parametrize("text", ["\u22121 308 000", "-1 308 000", "(1 308 000)", "( 1 308 000 )", "\u2212 1 308 000"])
def test_minus_sign_hyphen_and_parentheses_are_negative(text):
    assert parse_amount(text).value == -1308000


def test_negative_millions_keep_their_precision():
    amount = parse_amount("\u221212,5 mill. kroner")
    assert (amount.value, amount.precision) == (D(-12500000), D(50000))


def test_parentheses_around_a_negative_are_refused():
    assert parse_amount("(\u22125)") is None
    assert parse_amount("(1 308 000") is None


def test_context_multiplier_reads_a_table_in_thousands():
    amount = parse_amount("228 052", context_multiplier=D(1000))
    assert (amount.value, amount.precision) == (D(228052000), D(500))


def test_context_multiplier_does_not_apply_to_an_amount_in_kroner():
    assert parse_amount("228 052 kr", context_multiplier=D(1000)).value == 228052
    assert parse_amount("2,5 mill.", context_multiplier=D(1000)).value == 2500000


@pytest.mark.parametrize("text", ["", "   ", "kroner", "mill.", "abc", "12 mill. kroner og mer", "1 2", "§ 37"])
def test_a_string_that_is_not_only_an_amount_gives_none(text):
    assert parse_amount(text) is None


def test_non_strings_give_none():
    assert parse_amount(None) is None
    assert parse_amount(12) is None


# --- what is not an amount in running text ---------------------------------------------------


def test_find_amounts_ignores_dates_years_and_phone_and_org_numbers():
    text = (
        "Fristen på oppdraget flyttes til 16.06.2023. Rapporten for 2022 leveres i 2023. "
        "Telefon 22 24 90 90. Org.nr. 983 887 457. Se integreringsloven § 37 d og Prop. 118 S (2022-2023)."
    )
    assert find_amounts(text) == []


def test_a_date_is_not_an_amount_even_without_requiring_currency():
    values = [found.amount.value for found in find_amounts("møtet 09.03.2023", require_currency=False)]
    assert values == []


def test_a_grant_name_ending_in_a_number_does_not_make_the_amount_negative():
    found = find_amounts("Integreringstilskudd År-2 243 100 kroner 249 500 kroner")
    assert [match.amount.value for match in found] == [D(243100), D(249500)]


def test_a_spaced_dash_between_words_is_not_a_minus_sign():
    [found] = find_amounts("Drift \u2013 2,5 mill. kroner til kampanjen")
    assert found.amount.value == 2500000


def test_a_minus_sign_with_a_space_is_still_a_minus():
    [found] = find_amounts("Endring \u2212 2,5 mill. kroner")
    assert found.amount.value == -2500000


def test_find_amounts_gives_positions_of_each_amount():
    text = "økes med 9 mill. kroner, hvorav 5,2 mill. kroner til lønn"
    found = find_amounts(text)
    assert [text[match.start : match.end] for match in found] == ["9 mill. kroner", "5,2 mill. kroner"]


def test_overlong_digit_strings_are_not_amounts():
    assert parse_amount("1" * 40) is None
    assert find_amounts("1" * 40 + " kroner") == []
    assert parse_amount("\u0661\u0662\u0663") is None  # Arabic-Indic digits are not Norwegian amounts


# --- formatting -------------------------------------------------------------------------------


def test_format_nok_groups_thousands_and_uses_comma_decimals():
    assert format_nok(D(228052000)) == "228 052 000"
    assert format_nok(D(-1308000)) == "-1 308 000"
    assert format_nok(D("666666.67")) == "666 666,67"
    assert format_nok(D(0)) == "0"
    assert str(Amount(D(10100000), D(50000))) == "10 100 000 ± 50 000"


def test_amount_arithmetic_adds_precisions():
    total = parse_amount("5,2 mill.") + parse_amount("3,3 mill.") - parse_amount("0,5 mill.")
    assert (total.value, total.precision) == (D(8000000), D(150000))


def test_equal_shares_are_to_the_ore():
    share = parse_amount("2 mill. kroner").divided(3)
    assert (share.value, share.precision) == (D("666666.67"), D("166666.67"))


# --- properties -------------------------------------------------------------------------------

integers = st.integers(min_value=-(10**15), max_value=10**15).map(Decimal)
two_decimals = st.decimals(
    min_value=D("-1000000000000"), max_value=D("1000000000000"), places=2, allow_nan=False, allow_infinity=False
)


@given(integers)
def test_formatted_integers_parse_back_to_the_same_value(value):
    amount = parse_amount(format_nok(value))
    assert amount is not None and amount.value == value and amount.is_exact


@given(two_decimals)
def test_formatted_values_with_ore_parse_back_to_the_same_value(value):
    amount = parse_amount(format_nok(value))
    assert amount is not None and amount.value == value


@given(two_decimals)
def test_formatted_values_parse_back_with_kroner_and_in_running_text(value):
    text = format_nok(value) + " kroner"
    assert parse_amount(text).value == value
    [found] = find_amounts(f"Beløpet er {text}.")
    assert found.amount.value == value


@given(
    st.integers(min_value=0, max_value=99999),
    st.integers(min_value=0, max_value=3).flatmap(lambda places: st.tuples(st.just(places), st.integers(0, 10**places - 1))),
    st.sampled_from([("mill.", D(1_000_000)), ("millioner", D(1_000_000)), ("mrd.", D(1_000_000_000))]),
    st.booleans(),
)
def test_millions_written_with_decimals_parse_to_value_and_half_a_unit_of_the_last_digit(whole, decimals, unit, negative):
    places, fraction = decimals
    word, multiplier = unit
    digits = f"{fraction:0{places}d}" if places else ""
    text = format_nok(D(whole)) + (f",{digits}" if places else "") + f" {word} kroner"
    if negative:
        text = "\u2212" + text
    number = D(f"{whole}.{digits}") if places else D(whole)
    expected = number * multiplier * (-1 if negative else 1)
    amount = parse_amount(text)
    assert amount.value == expected
    assert amount.precision == D(5) * multiplier / D(10) ** (places + 1)


@settings(max_examples=500)
@given(st.text())
def test_random_text_never_raises(text):
    for found in find_amounts(text):
        assert isinstance(found.amount.value, Decimal)
    find_amounts(text, require_currency=False)
    find_amounts(text, context_multiplier=D(1000))
    parse_amount(text)
    parse_amount(text, context_multiplier=D(1000))


@settings(max_examples=300)
@given(st.text(alphabet="0123456789 ,.-\u2212()\u00a0\u202fkrmilnoædrNOK", max_size=40))
def test_amount_like_text_never_raises(text):
    find_amounts(text)
    find_amounts(text, require_currency=False)
    parse_amount(text)


# --- no float ------------------------------------------------------------------------------


def test_amounts_module_has_no_float_literal_or_float_call():
    """Money is exact: the module computes with Decimal only (a float from a workbook is
    converted once, at the edge, by `decimal_from_float`, which only reads its repr)."""
    tree = ast.parse(Path(amounts_module.__file__).read_text(encoding="utf-8"))
    floats = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, float)]
    calls = [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float"
    ]
    assert floats == [] and calls == []
