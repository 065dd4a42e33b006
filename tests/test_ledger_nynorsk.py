"""The ledger over two made-up supplements in nynorsk, from a made-up ministry to a made-up agency.

Nothing in the wording is shared with the sample letters, so this shows that the ledger is tied to
the kinds of statements, not to one ministry's sentences.

Hand arithmetic (kroner):
- 1400/01: table in letter 1: 48 200 000. Letter 2 changes +3,2 mill. and −0,4 mill. (parts sum
  2 800 000 ± 100 000) but says "Samla aukar løyvinga … med 3,5 mill.": the parts miss the stated
  change by 700 000, beyond the ±150 000 rounding: one error. The stated change is the one the
  letter's own total rests on: 48 200 000 + 3 500 000 = 51 700 000 = "Samla løyving … etter dette
  er 51 700 000 kroner": consistent.
- 1400/21: table 2 000 000; letter 2 "ein reduksjon på 200 000 kroner" and no total stated:
  1 800 000, nothing to check.
- 1400/70: table 15 000 000; letter 2 +1 250 000 and "Samla løyving … etter dette er
  16 250 000 kroner": consistent.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from reconcile.ledger.build import build_ledger
from reconcile.letters.loading import load_letters
from reconcile.letters.statements import Kind
from reconcile.posts import Post

LETTERS = """
    Tillegg nr. 1 til tildelingsbrev for Kystmiljødirektoratet 2025

    Fjord- og kystdepartementet viser til tildelingsbrevet for 2025 og gjer følgjande endringar.

    Etter endringane disponerer direktoratet følgjande:
    Kap./post Postnamn Sum
    1400/01 Driftsutgifter 48 200 000
    1400/21 Spesielle driftsutgifter, kan overførast 2 000 000
    1400/70 Tilskot til kystlag og frivillige
    organisasjonar
    15 000 000

    Med helsing

    Tillegg nr. 2 til tildelingsbrev for Kystmiljødirektoratet 2025

    Fjord- og kystdepartementet viser til tildelingsbrevet for 2025 og tillegg nr. 1.

    Kap. 1400 Fjord- og kystdepartementet
    Post 01 Driftsutgifter
    Løyvinga på posten aukar med 3,2 mill. kroner til eit nytt overvakingsprogram. Vidare blir
    løyvinga redusert med 0,4 mill. kroner som følgje av lågare husleige.

    Samla aukar løyvinga på posten med 3,5 mill. kroner. Samla løyving på posten etter dette er
    51 700 000 kroner.

    Post 21 Spesielle driftsutgifter, kan overførast
    Det blir ein reduksjon på 200 000 kroner på posten.

    Post 70 Tilskot til kystlag og frivillige organisasjonar
    Løyvinga på posten aukar med 1 250 000 kroner. Samla løyving på posten etter dette er
    16 250 000 kroner.

    Med helsing
"""

EXPECTED = {  # post -> {letter: total after that letter}
    "1400/01": {1: Decimal(48200000), 2: Decimal(51700000)},
    "1400/21": {1: Decimal(2000000), 2: Decimal(1800000)},
    "1400/70": {1: Decimal(15000000), 2: Decimal(16250000)},
}


@pytest.fixture(scope="module")
def letter_set(tmp_path_factory):
    path = tmp_path_factory.mktemp("nynorsk") / "kystmiljo-2025-tillegg-1-2.txt"
    path.write_text(textwrap.dedent(LETTERS).lstrip("\n"), encoding="utf-8")
    return load_letters([path])


@pytest.fixture(scope="module")
def ledger(letter_set):
    return build_ledger(letter_set)


def test_both_supplements_are_read_with_their_numbers_and_ministry(letter_set):
    assert [(letter.number, letter.ministry) for letter in letter_set.letters] == [
        (1, "Fjord- og kystdepartementet"), (2, "Fjord- og kystdepartementet"),
    ]


def test_the_statements_of_the_two_letters(letter_set):
    rows = [(s.letter, str(s.post), s.kind, s.amount.value, s.amount.precision) for s in letter_set.statements]
    assert rows == [
        (1, "1400/01", Kind.TABLE_TOTAL, Decimal(48200000), Decimal(0)),
        (1, "1400/21", Kind.TABLE_TOTAL, Decimal(2000000), Decimal(0)),
        (1, "1400/70", Kind.TABLE_TOTAL, Decimal(15000000), Decimal(0)),
        (2, "1400/01", Kind.CHANGE_PART, Decimal(3200000), Decimal(50000)),
        (2, "1400/01", Kind.CHANGE_PART, Decimal(-400000), Decimal(50000)),
        (2, "1400/01", Kind.CHANGE, Decimal(3500000), Decimal(50000)),
        (2, "1400/01", Kind.NEW_TOTAL, Decimal(51700000), Decimal(0)),
        (2, "1400/21", Kind.CHANGE, Decimal(-200000), Decimal(0)),
        (2, "1400/70", Kind.CHANGE, Decimal(1250000), Decimal(0)),
        (2, "1400/70", Kind.NEW_TOTAL, Decimal(16250000), Decimal(0)),
    ]
    assert not [issue for issue in letter_set.issues if issue.severity == "error"]


@pytest.mark.parametrize("post", sorted(EXPECTED))
def test_expected_figures_after_each_letter(ledger, post):
    found = {n: ledger.expected(Post.parse(post), as_of=n).total.value for n in (1, 2)}
    assert found == EXPECTED[post]


def test_the_latest_figure_quotes_the_nynorsk_sentence_it_rests_on(ledger):
    figure = ledger.expected(Post(1400, 1))
    assert figure.changed_in == 2
    assert "Samla løyving på posten etter dette er 51 700 000 kroner" in figure.sources[0].source.quote


def test_exactly_one_error_the_parts_that_miss_the_stated_change_by_700_000(ledger):
    errors = [f for f in ledger.audit if f.severity == "error"]
    assert [(str(f.post), f.letter, f.check, f.difference, f.tolerance) for f in errors] == [
        ("1400/01", 2, "parts_vs_total", Decimal(700000), Decimal(150000)),
    ]
    [error] = errors
    assert (error.stated.value, error.computed.value) == (Decimal(3500000), Decimal(2800000))
    assert {s.kind for s in error.sources} == {Kind.CHANGE, Kind.CHANGE_PART}


def test_the_stated_totals_are_consistent_chains(ledger):
    findings = sorted((str(f.post), f.letter, f.check, f.severity, f.difference) for f in ledger.audit)
    assert findings == [
        ("1400/01", 2, "chain", "ok", Decimal(0)),
        ("1400/01", 2, "parts_vs_total", "error", Decimal(700000)),
        ("1400/70", 2, "chain", "ok", Decimal(0)),
    ]


def test_no_warnings(ledger):
    assert [f for f in ledger.audit if f.severity == "warning"] == []
