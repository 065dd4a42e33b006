"""Every message the code spells out, f-strings included, is said in the run's language (issue 14, item 7).

The stages raise errors in English and write notes in bokmål; `reconcile/output/translations.py`
says each in the other language. A message built with an f-string is found here by walking the
package's syntax tree: its literal pieces are kept, each placeholder is filled with sample values
(a number, a sheet name in quotes, a part, a range …), and the message passes when some filling is
said without a word of the other language. A new message without a translation fails here.
"""

from __future__ import annotations

import ast
import itertools
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_first_hour import ENGLISH, NORWEGIAN, _words  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "reconcile"


def _variants(node: ast.AST, module: ast.Module, depth: int = 0) -> list[list[str | None]]:
    """Each way an expression spells a text: its literal pieces, None where a value goes."""
    if depth > 4:
        return [[None]]
    if isinstance(node, ast.Constant):
        return [[node.value]] if isinstance(node.value, str) else [[None]]
    if isinstance(node, ast.JoinedStr):
        result: list[list[str | None]] = [[]]
        for value in node.values:
            options = [[value.value]] if isinstance(value, ast.Constant) else _variants(value.value, module, depth + 1)
            result = [done + option for done in result for option in options]
        return result
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [left + right for left in _variants(node.left, module, depth)
                for right in _variants(node.right, module, depth)]
    if isinstance(node, ast.IfExp):
        return _variants(node.body, module, depth) + _variants(node.orelse, module, depth)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace":
        return _variants(node.func.value, module, depth)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)):  # a table of texts: each of them, and the default
        tables = [n.value for n in ast.walk(module) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Dict)
                  for t in n.targets if isinstance(t, ast.Name) and t.id == node.func.value.id]
        found = [v for table in tables for item in table.values for v in _variants(item, module, depth + 1)]
        found += [v for default in node.args[1:2] for v in _variants(default, module, depth + 1)]
        return found or [[None]]
    if isinstance(node, ast.Name):  # a text given to a name in the module
        found = [v for n in ast.walk(module) if isinstance(n, ast.Assign) for t in n.targets
                 if isinstance(t, ast.Name) and t.id == node.id for v in _variants(n.value, module, depth + 1)]
        return found or [[None]]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):  # a module function that words it
        found = [v for f in ast.walk(module) if isinstance(f, ast.FunctionDef) and f.name == node.func.id
                 for r in ast.walk(f) if isinstance(r, ast.Return) and r.value is not None
                 for v in _variants(r.value, module, depth + 1)]
        return found or [[None]]
    return [[None]]


def _messages(paths, calls: dict[str, int]) -> list[tuple[str, list[str | None]]]:
    """(where, pieces) of the text argument of every call named in `calls` (name -> argument index)."""
    found = []
    for path in paths:
        module = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(module):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in calls and len(node.args) > calls[name]:
                argument = node.args[calls[name]]
            elif (name == "append" and getattr(node.func.value, "attr", "") == "notes" and node.args
                  and isinstance(node.args[0], ast.Tuple) and len(node.args[0].elts) == 2):
                argument = node.args[0].elts[1]  # a table's note: (line, text)
            else:
                continue
            for pieces in _variants(argument, module):
                if any(isinstance(piece, str) and piece.strip() for piece in pieces):
                    found.append((f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", pieces))
    return found


def _unsaid(messages, lang: str, samples: tuple[str, ...], other: set[str]) -> dict[str, str]:
    """The messages no filling of whose placeholders is said in `lang` without a word of `other`."""
    from reconcile.output.translations import in_language

    left = {}
    for where, pieces in messages:
        holes = pieces.count(None)
        # every sample in each of the first four places; a number in any further one
        fillings = (filling + (samples[0],) * (holes - 4) for filling in itertools.product(samples, repeat=min(holes, 4)))
        said = []
        for filling in fillings:
            values = iter(filling)
            said.append(in_language("".join(piece if piece is not None else next(values) for piece in pieces), lang))
            if not _words(said[-1]) & other:
                break
        else:
            left[where] = said[0]
    return left


def test_every_error_message_f_strings_included_is_said_in_norwegian():
    messages = _messages(sorted(PACKAGE.rglob("*.py")), {"InputError": 0, "OutputError": 0})
    assert len(messages) > 300 and sum(None in pieces for _, pieces in messages) > 100
    samples = ("7", "workbook", "layout file", "«Ark1»", ".html", "xl/worksheets/sheet1.xml")
    assert _unsaid(messages, "nb", samples, ENGLISH) == {}


# The stages of issues 13 and 15 whose notes must be said in English too.
NOTE_MODULES = [*sorted((PACKAGE / "letters").glob("*.py")), PACKAGE / "workbook" / "reader.py",
                PACKAGE / "workbook" / "sheet_xml.py", PACKAGE / "findings" / "build.py"]


def test_every_note_of_the_letters_and_the_sheet_reader_is_said_in_english():
    calls = {"ReadIssue": 1, "SheetUnreadable": 0, "skipped": 0, "_issue": 1, "ExtractionIssue": 3, "Finding": 9}
    messages = _messages(NOTE_MODULES, calls)
    assert len(messages) > 25
    assert _unsaid(messages, "en", ("3", "A", "«Ark1»", "671/21", "#N/A"), NORWEGIAN) == {}


@pytest.mark.parametrize("note", [
    "arket er hoppet over: kunne ikke leses (cellen viser til delt tekst nr. 99, som ikke finnes)",
    "arket er hoppet over: det er et makroark (Excel 4-makroer), uten tabeller å lese",
    "python-calamine kunne ikke åpne arbeidsboka (cannot read the workbook: a part of the workbook is not "
    "well-formed XML); lest med reconciles egen leser",
])
def test_a_reader_note_is_whole_in_either_language(note):
    from reconcile.output.translations import in_language

    assert _words(in_language(note, "en")) & NORWEGIAN == set()
    assert _words(in_language(note, "nb")) & ENGLISH == set()


# Budget texts whose reading leaves notes of what was reported, not guessed (issue 13): joint amounts,
# shares of no post's amount, rows whose figures do not fit the columns.
LETTERS_REAL = Path(__file__).parent / "data" / "letters-real"


@pytest.mark.parametrize("name", ["a-18-stortinget-innst-s.txt", "b-03-fin-rnb.txt", "b-13-lmd-prop-s.txt",
                                  "d-04-kud-prop-1-s.txt"])
def test_letters_of_the_corpus_are_listed_in_english_with_lang_en(name):
    from click.testing import CliRunner

    from reconcile.cli import cli

    result = CliRunner().invoke(cli, ["letters", str(LETTERS_REAL / name), "--lang", "en"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note: ")]
    assert notes
    assert {line: left for line in result.output.splitlines() if (left := _words(line) & NORWEGIAN)} == {}


def test_two_copies_that_disagree_name_the_statements_kinds_in_the_runs_language(capsys):
    from reconcile.cli import main

    first, second = LETTERS_REAL / "b-03-fin-rnb.txt", LETTERS_REAL / "d-04-kud-prop-1-s.txt"
    said = {}
    for lang in ("nb", "en"):
        with pytest.raises(SystemExit) as exit_info:
            main(["letters", str(first), str(second), "--lang", lang])
        assert exit_info.value.code == 2
        [said[lang]] = capsys.readouterr().err.strip().splitlines()
    assert "de to er uenige (100/01: endring 100 000, delendring" in said["nb"]
    assert "ingenting her)" in said["nb"] and _words(said["nb"]) & ENGLISH == set()
    assert "the two disagree (100/01: change 100 000, part of change" in said["en"]
    assert "change_part" not in said["en"]


def test_a_table_found_by_its_values_is_explained_in_english_without_a_norwegian_word(tmp_path, capsys):
    """An officer's own table (Kapittel on a group's first row, Post, a budget and a spending column):
    every line --explain-layout and the check print with --lang en, unit and notes included."""
    import openpyxl

    from cli_helpers import run_main
    from reconcile.ledger.build import build_ledger
    from reconcile.ledger.expected import expected_values
    from reconcile.letters.loading import load_letters

    letter_set = load_letters()
    ledger = build_ledger(letter_set)
    totals = {}
    for key, figure in expected_values(ledger, letter_set).items():
        post, role, letter = key.split("|") if isinstance(key, str) else key
        if role == "total" and str(letter) in ("latest", "None", ""):
            totals[post] = figure.amount.value
    assert len(totals) > 5
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budsjett"
    sheet.append(["Kapittel", "Post", "Betegnelse", "Budsjett 2023", "Forbruk per 31.12"])
    previous = None
    for post, total in sorted(totals.items(), key=lambda item: str(item[0])):
        kap, number = str(post).split("/")
        sheet.append([int(kap) if kap != previous else None, number, f"Post {number}", int(total), 1234])
        previous = kap
    path = tmp_path / "budsjett.xlsx"
    book.save(path)
    said = []
    for args in ([path, "--explain-layout", "--lang", "en"], [path, "--no-annotate", "--lang", "en"]):
        code, out, err = run_main(capsys, *args)
        assert code == 0, err
        said += [out, err]
    text = "".join(said)
    assert "row 2: posts in column A, B; the table is found from its values" in text
    assert "(not stated; the figures decide each column's unit)" in text
    assert {word for part in said for word in _words(part, ["Budsjett"]) & NORWEGIAN} == set()
