"""The first hour of a new user (issue 14): every README command works as written, nothing surprises.

Each test drives the real command line (click's CliRunner, `reconcile.cli.main` or a subprocess)
and asserts on what the user sees or gets.
"""

from __future__ import annotations

import json
import re
import os
import shutil
import stat
from pathlib import Path

import pytest

from cli_helpers import letter_in_its_own_folder, run, run_listing_heavy, run_main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"



@pytest.fixture
def letter(tmp_path) -> Path:
    return letter_in_its_own_folder(tmp_path)


@pytest.fixture
def workbook(tmp_path) -> Path:
    import xlsxwriter

    folder = tmp_path / "arbeid"
    folder.mkdir()
    path = folder / "budsjett.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Oversikt")
    sheet.write_row(0, 0, ["Kap./post", "Postnavn", "Tillegg nr. 1", "Samlet tildeling"])
    sheet.write_row(1, 0, ["440/01", "Driftsutgifter", 21_345_000, 21_345_000])
    sheet.write_row(2, 0, ["440/70", "Tilskudd", 4_500_000, 4_500_000])
    book.close()
    return path


# --- 2. missing output folders are created -----------------------------------------------------


def test_missing_output_folders_are_created_for_the_copy_and_the_reports(workbook, letter, tmp_path):
    out = tmp_path / "ut" / "kopier"
    result = run(workbook, "--letters", letter, "--out-dir", out, "--junit", tmp_path / "rapporter" / "junit.xml",
                 "--json", tmp_path / "json" / "a" / "funn.json")
    assert result.exit_code == 0, result.output
    assert (out / "budsjett.reconciled.xlsx").is_file()
    assert (tmp_path / "rapporter" / "junit.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert json.loads((tmp_path / "json" / "a" / "funn.json").read_text(encoding="utf-8"))["workbooks"]


def test_out_in_a_missing_folder_is_created(workbook, letter, tmp_path):
    target = tmp_path / "ny" / "kopi.xlsx"
    assert run(workbook, "--letters", letter, "--out", target).exit_code == 0
    assert target.is_file()


def test_report_folder_that_is_a_file_is_refused_before_anything_is_written(capsys, workbook, letter, tmp_path):
    blocker = tmp_path / "blokk"
    blocker.write_text("en fil", encoding="utf-8")
    code, _out, err = run_main(capsys, workbook, "--letters", letter, "--lang", "en", "--junit", blocker / "junit.xml")
    assert code == 2
    assert err.splitlines() == [f"reconcile: error: {blocker / 'junit.xml'}: the output folder cannot be created: "
                                f"{blocker} is a file"]
    assert not (workbook.parent / "budsjett.reconciled.xlsx").exists()


# --- 4. input paths are checked before any heavy import ----------------------------------------



@pytest.mark.parametrize("args", [
    ["/nonexistent/budsjett.xlsx"],
    ["{workbook}", "--letters", "/nonexistent/brev"],
    ["{workbook}", "--layout", "/nonexistent/layout.toml"],
    ["{workbook}", "--suite", "/nonexistent/suite.json"],
    ["{workbook}", "--explanations", "/nonexistent/forklaringer.csv"],
    ["{workbook}", "--out-dir", "{blocker}/ut"],
    ["{workbook}", "--json", "{blocker}/funn.json"],
])
def test_a_mistyped_path_is_reported_before_pandas_or_gx_is_imported(args, workbook, tmp_path):
    blocker = tmp_path / "blokk"
    blocker.write_text("en fil", encoding="utf-8")
    argv = [arg.format(workbook=workbook, blocker=blocker) for arg in args]
    result, code, heavy = run_listing_heavy(*argv, cwd=ROOT)
    assert code == 2, result.stderr
    assert heavy == []
    assert len(result.stderr.splitlines()) == 1 and "/nonexistent" in result.stderr or str(blocker) in result.stderr


# --- 10. outputs follow the user's umask -------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_output_follows_the_umask(workbook, letter, tmp_path):
    previous = os.umask(0o022)
    try:
        out = tmp_path / "ut"
        out.mkdir()
        assert run(workbook, "--letters", letter, "--out-dir", out, "--json", out / "funn.json",
                   "--junit", out / "junit.xml").exit_code == 0
        assert run("template", "--letters", letter, "-o", out / "mal.xlsx").exit_code == 0
        assert run("suite", "--letters", letter, "-o", out / "suite.json").exit_code == 0
        modes = {path.name: oct(_mode(path)) for path in sorted(out.iterdir())}
        assert modes == {name: oct(0o644) for name in
                         ("budsjett.reconciled.xlsx", "funn.json", "junit.xml", "mal.xlsx", "suite.json")}
        os.umask(0o077)
        assert run("suite", "--letters", letter, "-o", out / "privat.json").exit_code == 0
        assert _mode(out / "privat.json") == 0o600
    finally:
        os.umask(previous)


# --- 6. letters --audit --as-of N: as known after letter N ------------------------------------


def _table_row(output: str, post: str) -> list[str]:
    table = output.split("Forventet beløp per post", 1)[1]
    [line] = [line for line in table.splitlines() if line.strip().startswith(post + " ")]
    return line.split()


def test_as_of_shows_no_figure_from_a_later_letters_correction():
    """Tillegg nr. 4 replaces the sums of nr. 3; after nr. 3, 671/62 holds what nr. 3 said."""
    after_3 = run("letters", "--audit", "--as-of", "3")
    assert " ".join(_table_row(after_3.output, "671/62")[1:4]) == "221 165 000"
    assert "tillegg nr. 4" not in after_3.output
    after_4 = run("letters", "--audit", "--as-of", "4")
    assert " ".join(_table_row(after_4.output, "671/62")[1:4]) == "221 150 000"


def test_as_of_exit_code_counts_only_the_errors_up_to_that_letter():
    first = run("letters", "--audit", "--as-of", "1")
    assert first.output.startswith("Brevkontroll: 0 feil")
    assert first.exit_code == 0
    third = run("letters", "--audit", "--as-of", "3")
    assert third.output.startswith("Brevkontroll: 1 feil")
    assert third.exit_code == 1


@pytest.mark.parametrize("number", ["0", "8", "-1"])
def test_as_of_outside_the_letters_is_refused_in_one_line(capsys, number):
    code, out, err = run_main(capsys, "letters", "--audit", "--as-of", number, "--lang", "en")
    assert code == 2 and out == ""
    assert err.splitlines() == [f"reconcile: error: --as-of {number}: the letters run from letter 1 to 7"]


# --- 3. a user's suite runs in the same validation pass -----------------------------------------

COMMITTED_SUITE = ROOT / "expectations" / "imdi-2023.json"


def test_the_committed_suite_runs_in_one_validation_pass_with_ours(monkeypatch, tmp_path):
    import reconcile.validation.run as validation_run

    calls = []
    real = validation_run.validate

    def counted(rows, suite, *args, **kwargs):
        calls.append(len(suite.expectations))
        return real(rows, suite, *args, **kwargs)

    monkeypatch.setattr(validation_run, "validate", counted)
    result = run(SAMPLES / "oversikt.xlsx", "--no-annotate", "--suite", COMMITTED_SUITE, "--json", tmp_path / "r.json")
    assert result.exit_code == 0
    # ours folded into two bound checks plus four structural ones; the user's 540 amounts into two more
    # plus its four structural ones: one pass, not 545 expectations filtering the frame one by one.
    assert calls == [12]
    findings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["workbooks"][0]["findings"]
    assert not [f for f in findings if f["status"] != "match"]


def test_an_amount_in_the_users_suite_still_catches_its_cell(tmp_path):
    data = json.loads(COMMITTED_SUITE.read_text(encoding="utf-8"))
    [changed] = [e for e in data["expectations"] if e["meta"].get("key") == "671/71|total|latest"]
    changed["kwargs"]["min_value"] = changed["kwargs"]["max_value"] = changed["kwargs"]["max_value"] + 1000
    suite_path = tmp_path / "endret.json"
    suite_path.write_text(json.dumps(data), encoding="utf-8")
    result = run(SAMPLES / "oversikt.xlsx", "--no-annotate", "--suite", suite_path, "--json", tmp_path / "r.json")
    assert result.exit_code == 1
    findings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["workbooks"][0]["findings"]
    failing = [(f["post"], f["role"], f["cause_detail"]) for f in findings if f["status"] != "match"]
    assert failing and all(post == "671/71" and role == "total" for post, role, _ in failing)
    assert all("expect_column_values_to_be_between" in detail for _, _, detail in failing)


# --- 5. a glob does not pick up the tool's own output -----------------------------------------


@pytest.fixture
def after_one_run(tmp_path) -> Path:
    """A folder with the clean sample and the annotated copy a first run wrote beside it."""
    folder = tmp_path / "samples"
    folder.mkdir()
    shutil.copy(SAMPLES / "oversikt.xlsx", folder)
    assert run(folder / "oversikt.xlsx").exit_code == 0
    assert (folder / "oversikt.reconciled.xlsx").is_file()
    return folder


def test_a_glob_skips_the_annotated_copy_with_a_note(capsys, after_one_run):
    code, out, err = run_main(capsys, *sorted(after_one_run.glob("*.xlsx")), "--force")
    assert code == 0, out
    copy = after_one_run / "oversikt.reconciled.xlsx"
    assert err.splitlines() == [f"reconcile: merknad: {copy}: en kommentert kopi skrevet av reconcile: ikke kontrollert "
                                "(oppgi den alene for å kontrollere den)"]
    assert [line for line in out.splitlines() if line.startswith("/")] == [str(after_one_run / "oversikt.xlsx")]
    assert "Kontrollert: 48  Stemmer: 48  Avvik: 0" in out
    assert sorted(path.name for path in after_one_run.iterdir()) == ["oversikt.reconciled.xlsx", "oversikt.xlsx"]


def test_the_annotated_copy_named_alone_is_checked_without_its_summary_sheets(after_one_run, tmp_path):
    result = run(after_one_run / "oversikt.reconciled.xlsx", "--no-annotate", "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    assert "Kontrollert: 48  Stemmer: 48  Avvik: 0" in result.output
    findings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["workbooks"][0]["findings"]
    assert {f["sheet"] for f in findings} == {"Oversikt"}


def test_a_workbook_with_sheets_named_like_the_summaries_is_still_checked(tmp_path):
    """Recognised by content: a user's own sheet named 'Avstemming' is not taken for the tool's."""
    import xlsxwriter

    path = tmp_path / "egen.xlsx"
    book = xlsxwriter.Workbook(path)
    for name in ("Avstemming", "Brevkontroll"):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["Kap./post", "Samlet tildeling"])
        sheet.write_row(1, 0, ["671/71", 1])
    book.close()
    from reconcile.workbook.own_copy import is_annotated_copy

    assert not is_annotated_copy(path)
    assert is_annotated_copy(tmp_path / "missing.xlsx") is False


# --- 8. no noise in the report ------------------------------------------------------------------


def test_the_sum_of_an_empty_column_is_not_a_check(tmp_path):
    result = run(SAMPLES / "oversikt-feil.xlsx", "--no-annotate", "--json", tmp_path / "r.json")
    workbook = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["workbooks"][0]
    sums = [f for f in workbook["findings"] if f["role"] == "sum"]
    assert sums and not [f for f in sums if f["cause_detail"].endswith("mot summen av 0 rader")]
    assert workbook["summary"]["checked"] == len(workbook["findings"]) == 48
    assert "Kontrollert: 48  Stemmer: 40  Avvik: 8" in result.output


def test_an_interpretation_the_header_already_says_is_not_repeated():
    result = run(SAMPLES / "oversikt-feil.xlsx", "--no-annotate")
    assert "«Samlet tildeling»: lest som samlet tildeling" not in result.output
    assert "tolkning:" not in result.output


def test_the_console_never_cuts_a_cell_address(tmp_path):
    import openpyxl

    path = tmp_path / "langt.xlsx"
    book = openpyxl.load_workbook(SAMPLES / "oversikt-feil.xlsx")
    long_name = "Oversikt over tildelinger 2023"
    book["Oversikt"].title = long_name
    book.save(path)
    result = run(path, "--no-annotate")
    assert result.exit_code == 1
    assert f"  {long_name}!K16 " in result.output
    assert f"  {long_name}!C4 " in result.output


# --- 9. a layout file that matches nothing names what missed -----------------------------------


def test_the_readme_layout_example_names_what_of_it_matched_nothing(capsys):
    layout = ROOT / "templates" / "user-layout.example.toml"
    code, out, err = run_main(capsys, SAMPLES / "oversikt.xlsx", "--layout", layout, "--no-annotate", "--lang", "en")
    assert code == 2 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"reconcile: error: {SAMPLES / 'oversikt.xlsx'}: found no table of budget posts with the "
                           f"layout file {layout}; in it, these matched nothing in the workbook: ")
    missed = line.split("matched nothing in the workbook: ", 1)[1].split(": see reconcile", 1)[0].split("; ")
    assert missed == ["sheet pattern «^Tillegg»", "sheet «Tildelingsbrev 2023»", "sheet «Notater»",
                      "header «Budsjettkonto»", "header «RNB»", "header «Merknad»",  # as the file writes them
                      "header_rows 4, 5 on sheet «Oversikt» (no table of posts below them)"]


def test_a_column_set_to_unknown_in_the_layout_gets_no_note(tmp_path, letter):
    import xlsxwriter

    path = tmp_path / "justert.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Oversikt")
    sheet.write_row(0, 0, ["Kap./post", "Postnavn", "Tillegg nr. 1", "Samlet tildeling", "Justert"])
    sheet.write_row(1, 0, ["440/01", "Driftsutgifter", 21_345_000, 21_345_000, 7])
    sheet.write_row(2, 0, ["440/70", "Tilskudd", 4_500_000, 4_500_000, 8])
    book.close()
    without = run(path, "--letters", letter, "--no-annotate")
    assert "«Justert» har tall i 2 postrader, men overskriften gir ingen kjent rolle" in without.output
    layout = tmp_path / "oppsett.toml"
    layout.write_text('[headers]\n"Justert" = "unknown"\n', encoding="utf-8")
    chosen = run(path, "--letters", letter, "--layout", layout, "--no-annotate")
    assert chosen.exit_code == 0
    assert "Justert" not in chosen.output


# --- 7. one language per run --------------------------------------------------------------------

# Words of bokmål that English never uses (and the reverse): their presence shows a phrase left in
# the other language. Words both share ('post', 'sum', 'for', 'status', 'kroner', 'to') are left out.
NORWEGIAN = set("""og ikke som etter tillegg brevet brev beløp beløpet ingen lest mot av fra på til er har med i en et
det den posten arket rad rader kolonne tabellen forventet fant merknad tolkning feil avvik stemmer mangler samlet
tildeling endring overført summen tilsvarer inneholder kontrolleres arbeidsboka kopi ukjent avrundingen bare innenfor
sumrad årets kilde linje opplysninger advarsler kontroller toleranse delbeløp delbeløpene finnes filen mappen oppgi
hoppet skjult likevel enhet nr kommentert kontrollert differanse udatert forklaring fortegn enhet sifre utdatert
brevkontroll advarsel tabellsum ny sats forslag vedtatt øremerket fordeling korreksjon bokført netto""".split())
ENGLISH = set("""the is not no file cannot found sheet letter letters expected error note from with without and or of in
read write folder output input amount total change missing checked match mismatch supplement line page source
quote difference unknown role reading annotated copy agrees warning warnings errors checks after before this year
carried table row rows column columns header empty exists replace use name named skipped hidden""".split())

_QUOTED_TEXT = re.compile(r"«[^»]*»|\"[^\"]*\"|'[^']*'|\[[^\]]*\]")
_PATHS = re.compile(r"\S*[/\\]\S*|\S+\.(?:txt|xlsx|xml|json|toml|pdf|docx|csv)\b|--[\w-]+|\w*_\w*|\b\w+ = |\{\w*\}")


def _words(text: str, sheet_names=()) -> set[str]:
    for name in sorted(sheet_names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _PATHS.sub(" ", _QUOTED_TEXT.sub(" ", text))
    return {word.lower() for word in re.findall(r"[A-Za-zÆØÅæøå]+", text)}


def _catalogue_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # 'lang' is the language's code, not a message
        return [text for key, item in value.items() if key != "lang" for text in _catalogue_strings(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _catalogue_strings(item)]
    return []


def test_the_message_catalogue_says_each_message_in_its_own_language():
    from reconcile.output.translations import TO_EN, TO_NB
    from reconcile.output.wording import TEXT

    english = _catalogue_strings(TEXT["en"]) + [text for _, text in TO_EN if isinstance(text, str)]
    norwegian = _catalogue_strings(TEXT["nb"]) + [text for _, text in TO_NB if isinstance(text, str)]
    assert len(english) > 150 and len(norwegian) > 200
    assert {text: found for text in english if (found := _words(text) & NORWEGIAN)} == {}
    assert {text: found for text in norwegian if (found := _words(text) & ENGLISH)} == {}
    assert set(TEXT["nb"]["messages"]) == set(TEXT["en"]["messages"])
    assert set(TEXT["nb"]["kinds"]) == set(TEXT["en"]["kinds"])


def _sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).sheet_names


@pytest.mark.slow
def test_no_norwegian_word_in_a_run_with_lang_en(capsys, tmp_path, letter):
    said = []
    sheets: set[str] = set()
    for layout in ("oversikt", "brevark", "note-a", "posteringer"):
        path = SAMPLES / f"{layout}-feil.xlsx"
        sheets.update(_sheet_names(path))
        code, out, err = run_main(capsys, path, "--lang", "en", "--out-dir", tmp_path / "ut", "--junit",
                                  tmp_path / f"{layout}.xml")
        assert code == 1
        said += [out, err, (tmp_path / f"{layout}.xml").read_text(encoding="utf-8")]
        code, out, err = run_main(capsys, path, "--lang", "en", "--no-annotate", "--quiet")
        assert code == 1 and err
        said += [out, err]
    for args in (["letters"], ["letters", "--audit"], ["letters", "--audit", "--as-of", "3"],
                 ["letters", "--audit", "--as-of", "9"], [tmp_path / "mangler.xlsx"],
                 [SAMPLES / "oversikt.xlsx", "--layout", ROOT / "templates" / "user-layout.example.toml"],
                 [SAMPLES / "oversikt.xlsx", "--bogus"],
                 [SAMPLES / "brevark-feil.xlsx", "--explain-layout"], [SAMPLES / "posteringer.xlsx", "--explain-layout"],
                 ["suite", "--letters", letter, "-o", tmp_path / "s.json"],
                 ["template", "--letters", letter, "-o", tmp_path / "t.xlsx"],
                 ["letters", tmp_path / "tom"]):
        if args == ["letters", tmp_path / "tom"]:
            (tmp_path / "tom").mkdir()
        code, out, err = run_main(capsys, *args, "--lang", "en")
        said += [out, err]
    found = {word for text in said for word in _words(text, sheets) & NORWEGIAN}
    assert found == set(), sorted(found)
    assert "reconcile: error: " in "".join(said) and "reconcile: feil: " not in "".join(said)


def test_default_run_is_bokmal_on_stderr_quiet_and_junit_too(capsys, tmp_path):
    code, _out, err = run_main(capsys, SAMPLES / "oversikt-feil.xlsx", "--no-annotate", "--quiet",
                               "--junit", tmp_path / "j.xml")
    assert code == 1
    assert "Oversikt!K16: sumrad Avvik, differanse 1 000 (sum stemmer ikke)" in err.splitlines()[-1]
    junit = (tmp_path / "j.xml").read_text(encoding="utf-8")
    assert 'message="Avvik: forventet 353 610 000, fant 533 610 000 (ombyttede sifre)"' in junit
    code, _out, err = run_main(capsys, tmp_path / "mangler.xlsx")
    assert err == f"reconcile: feil: {tmp_path / 'mangler.xlsx'}: filen finnes ikke\n"
    letters = run("letters")
    assert "671/71  ny sum" in letters.output and "new_total" not in letters.output


@pytest.mark.parametrize("kind", ["formula_without_value", "error", "formula_zero"])
def test_the_readers_cell_notes_are_said_in_english_with_lang_en(kind):
    from reconcile.output.translations import in_language
    from reconcile.workbook.tables import BAD_CELL_MESSAGES

    note = "rad 3 er ikke lest: " + BAD_CELL_MESSAGES[kind].format(detail="C2+D2")
    assert _words(note) & NORWEGIAN
    assert _words(in_language(note, "en")) & NORWEGIAN == set()


def test_as_of_json_holds_nothing_from_a_later_letter():
    result = run("letters", "--audit", "--as-of", "2", "--json", "-")
    data = json.loads(result.output)
    assert [letter["number"] for letter in data["letters"]] == [1, 2]
    assert {statement["letter"] for statement in data["statements"]} == {1, 2}
    assert {finding["letter"] for finding in data["audit"]} <= {1, 2}
    assert data["expected"]["671/62"]["letter"] <= 2


def test_json_notes_follow_the_language(tmp_path):
    run(SAMPLES / "oversikt-feil.xlsx", "--no-annotate", "--lang", "en", "--json", tmp_path / "en.json")
    report = json.loads((tmp_path / "en.json").read_text(encoding="utf-8"))
    texts = [*report["workbooks"][0]["issues"], *(f["cause_detail"] for f in report["workbooks"][0]["findings"]),
             *(f["message"] for f in report["letter_audit"])]
    assert texts and {word for text in texts for word in _words(text) & NORWEGIAN} == set()


def _literal_error_messages() -> set[str]:
    """Every bad-input and output message written out as a plain string in the package."""
    import ast

    messages = set()
    for path in (Path(__file__).parents[1] / "reconcile").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("InputError", "OutputError")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                messages.add(node.args[0].value)
    return messages


def test_every_literal_error_message_is_said_in_norwegian_without_an_english_word():
    from reconcile.output.translations import in_language

    messages = _literal_error_messages()
    assert len(messages) > 40
    assert {m: in_language(m, "nb") for m in messages if _words(in_language(m, "nb")) & ENGLISH} == {}


@pytest.mark.parametrize("name, content, expected", [
    ("brev.pdf", b"hei", "heter .pdf, men innholdet er ikke en PDF (ingen %PDF-innledning)"),
    ("brev.docx", b"hei", "heter .docx, men innholdet er ikke en DOCX (ikke et zip-arkiv)"),
    ("brev.html", b"bare tekst", "heter .html, men innholdet er ikke en nettside (ingen HTML-koder)"),
    ("brev.htm", bytes(range(256)) * 4, "binære data, ikke et brev (ventet tekst, HTML, PDF eller DOCX)"),
])
def test_a_letter_that_is_not_what_its_name_says_is_refused_in_norwegian(capsys, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run_main(capsys, "letters", path)
    assert code == 2
    assert err.strip().endswith(f"{name}: {expected}")
