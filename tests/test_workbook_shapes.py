"""Workbooks as finance offices write them, found and checked without a layout file.

Each shape below describes a real format: its title rows, header rows (none, one or two, merged or
not), where the table starts, how the post key is written and what each column holds. The generator
writes every shape twice from the ledger of the bundled letters (no figure typed in): a clean copy,
which must reconcile with every post matched, and a copy with seeded errors, in which exactly the
seeded cells must be flagged, each with its cause, and nothing else — the columns that the letters
do not state (accounts, spending, last year's budget) included, which are changed too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable

import pytest
import xlsxwriter

from reconcile.ledger.expected import LATEST, make_key

ROOT = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"
MINUS = "\u2212"
THOUSAND, MILLION = Decimal(1000), Decimal(1_000_000)


@pytest.fixture(scope="module")
def model():
    from reconcile.ledger.build import build_ledger
    from reconcile.ledger.expected import expected_values
    from reconcile.letters.loading import load_letters

    letter_set = load_letters()
    ledger = build_ledger(letter_set)
    return Model(list(ledger.posts), list(ledger.letters), expected_values(ledger, letter_set))


@dataclass
class Model:
    posts: list
    letters: list[int]
    expected: dict

    def value(self, post, role: str, letter) -> Decimal:
        return self.expected[make_key(post, role, letter)].amount.value

    def stale_letter(self, post) -> int | None:
        """An earlier letter after which the post's total differed from its latest."""
        latest = self.value(post, "total", LATEST)
        for letter in reversed(self.letters[:-1]):
            if self.value(post, "total", letter) != latest:
                return letter
        return None


# --- how cells are written ---------------------------------------------------------------------


def key_slash(post):
    return str(post)


def key_dot(post):
    return f"{post.kap}.{post.post:02d}"


def key_konto(post):
    return f"{post.kap:04d}.{post.post:02d}"


def key_space(post):
    return f"{post.kap} {post.post:02d}"


def key_konto_space(post):
    return f"{post.kap:04d} {post.post:02d}"


def key_words(post):
    return f"Kap. {post.kap} post {post.post:02d}"


def scaled(value: Decimal, unit: Decimal, decimals: int = 0) -> Decimal:
    return (value / unit).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def as_number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def grouped(value: Decimal, *, space=" ", minus="-", decimals=0, suffix="", parentheses=False) -> str:
    text = f"{abs(value):,.{decimals}f}".replace(",", space).replace(".", ",")
    if value < 0:
        return f"({text}){suffix}" if parentheses else f"{minus}{text}{suffix}"
    return text + suffix


@dataclass
class Figure:
    """A column the letters state: role and letter in the ledger, written in `unit`."""

    header: str
    role: str
    letter: object = LATEST
    unit: Decimal = Decimal(1)
    decimals: int = 0
    write: Callable[[Decimal, int], object] | None = None  # (value in unit, decimals) -> cell

    def amount(self, model: Model, post) -> Decimal:
        return model.value(post, self.role, self.letter)

    def cell(self, value_in_unit: Decimal):
        return self.write(value_in_unit, self.decimals) if self.write else as_number(value_in_unit)


@dataclass
class Other:
    """A column the letters do not state (accounts, spending, a forecast): made from the total."""

    header: str
    factor: Decimal
    unit: Decimal = Decimal(1)

    def amount(self, model: Model, post) -> Decimal:
        return (model.value(post, "total", LATEST) * self.factor).quantize(Decimal(1)) - 4321


@dataclass
class Text:
    header: str
    text: Callable[[object], object]


@dataclass
class Key:
    header: str
    write: Callable[[object], object]


@dataclass
class Kap:
    header: str
    every_row: bool = True
    write: Callable[[int], object] = lambda kap: kap


@dataclass
class PostNo:
    header: str
    write: Callable[[int], object] = lambda number: f"{number:02d}"


@dataclass
class Shape:
    name: str
    columns: list
    titles: list[str] = field(default_factory=list)
    header_rows: int = 1  # 0: no header; 2: the `group` row above
    group: dict[int, tuple[int, str]] = field(default_factory=dict)  # column -> (span, label) over the header
    first_column: int = 0
    blank_after_header: bool = False
    blank_inside: bool = False
    sum_row: bool = False
    split: int | None = None  # a second table (same columns) from this post on, under its own title
    sheet: str = "Ark1"
    seeds: tuple[str, ...] = ("stale", "sign")  # causes seeded into the first checked column
    seed_column: int | None = None  # or into this one


def figure_seeds(shape: Shape, model: Model) -> dict[tuple[object, int], tuple[Decimal, str]]:
    """(post, column position) -> (value in the column's unit, cause) for the seeded copy."""
    position = shape.seed_column
    if position is None:
        position = next(i for i, c in enumerate(shape.columns) if isinstance(c, Figure))
    column = shape.columns[position]
    seeds = {}
    used = set()
    for cause in shape.seeds:
        for post in model.posts:
            if post in used:
                continue
            true = column.amount(model, post)
            if true == 0:
                continue
            if cause == "stale":
                letter = model.stale_letter(post)
                if letter is None or column.role != "total" or column.letter not in (LATEST, model.letters[-1]):
                    continue
                value = scaled(model.value(post, "total", letter), column.unit, column.decimals)
            elif cause == "sign":
                value = -scaled(true, column.unit, column.decimals)
            elif cause == "transposition":
                digits = str(abs(int(true)))
                at = next((i for i in range(1, len(digits) - 1) if digits[i] != digits[i + 1]), None)
                if at is None or column.unit != 1:
                    continue
                swapped = digits[:at] + digits[at + 1] + digits[at] + digits[at + 2:]
                value = Decimal(swapped) * (1 if true > 0 else -1)
            elif cause == "unit":
                if column.unit == 1:
                    continue
                value = true  # written in kroner in a column of thousands
            else:
                raise ValueError(cause)
            seeds[(post, position)] = (value, cause)
            used.add(post)
            break
    assert len(seeds) == len(shape.seeds), f"{shape.name}: no post to seed {shape.seeds}"
    return seeds


def write_shape(shape: Shape, model: Model, path: Path, seeded: bool) -> set[tuple[str, str, str]]:
    """Write the shape; the seeded cells (cell, post, cause) it holds."""
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet(shape.sheet)
    bold = workbook.add_format({"bold": True, "align": "center"})
    seeds = figure_seeds(shape, model) if seeded else {}
    found: set[tuple[str, str, str]] = set()
    row = 0
    parts = [model.posts] if shape.split is None else [model.posts[: shape.split], model.posts[shape.split:]]
    for part_number, posts in enumerate(parts):
        for title in shape.titles if part_number == 0 else [f"Tabell {part_number + 1}"]:
            sheet.write_string(row, shape.first_column, title)
            row += 1
        row += 1 if shape.titles else 0
        if shape.header_rows == 2:
            for column, (span, label) in shape.group.items():
                at = shape.first_column + column
                if span > 1:
                    sheet.merge_range(row, at, row, at + span - 1, label, bold)
                else:
                    sheet.write_string(row, at, label)
            row += 1
        if shape.header_rows:
            for position, column in enumerate(shape.columns):
                if column.header:
                    sheet.write(row, shape.first_column + position, column.header)
            row += 1
        if shape.blank_after_header:
            row += 1
        sums: dict[int, Decimal] = {}
        previous_kap = None
        for index, post in enumerate(posts):
            if shape.blank_inside and index == len(posts) // 2:
                row += 1
            for position, column in enumerate(shape.columns):
                at = shape.first_column + position
                if isinstance(column, Key):
                    value = column.write(post)
                elif isinstance(column, Kap):
                    if not column.every_row and post.kap == previous_kap:
                        continue
                    value = column.write(post.kap)
                elif isinstance(column, PostNo):
                    value = column.write(post.post)
                elif isinstance(column, Text):
                    value = column.text(post)
                    if value in ("", None):
                        continue
                elif isinstance(column, Other):
                    amount = column.amount(model, post)
                    if seeded and index == 1:
                        amount += 1_000_003  # an account that changed: not the letters' business
                    written = scaled(amount, column.unit)
                    sums[position] = sums.get(position, Decimal(0)) + written
                    value = as_number(written)
                else:
                    written = scaled(column.amount(model, post), column.unit, column.decimals)
                    if (post, position) in seeds:
                        written, cause = seeds[(post, position)]
                        found.add((f"{xl(at)}{row + 1}", str(post), cause))
                    sums[position] = sums.get(position, Decimal(0)) + written
                    value = column.cell(written)
                if isinstance(value, str):
                    sheet.write_string(row, at, value)
                else:
                    sheet.write_number(row, at, value)
            previous_kap = post.kap
            row += 1
        if shape.sum_row:
            sheet.write_string(row, shape.first_column, "Sum")
            for position, total in sums.items():
                column = shape.columns[position]
                cell = column.cell(total) if isinstance(column, Figure) else as_number(total)
                if isinstance(cell, str):
                    sheet.write_string(row, shape.first_column + position, cell)
                else:
                    sheet.write_number(row, shape.first_column + position, cell)
            row += 1
        row += 2
    workbook.close()
    return found


def xl(column: int) -> str:
    return chr(ord("A") + column)


def name(post) -> str:
    return f"Tilskudd {post.kap}-{post.post:02d}"


def thousands_text(value: Decimal, decimals: int) -> str:
    return grouped(value)


def nbsp_kr(value: Decimal, decimals: int) -> str:
    return grouped(value, space=NBSP, minus=MINUS, suffix=" kr")


def parentheses(value: Decimal, decimals: int) -> str:
    return grouped(value, space=" ", parentheses=True)


def millions_text(value: Decimal, decimals: int) -> str:
    return grouped(value, space=NBSP, decimals=decimals)


TOTAL = "total"

SHAPES = [
    Shape("tool's own words, one total column",
          [Key("Kap./post", key_slash), Text("Postnavn", name), Figure("Samlet tildeling", TOTAL)],
          seeds=("stale", "sign", "transposition")),
    Shape("R-115 Oppstilling av bevilgningsrapportering, Note A",
          [Kap("Utgiftskapittel", write=lambda kap: f"{kap:04d}"), Text("Kapittelnavn", lambda p: f"Kapittel {p.kap}"),
           PostNo("Post"), Text("Posttekst", name), Text("Note", lambda p: "A" if p.post == 1 else ""),
           Figure("Samlet tildeling*", TOTAL), Other("Regnskap 2023", Decimal("0.93")),
           Other("Merutgift (-) og mindreutgift", Decimal("0.07"))],
          titles=["Oppstilling av bevilgningsrapportering 31.12.2023"], sum_row=True),
    Shape("Kapittel | Post | Betegnelse | Budsjett 2023, kapittel on a group's first row",
          [Kap("Kapittel", every_row=False), PostNo("Post", write=int), Text("Betegnelse", name),
           Figure("Budsjett 2023", TOTAL)]),
    Shape("Kap | Post | Tekst | Beløp, amounts as text in 1 000 kr, no unit stated",
          [Kap("Kap"), PostNo("Post"), Text("Tekst", name),
           Figure("Beløp", TOTAL, unit=THOUSAND, write=thousands_text)], seeds=("stale", "sign", "unit")),
    Shape("Konto | Navn | Beløp (kr), accounts 0671.71",
          [Key("Konto", key_konto), Text("Navn", name), Figure("Beløp (kr)", TOTAL)],
          seeds=("sign", "transposition")),
    Shape("Chapter/item | Description | Total allocation (NOK)",
          [Key("Chapter/item", key_dot), Text("Description", name), Figure("Total allocation (NOK)", TOTAL)]),
    Shape("title in mill. kroner over Konto | Navn | Beløp, three decimals",
          [Key("Konto", key_konto), Text("Navn", name), Figure("Beløp", TOTAL, unit=MILLION, decimals=3)],
          titles=["Bevilgning per konto 2023, mill. kroner"]),
    Shape("title block, blank row under the header and inside the table",
          [Key("Kap./post", key_words), Text("Postnavn", name), Figure("Disponibelt 2023", TOTAL)],
          titles=["Integrerings- og mangfoldsdirektoratet", "Budsjettoppfølging", "Per 31. desember"],
          blank_after_header=True, blank_inside=True),
    Shape("table in column C, a blank column between name and amount",
          [Key("Post", key_space), Text("Navn", name), Text("", lambda p: ""), Figure("Ramme", TOTAL)],
          first_column=2, seeds=("sign",)),
    Shape("two tables on one sheet",
          [Key("Konto", key_slash), Text("Navn", name), Figure("Tildelt", TOTAL)], split=5,
          titles=["Kapittel 670 og 671"]),
    Shape("merged group header over allocation and total",
          [Key("Budsjettkonto", key_konto_space), Text("Navn", name), Figure("Tildelt i år", "allocation"),
           Figure("Disponibelt", TOTAL)], header_rows=2, group={2: (2, "Bevilgning 2023")},
          seeds=("sign", "transposition")),
    Shape("English headers, letter columns",
          [Key("Budget item", key_slash), Text("Name", name), Figure("Supplement 3", "change", 3),
           Figure("Supplement 7", "change", 7), Figure("Total", TOTAL)], seeds=("sign",)),
    Shape("amounts as text with kr, NBSP and minus sign",
          [Key("Kap./post", key_slash), Text("Navn", name), Figure("Endring desember", "change", 7, write=nbsp_kr),
           Figure("Sum", TOTAL, write=nbsp_kr)], seeds=("sign",)),
    Shape("unit only in the title, kapittel words in the key",
          [Key("Budsjettpost", key_words), Text("Tekst", name), Figure("Tildeling", TOTAL, unit=THOUSAND)],
          titles=["Alle beløp i 1 000 kr"], seeds=("stale", "unit")),
    Shape("no header at all",
          [Key("", key_space), Text("", name), Figure("", TOTAL)], header_rows=0, seeds=("stale", "sign")),
    Shape("spending and forecast beside the total, sum row",
          [Key("Kap./post", key_slash), Text("Postnavn", name), Figure("Samlet tildeling", TOTAL),
           Other("Forbruk per november", Decimal("0.81")), Other("Prognose", Decimal("0.97"))], sum_row=True),
    Shape("last year's budget beside this year's, in 1 000 kr with negatives in parentheses",
          [Kap("Kap.", every_row=False), PostNo("Post"), Text("Navn", name),
           Other("Budsjett 2022", Decimal("0.9"), unit=THOUSAND),
           Figure("Endring RNB", "change", 3, unit=THOUSAND, write=parentheses),
           Figure("Budsjett 2023", TOTAL, unit=THOUSAND)], titles=["(i 1 000 kr)"], seeds=("sign",)),
    Shape("nynorsk headers, mill. kr as text with two decimals",
          [Kap("Kapittel"), PostNo("Post", write=int), Text("Nemning", name),
           Figure("Løyving (mill. kr)", TOTAL, unit=MILLION, decimals=2, write=millions_text)],
          seeds=("stale", "sign")),
    Shape("totals after three letters, headers naming them T1, T3 and a month",
          [Key("Konto", key_dot), Text("Navn", name), Figure("Per T1", TOTAL, 1),
           Figure("Per T3", TOTAL, 3), Figure("Per desember", TOTAL)], seeds=("sign", "transposition")),
    Shape("carry-over, allocation and total, kapittel and post apart with the name between",
          [Kap("Kapittel"), Text("Navn", name), PostNo("Post"), Figure("Ubrukt fra 2022", "carried_over"),
           Figure("Bevilget 2023", "allocation"), Figure("Til disposisjon", TOTAL)], seeds=("sign",)),
    Shape("the year as a number over the amounts",
          [Key("Kap./post", key_slash), Text("Postnavn", name), Figure(2023, TOTAL)], seeds=("stale",)),
    # The packaged layouts, found by their headers as before (tests/test_samples.py has the four samples).
    Shape("overview layout: the letter, its supplements, carry-over and total",
          [Key("Kap./post", key_slash), Text("Postnavn", name), Figure("Tildelingsbrev", "net_change", 1),
           Figure("Tillegg nr. 3", "change", 3), Figure("Tillegg nr. 7", "change", 7),
           Figure("Overført fra i fjor", "carried_over"), Figure("Samlet tildeling", TOTAL)],
          titles=["Oppfølging av tildelingsbrev og tillegg"], seed_column=6, seeds=("stale", "sign", "transposition")),
    Shape("Note A layout: carried over, this year's allocation, total",
          [Kap("Kapittel"), PostNo("Post"), Text("Posttekst", name), Figure("Overført fra i fjor", "carried_over"),
           Figure("Årets tildelinger", "allocation"), Figure("Samlet tildeling", TOTAL)], seed_column=5),
    Shape("a sheet per letter: the supplement's own table",
          [Key("Kap./post", key_slash), Text("Postnavn", name), Figure("Sum", TOTAL, 7)], sheet="Tillegg 7",
          seeds=("stale", "sign")),
]


@pytest.fixture(scope="module")
def prepared():
    from reconcile.pipeline import Options, prepare

    return prepare(Options(annotate=False))


def _check(path, prepared):
    from reconcile.pipeline import Options, check_workbook

    return check_workbook(path, prepared, Options(annotate=False))


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_clean_copy_reconciles_with_every_post_matched(shape, model, prepared, tmp_path):
    path = tmp_path / "clean.xlsx"
    write_shape(shape, model, path, seeded=False)
    result = _check(path, prepared)
    assert [f for f in result.findings if f.failing] == []
    summary = result.summary()
    assert summary["missing"] == 0 and summary["checked"] == summary["match"]
    matched = {f.post for f in result.findings if f.status in ("match", "within_tolerance") and f.post}
    assert matched == {str(post) for post in model.posts}
    figures = sum(1 for column in shape.columns if isinstance(column, Figure))
    assert summary["checked"] >= figures * len(model.posts) - 2 * len(model.posts)
    others = [column for column in shape.columns if isinstance(column, Other)]
    not_checked = [note for note in result.layout_notes if "ikke kontrollert" in note]
    assert len(not_checked) == len(others) * (2 if shape.split else 1)


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_seeded_copy_flags_exactly_the_seeded_cells(shape, model, prepared, tmp_path):
    path = tmp_path / "seeded.xlsx"
    seeded = write_shape(shape, model, path, seeded=True)
    result = _check(path, prepared)
    flagged = {(f.cell, f.post, f.cause) for f in result.findings if f.failing}
    assert flagged == seeded


def test_at_least_twenty_shapes_besides_the_four_sample_layouts():
    assert len(SHAPES) >= 20


def test_the_cli_needs_no_layout_file(model, tmp_path):
    shape = SHAPES[1]  # the R-115 statement
    clean, seeded = tmp_path / "note-a.xlsx", tmp_path / "note-a-feil.xlsx"
    write_shape(shape, model, clean, seeded=False)
    write_shape(shape, model, seeded, seeded=True)
    command = [sys.executable, "-m", "reconcile"]
    assert subprocess.run([*command, str(clean), "--no-annotate", "--quiet"], capture_output=True).returncode == 0
    run = subprocess.run([*command, str(seeded), "--no-annotate", "--json", "-"], capture_output=True, text=True)
    assert run.returncode == 1
    assert json.loads(run.stdout)


def _explain(path, layout=None) -> str:
    from reconcile.pipeline import Options, explain_workbook

    return explain_workbook(path, Options(layout=layout))


def test_explain_layout_gives_each_column_its_reading_and_evidence(model, tmp_path):
    path = tmp_path / "note-a-feil.xlsx"
    write_shape(SHAPES[1], model, path, seeded=True)  # F4 holds the total after tillegg nr. 3, F5 a flipped sign
    text = _explain(path)
    assert "oppsett funnet ut fra innholdet" in text
    assert re.search(r"^    A   kapittel\s+kap\s+«Utgiftskapittel»  \[ut fra verdiene\]$", text, re.M)
    assert re.search(r"^    C   postnummer\s+post_no\s+«Post»  \[ut fra verdiene\]$", text, re.M)
    latest = model.letters[-1]
    assert (f"→ samlet tildeling etter tillegg nr. {latest} (siste brev) i kroner: 10 av 12 rader stemmer; "
            "1 lik tallet etter tillegg nr. 3; 1 avviker") in text
    assert text.count("→ ikke kontrollert: ingen av 12 rader stemmer med noe tall i brevene") == 2


def test_explain_layout_names_what_came_closest_when_nothing_is_found(tmp_path):
    path = tmp_path / "navn.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Poster")
    sheet.write_row(0, 0, ["Kap./post", "Postnavn", "Merknad"])
    sheet.write_row(1, 0, ["671/21", "Spesielle driftsutgifter", "se note"])
    sheet.write_row(2, 0, ["671/60", "Tilskudd til kommuner", "ok"])
    workbook.close()
    text = _explain(path)
    assert "Ingen posttabeller funnet." in text
    assert "nærmest, ark «Poster»: rad 2: poster i kolonne A, men ingen kolonne med beløp ved siden av" in text


def test_a_layout_file_still_wins_over_agreement(model, tmp_path):
    path = tmp_path / "chapter.xlsx"
    write_shape(SHAPES[5], model, path, seeded=False)  # Chapter/item | Description | Total allocation (NOK)
    layout = tmp_path / "oppsett.toml"
    layout.write_text('[columns]\nC = "allocation"\n', encoding="utf-8")
    from reconcile.pipeline import Options, check_workbook, prepare

    options = Options(annotate=False, layout=str(layout))
    result = check_workbook(path, prepare(options), options)
    # The column holds the totals; the layout file says this year's allocation, and that is what is
    # checked: the two posts with a carry-over differ.
    carried = {str(post) for post in model.posts if model.value(post, "carried_over", LATEST) != 0}
    assert {f.post for f in result.findings if f.failing} == carried
    assert {f.role for f in result.findings if f.cell} == {"allocation"}


def test_a_table_of_numbers_that_agrees_with_nothing_in_the_letters_is_not_a_pass(tmp_path):
    """Year and month read like kapittel and post; with no column agreeing with the letters nothing
    is checked, and that is bad input (exit 2), not 'everything matches'."""
    path = tmp_path / "forbruk.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Forbruk")
    sheet.write_row(0, 0, ["År", "Måned", "Forbruk"])
    for month in range(1, 13):
        sheet.write_row(month, 0, [2023, month, 1_000_000 + 12_345 * month])
    workbook.close()
    run = subprocess.run([sys.executable, "-m", "reconcile", str(path), "--no-annotate"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "ingen kolonne med beløp som stemmer med brevene" in run.stderr


def test_a_column_of_totals_left_as_they_were_after_an_earlier_letter_is_stale(model, prepared, tmp_path):
    """The rows agree with the totals after tillegg nr. 3; the header names no letter, so the column
    is checked as of the latest letter and each post a later letter changed is out of date."""
    path = tmp_path / "utdatert.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Budsjett")
    sheet.write_row(0, 0, ["Konto", "Navn", "Samlet tildeling"])
    for row, post in enumerate(model.posts, start=1):
        sheet.write_row(row, 0, [key_konto(post), name(post), as_number(model.value(post, "total", 3))])
    workbook.close()
    result = _check(path, prepared)
    changed = {str(post) for post in model.posts if model.value(post, "total", 3) != model.value(post, "total", LATEST)}
    assert changed
    assert {(f.post, f.cause) for f in result.findings if f.failing} == {(post, "stale") for post in changed}


@pytest.mark.parametrize(("shape_name", "tables", "header_rows", "keys"), [
    ("two tables on one sheet", 2, [(3,), (13,)], ["A"]),
    ("merged group header over allocation and total", 1, [(1, 2)], ["A"]),
    ("no header at all", 1, [()], ["A"]),
    ("R-115 Oppstilling av bevilgningsrapportering, Note A", 1, [(3,)], ["A", "C"]),
    ("table in column C, a blank column between name and amount", 1, [(1,)], ["C"]),
    ("the year as a number over the amounts", 1, [(1,)], ["A"]),
])
def test_tables_are_found_where_their_posts_are(shape_name, tables, header_rows, keys, model, tmp_path):
    from reconcile.workbook import read_workbook
    from reconcile.workbook.records import KEY_ROLES

    shape = next(shape for shape in SHAPES if shape.name == shape_name)
    path = tmp_path / "shape.xlsx"
    write_shape(shape, model, path, seeded=False)
    read = read_workbook(path)
    assert len(read.tables) == tables
    assert [table.header_rows for table in read.tables] == header_rows
    assert [column.letter for column in read.tables[0].columns if column.role in KEY_ROLES] == keys
    assert sum(len(table.rows) for table in read.tables) == len(model.posts)


def test_a_layout_files_unit_is_not_overruled_by_the_values(model, prepared, tmp_path):
    from reconcile.errors import InputError
    from reconcile.pipeline import Options, check_workbook
    from reconcile.workbook import load_layout, read_workbook

    path = tmp_path / "kroner.xlsx"
    shape = next(shape for shape in SHAPES if shape.name == "no header at all")  # whole kroner, no unit said
    write_shape(shape, model, path, seeded=False)
    layout = tmp_path / "oppsett.toml"
    layout.write_text("unit = 1000\n", encoding="utf-8")
    [table] = read_workbook(path, load_layout(layout)).tables
    assert table.column("figures").unit == 1000 and table.column("figures").unit_fixed
    # Read in 1 000 kr, as the file says, no figure of the letters agrees: nothing is checked.
    with pytest.raises(InputError, match="no column of amounts that agrees"):
        check_workbook(path, prepared, Options(annotate=False, layout=str(layout)))
