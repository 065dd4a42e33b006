"""The ledger over the seven sample letters, against figures worked out by hand from the letters.

Hand arithmetic (kroner):
- 670/01: 353 610 000 (T1) + carried over 10 917 000 (T2); T3 table 362 640 000 is this year's
  allocation (353 610 000 + ~9 mill.); T4 restates it as 373 557 000 = 362 640 000 + 10 917 000;
  T7 says +1 600 000 and "etter dette 373 849 000", but 373 557 000 + 1 600 000 = 375 157 000:
  off by -1 308 000, beyond any rounding.
- 671/62: T3 changes -3,7 mill. and +835 000 = -2 865 000, yet states "Samlet reduseres … med
  2,4 mill.": off by 465 000, beyond the ±100 000 rounding. T4 corrects the post to 221 150 000 =
  224 015 000 - 2 865 000.
- 671/61: -244 + 27,3 = -216,7 mill. against a stated -216,8: within rounding.
- 671/73: 13,6 - 2,5 = 11,1 mill. against the corrected 11,04 mill.: within rounding.
"""

from decimal import Decimal

import pytest

from reconcile.ledger.build import build_ledger
from reconcile.posts import Post

# post -> {letter: total at the agency's disposal after that letter}
HAND_TOTALS = {
    "670/01": {1: 353610000, 2: 364527000, 3: 373557000, 4: 373557000, 5: 373557000, 6: 373557000, 7: 373849000},
    "671/21": {n: 32900000 for n in range(1, 8)},
    "671/45": {1: 45235000, 2: 70786000, 3: 72345000, 4: 72345000, 5: 72345000, 6: 72345000, 7: 72345000},
    "671/60": {1: 15335940000, 2: 15335940000, 3: 18405872000, 4: 18405872000, 5: 18405872000, 6: 18405872000, 7: 18310846000},
    "671/61": {1: 1411795000, 2: 1411795000, 3: 1195015000, 4: 1195015000, 5: 1195015000, 6: 1195015000, 7: 1238982000},
    "671/62": {1: 224015000, 2: 224015000, 3: 221150000, 4: 221150000, 5: 221150000, 6: 221150000, 7: 221150000},
    "671/70": {1: 2485000, 2: 2485000, 3: 2538000, 4: 2538000, 5: 2538000, 6: 2538000, 7: 2538000},
    "671/71": {1: 210060000, 2: 210060000, 3: 223052000, 4: 223052000, 5: 223052000, 6: 223052000, 7: 228052000},
    "671/72": {1: 16000000, 2: 16000000, 3: 16432000, 4: 16432000, 5: 16432000, 6: 16432000, 7: 16432000},
    "671/73": {1: 11040000, 2: 11040000, 3: 11040000, 4: 11040000, 5: 11040000, 6: 11040000, 7: 13040000},
    "672/60": {1: 1523885000, 2: 1523885000, 3: 2363075000, 4: 2363075000, 5: 2363075000, 6: 2363075000, 7: 2307463000},
    "672/61": {1: 785000, 2: 785000, 3: 903000, 4: 903000, 5: 903000, 6: 903000, 7: 567000},
}


@pytest.fixture(scope="module")
def ledger(sample_letter_set):
    return build_ledger(sample_letter_set)


def test_ledger_knows_exactly_the_posts_of_the_letters(ledger):
    assert sorted(str(post) for post in ledger.posts) == sorted(HAND_TOTALS)


@pytest.mark.parametrize("post", sorted(HAND_TOTALS))
def test_expected_total_after_every_letter(ledger, post):
    found = {n: ledger.expected(Post.parse(post), as_of=n).total.value for n in range(1, 8)}
    assert found == {n: Decimal(v) for n, v in HAND_TOTALS[post].items()}


def test_latest_figure_of_671_71_is_228_052_000_from_letter_7(ledger):
    figure = ledger.expected(Post(671, 71))
    assert figure.total.value == 228052000
    assert figure.changed_in == 7
    assert any("228 052 000" in s.source.quote for s in figure.sources)


def test_allocation_and_carry_over_are_kept_apart(ledger):
    operations = ledger.expected(Post(670, 1), as_of=4)
    assert (operations.allocation.value, operations.carried_over.value) == (362640000, 10917000)
    assert "samlet tildeling inkl. overført" in operations.basis
    equipment = ledger.expected(Post(671, 45))
    assert (equipment.allocation.value, equipment.carried_over.value, equipment.total.value) == (46794000, 25551000, 72345000)


def _findings(ledger, severity):
    return {(str(f.post), f.letter, f.check, f.difference) for f in ledger.audit if f.severity == severity}


def test_the_two_errors_no_rounding_explains(ledger):
    assert _findings(ledger, "error") == {
        ("671/62", 3, "parts_vs_total", Decimal(465000)),
        ("670/01", 7, "chain", Decimal(-1308000)),
    }


def test_inconsistencies_within_rounding_are_warnings_with_the_exact_difference(ledger):
    warnings = _findings(ledger, "warning")
    assert ("671/61", 3, "parts_vs_total", Decimal(-100000)) in warnings
    assert ("671/73", 1, "correction", Decimal(-60000)) in warnings
    assert ("670/01", 3, "chain", Decimal(30000)) in warnings
    assert ("671/45", 3, "chain", Decimal(-41000)) in warnings
    assert ("671/60", 3, "chain", Decimal(-68000)) in warnings
    assert ("671/71", 3, "chain", Decimal(-8000)) in warnings
    assert ("672/60", 3, "chain", Decimal(-10000)) in warnings


def test_consistent_chains_produce_no_error_or_warning(ledger):
    ok = _findings(ledger, "ok")
    for post in ("671/60", "671/61", "671/71", "671/73", "672/60", "672/61"):
        assert (post, 7, "chain", Decimal(0)) in ok
    assert ("671/62", 4, "chain", Decimal(0)) in ok or ("671/62", 4, "chain", Decimal(0)) in _findings(ledger, "warning")
    assert ("671/71", 1, "breakdown_vs_total", Decimal(0)) in ok
    assert ("671/60", 3, "parts_vs_total", Decimal(0)) in ok


def test_enactment_is_linked_to_its_proposal(ledger):
    linked = [f for f in ledger.audit if f.check == "enacted_vs_proposal"]
    assert {(str(f.post), f.letter, f.severity) for f in linked} == {("671/73", 7, "ok"), ("670/01", 7, "ok")}
    assert {s.letter for f in linked for s in f.sources} == {6, 7}


def test_carry_over_is_within_its_five_percent_limit(ledger):
    [limit] = [f for f in ledger.audit if f.check == "carry_over_limit"]
    assert limit.severity == "ok" and limit.computed.value == Decimal("17680500")


def test_each_finding_quotes_its_statements_with_letter_and_line(ledger):
    for finding in ledger.audit:
        assert finding.sources
        assert all(s.source.line > 0 and s.source.quote for s in finding.sources)
        assert str(finding.post) in finding.message
