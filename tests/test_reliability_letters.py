"""Bad and odd letter files through the real command line, both ways a letter is read:
`reconcile letters PATH…` and `reconcile WORKBOOK --letters PATH…`.

A refusal is exit 2 with one line on stderr, "reconcile: error: LETTER: problem", no traceback,
and nothing written beside the workbook. Decisions pinned here:

* A cp1252 letter (Word's "Save as text" on Windows) is read, æøå and the en dash right.
* A letter with no amount tied to a kapittel/post is a warning, not a failure: `reconcile letters`
  prints "merknad: …" lines on stderr and exits 0; a check names the letter in its notes.
* One letter number read twice is an error (exit 2), whether the copies disagree (the message names
  both files and the first post where they differ) or agree (the same letter as .txt and .docx):
  kept, a second copy would count every change twice, and of two that disagree the tool cannot
  know which is right. The same file named twice is read once.
* Word's lock file of an open letter ("~$brev.docx") and hidden files ("._brev.pdf") in a letter
  folder are not letters and are skipped.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import docx
import pytest
from reportlab.pdfgen.canvas import Canvas
from test_reliability_workbooks import (
    LETTER,
    cli,
    digest,
    one_error_line,
    said_in_bokmal,
    snapshot,
    table_xlsx,
)

NO_POSTS = textwrap.dedent("""\
    Tillegg nr. 2 til tildelingsbrev for Etaten 2024

    Departementet ber etaten om en rapport om arbeidet innen 1. mars.
    Det er satt av 5 mill. kroner til arbeidet, som etaten dekker innenfor egen ramme.

    Med hilsen
""")


@pytest.fixture
def letters(tmp_path) -> Path:
    folder = tmp_path / "brev"
    folder.mkdir()
    return folder


@pytest.fixture
def workbook(tmp_path) -> Path:
    folder = tmp_path / "arbeid"
    folder.mkdir()
    return table_xlsx(folder / "budsjett.xlsx")


def run(capsys, mode: str, workbook: Path, *paths: Path, lang: str | None = None) -> tuple[int, str, str]:
    if mode == "letters":
        return cli(capsys, "letters", *paths, lang=lang)
    return cli(capsys, workbook, *[arg for path in paths for arg in ("--letters", path)], lang=lang)


def refused(capsys, mode, workbook, *paths, named: Path, says: str) -> str:
    before = snapshot(workbook.parent)
    stamps = {path: digest(path) for path in paths if path.is_file()}
    code, out, err = run(capsys, mode, workbook, *paths, lang="en")
    assert code == 2, (out, err)
    line = one_error_line(err, named)
    assert says in line, line
    assert out == ""
    assert snapshot(workbook.parent) == before
    assert {path: digest(path) for path in paths if path.is_file()} == stamps
    code, out, err = run(capsys, mode, workbook, *paths)
    assert code == 2 and out == "", (out, err)
    said_in_bokmal(err, line, named)
    return line


def _scanned_pdf(path: Path) -> None:
    """A 'scan': shapes only, no text layer."""
    canvas = Canvas(str(path))
    canvas.rect(72, 600, 450, 120, fill=0)
    for y in range(610, 720, 12):
        canvas.line(80, y, 500, y)
    canvas.rect(72, 72, 200, 100, fill=1)
    canvas.save()


BAD_LETTERS = [
    ("tom.txt", lambda p: p.write_bytes(b""), "the letter file is empty (0 bytes)"),
    ("blank.txt", lambda p: p.write_text("\n \n\t\n", encoding="utf-8"), "the letter file contains only whitespace"),
    ("binær.txt", lambda p: p.write_bytes(bytes(range(256)) * 8), "binary data, not a letter (expected text, HTML, PDF or DOCX)"),
    ("bilde.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 20), "binary data, not a letter"),
    ("skannet.pdf", _scanned_pdf, "the PDF has no text layer (a scanned letter?): run OCR on it first"),
    ("notat.pdf", lambda p: p.write_text(LETTER, encoding="utf-8"), "named .pdf but the content is not a PDF"),
    ("notat.htm", lambda p: p.write_text(LETTER, encoding="utf-8"), "named .htm but the content is not a web page"),
    ("meny.html", lambda p: p.write_text("<html><body><nav>Meny</nav><script>x()</script></body></html>", encoding="utf-8"),
     "the web page has no text (only markup, scripts or images?)"),
    ("finnes-ikke.txt", lambda p: None, "no such file"),
]


@pytest.mark.parametrize("mode", ["letters", "check"])
@pytest.mark.parametrize(("name", "make", "says"), BAD_LETTERS, ids=[case[0] for case in BAD_LETTERS])
def test_a_file_that_is_not_a_letter_exits_two(capsys, letters, workbook, mode, name, make, says):
    path = letters / name
    make(path)
    refused(capsys, mode, workbook, path, named=path, says=says)


@pytest.mark.parametrize("mode", ["letters", "check"])
def test_an_empty_letter_folder_exits_two(capsys, letters, workbook, mode):
    (letters / "les-meg.md").write_text("ikke et brev", encoding="utf-8")
    refused(capsys, mode, workbook, letters, named=letters, says="the folder holds no letter files")


# --- cp1252 ----------------------------------------------------------------------------------

CP1252_LETTER = LETTER.replace(
    "440/70 Tilskudd til frivillige organisasjoner 4 500 000",
    "440/70 Tilskudd til særlige tiltak – Østfold og Ålesund 4 500 000",
)


def test_cp1252_letter_reads_norwegian_letters_right(capsys, letters):
    path = letters / "tillegg-1.txt"
    path.write_bytes(CP1252_LETTER.encode("cp1252"))
    code, out, err = cli(capsys, "letters", path, "--json", "-")
    assert code == 0 and err == ""
    labels = [statement["label"] for statement in json.loads(out)["statements"]]
    assert labels == ["Driftsutgifter", "Tilskudd til særlige tiltak – Østfold og Ålesund"]
    code, out, _ = cli(capsys, "letters", path)
    assert "følgende" not in out and "Tilskudd til særlige tiltak – Østfold og Ålesund 4 500 000" in out


def test_cp1252_letter_checks_a_workbook(capsys, letters, workbook):
    path = letters / "tillegg-1.txt"
    path.write_bytes(CP1252_LETTER.encode("cp1252"))
    code, out, err = cli(capsys, workbook, "--letters", path)
    assert code == 0, out
    assert "Kontrollert: 4  Stemmer: 4  Avvik: 0" in out and "error" not in err


# --- a letter with no post statements ----------------------------------------------------------


def test_letter_without_post_statements_is_a_warning_in_letters(capsys, letters):
    path = letters / "tillegg-2.txt"
    path.write_text(NO_POSTS, encoding="utf-8")
    code, out, err = cli(capsys, "letters", path)
    assert code == 0
    assert "0 opplysninger fra 1 brev" in out
    assert err.splitlines() == [
        "merknad: tillegg nr. 2, l. 4: beløp uten kapittel/post: ikke brukt",
        "merknad: tillegg nr. 2, l. 1: brevet inneholder ingen beløp knyttet til kapittel/post",
    ]


def test_letter_without_post_statements_is_a_note_in_a_check(capsys, letters, workbook):
    (letters / "tillegg-1.txt").write_text(LETTER, encoding="utf-8")
    (letters / "tillegg-2.txt").write_text(NO_POSTS, encoding="utf-8")
    code, out, err = cli(capsys, workbook, "--letters", letters)
    assert code == 0, out
    assert "Kontrollert: 4  Stemmer: 4  Avvik: 0" in out
    assert ("merknad: tillegg-2.txt: tillegg nr. 2: brevet inneholder ingen beløp knyttet til kapittel/post; "
            "ingenting i arbeidsboka kontrolleres mot det") in out
    assert err == ""


# --- the same letter twice -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["letters", "check"])
def test_contradictory_duplicate_letters_exit_two_naming_both(capsys, letters, workbook, mode):
    first, second = letters / "tillegg-1.txt", letters / "tillegg-1-ny.txt"
    first.write_text(LETTER, encoding="utf-8")
    second.write_text(LETTER.replace("21 345 000", "22 000 000"), encoding="utf-8")
    refused(capsys, mode, workbook, first, second, named=second, says=(
        f"supplement no. 1 is also in {first}, and the two disagree "
        "(440/01: table total 21 345 000 there, table total 22 000 000 here): give only the right one"))


def test_contradictory_duplicates_in_a_folder_exit_two_with_audit_too(capsys, letters, workbook):
    (letters / "a.txt").write_text(LETTER, encoding="utf-8")
    (letters / "b.txt").write_text(LETTER.replace("4 500 000", "4 600 000"), encoding="utf-8")
    before = snapshot(letters)
    code, out, err = cli(capsys, "letters", "--audit", letters, lang="en")
    assert code == 2 and out == ""
    line = one_error_line(err, letters / "b.txt")
    assert "(440/70: table total 4 500 000 there, table total 4 600 000 here)" in line
    assert snapshot(letters) == before


def _docx(path: Path, text: str) -> None:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(path)


@pytest.mark.parametrize("mode", ["letters", "check"])
def test_the_same_letter_as_text_and_docx_exits_two(capsys, letters, workbook, mode):
    (letters / "tillegg-1.txt").write_text(LETTER, encoding="utf-8")
    _docx(letters / "tillegg-1.docx", LETTER)
    refused(capsys, mode, workbook, letters, named=letters / "tillegg-1.txt",
            says=f"supplement no. 1 is also in {letters / 'tillegg-1.docx'} (the same letter twice?): give each letter once")


def test_one_letter_number_twice_in_one_file_exits_two(capsys, letters, workbook):
    path = letters / "samlet.txt"
    path.write_text(LETTER + "\n" + LETTER.replace("21 345 000", "21 000 000"), encoding="utf-8")
    refused(capsys, "letters", workbook, path, named=path,
            says="supplement no. 1 appears twice in this file (lines 1 and 11): give each letter once")


def test_the_same_file_named_twice_is_read_once(capsys, letters, workbook):
    path = letters / "tillegg-1.txt"
    path.write_text(LETTER, encoding="utf-8")
    code, out, err = cli(capsys, "letters", path, letters, str(letters / "." / "tillegg-1.txt"))
    assert code == 0 and err == ""
    assert "2 opplysninger fra 1 brev" in out
    code, out, _ = cli(capsys, workbook, "--letters", path, "--letters", letters)
    assert code == 0 and "Kontrollert: 4  Stemmer: 4  Avvik: 0" in out


def test_lock_and_hidden_files_in_a_letter_folder_are_skipped(capsys, letters):
    (letters / "tillegg-1.txt").write_text(LETTER, encoding="utf-8")
    (letters / "~$llegg-1.docx").write_bytes(b"\x0cOla Nordmann" + bytes(150))  # Word's lock file
    (letters / "._tillegg-1.pdf").write_bytes(b"\x00\x05\x16\x07" + bytes(200))  # macOS resource fork
    code, out, err = cli(capsys, "letters", letters)
    assert code == 0 and err == ""
    assert "2 opplysninger fra 1 brev" in out


EQUAL_SHARES_AFTER_A_LIMIT = textwrap.dedent("""\
    Tillegg nr. 2 til tildelingsbrev for Etaten 2024

    Samlet overføring på kap. 670, post 01 kan ikke overstige 5 pst. av den samlede bevilgningen på posten. Midlene fordeles jevnt til Redd Barna og Caritas.
""")


def test_equal_shares_after_a_percentage_limit_is_not_an_internal_error(capsys, letters):
    path = letters / "tillegg-2.txt"
    path.write_text(EQUAL_SHARES_AFTER_A_LIMIT, encoding="utf-8")
    code, _out, err = cli(capsys, "letters", path)
    assert "internal error" not in err, err
    assert code == 0
