"""Every amount statement about a post in the seven sample letters, listed by hand from reading them.

Columns: letter, post, kind, amount in kroner, precision (± kroner). The list was written from the
letter text, not from the extractor's output; the test checks the extractor both ways.
"""

from collections import Counter
from decimal import Decimal

from reconcile.letters.statements import Kind

HAND_LIST = """
1 671/21 earmark           500000        50000
1 671/73 corrected_total   11040000      5000
1 671/73 previous_total    13600000      50000
1 671/73 correction        -2500000      50000
1 671/73 stated_total      11040000      5000
1 671/73 breakdown_part    10000000      0
1 671/73 breakdown_part    1040000       0
1 671/71 corrected_total   210060000     0
1 671/71 breakdown_part    132550000     0
1 671/71 breakdown_part    37510000      0
1 671/71 breakdown_part    40000000      0
1 670/01 table_total       353610000     0
1 671/21 table_total       32900000      0
1 671/45 table_total       45235000      0
1 671/60 table_total       15335940000   0
1 671/61 table_total       1411795000    0
1 671/62 table_total       224015000     0
1 671/70 table_total       2485000       0
1 671/71 table_total       210060000     0
1 671/72 table_total       16000000      0
1 671/73 table_total       11040000      0
1 672/60 table_total       1523885000    0
1 672/61 table_total       785000        0
2 670/01 carry_over_limit  -             -
2 670/01 carried_over      10917000      500
2 671/45 carried_over      25551000      500
3 672/60 enacted           125700000     50000
3 672/60 rate              27450         0
3 672/60 earmark           125700000     50000
3 671/60 rate              241100        0
3 671/60 rate              187000        0
3 671/60 rate              194400        0
3 671/60 rate              194400        0
3 671/60 rate              249500        0
3 671/60 rate              177400        0
3 671/60 rate              88000         0
3 671/60 rate              72000         0
3 671/60 rate              180600        0
3 671/60 rate              27800         0
3 671/60 rate              196400        0
3 671/60 rate              1520000       0
3 671/61 rate              1144400       0
3 671/61 rate              721800        0
3 672/60 rate              46400         0
3 672/60 rate              38100         0
3 672/60 rate              16100         0
3 672/60 rate              75600         0
3 672/60 rate              29300         0
3 672/60 rate              52100         0
3 672/60 rate              18400         0
3 672/60 rate              665300        0
3 672/60 rate              224100        0
3 672/60 rate              16000         0
3 672/60 rate              2300          0
3 672/61 rate              734           0
3 670/01 change            9000000       500000
3 670/01 change_part       5200000       50000
3 670/01 change_part       3300000       50000
3 670/01 change_part       500000        50000
3 671/45 change            1600000       50000
3 671/60 change_part       2630500000    50000
3 671/60 change_part       20000000      500000
3 671/60 rate              50000         0
3 671/60 change_part       419500000     50000
3 671/60 change            3070000000    500000
3 671/61 change_part       -244000000    500000
3 671/61 change_part       27300000      50000
3 671/61 change            -216800000    50000
3 671/62 change_part       -3700000      50000
3 671/62 change_part       835000        0
3 671/62 change            -2400000      50000
3 671/70 change            53000         0
3 671/71 change            13000000      500000
3 671/72 change            432000        0
3 672/60 change_part       662500000     50000
3 672/60 change_part       125700000     50000
3 672/60 change_part       51000000      500000
3 672/60 change            839200000     50000
3 672/61 change            118000        0
3 670/01 table_total       362640000     0
3 671/45 table_total       46794000      0
3 671/60 table_total       18405872000   0
3 671/61 table_total       1195015000    0
3 671/62 table_total       221165000     0
3 671/70 table_total       2538000       0
3 671/71 table_total       223052000     0
3 671/72 table_total       16432000      0
3 672/60 table_total       2363075000    0
3 672/61 table_total       903000        0
4 670/01 table_total       373557000     0
4 671/45 table_total       72345000      0
4 671/62 table_total       221150000     0
6 671/73 proposal          2000000       500000
6 671/73 breakdown_part    666666.67     166666.67
6 671/73 breakdown_part    666666.67     166666.67
6 671/73 breakdown_part    666666.67     166666.67
6 670/01 proposal          1600000       50000
7 671/73 enacted           2000000       500000
7 671/73 breakdown_part    666666.67     166666.67
7 671/73 breakdown_part    666666.67     166666.67
7 671/73 breakdown_part    666666.67     166666.67
7 670/01 enacted           1600000       50000
7 670/01 change            1600000       0
7 670/01 new_total         373849000     0
7 671/60 change            -95026000     0
7 671/60 new_total         18310846000   0
7 671/61 change            43967000      0
7 671/61 new_total         1238982000    0
7 671/71 change            5000000       0
7 671/71 breakdown_part    1000000       0
7 671/71 breakdown_part    1000000       0
7 671/71 breakdown_part    1000000       0
7 671/71 breakdown_part    1000000       0
7 671/71 breakdown_part    1000000       0
7 671/71 new_total         228052000     0
7 671/73 change            2000000       0
7 671/73 new_total         13040000      0
7 672/60 change            -55612000     0
7 672/60 new_total         2307463000    0
7 672/61 change            -336000       0
7 672/61 new_total         567000        0
7 670/01 table_total       373849000     0
7 671/60 table_total       18310846000   0
7 671/61 table_total       1238982000    0
7 671/71 table_total       228052000     0
7 671/73 table_total       13040000      0
7 672/60 table_total       2307463000    0
7 672/61 table_total       567000        0
"""


def _hand_rows():
    rows = []
    for line in HAND_LIST.strip().splitlines():
        letter, post, kind, amount, precision = line.split()
        rows.append((
            int(letter), post, kind,
            None if amount == "-" else Decimal(amount),
            None if precision == "-" else Decimal(precision),
        ))
    return rows


def _extracted_rows(letter_set):
    return [
        (
            s.letter, str(s.post), str(s.kind),
            s.amount.value if s.amount else None,
            s.amount.precision if s.amount else None,
        )
        for s in letter_set.statements
    ]


def test_extractor_finds_every_hand_listed_statement_and_nothing_else(sample_letter_set):
    expected = Counter(_hand_rows())
    found = Counter(_extracted_rows(sample_letter_set))
    missed = expected - found
    extra = found - expected
    assert not missed and not extra, f"missed: {sorted(missed.elements())}\nextra: {sorted(extra.elements())}"


def test_statements_come_in_letter_order_with_lines_and_quotes(sample_letter_set):
    letters = [s.letter for s in sample_letter_set.statements]
    assert letters == sorted(letters)
    for statement in sample_letter_set.statements:
        assert statement.source.line > 0
        assert statement.source.quote
        assert statement.source.document == "imdi-2023-tillegg-1-7.txt"


def test_quote_of_the_closing_total_of_671_71(sample_letter_set):
    [closing] = [s for s in sample_letter_set.statements if s.kind == Kind.NEW_TOTAL and str(s.post) == "671/71"]
    assert closing.amount.value == 228052000
    assert "Samlet bevilgning på posten til disposisjon for IMDi etter dette er 228 052 000 kroner" in closing.source.quote
    assert closing.source.line == 1390


def test_parts_are_linked_to_their_totals(sample_letter_set):
    by_id = {s.id: s for s in sample_letter_set.statements}
    parts_of_60 = [s for s in sample_letter_set.statements if s.kind == Kind.CHANGE_PART and str(s.post) == "671/60"]
    totals = {by_id[s.part_of].amount.value for s in parts_of_60}
    assert totals == {Decimal(3070000000)}
    shares = [s for s in sample_letter_set.statements if s.kind == Kind.BREAKDOWN_PART and s.letter == 7 and str(s.post) == "671/71"]
    assert {s.label for s in shares} == {"Norsk folkehjelp", "Norges Røde Kors", "Caritas", "Redd Barna", "Frivillighet Norge"}
    assert {by_id[s.part_of].kind for s in shares} == {Kind.CHANGE}


def test_proposals_and_enactments_carry_the_assignment_number(sample_letter_set):
    refs = {(s.letter, str(s.post), str(s.kind)): s.ref for s in sample_letter_set.statements if s.kind in (Kind.PROPOSAL, Kind.ENACTED)}
    assert refs[(6, "671/73", "proposal")] == "2023-29"
    assert refs[(7, "670/01", "enacted")] == "2023-29"


def test_carry_over_limit_states_five_percent(sample_letter_set):
    [limit] = [s for s in sample_letter_set.statements if s.kind == Kind.CARRY_OVER_LIMIT]
    assert limit.percent == 5 and str(limit.post) == "670/01"


def test_letters_have_numbers_dates_and_what_letter_4_supersedes(sample_letter_set):
    letters = {letter.number: letter for letter in sample_letter_set.letters}
    assert sorted(letters) == [1, 2, 3, 4, 5, 6, 7]
    assert letters[3].date.isoformat() == "2023-06-30"
    assert letters[5].date.isoformat() == "2023-11-14"
    assert letters[7].date.isoformat() == "2023-12-18"
    assert letters[4].supersedes == (3,)
    assert letters[4].revised
    assert letters[6].subject_to_parliament
    assert letters[2].ministry == "Arbeids- og inkluderingsdepartementet"


def test_the_amount_without_a_post_is_reported_not_used(sample_letter_set):
    unplaced = [i for i in sample_letter_set.issues if "uten kapittel/post" in i.message]
    assert [(i.letter, "12,8 mill. kroner" in i.quote) for i in unplaced] == [(2, True)]
