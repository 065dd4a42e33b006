"""A new user's first hour, second pass (issue 14): what a fresh clone and the README still got wrong.

Each test drives the real command line or the real loader and asserts on what the user reads.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from cli_helpers import run, run_listing_heavy, run_main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# Words only English uses (the message catalogue test in test_first_hour.py keeps a longer list).
ENGLISH = set("""the is not no file cannot found expected error from with without and or of in at line column
read write folder output value after key pair invalid start codec decode position expecting directory such
permitted system only too long exceeded levels symbolic links document end""".split())


def _english_words(text: str) -> set[str]:
    text = re.sub(r"«[^»]*»|\S*[/\\]\S*|\S+\.(?:toml|json|csv|xlsx)\b", " ", text)
    return {word.lower() for word in re.findall(r"[A-Za-zÆØÅæøå]+", text)} & ENGLISH


def test_reconcile_without_arguments_says_in_one_line_what_to_give(capsys):
    code, out, err = run_main(capsys)
    assert code == 2 and out == ""
    assert err == "reconcile: feil: oppgi minst én arbeidsbok (reconcile ARBEIDSBOK.xlsx); se reconcile --help\n"


def test_the_console_cuts_no_role_and_keeps_wide_amounts_apart():
    result = run(SAMPLES / "note-a-feil.xlsx", "--no-annotate", "--lang", "en")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    sign = next(line for line in lines if line.lstrip().startswith("Note A!E5 "))
    assert " this year's allocation " in sign
    unit = next(line for line in lines if line.lstrip().startswith("Note A!F7 "))
    # Thousands are separated by one space: two amounts side by side need more than one.
    assert re.search(r"18 310 846 000 000 {2,}18 310 846 000 {2,}18 292 535 154 000 {2,}Mismatch – unit$", unit)
    header = next(line for line in lines if line.lstrip().startswith("Cell "))
    assert header.index("Difference") + len("Difference") == unit.index("18 292 535 154 000") + len("18 292 535 154 000")


def test_a_status_is_not_repeated_as_its_cause(capsys, tmp_path):
    result = run(SAMPLES / "note-a-feil.xlsx", "--no-annotate")
    missing = next(line for line in result.output.splitlines() if "671/72" in line)
    assert missing.endswith("Mangler") and "Mangler – mangler" not in result.output
    assert "Ukjent post – ukjent post" not in result.output and "Ukjent post" in result.output
    code, _out, err = run_main(capsys, SAMPLES / "note-a-feil.xlsx", "--no-annotate", "--quiet", "--junit",
                               tmp_path / "j.xml")
    assert code == 1
    assert "671/72 samlet tildeling Mangler\n" in err and "(mangler)" not in err and "(ukjent post)" not in err
    junit = (tmp_path / "j.xml").read_text(encoding="utf-8")
    assert 'message="Mangler: forventet 16 432 000, fant –"' in junit and "(ukjent post)" not in junit
    # a cause that says more than the status stays
    assert "Avvik, differanse -65 800 000 (feil fortegn)" in err


def _layout_error(path: Path) -> str:
    from reconcile.errors import InputError
    from reconcile.workbook.layout import load_layout

    with pytest.raises(InputError) as raised:
        load_layout(path)
    return raised.value.message


def _suite_error(path: Path) -> str:
    from reconcile.errors import InputError
    from reconcile.validation.suite import load_suite

    with pytest.raises(InputError) as raised:
        load_suite(path)
    return raised.value.message


def _explanations_error(path: Path) -> str:
    from reconcile.errors import InputError
    from reconcile.findings.explanations import load_explanations

    with pytest.raises(InputError) as raised:
        load_explanations(path)
    return raised.value.message


@pytest.mark.parametrize("name, content, load, expected", [
    ("layout.toml", b"a;b\n1;2\n", _layout_error, "ikke en gyldig TOML-layoutfil: feil på linje 1, kolonne 2"),
    ("layout.toml", b"unit = [1,\n", _layout_error, "ikke en gyldig TOML-layoutfil: feil ved slutten av filen"),
    ("layout.toml", b"\xff\xfeunit = 1", _layout_error,
     "ikke en gyldig TOML-layoutfil: ikke UTF-8-tekst (ugyldig byte i posisjon 0)"),
    ("suite.json", b"a;b\n1;2\n", _suite_error, "ikke en JSON-forventningssuite: feil på linje 1, kolonne 1"),
    ("suite.json", b'{"name": "x",\n "expectations": [}', _suite_error,
     "ikke en JSON-forventningssuite: feil på linje 2, kolonne 19"),
    ("forklaringer.toml", b"[[explanation]]\npost = \n", _explanations_error,
     "kan ikke lese forklaringene: feil på linje 2, kolonne 8"),
])
def test_a_parsers_english_reason_is_said_as_a_position_in_norwegian(tmp_path, name, content, load, expected):
    from reconcile.output.translations import in_language

    path = tmp_path / name
    path.write_bytes(content)
    said = in_language(load(path), "nb")
    assert said == expected
    assert _english_words(said) == set()


@pytest.mark.parametrize("number", [errno.ENOENT, errno.ENOTDIR, errno.EROFS, errno.EPERM, errno.ENAMETOOLONG,
                                    errno.EDQUOT, errno.ELOOP, errno.EIO])
@pytest.mark.parametrize("template", ["cannot create the output folder: {}", "cannot write in the output folder: {}",
                                      "cannot write the output: {}", "cannot write here: {}", "cannot read: {}"])
def test_the_operating_systems_reason_is_said_in_norwegian(template, number):
    from reconcile.output.translations import in_language

    said = in_language(template.format(os.strerror(number)), "nb")
    assert _english_words(said) == set(), said


LETTER = textwrap.dedent("""\
    Tillegg nr. 1 til tildelingsbrev for Etaten 2024

    Kap./post Postnavn Sum
    440/01 Driftsutgifter 21 345 000

    Med hilsen
""")


def test_counts_of_one_take_the_singular():
    nb = run("letters", "--audit", "--as-of", "1").output.splitlines()[0]
    en = run("letters", "--audit", "--as-of", "1", "--lang", "en").output.splitlines()[0]
    assert nb == "Brevkontroll: 0 feil, 1 advarsel, 5 kontroller stemmer"
    assert en == "Letter audit: 0 errors, 1 warning, 5 checks agree"


def test_a_template_from_one_letter_says_one_post_and_one_letter(tmp_path):
    letter = tmp_path / "tillegg-1.txt"
    letter.write_text(LETTER, encoding="utf-8")
    en = run("template", "--letters", letter, "-o", tmp_path / "mal.xlsx", "--lang", "en")
    assert en.output.strip() == f"{tmp_path / 'mal.xlsx'}: 1 post, 1 letter"
    nb = run("letters", letter)
    assert nb.output.splitlines()[-1] == "1 opplysning fra 1 brev"


def test_letters_json_follows_the_language():
    from test_first_hour import NORWEGIAN, _words

    data = json.loads(run("letters", "--audit", "--json", "-", "--lang", "en").output)
    texts = ([issue["message"] for issue in data["issues"]] + [finding["message"] for finding in data["audit"]]
             + [figure["basis"] for figure in data["expected"].values()])
    assert len(texts) > 20
    assert {word for text in texts for word in _words(text) & NORWEGIAN} == set()
    assert "the letter holds no amount tied to a chapter/post" in texts




@pytest.mark.parametrize("command", [[], ["check"], ["letters"], ["suite"], ["template"]])
def test_help_is_in_the_runs_language(capsys, command):
    from test_first_hour import ENGLISH as ALL_ENGLISH, NORWEGIAN, _words

    names = ("check", "letters", "suite", "template", "reconcile")
    code, bokmal, _ = run_main(capsys, *command, "--help")
    assert code == 0 and bokmal.startswith(f"Bruk: reconcile {' '.join(command)}".rstrip() + " [VALG]")
    assert "Valg:" in bokmal and "Vis denne hjelpen og avslutt." in bokmal
    assert _words(bokmal) - set(names) & ALL_ENGLISH == set(), bokmal
    code, english, _ = run_main(capsys, *command, "--help", "--lang", "en")
    assert code == 0 and english.startswith("Usage: reconcile") and "Show this message and exit." in english
    assert _words(english) & NORWEGIAN == set(), english
    _, code, heavy = run_listing_heavy(*command, "--help", cwd=ROOT)
    assert (code, heavy) == (0, [])


def test_the_version_is_said_without_words():
    assert run("--version").output == f"reconcile {__import__('reconcile').__version__}\n"


@pytest.mark.parametrize("option, name, content", [
    ("--layout", "layout.toml", "Budsjettkonto = post\n"),
    ("--explanations", "forklaringer.toml", "[[explanation]]\npost = \n"),
    ("--explanations", "forklaringer.csv", "Post;Rolle;Avvik;Forklaring\n671/60;samlet tildeling;x;y\n"),
    ("--suite", "suite.json", "Post;Rolle\n"),
    ("--suite", "suite.json", "[1, 2]\n"),
])
def test_a_malformed_file_of_the_users_is_refused_before_gx_is_imported(tmp_path, option, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result, code, heavy = run_listing_heavy(SAMPLES / "oversikt.xlsx", option, path, "--no-annotate", cwd=ROOT)
    assert (code, heavy) == (2, [])
    [line] = result.stderr.splitlines()
    assert line.startswith(f"reconcile: feil: {path}: ")


ALLOCATION_AND_SUPPLEMENT = textwrap.dedent("""\
    Tildelingsbrev for Etaten 2024

    Etaten disponerer følgende:

    Kap./post Postnavn Sum
    440/01 Driftsutgifter 21 345 000
    440/70 Tilskudd 4 500 000

    Tillegg nr. 1 til tildelingsbrev for Etaten 2024

    Bevilgningen på kap. 440 post 01 økes med 1 000 000 kroner.
""")


def test_the_allocation_letter_is_not_called_supplement_no_0(tmp_path):
    letters = tmp_path / "brev.txt"
    letters.write_text(ALLOCATION_AND_SUPPLEMENT, encoding="utf-8")
    listing = run("letters", letters).output.splitlines()
    assert listing[0] == "Tildelingsbrevet (udatert) – «Tildelingsbrev for Etaten 2024» [brev.txt]"
    assert listing[1].startswith("Tillegg nr. 1 (udatert)")
    nb = run("letters", letters, "--audit").output
    assert "4 500 000  tildelingsbrevet: tabell i tildelingsbrevet" in nb and "nr. 0" not in nb
    en = run("letters", letters, "--audit", "--lang", "en", "--as-of", "0").output
    assert "(after the allocation letter)" in en
    assert "4 500 000  the allocation letter: table in the allocation letter" in en and "no. 0" not in en
    assert run("letters", letters, "--lang", "en").output.startswith("The allocation letter (undated) – «")


def test_a_letter_without_a_title_shows_no_empty_quote(tmp_path):
    letter = tmp_path / "notat.txt"
    letter.write_text("Hei\nIngen tall her.\n", encoding="utf-8")
    output = run("letters", letter).output.splitlines()
    assert output[0] == "Tildelingsbrevet (udatert) [notat.txt]"
    assert "«»" not in "\n".join(output)


def test_the_template_states_its_unit_and_names_the_allocation_letter(tmp_path):
    from python_calamine import CalamineWorkbook

    letters = tmp_path / "brev.txt"
    letters.write_text(ALLOCATION_AND_SUPPLEMENT, encoding="utf-8")
    template = tmp_path / "oppfolging.xlsx"
    assert run("template", "--letters", letters, "-o", template).exit_code == 0
    rows = CalamineWorkbook.from_path(str(template)).get_sheet_by_name("Oversikt").to_python()
    assert rows[2][:4] == ["Kap./post", "Postnavn", "Tildelingsbrev", "Tillegg nr. 1"]
    check = run(template, "--letters", letters, "--no-annotate")
    assert check.exit_code == 0, check.output
    assert "Kontrollert: 8  Stemmer: 8  Avvik: 0" in check.output
    assert "enhet" not in check.output  # no 'the table states no unit' about the tool's own template


def test_explain_layout_names_each_role_in_words_before_its_layout_file_code():
    nb = run(SAMPLES / "posteringer-feil.xlsx", "--explain-layout").output
    assert "  kolonner (rolle, og rollens navn i en layoutfil):" in nb
    assert re.search(r"^    A   dato +date +«Dato»$", nb, re.M)
    assert re.search(r"^    G   hvilket brev +letter_ref +«Tillegg»$", nb, re.M)
    en = run(SAMPLES / "note-a-feil.xlsx", "--explain-layout", "--lang", "en").output
    assert "  columns (role, and the role's name in a layout file):" in en
    assert re.search(r"^    D   carried over +carried_over +«Overført fra i fjor»$", en, re.M)
    assert re.search(r"^    E   this year's allocation +allocation +«Årets tildelinger»$", en, re.M)


def test_an_existing_copy_is_refused_before_any_other_copy_is_written(capsys, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(SAMPLES / "oversikt.xlsx", first)
    shutil.copy(SAMPLES / "oversikt.xlsx", second)
    code, _out, _err = run_main(capsys, second)  # a first run on one workbook …
    assert code == 0 and (tmp_path / "b.reconciled.xlsx").is_file()
    code, _out, err = run_main(capsys, first, second)  # … then the glob
    assert code == 2
    assert err == f"reconcile: feil: {tmp_path / 'b.reconciled.xlsx'}: utdataene finnes allerede; bruk --force for å erstatte dem\n"
    assert not (tmp_path / "a.reconciled.xlsx").exists()


def test_a_bad_workbook_after_a_good_one_leaves_no_copy_of_the_good_one(capsys, tmp_path):
    good, bad = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(SAMPLES / "oversikt.xlsx", good)
    bad.write_text("Kap./post;Beløp\n671/21;32 900 000\n", encoding="utf-8")
    code, out, err = run_main(capsys, good, bad)
    assert code == 2 and out == ""
    assert err.startswith(f"reconcile: feil: {bad}: heter .xlsx, men er en tekstfil (CSV?)")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]
