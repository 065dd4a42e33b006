"""What short letter excerpts say about budget posts: one test per kind of statement, bokmål and
nynorsk, posts named in headings and inline, wording from several ministries' letters, and text that
must not become a statement (dates, thresholds, ceilings, article numbers, amounts with no post).

Each excerpt is written to a .txt file in tmp_path and read with `load_letters`, as a user's letter
would be. The sentences written in the style of other ministries are made up for these tests.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.ledger.build import build_ledger
from reconcile.letters import phrases
from reconcile.letters.loading import load_letters
from reconcile.letters.statements import Kind, LetterSet, Statement

D = Decimal


@dataclass
class Read:
    text: str
    letters: LetterSet

    @property
    def statements(self) -> tuple[Statement, ...]:
        return self.letters.statements

    def line(self, needle: str) -> int:
        """The 1-based line of the file on which `needle` first appears."""
        for number, line in enumerate(self.text.split("\n"), start=1):
            if needle in line:
                return number
        raise AssertionError(f"{needle!r} is not in the letter")

    def rows(self, *kinds: Kind) -> list[tuple]:
        """(letter, post, kind, value, precision, line) of each statement, in letter order."""
        return [
            (s.letter, str(s.post), s.kind, s.amount.value if s.amount else None,
             s.amount.precision if s.amount else None, s.source.line)
            for s in self.statements
            if not kinds or s.kind in kinds
        ]

    def of(self, kind: Kind) -> list[Statement]:
        return [s for s in self.statements if s.kind == kind]

    def issues(self, words: str = "") -> list[str]:
        return [issue.message for issue in self.letters.issues if words in issue.message]


def read_letter(tmp_path: Path, body: str, *, heading: str | None = "Tillegg nr. 1 til tildelingsbrev for Etaten 2024",
                name: str = "brev.txt") -> Read:
    """Write a letter (heading, blank line, dedented body) to tmp_path and read it."""
    text = textwrap.dedent(body).strip("\n") + "\n"
    if heading is not None:
        text = f"{heading}\n\n{text}"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return Read(text, load_letters([path]))


# --- table totals -----------------------------------------------------------------------------


def test_table_rows_give_totals_also_where_the_name_wraps_and_the_amount_comes_later(tmp_path):
    read = read_letter(tmp_path, """
        Etter endringene i dette tillegget disponerer etaten følgende:

        Kap./post Postnavn Sum
        0440/01 Driftsutgifter 21 345 678 000
          440/21 Spesielle driftsutgifter,
          kan overføres

             123 456 000
        440/70 Tilskudd til frivillige
        organisasjoner
        4 500 000
    """)
    assert read.rows() == [
        (1, "440/01", Kind.TABLE_TOTAL, D(21345678000), D(0), read.line("0440/01")),
        (1, "440/21", Kind.TABLE_TOTAL, D(123456000), D(0), read.line("440/21")),
        (1, "440/70", Kind.TABLE_TOTAL, D(4500000), D(0), read.line("440/70")),
    ]
    assert [s.label for s in read.statements] == [
        "Driftsutgifter", "Spesielle driftsutgifter, kan overføres", "Tilskudd til frivillige organisasjoner",
    ]
    assert len({s.table for s in read.statements}) == 1
    assert read.letters.issues == ()


def test_a_table_in_thousands_reads_its_header_unit_with_half_a_thousand_precision(tmp_path):
    read = read_letter(tmp_path, """
        Kap./post Postnavn Beløp (i 1 000 kr)
        671/71 Tilskudd til integreringsarbeid 228 052
        671/73 Tilskudd 13 040
    """)
    assert read.rows() == [
        (1, "671/71", Kind.TABLE_TOTAL, D(228052000), D(500), read.line("671/71")),
        (1, "671/73", Kind.TABLE_TOTAL, D(13040000), D(500), read.line("671/73")),
    ]
    assert read.letters.issues == ()


def test_the_unit_may_stand_in_the_line_that_introduces_the_table(tmp_path):
    read = read_letter(tmp_path, """
        Etter endringane disponerer direktoratet følgjande (i 1 000 kr):
        Kap./post Postnamn Beløp
        1400/01 Driftsutgifter 312 450
    """)
    assert read.rows() == [(1, "1400/01", Kind.TABLE_TOTAL, D(312450000), D(500), read.line("1400/01"))]
    assert read.letters.issues == ()


@pytest.mark.parametrize(
    ("header", "value", "precision"),
    [
        ("Kap./post Postnavn Mill. kroner", D(21345500000), D(50000)),
        ("Kap./post Postnavn MNOK", D(21345500000), D(50000)),
        ("Kap./post Postnavn 1000 kr", D(21345500), D(50)),
        ("Kap./post Postnavn NOK 1 000", D(21345500), D(50)),
        ("Kap./post Postnavn Sum", D("21345.5"), D(0)),  # kroner and øre, as written
    ],
)
def test_a_unit_as_the_last_columns_heading_is_the_tables_unit(tmp_path, header, value, precision):
    read = read_letter(tmp_path, f"""
        {header}
        0440/01 Driftsutgifter 21 345,5
    """)
    assert read.rows() == [(1, "440/01", Kind.TABLE_TOTAL, value, precision, read.line("0440/01"))]
    assert not read.issues()


def test_the_unit_may_stand_in_a_caption_line_over_the_table(tmp_path):
    read = read_letter(tmp_path, """
        Oversikt over tildelt beløp (i 1 000 kr)
        Kap./post Postnavn Sum
        714/70 Tilskudd 45 500
    """)
    assert read.rows() == [(1, "714/70", Kind.TABLE_TOTAL, D(45500000), D(500), read.line("714/70"))]


def test_a_unit_in_running_prose_is_not_the_tables_unit(tmp_path):
    read = read_letter(tmp_path, """
        Beløpene i vedlegget er oppgitt i 1 000 kr. Tabellen under er i kroner.
        Kap./post Postnavn Sum
        714/70 Tilskudd 45 500 000
    """)
    assert read.rows() == [(1, "714/70", Kind.TABLE_TOTAL, D(45500000), D(0), read.line("714/70"))]


def test_a_table_with_kapittel_and_post_in_columns_of_their_own(tmp_path):
    read = read_letter(tmp_path, """
        Kap. Post Betegnelse Beløp (i 1 000 kr)
        220 Utdanningsdirektoratet
        01 Driftsutgifter 345 678
        21 Spesielle driftsutgifter, kan
        overføres
        12 345
        Sum kap. 220 358 023
        226 21 Kvalitetsutvikling i grunnopplæringen 1 234 567
        Sum 1 592 590

        10 Rapportering
        Direktoratet rapporterer i årsrapporten.
    """)
    assert read.rows() == [
        (1, "220/01", Kind.TABLE_TOTAL, D(345678000), D(500), read.line("01 Driftsutgifter")),
        (1, "220/21", Kind.TABLE_TOTAL, D(12345000), D(500), read.line("21 Spesielle")),
        (1, "226/21", Kind.TABLE_TOTAL, D(1234567000), D(500), read.line("226 21")),
    ]


UNITS = [
    ("Kap./post Postnavn Beløp (i 1 000 kr)", D(1000)),
    ("Beløp (1000 kr)", D(1000)),
    ("Sum (NOK 1 000)", D(1000)),
    ("Beløp i NOK 1000", D(1000)),
    ("Tal i tusen kroner", D(1000)),
    ("Beløp (mill. kroner)", D(1000000)),
    ("Beløp i millionar kroner", D(1000000)),
    ("Beløp i MNOK", D(1000000)),
    ("Kap./post Postnavn Sum (NOK)", None),
    ("Bevilgningen økes med 1 000 kroner.", None),
    ("Bevilgningen økes med 12,5 MNOK.", None),
    ("Tilskudd på NOK 1 000 per deltaker.", None),
]


@pytest.mark.parametrize(("text", "unit"), UNITS)
def test_table_units_are_read_only_where_they_name_a_unit(text, unit):
    assert phrases.table_unit(text) == unit
    blanked = phrases.without_units(text)
    assert len(blanked) == len(text)
    assert (blanked != text) == (unit is not None)


# --- changes ----------------------------------------------------------------------------------

CHANGES = [
    ("Bevilgningen på posten økes med 2 mill. kroner.", D(2000000), D(500000)),
    ("Bevilgningen på posten reduseres med 3 200 000 kroner.", D(-3200000), D(0)),
    ("Bevilgningen er redusert med 1,5 mill. kroner som følge av lavere aktivitet.", D(-1500000), D(50000)),
    ("Det gis en reduksjon på 400 000 kroner.", D(-400000), D(0)),
    ("Posten får en økning på 0,5 mill. kroner.", D(500000), D(50000)),
    ("Posten tilføres 5 mill. kroner til vinterdrift.", D(5000000), D(500000)),
    ("Bevilgningen endres med \u22123 mill. kroner.", D(-3000000), D(500000)),
    ("Løyvinga på posten aukar med 2 mill. kroner.", D(2000000), D(500000)),
    ("Løyvinga på posten blir redusert med 500 000 kroner.", D(-500000), D(0)),
    ("Det blir ein reduksjon på 1,5 mill. kroner.", D(-1500000), D(50000)),
    ("Løyvinga blir auka med 250 000 kroner til nye tiltak.", D(250000), D(0)),
    ("Det er gitt ein auke på 1 mill. kroner.", D(1000000), D(500000)),
]


@pytest.mark.parametrize(("sentence", "value", "precision"), CHANGES, ids=[c[0][:40] for c in CHANGES])
def test_a_change_on_the_post_of_the_headings_is_signed_by_its_verb(tmp_path, sentence, value, precision):
    read = read_letter(tmp_path, f"""
        Kap. 1400 Klima- og miljødepartementet
        Post 01 Driftsutgifter
        {sentence}
    """)
    assert read.rows() == [(1, "1400/01", Kind.CHANGE, value, precision, read.line(sentence[:30]))]


def test_changes_under_a_stated_total_change_become_its_parts(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 671 Bosetting av flyktninger og tiltak for innvandrere
        Post 62 Kommunale integreringstiltak
        Bevilgningen reduseres med 3,7 mill. kroner fra tilskuddsordningen for kvalifisering. Videre økes
        bevilgningen med 835 000 kroner som følge av lønns- og prisjusteringen.

        Samlet reduseres bevilgningen på posten med 2,4 mill. kroner.
    """)
    assert read.rows() == [
        (1, "671/62", Kind.CHANGE_PART, D(-3700000), D(50000), read.line("reduseres med 3,7")),
        (1, "671/62", Kind.CHANGE_PART, D(835000), D(0), read.line("bevilgningen med 835 000")),
        (1, "671/62", Kind.CHANGE, D(-2400000), D(50000), read.line("Samlet reduseres")),
    ]
    total = read.of(Kind.CHANGE)[0]
    assert {part.part_of for part in read.of(Kind.CHANGE_PART)} == {total.id}
    assert read.of(Kind.CHANGE_PART)[0].label == "fra tilskuddsordningen for kvalifisering"


def test_samlet_okes_closes_a_group_of_increases(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 226 Kvalitetsutvikling i grunnopplæringen
        Post 21 Spesielle driftsutgifter
        Bevilgningen økes med 12,5 mill. kroner til kompetanseutvikling. Bevilgningen økes også med
        2,5 mill. kroner til lærerspesialister.

        Samlet økes bevilgningen på posten med 15 mill. kroner.
    """)
    kinds = [(s.kind, s.amount.value) for s in read.statements]
    assert kinds == [(Kind.CHANGE_PART, D(12500000)), (Kind.CHANGE_PART, D(2500000)), (Kind.CHANGE, D(15000000))]


def test_okes_totalt_hvorav_gives_a_total_and_its_parts_in_one_sentence(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 670 Integrerings- og mangfoldsdirektoratet
        Post 01 Driftsutgifter
        Bevilgningen på posten økes totalt med 9 mill. kroner, hvorav 5,2 mill. kroner går til
        lønnskompensasjon, 3,3 mill. kroner til prisjustering og 0,5 mill. kroner til arbeidsgiveravgift.
    """)
    assert read.rows() == [
        (1, "670/01", Kind.CHANGE, D(9000000), D(500000), read.line("økes totalt")),
        (1, "670/01", Kind.CHANGE_PART, D(5200000), D(50000), read.line("økes totalt")),
        (1, "670/01", Kind.CHANGE_PART, D(3300000), D(50000), read.line("lønnskompensasjon")),
        (1, "670/01", Kind.CHANGE_PART, D(500000), D(50000), read.line("lønnskompensasjon")),
    ]
    total = read.of(Kind.CHANGE)[0]
    assert [part.part_of for part in read.of(Kind.CHANGE_PART)] == [total.id] * 3
    assert [part.label for part in read.of(Kind.CHANGE_PART)] == [
        "går til lønnskompensasjon", "til prisjustering", "til arbeidsgiveravgift",
    ]


def test_nynorsk_change_with_parts_introduced_by_der(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 1400 Klima- og miljødepartementet
        Post 70 Tilskot til frivillige organisasjonar
        Løyvinga på posten aukar med 9 mill. kroner, der 5 mill. kroner går til kommunar og 4 mill. kroner
        til frivillige organisasjonar.
    """)
    assert [(s.kind, s.amount.value) for s in read.statements] == [
        (Kind.CHANGE, D(9000000)), (Kind.CHANGE_PART, D(5000000)), (Kind.CHANGE_PART, D(4000000)),
    ]
    assert [s.label for s in read.of(Kind.CHANGE_PART)] == ["går til kommunar", "til frivillige organisasjonar"]


MORE_WORDINGS = [
    ("Bevilgningen på kap. 226 post 21 settes ned med 5 mill. kroner.",
     [("226/21", Kind.CHANGE, D(-5000000))]),
    ("Departementet øker bevilgningen på kap. 714, post 21 med 2 mill. kroner.",
     [("714/21", Kind.CHANGE, D(2000000))]),
    ("Departementet aukar løyvinga på kap. 1400, post 01 med 2 mill. kroner.",
     [("1400/01", Kind.CHANGE, D(2000000))]),
    ("Løyvinga på kap. 1400, post 21 er sett ned med 2 mill. kroner.",
     [("1400/21", Kind.CHANGE, D(-2000000))]),
    ("Bevilgningen på kap. 226, post 22 økes med 10 mill. kroner, fra 100 mill. kroner til 110 mill. kroner.",
     [("226/22", Kind.CHANGE, D(10000000)), ("226/22", Kind.PREVIOUS_TOTAL, D(100000000)),
      ("226/22", Kind.NEW_TOTAL, D(110000000))]),
    ("Samlet tildeling på kap. 714, post 23 etter endringene: 48 200 000 kroner.",
     [("714/23", Kind.NEW_TOTAL, D(48200000))]),
    ("Tildelingen på kap. 714, post 24 økes med 2 mill. kroner, til totalt 14 mill. kroner.",
     [("714/24", Kind.CHANGE, D(2000000)), ("714/24", Kind.NEW_TOTAL, D(14000000))]),
    ("Bevilgningen på kap. 714, post 26 er økt fra 40 mill. kroner til 48,2 mill. kroner.",
     [("714/26", Kind.PREVIOUS_TOTAL, D(40000000)), ("714/26", Kind.NEW_TOTAL, D(48200000))]),
    ("Det tildeles 3 mill. kroner over kap. 714 post 25 til et register.",
     [("714/25", Kind.EARMARK, D(3000000))]),
    ("Bevilgningen på kap. 714, post 27 økes med 2 mill. kroner og blir etter dette 50 mill. kroner.",
     [("714/27", Kind.CHANGE, D(2000000)), ("714/27", Kind.NEW_TOTAL, D(50000000))]),
    ("Bevilgningen på kap. 714, post 28 økes med 12,5 MNOK.",
     [("714/28", Kind.CHANGE, D(12500000))]),
]


@pytest.mark.parametrize(("sentence", "expected"), MORE_WORDINGS, ids=[m[0][:45] for m in MORE_WORDINGS])
def test_more_wordings_of_changes_and_totals_with_the_post_inline(tmp_path, sentence, expected):
    read = read_letter(tmp_path, sentence)
    assert [(str(s.post), s.kind, s.amount.value) for s in read.statements] == expected
    assert {s.source.line for s in read.statements} == {3}


# --- new, corrected, previous and stated totals -----------------------------------------------


def test_samlet_bevilgning_etter_dette_is_the_new_total(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 671 Bosetting av flyktninger og tiltak for innvandrere
        Post 71 Tilskudd til integreringsarbeid i regi av frivillige organisasjoner
        Bevilgningen på posten økes med 5 000 000 kroner. Samlet bevilgning på posten til disposisjon
        for etaten etter dette er 228 052 000 kroner.
    """)
    assert read.rows() == [
        (1, "671/71", Kind.CHANGE, D(5000000), D(0), read.line("økes med 5 000 000")),
        (1, "671/71", Kind.NEW_TOTAL, D(228052000), D(0), read.line("228 052 000")),
    ]


NEW_TOTALS = [
    ("Samla løyving på posten etter dette er 48 200 000 kroner.", D(48200000), D(0)),
    ("Løyvinga blir auka til 48,2 mill. kroner.", D(48200000), D(50000)),
    ("Løyvinga på posten er etter dette 48,2 mill. kroner.", D(48200000), D(50000)),
    ("Samlet ramme på posten er etter dette 48,2 mill. kroner.", D(48200000), D(50000)),
    ("Ny bevilgning på posten er 48 200 000 kroner.", D(48200000), D(0)),
]


@pytest.mark.parametrize(("sentence", "value", "precision"), NEW_TOTALS, ids=[n[0][:40] for n in NEW_TOTALS])
def test_wordings_of_a_new_total(tmp_path, sentence, value, precision):
    read = read_letter(tmp_path, f"""
        Kap. 1400 Klima- og miljødepartementet
        Post 01 Driftsutgifter
        {sentence}
    """)
    assert read.rows() == [(1, "1400/01", Kind.NEW_TOTAL, value, precision, read.line(sentence[:30]))]


def test_fra_x_til_y_gives_the_previous_then_the_new_total(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 1400 Klima- og miljødepartementet
        Post 01 Driftsutgifter
        Løyvinga på posten er endra frå 40 mill. kroner til 48,2 mill. kroner.
    """)
    assert read.rows() == [
        (1, "1400/01", Kind.PREVIOUS_TOTAL, D(40000000), D(500000), 5),
        (1, "1400/01", Kind.NEW_TOTAL, D(48200000), D(50000), 5),
    ]


def test_a_change_followed_by_til_gives_the_change_and_the_new_total(tmp_path):
    read = read_letter(tmp_path, """
        Bevilgningen på kap. 1320, post 30 økes med 1,2 mrd. kroner til 35,4 mrd. kroner.
    """)
    assert read.rows() == [
        (1, "1320/30", Kind.CHANGE, D(1200000000), D(50000000), 3),
        (1, "1320/30", Kind.NEW_TOTAL, D(35400000000), D(50000000), 3),
    ]


def test_a_correction_gives_corrected_previous_correction_and_stated_totals(tmp_path):
    read = read_letter(tmp_path, """
        Korreksjon av beløp
        Departementet viser til tildelingsbrevet under kapittel 714, post 70, og
        korrigerer med dette bevilgningen på posten til 84,3 mill. kroner. I tildelingsbrevet
        fremgikk det at bevilgningen utgjorde 86,3 mill. kroner. Det ble ved en inkurie stilt 2 mill.
        kroner til disposisjon til et tiltak som hører til en annen post.

        Direktoratets andel utgjør derfor 84,3 mill. kroner.
    """)
    assert read.rows() == [
        (1, "714/70", Kind.CORRECTED_TOTAL, D(84300000), D(50000), read.line("korrigerer med")),
        (1, "714/70", Kind.PREVIOUS_TOTAL, D(86300000), D(50000), read.line("utgjorde 86,3")),
        (1, "714/70", Kind.CORRECTION, D(-2000000), D(500000), read.line("stilt 2 mill.")),
        (1, "714/70", Kind.STATED_TOTAL, D(84300000), D(50000), read.line("utgjør derfor")),
    ]
    ledger = build_ledger(read.letters)
    [correction] = [f for f in ledger.audit if f.check == "correction"]
    assert (correction.severity, correction.difference) == ("ok", D(0))


def test_korrigerer_skal_vaere_gives_the_corrected_total(tmp_path):
    read = read_letter(tmp_path, """
        Departementet korrigerer tillegg nr. 1: bevilgningen på kap. 740, post 01 skal være 1 389 800 000 kroner.
    """)
    assert read.rows() == [(1, "740/01", Kind.CORRECTED_TOTAL, D(1389800000), D(0), read.line("korrigerer"))]


# --- carry-over -------------------------------------------------------------------------------


def test_carried_over_amounts_and_their_limit(tmp_path):
    read = read_letter(tmp_path, """
        Ubrukt bevilgning fra 2023
        Samlet overføring på kap. 714, post 01 kan ikke overstige 5 pst. av den samlede bevilgningen på posten.

        Departementet stiller med dette følgende midler til disposisjon for direktoratet:

        - 3,4 mill. kroner over kap. 714, post 01.
        - 12 500 000 kroner over kap. 714, post 45.
    """)
    assert read.rows() == [
        (1, "714/01", Kind.CARRY_OVER_LIMIT, None, None, read.line("kan ikke overstige")),
        (1, "714/01", Kind.CARRIED_OVER, D(3400000), D(50000), read.line("3,4 mill.")),
        (1, "714/45", Kind.CARRIED_OVER, D(12500000), D(0), read.line("12 500 000")),
    ]
    assert read.of(Kind.CARRY_OVER_LIMIT)[0].percent == 5


def test_nynorsk_carry_over(tmp_path):
    read = read_letter(tmp_path, """
        Overføring av ubrukt løyving frå 2023
        Samla overføring på kap. 1400, post 01 kan ikkje overstige 5 prosent av løyvinga på posten.
        Departementet stiller 1,2 mill. kroner til disposisjon over kap. 1400, post 01.
    """)
    assert [(s.kind, str(s.post)) for s in read.statements] == [
        (Kind.CARRY_OVER_LIMIT, "1400/01"), (Kind.CARRIED_OVER, "1400/01"),
    ]


@pytest.mark.parametrize(
    ("sentence", "value", "precision"),
    [
        ("Det er overført 45 mill. kroner fra 2024 på kap. 1320, post 30.", D(45000000), D(500000)),
        ("På kap. 1320, post 30 overføres 12 350 000 kroner fra i fjor.", D(12350000), D(0)),
        ("Det er overført 1,2 mill. kroner frå i fjor på kap. 1320, post 30.", D(1200000), D(50000)),
    ],
)
def test_a_sentence_that_says_the_amount_is_carried_over_from_last_year(tmp_path, sentence, value, precision):
    """No heading sets up a carry-over section here: the sentence itself says so ("fra 2024",
    "fra i fjor", nynorsk "frå i fjor")."""
    read = read_letter(tmp_path, f"""
        Samferdselsdepartementet gjør følgende endringer i tildelingen.
        {sentence}
    """)
    assert read.rows() == [(1, "1320/30", Kind.CARRIED_OVER, value, precision, read.line(sentence[:20]))]
    assert not read.issues()


def test_overfort_fra_i_fjor_in_a_paragraph_makes_its_list_carried_over(tmp_path):
    read = read_letter(tmp_path, """
        Midler overført fra i fjor
        Følgende beløp er overført fra 2023 og stilles til disposisjon:

        - 3,4 mill. kroner over kap. 714, post 01.
    """)
    assert read.rows() == [(1, "714/01", Kind.CARRIED_OVER, D(3400000), D(50000), read.line("3,4 mill."))]


def test_a_transfer_between_posts_is_not_a_carry_over(tmp_path):
    read = read_letter(tmp_path, """
        Bevilgningen på kap. 714, post 01 reduseres med 2 mill. kroner, som overføres til kap. 714, post 21.
    """)
    assert [s.kind for s in read.statements if s.kind == Kind.CARRIED_OVER] == []


def test_a_carry_over_heading_run_into_a_paragraph_leaves_the_sentence_before_it_alone(tmp_path):
    """Text copied from a PDF often has no blank line around a subheading: the heading "Ubrukt
    bevilgning fra 2023" then joins the paragraph, after an earmark that is no carry-over."""
    read = read_letter(tmp_path, """
        Det settes av 2 mill. kroner over kap. 740, post 01 til et nytt register.
        Ubrukt bevilgning fra 2023
        Det stilles 12,3 mill. kroner til disposisjon over kap. 740, post 01.
    """)
    assert read.rows() == [
        (1, "740/01", Kind.EARMARK, D(2000000), D(500000), read.line("settes av")),
        (1, "740/01", Kind.CARRIED_OVER, D(12300000), D(50000), read.line("12,3 mill.")),
    ]


def test_a_new_subheading_ends_the_carry_over_section(tmp_path):
    read = read_letter(tmp_path, """
        Ubrukt bevilgning fra 2023
        Det overføres 1,2 mill. kroner på kap. 714, post 01.

        Endringer i bevilgningen
        Bevilgningen på kap. 714, post 01 økes med 3 mill. kroner.
        Departementet setter av 0,8 mill. kroner på kap. 714, post 01 til et nytt register.
    """)
    assert [s.kind for s in read.statements] == [Kind.CARRIED_OVER, Kind.CHANGE, Kind.EARMARK]


# --- breakdowns -------------------------------------------------------------------------------


def test_a_list_after_folgende_fordeling_breaks_down_the_total_before_it(tmp_path):
    read = read_letter(tmp_path, """
        Departementet viser til tildelingsbrevet under kapittel 671, post 71, og
        korrigerer med dette bevilgningen på posten til 210 060 000,- kroner. Følgende fordeling av
        midler legges til grunn:

        - 132 550 000,- kroner til tilskudd til integreringsarbeid.
        - 37 510 000,- kroner til nasjonale ressursmiljøer.
        - 40 000 000,- kroner til norskopplæringsordningen.
    """)
    total = read.of(Kind.CORRECTED_TOTAL)[0]
    parts = read.of(Kind.BREAKDOWN_PART)
    assert [(s.amount.value, s.source.line, s.part_of) for s in parts] == [
        (D(132550000), read.line("132 550 000"), total.id),
        (D(37510000), read.line("37 510 000"), total.id),
        (D(40000000), read.line("40 000 000"), total.id),
    ]
    assert [s.label for s in parts] == [
        "til tilskudd til integreringsarbeid", "til nasjonale ressursmiljøer", "til norskopplæringsordningen",
    ]
    [check] = [f for f in build_ledger(read.letters).audit if f.check == "breakdown_vs_total"]
    assert (check.severity, check.difference) == ("ok", D(0))


def test_a_fordeling_list_with_no_total_still_gives_parts_of_the_named_post(tmp_path):
    read = read_letter(tmp_path, """
        Midlene på kap. 714, post 79 skal fordeles etter søknad. Følgende fordeling legges til grunn:

        - 20 000 000 kroner til kommunale lavterskeltilbud.
        - 5 000 000 kroner til frivillige organisasjoner.
    """)
    assert read.rows() == [
        (1, "714/79", Kind.BREAKDOWN_PART, D(20000000), D(0), read.line("20 000 000")),
        (1, "714/79", Kind.BREAKDOWN_PART, D(5000000), D(0), read.line("5 000 000")),
    ]
    assert all(s.part_of is None for s in read.statements)


def test_fordeles_jevnt_shares_the_amount_equally_to_the_named(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 671 Bosetting av flyktninger og tiltak for innvandrere
        Post 71 Tilskudd til integreringsarbeid
        Bevilgningen på posten økes med 3 000 000 kroner. Økningen skal fordeles jevnt til Norsk
        folkehjelp, Caritas og Redd Barna.
    """)
    change = read.of(Kind.CHANGE)[0]
    shares = read.of(Kind.BREAKDOWN_PART)
    assert [(s.label, s.amount.value, s.amount.precision, s.part_of) for s in shares] == [
        ("Norsk folkehjelp", D(1000000), D(0), change.id),
        ("Caritas", D(1000000), D(0), change.id),
        ("Redd Barna", D(1000000), D(0), change.id),
    ]


def test_nynorsk_equal_shares(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 1400 Klima- og miljødepartementet
        Post 70 Tilskot
        Løyvinga på posten aukar med 2 mill. kroner. Midlane skal fordelast likt mellom Naturvernforbundet
        og Norsk Friluftsliv.
    """)
    shares = read.of(Kind.BREAKDOWN_PART)
    assert [(s.label, s.amount.value, s.amount.precision) for s in shares] == [
        ("Naturvernforbundet", D(1000000), D(250000)), ("Norsk Friluftsliv", D(1000000), D(250000)),
    ]


# --- proposals, enactments and earmarks in assignments ----------------------------------------

PROPOSED = """
    Tillegg nr. 5 til tildelingsbrev for Utdanningsdirektoratet 2024

    Kunnskapsdepartementet viser til tildelingsbrevet for 2024.

    Oppdrag nr. 2024-12 Leseløft i skolen

    Beskrivelse av oppdraget
    Regjeringen foreslår å bevilge 30 mill. kroner til et leseløft i skolen.
    Finansiering: Kap. 226, post 21
    Frist: 01.03.2025

    Oppdrag nr. 2024-13 Kartlegging av skolebibliotek

    Finansiering
    Det settes av 0,5 mill. kroner over kap. 226 Kvalitetsutvikling i grunnopplæringen, post 21,
    til kartleggingen.
    Frist: 01.06.2024

    Tillegg nr. 6 til tildelingsbrev for Utdanningsdirektoratet 2024

    Kunnskapsdepartementet viser til tildelingsbrevet for 2024.

    Oppdrag nr. 2024-12 Leseløft i skolen

    Stortinget har behandlet forslaget. Det er bevilget 30 mill. kroner til et leseløft i skolen.
    Finansiering: Kap. 226, post 21
    Frist: 01.03.2025

    Kap. 226 Kvalitetsutvikling i grunnopplæringen
    Post 21 Spesielle driftsutgifter
    Direktoratet utbetaler 27 450 kroner i tilskudd for hver deltaker som fullfører kurset.
"""


def test_a_proposal_and_its_enactment_are_tied_by_the_assignment_number(tmp_path):
    read = read_letter(tmp_path, PROPOSED, heading=None)
    assert read.rows() == [
        (5, "226/21", Kind.PROPOSAL, D(30000000), D(500000), read.line("Regjeringen foreslår")),
        (5, "226/21", Kind.EARMARK, D(500000), D(50000), read.line("Det settes av")),
        (6, "226/21", Kind.ENACTED, D(30000000), D(500000), read.line("Det er bevilget")),
        (6, "226/21", Kind.RATE, D(27450), D(0), read.line("27 450")),
    ]
    proposal, earmark, enacted, rate = read.statements
    assert proposal.ref == enacted.ref == "2024-12"
    assert earmark.ref == "2024-13" and earmark.label == "til kartleggingen"
    assert rate.ref is None  # the rate follows the assignment, under headings of its own
    linked = [f for f in build_ledger(read.letters).audit if f.check == "enacted_vs_proposal"]
    assert [(str(f.post), f.letter, f.severity) for f in linked] == [("226/21", 6, "ok")]


def test_a_reservation_about_parliament_in_the_paragraph_makes_its_amounts_proposals(tmp_path):
    read = read_letter(tmp_path, """
        Bevilgningen på kap. 714, post 70 økes med 4 mill. kroner til arbeid mot ensomhet. Det tas
        forbehold om Stortingets budsjettvedtak.

        Bevilgningen på kap. 714, post 21 økes med 1 mill. kroner.
    """)
    assert [(str(s.post), s.kind) for s in read.statements] == [("714/70", Kind.PROPOSAL), ("714/21", Kind.CHANGE)]


def test_earmark_over_a_post_named_with_its_kapittel_name(tmp_path):
    read = read_letter(tmp_path, """
        Finansiering
        Det settes av 0,5 mill. kroner over statsbudsjettets kap. 671 Bosetting av flyktninger og tiltak
        for innvandrere, post 21, til å utarbeide planen.
    """)
    assert read.rows() == [(1, "671/21", Kind.EARMARK, D(500000), D(50000), read.line("Det settes av"))]
    assert read.statements[0].label == "til å utarbeide planen"


# --- rates ------------------------------------------------------------------------------------


def test_a_rate_in_a_sentence_and_in_a_two_column_table_row(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 672, post 60 Tilskudd til opplæring i norsk
        Kommuner som fatter vedtak om utvidet opplæring får 27 450 kroner i tilskudd for hver deltaker.

        Kap. 671, post 60 Integreringstilskudd
        Tilskudd Saldert budsjett RNB
        Integreringstilskudd År-2 243 100 kroner 249 500 kroner
    """)
    assert read.rows() == [
        (1, "672/60", Kind.RATE, D(27450), D(0), read.line("27 450")),
        (1, "671/60", Kind.RATE, D(249500), D(0), read.line("År-2")),
    ]
    row = read.statements[1]
    assert row.previous.value == 243100 and row.label == "Integreringstilskudd År-2"


# --- posts named in headings and inline -------------------------------------------------------

INLINE = [
    ("Bevilgningen på kap. 671, post 73 økes med 2 mill. kroner.", "671/73"),
    ("Bevilgningen på kapittel 671, post 71 økes med 2 mill. kroner.", "671/71"),
    ("Bevilgningen på kap. 671 post 21 økes med 2 mill. kroner.", "671/21"),
    ("Bevilgningen på kap. 1502 Tilskudd til forskning, post 70 økes med 2 mill. kroner.", "1502/70"),
    ("Bevilgningen på kap. 1502 Tilskudd til forskning mv., post 70 økes med 2 mill. kroner.", "1502/70"),
    ("Bevilgningen på kap. 0440, post 01 økes med 2 mill. kroner.", "440/01"),
]


@pytest.mark.parametrize(("sentence", "post"), INLINE, ids=[i[0][17:50] for i in INLINE])
def test_a_post_named_inline(tmp_path, sentence, post):
    read = read_letter(tmp_path, sentence)
    assert read.rows() == [(1, post, Kind.CHANGE, D(2000000), D(500000), 3)]


def test_posts_named_by_kapittel_and_post_headings_carry_through_the_paragraphs(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 671 Bosetting av flyktninger og tiltak for innvandrere
        Post 71 Tilskudd til integreringsarbeid
        Bevilgningen på posten økes med 13 mill. kroner.

        Post 72 Kvalifiseringsordninger for tolker
        Bevilgningen på posten økes med 432 000 kroner.

        Kap. 672 Opplæring i norsk og samfunnskunnskap for voksne innvandrere
        Post 61 Kompetansekartlegging i mottak før bosetting
        Bevilgningen på posten reduseres med 336 000 kroner.
    """)
    assert [(str(s.post), s.amount.value) for s in read.statements] == [
        ("671/71", D(13000000)), ("671/72", D(432000)), ("672/61", D(-336000)),
    ]


# --- what must not become a statement ---------------------------------------------------------


def test_dates_thresholds_ceilings_and_article_numbers_are_not_statements(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 440 Politiet
        Post 01 Driftsutgifter
        Departementet viser til brev av 16.06.2023 og til integreringsloven § 37 d.
        Politiet kan gi tilskudd på inntil 2 mill. kroner til hvert prosjekt. Arbeidsgiveravgift på
        inntekt over 750 000 kroner dekkes ikke. Tilskudd under 50 000 kroner utbetales ikke.
        Rapporten leveres innen 1. mars 2024, jf. artikkel 12 i avtalen og forskriften § 3.
        Ring 22 24 90 90. Org.nr. 983 887 457.
    """)
    assert read.statements == ()
    assert not read.issues("ikke forstått")


def test_an_amount_with_no_post_is_reported_not_used(tmp_path):
    read = read_letter(tmp_path, """
        Departementet viser til tildelingsbrevet.
        Bevilgningen økes med 4 mill. kroner til arbeidet.
    """)
    assert read.statements == ()
    assert read.issues("uten kapittel/post")


def test_an_amount_in_words_no_letter_reader_understands_is_reported(tmp_path):
    read = read_letter(tmp_path, """
        Kap. 440 Politiet
        Post 01 Driftsutgifter
        Det vil komme 4 mill. kroner til arbeidet senere.
    """)
    assert read.statements == ()
    assert read.issues("ikke forstått")


# --- other ministries' letters (made-up sentences in their style) -----------------------------


def test_kunnskapsdepartementet_to_udir_kap_226_post_21(tmp_path):
    read = read_letter(tmp_path, """
        Kunnskapsdepartementet viser til tildelingsbrevet til Utdanningsdirektoratet for 2024.

        Kap. 226 Kvalitetsutvikling i grunnopplæringen
        Post 21 Spesielle driftsutgifter, kan nyttes under post 70
        Bevilgningen på posten økes med 12,5 mill. kroner til kompetanseutvikling for lærere i realfag.
        Bevilgningen reduseres med 4 mill. kroner som følge av at programmet for skolebibliotek avsluttes.

        Samlet økes bevilgningen på posten med 8,5 mill. kroner. Samlet bevilgning på posten etter dette
        er 1 456 300 000 kroner.
    """, heading="Tillegg nr. 4 til tildelingsbrev for Utdanningsdirektoratet 2024")
    assert read.rows() == [
        (4, "226/21", Kind.CHANGE_PART, D(12500000), D(50000), read.line("økes med 12,5")),
        (4, "226/21", Kind.CHANGE_PART, D(-4000000), D(500000), read.line("reduseres med 4")),
        (4, "226/21", Kind.CHANGE, D(8500000), D(50000), read.line("Samlet økes")),
        (4, "226/21", Kind.NEW_TOTAL, D(1456300000), D(0), read.line("er 1 456 300 000")),
    ]
    assert read.letters.letters[0].ministry == "Kunnskapsdepartementet"


def test_helse_og_omsorgsdepartementet_to_helsedirektoratet_kap_714_post_70(tmp_path):
    read = read_letter(tmp_path, """
        Helse- og omsorgsdepartementet viser til tildelingsbrevet for 2024.

        Kap. 714 Folkehelse
        Post 70 Tilskudd, kan nyttes under post 21
        Bevilgningen på posten reduseres med 3 200 000 kroner som følge av lavere aktivitet i
        tilskuddsordningen. Samlet bevilgning på posten etter dette er 96 800 000 kroner.

        Helsedirektoratet får stilt til disposisjon 4,5 mill. kroner over kap. 714, post 70, til arbeid
        mot ensomhet blant eldre.
    """, heading="Tillegg nr. 2 til tildelingsbrev for Helsedirektoratet 2024")
    assert read.rows() == [
        (2, "714/70", Kind.CHANGE, D(-3200000), D(0), read.line("reduseres med 3 200 000")),
        (2, "714/70", Kind.NEW_TOTAL, D(96800000), D(0), read.line("96 800 000")),
        (2, "714/70", Kind.EARMARK, D(4500000), D(50000), read.line("4,5 mill.")),
    ]
    assert read.of(Kind.EARMARK)[0].label == "til arbeid mot ensomhet blant eldre"
    assert read.letters.letters[0].ministry == "Helse- og omsorgsdepartementet"


def test_justis_og_beredskapsdepartementet_to_politidirektoratet_kap_440_post_01(tmp_path):
    read = read_letter(tmp_path, """
        Justis- og beredskapsdepartementet viser til Stortingets behandling av revidert nasjonalbudsjett.

        Bevilgningen på kap. 440, post 01 økes med 150 mill. kroner til flere politiårsverk. Samlet
        tildeling på posten er etter dette 21 345,6 mill. kroner.

        Tildelingen over kap. 440 post 21 reduseres med 25 mill. kroner til 1 975 mill. kroner.
    """, heading="Tillegg nr. 3 til tildelingsbrev for Politidirektoratet 2024")
    assert read.rows() == [
        (3, "440/01", Kind.CHANGE, D(150000000), D(500000), read.line("økes med 150")),
        (3, "440/01", Kind.NEW_TOTAL, D(21345600000), D(50000), read.line("21 345,6")),
        (3, "440/21", Kind.CHANGE, D(-25000000), D(500000), read.line("reduseres med 25")),
        (3, "440/21", Kind.NEW_TOTAL, D(1975000000), D(500000), read.line("1 975 mill.")),
    ]


def test_klima_og_miljodepartementet_in_nynorsk_kap_1400_post_01(tmp_path):
    read = read_letter(tmp_path, """
        Klima- og miljødepartementet viser til tildelingsbrevet for 2024.

        Kap. 1400 Klima- og miljødepartementet
        Post 01 Driftsutgifter
        Løyvinga på posten aukar med 2 mill. kroner til arbeidet med naturrekneskap. Vidare blir
        løyvinga redusert med 0,6 mill. kroner som følgje av lågare husleige.

        Samla aukar løyvinga på posten med 1,4 mill. kroner. Samla løyving på posten etter dette er
        312 450 000 kroner.
    """, heading="Tillegg nr. 2 til tildelingsbrev for Miljødirektoratet 2024")
    assert read.rows() == [
        (2, "1400/01", Kind.CHANGE_PART, D(2000000), D(500000), read.line("aukar med 2")),
        (2, "1400/01", Kind.CHANGE_PART, D(-600000), D(50000), read.line("redusert med 0,6")),
        (2, "1400/01", Kind.CHANGE, D(1400000), D(50000), read.line("Samla aukar")),
        (2, "1400/01", Kind.NEW_TOTAL, D(312450000), D(0), read.line("312 450 000")),
    ]
    assert [s.label for s in read.of(Kind.CHANGE_PART)] == [
        "til arbeidet med naturrekneskap", "som følgje av lågare husleige",
    ]
    assert read.letters.letters[0].ministry == "Klima- og miljødepartementet"


def test_samferdselsdepartementet_kap_1320_post_30(tmp_path):
    read = read_letter(tmp_path, """
        Samferdselsdepartementet viser til tildelingsbrevet for 2024.

        Samferdselsdepartementet stiller 2,3 mrd. kroner til disposisjon over kap. 1320 Statens vegvesen,
        post 30, til riksveginvesteringer.

        Kap. 1320 Statens vegvesen
        Post 30 Riksveginvesteringer, kan overføres
        Posten tilføres 120 mill. kroner til skredsikring. Samlet ramme på posten er etter dette
        35 420 mill. kroner.
    """, heading="Supplerende tildelingsbrev nr. 2 for Statens vegvesen 2024")
    assert read.rows() == [
        (2, "1320/30", Kind.EARMARK, D(2300000000), D(50000000), read.line("2,3 mrd.")),
        (2, "1320/30", Kind.CHANGE, D(120000000), D(500000), read.line("tilføres 120")),
        (2, "1320/30", Kind.NEW_TOTAL, D(35420000000), D(500000), read.line("35 420 mill.")),
    ]
    assert read.of(Kind.EARMARK)[0].label == "til riksveginvesteringer"


# --- letters and their numbers ----------------------------------------------------------------


@pytest.mark.parametrize(("heading", "number"), [
    ("Tillegg nr. 3 til tildelingsbrev for Etaten 2024", 3),
    ("Tillegg nr. 3 til tildelingsbrevet", 3),
    ("Supplerande tildelingsbrev nr. 3 for 2024", 3),
    ("Tildelingsbrev 2024 \u2013 tillegg nr. 3", 3),
    ("Endringsbrev nr. 3 til tildelingsbrev for 2024", 3),
])
def test_supplement_headings_give_the_letter_number(tmp_path, heading, number):
    read = read_letter(tmp_path, "Bevilgningen på kap. 440, post 01 økes med 1 mill. kroner.", heading=heading)
    assert [letter.number for letter in read.letters.letters] == [number]
    assert [s.letter for s in read.statements] == [number]
