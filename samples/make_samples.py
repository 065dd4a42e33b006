"""Build the sample workbooks from the bundled letters: every figure comes from the ledger.

    python samples/make_samples.py [OUT_DIR]

For each of the four layouts a finance office uses it writes a workbook that reconciles exactly
and one with seeded errors of every cause, and beside the latter a manifest (JSON) listing each
seeded error: sheet, cell, post, role, letter and cause.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reconcile.ledger.build import build_ledger  # noqa: E402
from reconcile.ledger.expected import expected_values, make_key  # noqa: E402
from reconcile.letters.loading import load_letters  # noqa: E402
from reconcile.letters.statements import Kind  # noqa: E402

NUMBER_FORMAT = "#,##0;-#,##0"  # shown with the reader's grouping: spaces in nb-NO
UNKNOWN_POST = "671/99"


@dataclass
class Seed:
    sheet: str
    cell: str | None
    post: str
    role: str
    letter: int | None
    cause: str

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class Model:
    """The ledger's figures the samples are made of."""

    letters: list[int]
    posts: list[str]
    names: dict[str, str]
    values: dict
    table_letters: list[int]
    table_posts: dict[int, list[str]]
    seeds: list[Seed] = field(default_factory=list)

    def value(self, post, role, letter) -> Decimal | None:
        found = self.values.get(make_key(post, role, letter))
        return found.amount.value if found else None


def build_model() -> Model:
    letter_set = load_letters()
    ledger = build_ledger(letter_set)
    values = expected_values(ledger, letter_set)
    names: dict[str, str] = {}
    table_posts: dict[int, list[str]] = {}
    for statement in letter_set.statements:
        if statement.kind == Kind.TABLE_TOTAL:
            names.setdefault(str(statement.post), statement.label or "")
            table_posts.setdefault(statement.letter, [])
            if str(statement.post) not in table_posts[statement.letter]:
                table_posts[statement.letter].append(str(statement.post))
    posts = [str(post) for post in ledger.posts]
    return Model(list(ledger.letters), posts, names, values, sorted(table_posts), table_posts)


def _formats(workbook):
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}),
        "number": workbook.add_format({"num_format": NUMBER_FORMAT}),
        "sum": workbook.add_format({"num_format": NUMBER_FORMAT, "bold": True, "top": 1}),
        "sum_label": workbook.add_format({"bold": True, "top": 1}),
    }


def _amount(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _write_sum_row(sheet, fmt, row: int, first: int, last: int, columns: list[int], values: dict[int, Decimal], label_col=0):
    sheet.write(row, label_col, "Sum", fmt["sum_label"])
    for column in columns:
        top = xl_rowcol_to_cell(first, column)
        bottom = xl_rowcol_to_cell(last, column)
        sheet.write_formula(row, column, f"=SUM({top}:{bottom})", fmt["sum"], _amount(values.get(column, Decimal(0))))


# -- (a) overview: a row per post, a column per letter (its change), carried over, total -------


def write_overview(model: Model, path: Path, errors: bool) -> list[Seed]:
    workbook = xlsxwriter.Workbook(path)
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet("Oversikt")
    sheet.write(0, 0, "Budsjettoversikt – bevilgninger etter tildelingsbrev og tillegg (beløp i kroner)", fmt["title"])
    headers = ["Kap./post", "Postnavn"] + [f"Tillegg nr. {n}" for n in model.letters] + ["Overført fra i fjor", "Samlet tildeling"]
    header_row = 2
    sheet.write_row(header_row, 0, headers, fmt["header"])
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 42)
    sheet.set_column(2, len(headers), 16)
    grid: dict[str, dict[int, Decimal | None]] = {}
    for post in model.posts:
        row_values = {}
        for offset, number in enumerate(model.letters):
            change = model.value(post, "change", number)
            row_values[2 + offset] = change if change else None
        row_values[2 + len(model.letters)] = model.value(post, "carried_over", "latest") or None
        row_values[3 + len(model.letters)] = model.value(post, "total", "latest")
        grid[post] = row_values
    rows = list(model.posts)
    seeds: list[Seed] = []
    total_col = 3 + len(model.letters)

    def cell(post, column):
        return xl_rowcol_to_cell(header_row + 1 + rows.index(post), column)

    if errors:
        seeds = _seed_grid(model, grid, rows, cell, "Oversikt", total_col, lambda c: ("change", model.letters[c - 2]) if 2 <= c < total_col - 1 else None)
    for index, post in enumerate(rows):
        row = header_row + 1 + index
        sheet.write_string(row, 0, post)
        sheet.write_string(row, 1, model.names.get(post, ""))
        for column, value in grid[post].items():
            if value is not None:
                sheet.write_number(row, column, _amount(value), fmt["number"])
    last = header_row + len(rows)
    sums = {c: sum((grid[p].get(c) or Decimal(0)) for p in rows) for c in range(2, total_col + 1)}
    sum_row = last + 1
    if errors:
        sums[total_col] += 1000
        seeds.append(Seed("Oversikt", xl_rowcol_to_cell(sum_row, total_col), "", "sum", None, "sum"))
    _write_sum_row(sheet, fmt, sum_row, header_row + 1, last, list(range(2, total_col + 1)), sums)
    if errors:
        # The seeded sum error is a stored value that disagrees with its column.
        sheet.write_number(sum_row, total_col, _amount(sums[total_col]), fmt["sum"])
    sheet.freeze_panes(header_row + 1, 2)
    sheet.autofilter(header_row, 0, last, total_col)
    workbook.close()
    return seeds


def _seed_grid(model, grid, rows, cell, sheet_name, total_col, role_of) -> list[Seed]:
    """Seed one error of each cause into an overview grid; return what was seeded where."""
    seeds = []
    latest = model.letters[-1]

    def seed(post, column, value, cause, role, letter):
        grid[post][column] = value
        seeds.append(Seed(sheet_name, cell(post, column), post, role, letter, cause))

    # stale: a total still at its figure after an earlier letter
    stale_post = next(p for p in rows if model.value(p, "total", latest) != model.value(p, "total", 3)
                      and model.value(p, "total", 3) is not None and not model.value(p, "carried_over", "latest"))
    seed(stale_post, total_col, model.value(stale_post, "total", 3), "stale", "total", None)
    # unit: a total entered in thousands
    unit_post = next(p for p in rows if p != stale_post and model.value(p, "total", "latest") % 1000 == 0
                     and not model.value(p, "carried_over", "latest"))
    seed(unit_post, total_col, model.value(unit_post, "total", "latest") / 1000, "unit", "total", None)
    # transposition: two adjacent digits swapped in a letter's change
    for post in rows:
        for column in range(2, total_col - 1):
            value = grid[post].get(column)
            if value and post not in (stale_post, unit_post):
                digits = f"{int(abs(value))}"
                for i in range(len(digits) - 1):
                    if digits[i] != digits[i + 1] and digits[i + 1] != "0" or (digits[i] != digits[i + 1] and i > 0):
                        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
                        if swapped[0] != "0":
                            role, letter = role_of(column)
                            seed(post, column, Decimal(swapped) * (1 if value > 0 else -1), "transposition", role, letter)
                            break
                else:
                    continue
                break
        else:
            continue
        break
    used = {s.post for s in seeds}
    # sign: a reduction entered as an increase
    for post in rows:
        for column in range(2, total_col - 1):
            value = grid[post].get(column)
            if value and value < 0 and post not in used:
                role, letter = role_of(column)
                seed(post, column, -value, "sign", role, letter)
                break
        else:
            continue
        break
    used = {s.post for s in seeds}
    # rounding: a change the letter rounds ("13 mill.") entered as another figure within that rounding
    for post in rows:
        for column in range(2, total_col - 1):
            role, letter = role_of(column)
            expected = model.values.get(make_key(post, role, letter))
            if expected is not None and expected.amount.precision >= 50000 and post not in used and grid[post].get(column):
                seed(post, column, expected.amount.value + expected.amount.precision / 2, "rounding", role, letter)
                break
        else:
            continue
        break
    used = {s.post for s in seeds}
    # swapped: two posts' totals exchanged
    free = [p for p in rows if p not in used and not model.value(p, "carried_over", "latest")]
    first, second = free[0], free[1]
    a, b = grid[first][total_col], grid[second][total_col]
    seed(first, total_col, b, "swapped", "total", None)
    seed(second, total_col, a, "swapped", "total", None)
    return seeds


# -- (b) a sheet per letter, mirroring the letter's table ------------------------------------


def transposed(value: Decimal) -> Decimal:
    """The value with its first pair of different adjacent digits swapped (never a leading zero)."""
    digits = f"{int(abs(value))}"
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1] and not (i == 0 and digits[i + 1] == "0"):
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            return Decimal(swapped) * (1 if value >= 0 else -1)
    raise ValueError(f"no digits to swap in {value}")


def write_letter_sheets(model: Model, path: Path, errors: bool) -> list[Seed]:
    workbook = xlsxwriter.Workbook(path)
    fmt = _formats(workbook)
    seeds: list[Seed] = []
    latest = model.table_letters[-1]
    for number in model.table_letters:
        name = f"Tillegg {number}"
        sheet = workbook.add_worksheet(name)
        sheet.write(0, 0, f"Bevilgninger stilt til disposisjon etter tillegg nr. {number} (beløp i kroner)", fmt["title"])
        sheet.write_row(2, 0, ["Kap./post", "Postnavn", "Sum"], fmt["header"])
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 50)
        sheet.set_column(2, 2, 18)
        entries = [[post, _letter_table_value(model, post, number)] for post in model.table_posts[number]]
        planned: list[tuple[int, str, str]] = []  # (entry index, cause, role)
        if errors:
            entries, planned = _seed_letter_sheet(model, number, latest, entries, seeds, name)
        for index, (post, value) in enumerate(entries):
            row = 3 + index
            sheet.write_string(row, 0, post)
            sheet.write_string(row, 1, model.names.get(post, "Ukjent post"))
            sheet.write_number(row, 2, _amount(value), fmt["number"])
        for entry_index, cause, post in planned:
            seeds.append(Seed(name, f"C{4 + entry_index}", post, "total", number, cause))
        workbook_sum = sum(value for _, value in entries)
        sum_row = 3 + len(entries)
        if errors and number == latest:
            workbook_sum += 100_000
            seeds.append(Seed(name, f"C{sum_row + 1}", "", "sum", None, "sum"))
        _write_sum_row(sheet, fmt, sum_row, 3, 2 + len(entries), [2], {2: workbook_sum})
        if errors and number == latest:
            sheet.write_number(sum_row, 2, _amount(workbook_sum), fmt["sum"])
    workbook.close()
    return seeds


def _seed_letter_sheet(model, number, latest, entries, seeds, name):
    """Each letter sheet gets some of the causes; together they cover all that a mirror can have."""
    planned = []
    first_letter = model.table_letters[0]
    if number == first_letter:
        entries[0][1] = transposed(entries[0][1])
        planned.append((0, "transposition", entries[0][0]))
        entries[1][1], entries[2][1] = entries[2][1], entries[1][1]
        planned += [(1, "swapped", entries[1][0]), (2, "swapped", entries[2][0])]
    elif number == latest:
        changed = next(i for i, (post, value) in enumerate(entries)
                       if model.value(post, "total", number - 1) not in (None, value))
        entries[changed][1] = model.value(entries[changed][0], "total", number - 1)
        planned.append((changed, "stale", entries[changed][0]))
        signed = next(i for i in range(len(entries)) if i != changed)
        entries[signed][1] = -entries[signed][1]
        planned.append((signed, "sign", entries[signed][0]))
        removed = entries.pop()
        seeds.append(Seed(name, None, removed[0], "total", number, "missing"))
        duplicate_of = next(i for i in range(len(entries)) if i not in (changed, signed))
        entries.insert(duplicate_of + 1, [entries[duplicate_of][0], entries[duplicate_of][1]])
        planned = [(i + (1 if i > duplicate_of else 0), c, p) for i, c, p in planned]
        planned.append((duplicate_of + 1, "duplicate", entries[duplicate_of][0]))
        entries.append([UNKNOWN_POST, Decimal(1_000_000)])
        planned.append((len(entries) - 1, "unexpected", UNKNOWN_POST))
    else:
        entries[0][1] = entries[0][1] / 1000
        planned.append((0, "unit", entries[0][0]))
    return entries, planned


def _letter_table_value(model: Model, post: str, number: int) -> Decimal:
    """The figure a letter's table states: this year's allocation or the total, as the ledger read it."""
    total = model.value(post, "total", number)
    allocation = model.value(post, "allocation", number)
    found = model.values.get(make_key(post, "total", number))
    stated = next((s for s in found.sources if s.kind == Kind.TABLE_TOTAL and s.letter >= number), None) if found else None
    if stated is not None and stated.amount.value == allocation:
        return allocation
    return total


# -- (c) Note A --------------------------------------------------------------------------------


def write_note_a(model: Model, path: Path, errors: bool) -> list[Seed]:
    workbook = xlsxwriter.Workbook(path)
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet("Note A")
    sheet.write(0, 0, "Note A Forklaring av samlet tildeling (beløp i hele kroner)", fmt["title"])
    headers = ["Kapittel", "Post", "Posttekst", "Overført fra i fjor", "Årets tildelinger", "Samlet tildeling"]
    sheet.write_row(2, 0, headers, fmt["header"])
    sheet.set_column(2, 2, 50)
    sheet.set_column(3, 5, 18)
    latest = model.letters[-1]
    rows = [[post, model.value(post, "carried_over", "latest") or None, model.value(post, "allocation", "latest"),
             model.value(post, "total", "latest")] for post in model.posts]
    seeds: list[Seed] = []
    planned: list[tuple[str, int, str, str]] = []  # (post, column, role, cause)
    if errors:
        by_post = {row[0]: row for row in rows}
        posts = [row[0] for row in rows if not row[1]]
        sign_post, unit_post, transposition_post = posts[0], posts[1], posts[2]
        by_post[sign_post][2] = -by_post[sign_post][2]
        planned.append((sign_post, 4, "allocation", "sign"))
        by_post[unit_post][3] = by_post[unit_post][3] * 1000
        planned.append((unit_post, 5, "total", "unit"))
        by_post[transposition_post][2] = transposed(by_post[transposition_post][2])
        planned.append((transposition_post, 4, "allocation", "transposition"))
        stale_post = next(p for p in posts[3:] if model.value(p, "total", latest - 1) != model.value(p, "total", latest))
        by_post[stale_post][3] = model.value(stale_post, "total", latest - 1)
        planned.append((stale_post, 5, "total", "stale"))
        free = [p for p in posts[3:] if p != stale_post]
        first, second = free[0], free[1]
        by_post[first][3], by_post[second][3] = by_post[second][3], by_post[first][3]
        planned += [(first, 5, "total", "swapped"), (second, 5, "total", "swapped")]
        removed = free[2]
        rows = [row for row in rows if row[0] != removed]
        seeds.append(Seed("Note A", None, removed, "total", None, "missing"))
        duplicate = free[3]
        position = next(i for i, row in enumerate(rows) if row[0] == duplicate)
        rows.insert(position + 1, list(rows[position]))
        planned.append((duplicate, -1, "total", "duplicate"))
        rows.append([UNKNOWN_POST, None, Decimal(1_000_000), Decimal(1_000_000)])
        planned.append((UNKNOWN_POST, -2, "total", "unexpected"))
    previous_kap = None
    positions: dict[str, list[int]] = {}
    for index, (post, carried, allocation, total) in enumerate(rows):
        row = 3 + index
        positions.setdefault(post, []).append(row)
        kap, number = post.split("/")
        if kap != previous_kap:
            sheet.write_number(row, 0, int(kap))
        previous_kap = kap
        sheet.write_string(row, 1, number)
        sheet.write_string(row, 2, model.names.get(post, "Ukjent post"))
        if carried:
            sheet.write_number(row, 3, _amount(carried), fmt["number"])
        sheet.write_number(row, 4, _amount(allocation), fmt["number"])
        sheet.write_number(row, 5, _amount(total), fmt["number"])
    sums = {c: sum((row[c - 2] or Decimal(0)) for row in rows) for c in (3, 4, 5)}
    sum_row = 3 + len(rows)
    if errors:
        sums[3] += 500
        seeds.append(Seed("Note A", xl_rowcol_to_cell(sum_row, 3), "", "sum", None, "sum"))
    sheet.write(sum_row, 2, "Sum", fmt["sum_label"])
    for column in (3, 4, 5):
        top, bottom = xl_rowcol_to_cell(3, column), xl_rowcol_to_cell(sum_row - 1, column)
        sheet.write_formula(sum_row, column, f"=SUM({top}:{bottom})", fmt["sum"], _amount(sums[column]))
    for post, column, role, cause in planned:
        if cause == "duplicate":
            for cell_column, cell_role in ((4, "allocation"), (5, "total")):
                seeds.append(Seed("Note A", xl_rowcol_to_cell(positions[post][1], cell_column), post, cell_role, None, cause))
        elif cause == "unexpected":
            for cell_column, cell_role in ((4, "allocation"), (5, "total")):
                seeds.append(Seed("Note A", xl_rowcol_to_cell(positions[post][0], cell_column), post, cell_role, None, cause))
        else:
            seeds.append(Seed("Note A", xl_rowcol_to_cell(positions[post][0], column), post, role, None, cause))
    workbook.close()
    return seeds


# -- (d) transaction list ----------------------------------------------------------------------


def transaction_rows(model: Model, pieces: int = 2):
    """Budget entries that add up, per post and letter, to what each letter books."""
    rows = []
    voucher = 1000
    for post in model.posts:
        for number in model.letters:
            booked = model.value(post, "booked", number)
            if not booked:
                continue
            for part in _split(booked, pieces):
                voucher += 1
                rows.append((date(2023, min(12, number + 1), 15), f"B{voucher}", post, f"Tildeling {post}", part, number))
    return rows


def _split(value: Decimal, pieces: int) -> list[Decimal]:
    if pieces <= 1 or abs(value) < pieces * 1000:
        return [value]
    share = (value / pieces).quantize(Decimal(1))
    return [share] * (pieces - 1) + [value - share * (pieces - 1)]


def seed_transactions(model: Model, rows: list) -> tuple[list, list[tuple[int | None, Seed]]]:
    """One error of each cause a transaction list can have; seeds refer to row indexes (None: no cell)."""
    rows = list(rows)
    planned: list[tuple[int | None, Seed]] = []
    used: set[tuple[str, int]] = set()

    def pick(condition):
        for index, row in enumerate(rows):
            if (row[2], row[5]) not in used and condition(row):
                used.add((row[2], row[5]))
                return index
        raise LookupError("no entry to seed")

    index = pick(lambda r: r[4] > 0)
    rows[index] = (*rows[index][:4], -rows[index][4], rows[index][5])
    planned.append((index, Seed("Posteringer", None, rows[index][2], "booked", rows[index][5], "sign")))
    index = pick(lambda r: r[4] > 100_000 and r[4] % 1000 == 0)
    rows[index] = (*rows[index][:4], rows[index][4] / 1000, rows[index][5])
    planned.append((index, Seed("Posteringer", None, rows[index][2], "booked", rows[index][5], "unit")))
    index = pick(lambda r: abs(r[4]) > 1000 and len(set(f"{int(abs(r[4]))}")) > 1)
    rows[index] = (*rows[index][:4], transposed(rows[index][4]), rows[index][5])
    planned.append((index, Seed("Posteringer", None, rows[index][2], "booked", rows[index][5], "transposition")))
    index = pick(lambda r: r[4] > 0)
    rows.insert(index + 1, (rows[index][0], rows[index][1] + "-2", *rows[index][2:]))
    planned = [(i + 1 if i is not None and i > index else i, s) for i, s in planned]
    planned.append((index + 1, Seed("Posteringer", None, rows[index][2], "booked", rows[index][5], "duplicate")))
    rounded = [(post, number) for post in model.posts for number in model.letters
               if (post, number) not in used and model.values.get(make_key(post, "booked", number)) is not None
               and model.values[make_key(post, "booked", number)].amount.precision >= 50_000]
    post, number = rounded[0]
    used.add((post, number))
    index = next(i for i, r in enumerate(rows) if (r[2], r[5]) == (post, number))
    precision = model.values[make_key(post, "booked", number)].amount.precision
    rows[index] = (*rows[index][:4], rows[index][4] + precision / 2, rows[index][5])
    planned.append((index, Seed("Posteringer", None, post, "booked", number, "rounding")))
    rows.append((date(2023, 12, 20), "B9999", UNKNOWN_POST, "Feilført postering", Decimal(250_000), model.letters[-1]))
    planned.append((len(rows) - 1, Seed("Posteringer", None, UNKNOWN_POST, "booked", model.letters[-1], "unexpected")))
    missing_post = next(p for p in reversed(model.posts) if all(p != post_ for post_, _ in used))
    planned = [(i - sum(1 for j, r in enumerate(rows) if r[2] == missing_post and j < i) if i is not None else i, s)
               for i, s in planned]
    rows = [r for r in rows if r[2] != missing_post]
    planned.append((None, Seed("Posteringer", None, missing_post, "total", None, "missing")))
    return rows, planned


def write_transactions(model: Model, path: Path, errors: bool, rows=None) -> list[Seed]:
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    fmt = _formats(workbook)
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    sheet = workbook.add_worksheet("Posteringer")
    headers = ["Dato", "Bilag", "Kap", "Post", "Tekst", "Beløp", "Tillegg"]
    sheet.write_row(0, 0, headers, fmt["header"])
    rows = list(rows if rows is not None else transaction_rows(model))
    seeds = []
    if errors:
        rows, planned = seed_transactions(model, rows)
        for index, seed in planned:
            if index is not None:
                seed.cell = f"F{2 + index}"
            seeds.append(seed)
    for index, (day, voucher, post, text, amount, number) in enumerate(rows):
        row = 1 + index
        kap, post_number = post.split("/")
        sheet.write_datetime(row, 0, _as_datetime(day), date_format)
        sheet.write_string(row, 1, voucher)
        sheet.write_number(row, 2, int(kap))
        sheet.write_string(row, 3, post_number)
        sheet.write_string(row, 4, text)
        sheet.write_number(row, 5, _amount(amount), fmt["number"])
        sheet.write_string(row, 6, f"Tillegg {number}")
    workbook.close()
    return seeds


def _as_datetime(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


WRITERS = {
    "oversikt": write_overview,
    "brevark": write_letter_sheets,
    "note-a": write_note_a,
    "posteringer": write_transactions,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "samples"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model = build_model()
    for name, writer in WRITERS.items():
        writer(model, out / f"{name}.xlsx", False)
        seeds = writer(model, out / f"{name}-feil.xlsx", True)
        manifest = {"workbook": f"{name}-feil.xlsx", "clean": f"{name}.xlsx", "seeded": [s.to_dict() for s in seeds]}
        (out / f"{name}-feil.manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{name}: {len(seeds)} seeded errors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
