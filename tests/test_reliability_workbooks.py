"""Bad and hostile workbooks through the real command line (`reconcile.cli.main`).

Every refusal is checked the same way (`refused`): exit code 2, exactly one line on stderr,
"reconcile: error: PATH: problem", naming the file and the problem, no traceback, the input's
SHA-256 unchanged and the output folder exactly as it was: no annotated copy and no temporary
`.NAME.*.tmp` file. All inputs are generated here; no binary file is committed.

Decisions this suite pins down:

* A workbook in which no post table is found exits 2 ("found no table of budget posts"), with no
  output written. Nothing checked is not "everything matches": exit 0 would let a CI job pass on a
  workbook whose layout the reader no longer recognises. `--explain-layout` still shows what was
  found.
* Hidden and very hidden sheets are read anyway, with a note ("arket er skjult: lest likevel").
* A formula without a cached value (a workbook saved by a library, never opened in Excel) is one
  note per cell ("formel uten lagret verdi … Ikke lest som 0"); the cell is not checked, the rest is.
* External entities are never resolved (a part with a DOCTYPE or ENTITY is refused before any
  parser sees it) and external relationships (hyperlinks to file:// and http://) are never followed.

The tiny letter (`LETTER`) gives 440/01 = 21 345 000 and 440/70 = 4 500 000 in tillegg nr. 1;
`table_xlsx` writes a workbook that agrees with it (exit 0).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from reportlab.pdfgen.canvas import Canvas
from cli_helpers import LETTER, letter_in_its_own_folder
from test_first_hour import ENGLISH, _words
from test_workbook_bad_input import ole2
from test_workbook_large import raw_xlsx

from reconcile.cli import main
from reconcile.workbook import container

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RECONCILE = ROOT / ".venv" / "bin" / "reconcile"

HEADER = ["Kap./post", "Postnavn", "Tillegg nr. 1", "Samlet tildeling"]
ROWS = [["440/01", "Driftsutgifter", 21_345_000, 21_345_000], ["440/70", "Tilskudd", 4_500_000, 4_500_000]]


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def letter(tmp_path) -> Path:
    return letter_in_its_own_folder(tmp_path)


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "arbeid"
    folder.mkdir()
    return folder


def table_xlsx(path: Path, extra=None) -> Path:
    """A workbook that agrees with LETTER; `extra(sheet)` may add to its sheet."""
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Oversikt")
    sheet.write_row(0, 0, HEADER)
    for number, row in enumerate(ROWS, start=1):
        sheet.write_row(number, 0, row)
    if extra is not None:
        extra(sheet)
    workbook.close()
    return path


def rewrite(source: Path, target: Path, edit) -> Path:
    """A copy of the zip `source` with each part's bytes passed through edit(name, data)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info.filename, edit(info.filename, original.read(info)))
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry of the folder with the SHA-256 of each file: new, changed and temp files show."""
    return {entry.name: digest(entry) if entry.is_file() else "dir" for entry in folder.iterdir()}


def cli(capsys, *args, lang: str | None = None) -> tuple[int, str, str]:
    """`reconcile ARGS`; with `lang`, `--lang LANG`: the refusals pin the English wording (the
    default, bokmål, is the same message through reconcile.output.translations)."""
    capsys.readouterr()
    try:
        main([str(arg) for arg in args] + (["--lang", lang] if lang else []))
        code = 0
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, path) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"reconcile: error: {path}: "), lines[0]
    assert "Traceback" not in err
    print(lines[0])  # pytest -s shows what the tool says for each case
    return lines[0]


def refused(capsys, workbook: Path, *args, says: list[str], named=None, folder: Path | None = None) -> str:
    """Run `reconcile WORKBOOK *args`: exit 2, one line naming `named` (default: the workbook) and
    saying each of `says`, nothing written or changed in `folder` (default: the workbook's)."""
    folder = folder or workbook.parent
    before = snapshot(folder)
    code, out, err = cli(capsys, workbook, *args, lang="en")
    assert code == 2, (out, err)
    line = one_error_line(err, workbook if named is None else named)
    for fragment in says:
        assert fragment in line, line
    assert "Traceback" not in out
    assert snapshot(folder) == before
    code, out, err = cli(capsys, workbook, *args)
    assert code == 2, (out, err)
    said_in_bokmal(err, line, workbook if named is None else named)
    assert snapshot(folder) == before
    return line


def said_in_bokmal(err: str, english: str, named) -> None:
    """By default (bokmål) the refusal is the same one line, without a word of English beside the file's name."""
    [said] = err.splitlines()
    assert said.startswith(f"reconcile: feil: {named}: "), said
    detail = re.search(r" \([^()]*\)$", english)  # a library's own words, passed on as they are in both languages
    plain = said.removesuffix(detail.group()) if detail and said.endswith(detail.group()) else said
    assert _words(plain.replace(str(named), "")) & ENGLISH == set(), said


def checked(capsys, workbook: Path, *args) -> tuple[int, str, str]:
    """Run a check that is expected to work: no error line, no traceback, the input unchanged."""
    before = digest(workbook)
    code, out, err = cli(capsys, workbook, *args)
    assert "Traceback" not in out + err and "error" not in err, err
    assert digest(workbook) == before
    return code, out, err


# --- not a workbook --------------------------------------------------------------------------


def test_zero_byte_xlsx_exits_two(capsys, work, letter):
    path = work / "budsjett.xlsx"
    path.write_bytes(b"")
    refused(capsys, path, "--letters", letter, says=["the workbook file is empty (0 bytes)"])


def test_empty_file_without_a_suffix_exits_two(capsys, work, letter):
    path = work / "budsjett"
    path.write_bytes(b"")
    refused(capsys, path, "--letters", letter, says=["empty (0 bytes)"])


def test_blank_file_named_xlsx_exits_two(capsys, work, letter):
    path = work / "blank.xlsx"
    path.write_bytes(b"\r\n \n\t\n")
    refused(capsys, path, "--letters", letter, says=["named .xlsx but a text file", "not a spreadsheet"])


def test_truncated_zip_exits_two(capsys, work, letter):
    whole = table_xlsx(work / "hel.xlsx").read_bytes()
    (work / "hel.xlsx").unlink()
    path = work / "avkuttet.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    refused(capsys, path, "--letters", letter, says=["damaged or truncated workbook", "not a complete zip archive"])


def test_zip_cut_inside_a_part_exits_two(capsys, work, letter):
    """The central directory survives but a part's compressed bytes are gone (cut and re-appended)."""
    source = table_xlsx(work / "hel.xlsx")
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(source.read_bytes())
    source.unlink()
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + info.compress_size] = bytes(info.compress_size)  # zeroed deflate stream
    path = work / "hull.xlsx"
    path.write_bytes(bytes(data))
    refused(capsys, path, "--letters", letter, says=["damaged workbook", "xl/worksheets/sheet1.xml"])


def _pdf(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Kap./post 440/01 Driftsutgifter 21 345 000")
    canvas.save()


CSV = b"Kap./post;Postnavn;Samlet tildeling\n440/01;Driftsutgifter;21 345 000\n"
HTML = (b"<html><head><meta charset='utf-8'></head><body><table><tr><td>Kap./post</td><td>Samlet</td></tr>"
        b"<tr><td>440/01</td><td>21345000</td></tr></table></body></html>")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("budsjett.xlsx", CSV, "named .xlsx but a text file (CSV?), not a spreadsheet"),
        ("budsjett.xls", CSV, "named .xls but a text file (CSV?)"),
        ("budsjett.xlsx", HTML, "named .xlsx but an HTML page, not a spreadsheet"),
        ("budsjett.xls", HTML, "named .xls but an HTML page"),  # what "Export to Excel" in many web apps gives
        ("budsjett.xlsx", _pdf, "named .xlsx but a PDF, not a spreadsheet"),
        ("budsjett.xls", _pdf, "named .xls but a PDF"),
    ],
    ids=["csv-xlsx", "csv-xls", "html-xlsx", "html-xls", "pdf-xlsx", "pdf-xls"],
)
def test_renamed_non_spreadsheet_exits_two(capsys, work, letter, name, content, fragment):
    path = work / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    refused(capsys, path, "--letters", letter, says=[fragment])


def test_password_protected_xlsx_exits_two(capsys, work, letter):
    """An encrypted OOXML workbook: an OLE2 compound file with EncryptionInfo and EncryptedPackage."""
    path = work / "passord.xlsx"
    path.write_bytes(ole2(["EncryptionInfo", "EncryptedPackage"]))
    refused(capsys, path, "--letters", letter, says=["password-protected (encrypted) workbook"])


def test_directory_exits_two(capsys, work, letter):
    path = work / "budsjett.xlsx"
    path.mkdir()
    refused(capsys, path, "--letters", letter, says=["is a directory, not a workbook"], folder=work)


def test_missing_file_exits_two(capsys, work, letter):
    refused(capsys, work / "finnes-ikke.xlsx", "--letters", letter, says=["no such file"], folder=work)


def test_zip_with_a_damaged_version_field_exits_two(capsys, work, letter):
    """'Version needed to extract' 8.4 in the central directory: zipfile raises NotImplementedError,
    which used to escape as an internal error (found by tests/test_fuzz.py)."""
    source = table_xlsx(work / "hel.xlsx")
    data = bytearray(source.read_bytes())
    source.unlink()
    position = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, position + 6, 84)
    path = work / "versjon.xlsx"
    path.write_bytes(bytes(data))
    refused(capsys, path, "--letters", letter, says=["damaged or truncated workbook"])


def test_an_amount_beyond_28_digits_is_not_an_internal_error(capsys, work, letter):
    """A cell holding 1E+28 (a typo, or a formula gone wrong) is a mismatch like any other."""
    path = work / "stort.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Oversikt")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["440/01", "Driftsutgifter", 21_345_000, 1e28])
    sheet.write_row(2, 0, ROWS[1])
    workbook.close()
    code, _out, err = cli(capsys, path, "--letters", letter, "--no-annotate")
    assert "internal error" not in err, err
    assert code == 1


# --- zip bombs -------------------------------------------------------------------------------


def _set_declared_size(data: bytearray, part: str, size: int) -> None:
    """Write `size` as the uncompressed size of `part` in the zip's central directory."""
    name = part.encode()
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == name:
            struct.pack_into("<I", data, position + 24, size)
            return
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{part} not in the central directory")


def test_part_declared_to_unpack_to_gigabytes_exits_two(capsys, work, letter):
    """A sheet part whose central directory entry says 3 GiB: refused before anything is inflated."""
    source = table_xlsx(work / "hel.xlsx")
    data = bytearray(source.read_bytes())
    source.unlink()
    _set_declared_size(data, "xl/worksheets/sheet1.xml", 3 * 1024**3)
    path = work / "bombe.xlsx"
    path.write_bytes(bytes(data))
    refused(capsys, path, "--letters", letter, says=["refused: the workbook would unpack to 30", "zip bomb?"])


def test_part_that_inflates_far_beyond_its_compressed_size_exits_two(capsys, work, letter, monkeypatch):
    """A 4 MB sheet of zeros compressed about 1 000 : 1; the size limit is lowered to 1 MB so that the
    bomb stays small (the real limit is 20 MB at 500 : 1)."""
    monkeypatch.setattr(container, "RATIO_MIN_SIZE", 1024**2)
    source = table_xlsx(work / "hel.xlsx")
    path = rewrite(source, work / "bombe.xlsx",
                   lambda name, data: b"\0" * (4 * 1024**2) if name == "xl/worksheets/sheet1.xml" else data)
    source.unlink()
    refused(capsys, path, "--letters", letter, says=["refused: part xl/worksheets/sheet1.xml unpacks from", "zip bomb?"])


def test_part_that_inflates_past_its_declared_size_exits_two(capsys, work, letter):
    """A lying size header: the part says 100 bytes and inflates to far more; the streamed read stops."""
    source = table_xlsx(work / "hel.xlsx")
    data = bytearray(source.read_bytes())
    source.unlink()
    _set_declared_size(data, "xl/worksheets/sheet1.xml", 100)
    path = work / "lyver.xlsx"
    path.write_bytes(bytes(data))
    refused(capsys, path, "--letters", letter, says=["damaged workbook: part xl/worksheets/sheet1.xml cannot be unpacked"])


# --- external entities and external references -----------------------------------------------


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "hemmelig.txt"
    path.write_text("HEMMELIG-7f3a9c", encoding="utf-8")
    return path


def _xxe(part: str, encoding: str, secret: Path):
    declaration = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'

    def edit(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        text = data.decode("utf-8")
        head, _, body = text.partition("?>")
        text = f"{head}?>{declaration}{body}".replace("<t>Kap./post</t>", "<t>&xxe;</t>")
        if encoding != "utf-8":
            text = text.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
            return "\ufeff".encode(encoding) + text.encode(encoding) if encoding == "utf-16-le" else text.encode(encoding)
        return text.encode("utf-8")

    return edit


@pytest.mark.parametrize(
    ("part", "encoding"),
    [
        ("xl/sharedStrings.xml", "utf-8"),
        ("xl/worksheets/sheet1.xml", "utf-8"),
        ("xl/workbook.xml", "utf-8"),
        ("[Content_Types].xml", "utf-8"),
        ("xl/_rels/workbook.xml.rels", "utf-8"),
        ("xl/sharedStrings.xml", "utf-16-le"),
    ],
)
def test_external_entity_in_a_part_is_refused_and_never_resolved(capsys, work, letter, secret, part, encoding):
    source = table_xlsx(work / "hel.xlsx")
    path = rewrite(source, work / "xxe.xlsx", _xxe(part, encoding, secret))
    source.unlink()
    report = work.parent / "funn.json"
    line = refused(capsys, path, "--letters", letter, "--json", report,
                   says=[f"refused: part {part} declares a DOCTYPE or ENTITY (XXE risk)"])
    assert "HEMMELIG" not in line
    assert not report.exists()


def test_internal_entity_expansion_is_refused(capsys, work, letter):
    """'Billion laughs': nested internal entities, no file involved."""
    laughs = '<!DOCTYPE x [<!ENTITY a "hahahahahahahahahaha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>"
    source = table_xlsx(work / "hel.xlsx")
    path = rewrite(source, work / "latter.xlsx", lambda name, data: data.replace(
        b"?>", b"?>" + laughs.encode(), 1).replace(b"<t>Postnavn</t>", b"<t>&i;</t>")
        if name == "xl/sharedStrings.xml" else data)
    source.unlink()
    refused(capsys, path, "--letters", letter, says=["declares a DOCTYPE or ENTITY"])


def test_external_relationships_are_never_followed(capsys, work, letter, secret, monkeypatch):
    """Hyperlinks to http://127.0.0.1:9/ and file://SECRET (TargetMode="External"): the check runs as
    usual, no socket is opened, the secret is read by nothing, and the links are kept as written."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    def links(sheet):
        sheet.write_url(5, 0, "http://127.0.0.1:9/budsjett.xlsx")
        sheet.write_url(6, 0, f"external:{secret}")

    path = table_xlsx(work / "lenker.xlsx", links)
    report = work / "funn.json"
    code, out, err = checked(capsys, path, "--letters", letter, "--json", report)
    assert code == 0, out
    assert attempts == []
    output = work / "lenker.reconciled.xlsx"
    texts = [out, err, report.read_text(encoding="utf-8")]
    with zipfile.ZipFile(output) as archive:
        texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode("utf-8")
    assert not any("HEMMELIG" in text for text in texts)
    assert 'Target="http://127.0.0.1:9/budsjett.xlsx" TargetMode="External"' in rels
    assert f"{secret.name}" in rels


def test_external_entity_in_an_explanations_workbook_is_not_resolved(capsys, work, letter, secret):
    """--explanations reads a previous annotated copy with calamine: the entity stays unresolved."""
    good = table_xlsx(work / "budsjett.xlsx")
    source = table_xlsx(work.parent / "forrige-kilde.xlsx")
    evil = rewrite(source, work.parent / "forrige.xlsx", _xxe("xl/sharedStrings.xml", "utf-8", secret))
    before = snapshot(work)
    code, out, err = cli(capsys, good, "--letters", letter, "--explanations", evil, lang="en")
    assert code == 2
    line = one_error_line(err, evil)
    assert "cannot read the previous annotated copy" in line and "HEMMELIG" not in out + err
    assert snapshot(work) == before


# --- workbooks that are readable but odd -----------------------------------------------------


def test_workbook_without_a_post_table_exits_two(capsys, work, letter):
    path = work / "navneliste.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Ark1")
    sheet.write_row(0, 0, ["Navn", "Avdeling", "Telefon"])
    sheet.write_row(1, 0, ["Kari Nordmann", "Økonomi", 22_00_00_00])
    workbook.close()
    refused(capsys, path, "--letters", letter, says=["found no table of budget posts", "--explain-layout"])
    # --explain-layout still says what it saw, and exits 0.
    code, out, _ = cli(capsys, path, "--explain-layout")
    assert code == 0 and "Ingen posttabeller funnet" in out


def test_empty_workbook_exits_two(capsys, work, letter):
    path = work / "tom.xlsx"
    xlsxwriter.Workbook(path).close()
    refused(capsys, path, "--letters", letter, says=["found no table of budget posts"])


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_workbook_with_only_hidden_sheets_is_read_with_a_note(capsys, work, letter, state):
    source = table_xlsx(work / "kilde.xlsx")
    path = rewrite(source, work / "skjult.xlsx", lambda name, data: data.replace(
        b"<sheet ", f'<sheet state="{state}" '.encode()) if name == "xl/workbook.xml" else data)
    source.unlink()
    code, out, _err = checked(capsys, path, "--letters", letter)
    assert code == 0, out
    assert "Kontrollert: 4  Stemmer: 4  Avvik: 0" in out
    assert f"merknad: skjult.xlsx!Oversikt: arket er {'skjult' if state == 'hidden' else 'svært skjult'}: lest likevel" in out
    assert (work / "skjult.reconciled.xlsx").is_file()


def _formulas_without_values():
    """An openpyxl workbook (not yet saved) whose D2 and D3 are formulas: openpyxl stores no cached value."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Oversikt"
    sheet.append(HEADER)
    sheet.append(["440/01", "Driftsutgifter", 21_345_000, "=C2"])
    sheet.append(["440/70", "Tilskudd", 4_500_000, "=C3"])
    return workbook


def test_formulas_without_cached_values_are_a_note_per_cell_not_a_failure(capsys, work, letter):
    """openpyxl writes formulas with no cached value: D2 and D3 are notes, not zeros; C2 and C3 are checked."""
    path = work / "formler.xlsx"
    _formulas_without_values().save(path)
    code, out, _err = checked(capsys, path, "--letters", letter)
    assert code == 0, out
    assert "Kontrollert: 2  Stemmer: 2  Avvik: 0" in out
    notes = [line for line in out.splitlines() if "formel uten lagret verdi" in line]
    assert [note.split(": ")[1] for note in notes] == ["formler.xlsx!Oversikt!D2", "formler.xlsx!Oversikt!D3"]
    assert all("Ikke lest som 0" in note for note in notes)


# --- outputs ---------------------------------------------------------------------------------


def test_existing_output_is_kept_without_force(capsys, work, letter):
    path = table_xlsx(work / "budsjett.xlsx")
    assert checked(capsys, path, "--letters", letter)[0] == 0
    output = work / "budsjett.reconciled.xlsx"
    refused(capsys, path, "--letters", letter, named=output,
            says=["the output exists; use --force to replace it"])
    assert checked(capsys, path, "--letters", letter, "--force")[0] == 0


def test_output_that_is_a_directory_is_not_replaced_even_with_force(capsys, work, letter):
    path = table_xlsx(work / "budsjett.xlsx")
    (work / "budsjett.reconciled.xlsx").mkdir()
    refused(capsys, path, "--letters", letter, "--force", named=work / "budsjett.reconciled.xlsx",
            says=["cannot write the output"])


def test_output_whose_folder_is_a_file_exits_two(capsys, work, letter):
    """Works as root too: no permission bit is involved."""
    path = table_xlsx(work / "budsjett.xlsx")
    blocker = work / "ut"
    blocker.write_text("en fil, ikke en mappe", encoding="utf-8")
    target = blocker / "budsjett.reconciled.xlsx"
    refused(capsys, path, "--letters", letter, "--out", target, named=target,
            says=[f"the output folder cannot be created: {blocker} is a file"])


def test_output_folder_that_is_a_file_exits_two(capsys, work, letter):
    path = table_xlsx(work / "budsjett.xlsx")
    blocker = work / "ut"
    blocker.write_text("en fil, ikke en mappe", encoding="utf-8")
    before = snapshot(work)
    code, _out, err = cli(capsys, path, "--letters", letter, "--out-dir", blocker, lang="en")
    assert code == 2
    lines = err.splitlines()
    assert lines == [f"reconcile: error: Invalid value for '--out-dir': Directory '{blocker}' is a file."]
    assert snapshot(work) == before


def test_missing_output_folder_is_created(capsys, work, letter):
    path = table_xlsx(work / "budsjett.xlsx")
    target = work / "finnes-ikke" / "ut.xlsx"
    assert checked(capsys, path, "--letters", letter, "--out", target)[0] == 0
    assert target.is_file()


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """One full check in this process first, so that a forked child imports nothing it might not be
    allowed to read (the interpreter may live under /root)."""
    folder = tmp_path_factory.mktemp("warm")
    (folder / "brev.txt").write_text(LETTER, encoding="utf-8")
    path = table_xlsx(folder / "budsjett.xlsx")
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), pytest.raises(SystemExit) as done:
        main([str(path), "--letters", str(folder / "brev.txt"), "--json", str(folder / "r.json")])
    assert done.value.code == 0, output.getvalue()


def run_in_child(args: list[str], *, user: int | None = None, file_size: int | None = None) -> tuple[int, str, str]:
    """`reconcile ARGS` in a forked copy of this process, optionally as another user or with a
    limit on the size of any file it writes (RLIMIT_FSIZE, as a full disk would)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            signal.alarm(120)
            if file_size is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
            if user is not None:
                os.setgroups([])
                os.setgid(user)
                os.setuid(user)
            out, err = io.StringIO(), io.StringIO()
            code = 0
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    main([*args, "--lang", "en"])
                except SystemExit as done:
                    code = done.code
            result = [code, out.getvalue(), err.getvalue()]
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            result = [-1, "", f"child failed: {error!r}"]
        with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
            pipe.write(json.dumps(result))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    code, out, err = json.loads(text)
    return code, out, err


@pytest.fixture
def shared_folder():
    """A folder another user can reach (pytest's tmp_path sits under a 0700 folder when run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="reconcile-test-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_output_folder_without_write_permission_exits_two(warmed, shared_folder):
    """The folder is r-x for everyone. Root ignores permission bits, so as root the check runs in a
    forked child that has dropped to the user 'nobody' (65534): the kernel then refuses the write."""
    (shared_folder / "brev.txt").write_text(LETTER, encoding="utf-8")
    path = table_xlsx(shared_folder / "budsjett.xlsx")
    for file in (path, shared_folder / "brev.txt"):
        file.chmod(0o644)
    out_dir = shared_folder / "ut"
    out_dir.mkdir()
    out_dir.chmod(0o555)
    before, stamp = snapshot(shared_folder), digest(path)
    user = 65534 if os.geteuid() == 0 else None
    code, out, err = run_in_child([str(path), "--letters", str(shared_folder / "brev.txt"), "--out-dir", str(out_dir)],
                                  user=user)
    assert code == 2, (out, err)
    line = one_error_line(err, out_dir / "budsjett.reconciled.xlsx")
    assert "cannot write in the output folder: Permission denied" in line
    assert list(out_dir.iterdir()) == []
    assert snapshot(shared_folder) == before and digest(path) == stamp


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_output_that_cannot_be_written_in_full_leaves_no_temp_file(warmed, work, letter):
    """A full disk, as root too: RLIMIT_FSIZE of 2 KiB makes the write of the temporary file fail
    part-way (EFBIG). The temporary file is removed and nothing else is left."""
    path = table_xlsx(work / "budsjett.xlsx")
    before = snapshot(work)
    code, out, err = run_in_child([str(path), "--letters", str(letter)], file_size=2048)
    assert code == 2, (out, err)
    line = one_error_line(err, work / "budsjett.reconciled.xlsx")
    assert "cannot write the output: File too large" in line
    assert snapshot(work) == before


# --- the installed command, in a process of its own ------------------------------------------


def test_installed_command_refuses_a_zero_byte_workbook_in_one_line(work, letter):
    path = work / "tom.xlsx"
    path.write_bytes(b"")
    before = snapshot(work)
    done = subprocess.run([str(RECONCILE), str(path), "--letters", str(letter)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 2
    assert done.stderr == f"reconcile: feil: {path}: arbeidsbokfilen er tom (0 byte)\n"  # bokmål by default
    assert done.stdout == ""
    assert snapshot(work) == before


def test_installed_command_with_debug_shows_the_traceback(work, letter):
    path = work / "avkuttet.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    done = subprocess.run([str(RECONCILE), "--debug", str(path), "--letters", str(letter), "--lang", "en"], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr and "InputError" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1] == (
        f"reconcile: error: {path}: damaged or truncated workbook: not a complete zip archive")


# --- fidelity: annotated copies keep every original value --------------------------------------


def _openpyxl_values(path: Path, data_only: bool) -> dict[str, dict[str, object]]:
    workbook = openpyxl.load_workbook(path, data_only=data_only)
    return {sheet.title: {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row
                          if cell.value is not None}
            for sheet in workbook.worksheets}


@pytest.mark.parametrize("layout", ["oversikt", "brevark", "note-a", "posteringer"])
def test_annotated_samples_reopen_in_openpyxl_with_every_original_value(tmp_path, layout):
    """tests/test_annotated_samples.py compares calamine's values; this compares openpyxl's, formulas
    (as written) and cached values both, cell by cell, on every original sheet."""
    source = tmp_path / f"{layout}-feil.xlsx"
    shutil.copy(SAMPLES / f"{layout}-feil.xlsx", source)
    output = io.StringIO()
    with contextlib.redirect_stdout(output), pytest.raises(SystemExit) as done:
        main([str(source)])
    assert done.value.code == 1
    target = tmp_path / f"{layout}-feil.reconciled.xlsx"
    for data_only in (False, True):
        before, after = _openpyxl_values(source, data_only), _openpyxl_values(target, data_only)
        assert list(after)[: len(before)] == list(before)
        for sheet, values in before.items():
            assert {cell: after[sheet].get(cell) for cell in values} == values, sheet


def test_odd_workbooks_keep_their_values_when_annotated(capsys, work, letter, secret):
    """Formulas without cached values (openpyxl), a hidden sheet and external links survive
    annotation: calamine and openpyxl read the same values from the copy as from the input."""
    source = work / "kilde.xlsx"
    workbook = _formulas_without_values()
    sheet = workbook.active
    sheet["A6"] = "Nettside"
    sheet["A6"].hyperlink = "http://127.0.0.1:9/x"
    sheet["A7"] = "Notat"
    sheet["A7"].hyperlink = f"file://{secret}"
    workbook.save(source)
    path = rewrite(source, work / "rar.xlsx", lambda name, data: data.replace(
        b'state="visible"', b'state="hidden"') if name == "xl/workbook.xml" else data)
    source.unlink()
    code, out, _ = checked(capsys, path, "--letters", letter)
    assert code == 0, out
    assert "arket er skjult: lest likevel" in out and "formel uten lagret verdi" in out
    target = work / "rar.reconciled.xlsx"
    for data_only in (False, True):
        before, after = _openpyxl_values(path, data_only), _openpyxl_values(target, data_only)
        assert {cell: after["Oversikt"].get(cell) for cell in before["Oversikt"]} == before["Oversikt"]
    links = {cell.coordinate: cell.hyperlink.target for cell in openpyxl.load_workbook(target)["Oversikt"]["A"]
             if cell.hyperlink is not None}
    assert links == {"A6": "http://127.0.0.1:9/x", "A7": f"file://{secret}"}
    old, new = CalamineWorkbook.from_path(str(path)), CalamineWorkbook.from_path(str(target))
    assert new.get_sheet_by_name("Oversikt").to_python() == old.get_sheet_by_name("Oversikt").to_python()


# --- scale ------------------------------------------------------------------------------------


def _postings_sheet(rows: int, wrong_by: int) -> str:
    """A list of postings filling the sheet (header + rows - 1 postings), summing to LETTER's totals
    except that the last posting of 440/70 is off by `wrong_by` kroner."""
    def text(column, row, value):
        return f'<c r="{column}{row}" t="inlineStr"><is><t>{value}</t></is></c>'

    postings = rows - 1
    half = postings // 2
    plan = [("01", 40)] * (half - 1) + [("01", 21_345_000 - 40 * (half - 1))]
    rest = postings - half
    plan += [("70", 8)] * (rest - 1) + [("70", 4_500_000 - 8 * (rest - 1) + wrong_by)]
    parts = ['<row r="1">', text("A", 1, "Bilag"), text("B", 1, "Kap"), text("C", 1, "Post"), text("D", 1, "Tekst"),
             text("E", 1, "Beløp"), text("F", 1, "Tillegg"), "</row>"]
    for row, (post, amount) in enumerate(plan, start=2):
        parts.append(f'<row r="{row}">{text("A", row, f"B{row}")}<c r="B{row}"><v>440</v></c>{text("C", row, post)}'
                     f'{text("D", row, "Tildeling")}<c r="E{row}"><v>{amount}</v></c>{text("F", row, "Tillegg 1")}</row>')
    return "".join(parts)


@pytest.mark.slow
def test_a_full_sheet_of_postings_is_read_and_reconciled(capsys, work, letter):
    """1 048 576 rows: a header and 1 048 575 postings on 440/01 and 440/70, one of them 1 000 kroner
    off. Read, reconciled, annotated and reported end to end: 40-50 s and 1.7-2.2 GB of memory here
    (tests/test_workbook_large.py reads a sheet that reaches row 1 048 576 with few values)."""
    path = raw_xlsx(work / "posteringer.xlsx", _postings_sheet(1_048_576, 1000), "A1:F1048576")
    report = work / "funn.json"
    code, out, _err = checked(capsys, path, "--letters", letter, "--json", report)
    assert code == 1, out
    [workbook] = json.loads(report.read_text(encoding="utf-8"))["workbooks"]
    assert workbook["summary"]["checked"] == 2 and workbook["summary"]["mismatch"] == 1
    [wrong] = [finding for finding in workbook["findings"] if finding["status"] == "mismatch"]
    assert wrong["post"] == "440/70" and wrong["difference"] == 1000
    assert (work / "posteringer.reconciled.xlsx").is_file()
    rows = CalamineWorkbook.from_path(str(work / "posteringer.reconciled.xlsx")).get_sheet_by_name("Ark1").to_python()
    assert len(rows) == 1_048_576


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_anywhere_on_the_line_shows_the_traceback(capsys, work, letter, where):
    path = work / "tom.xlsx"
    path.write_bytes(b"")
    args = ["--debug", path, "--letters", letter] if where == "before" else [path, "--letters", letter, "--debug"]
    code, _, err = cli(capsys, *args, lang="en")
    assert code == 2
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().splitlines()[-1] == f"reconcile: error: {path}: the workbook file is empty (0 bytes)"


# --- .ods/.xls: annotated as an .xlsx copy of their values, through a temporary folder ----------


def _ods(path: Path) -> Path:
    from test_workbook_tables import write_ods

    return write_ods(path, [HEADER, *ROWS])


def test_ods_output_in_a_missing_folder_is_created(capsys, work, letter):
    path = _ods(work / "budsjett.ods")
    target = work / "finnes-ikke" / "ut.xlsx"
    assert checked(capsys, path, "--letters", letter, "--out", target)[0] == 0
    assert target.is_file()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_ods_output_folder_without_write_permission_exits_two(warmed, shared_folder):
    (shared_folder / "brev.txt").write_text(LETTER, encoding="utf-8")
    path = _ods(shared_folder / "budsjett.ods")
    for file in (path, shared_folder / "brev.txt"):
        file.chmod(0o644)
    out_dir = shared_folder / "ut"
    out_dir.mkdir()
    out_dir.chmod(0o555)
    before = snapshot(shared_folder)
    code, out, err = run_in_child([str(path), "--letters", str(shared_folder / "brev.txt"), "--out-dir", str(out_dir)],
                                  user=65534 if os.geteuid() == 0 else None)
    assert code == 2, (out, err)
    line = one_error_line(err, out_dir / "budsjett.reconciled.xlsx")
    assert "cannot write in the output folder: Permission denied" in line
    assert list(out_dir.iterdir()) == [] and snapshot(shared_folder) == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_ods_output_that_cannot_be_written_in_full_leaves_nothing(warmed, work, letter):
    path = _ods(work / "budsjett.ods")
    before = snapshot(work)
    code, out, err = run_in_child([str(path), "--letters", str(letter)], file_size=2048)
    assert code == 2, (out, err)
    line = one_error_line(err, work / "budsjett.reconciled.xlsx")
    assert "File too large" in line
    assert snapshot(work) == before
