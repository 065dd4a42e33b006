"""Bad input raises InputError (exit code 2) with a one-line message naming the file."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
import xlsxwriter

from reconcile.errors import InputError
from reconcile.workbook import read_workbook


def good_xlsx(path):
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Ark1")
    sheet.write_row(0, 0, ["Kap./post", "Tildelingsbrev"])
    for row in range(1, 40):
        sheet.write_row(row, 0, [f"671/{row:02d}", row * 1000])
    workbook.close()
    return path


def raises(path, *fragments):
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    error = caught.value
    assert error.exit_code == 2
    assert error.path == str(path)
    assert "\n" not in str(error)
    for fragment in fragments:
        assert fragment in error.message, error.message
    return error


def test_missing_file_exits_two(tmp_path):
    raises(tmp_path / "finnes-ikke.xlsx", "no such file")


def test_directory_exits_two(tmp_path):
    raises(tmp_path, "is a directory")


def test_empty_file_exits_two(tmp_path):
    path = tmp_path / "tom.xlsx"
    path.write_bytes(b"")
    raises(path, "empty", "0 bytes")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("Kap./post;Beløp\n671/21;1000\n".encode(), "text file (CSV?)"),
        (b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>", "HTML page"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "a PDF"),
        (bytes(range(256)) * 4, "not a spreadsheet"),
    ],
)
def test_renamed_non_spreadsheets_exit_two(tmp_path, content, fragment):
    path = tmp_path / "budsjett.xlsx"
    path.write_bytes(content)
    raises(path, fragment)


def test_word_document_renamed_to_xlsx_exits_two(tmp_path):
    path = tmp_path / "brev.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    raises(path, "Word document")


def test_truncated_zip_exits_two(tmp_path):
    data = good_xlsx(tmp_path / "hel.xlsx").read_bytes()
    path = tmp_path / "avkuttet.xlsx"
    path.write_bytes(data[: len(data) // 2])
    raises(path, "truncated")


def test_corrupt_part_exits_two(tmp_path):
    """A part whose compressed bytes were damaged: the CRC check while streaming catches it."""
    source = good_xlsx(tmp_path / "hel.xlsx")
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(source.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0x5A
    path = tmp_path / "skadet.xlsx"
    path.write_bytes(bytes(data))
    raises(path, "damaged")


def test_zip_bomb_exits_two(tmp_path):
    """A 60 MB sheet part of zeros, compressed about 1 000 : 1."""
    source = good_xlsx(tmp_path / "hel.xlsx")
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                bomb.writestr(info.filename, b"\0" * (60 * 1024 * 1024), compresslevel=9)
            else:
                bomb.writestr(info, original.read(info))
    raises(path, "zip bomb")


def test_doctype_entity_in_a_part_is_refused_never_resolved(tmp_path):
    source = good_xlsx(tmp_path / "hel.xlsx")
    path = tmp_path / "xxe.xlsx"
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("hemmelig", encoding="utf-8")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as evil:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(
                    b"<sst ",
                    f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]><sst '.encode(),
                    1,
                ).replace(b"<t>Kap./post</t>", b"<t>&xxe;</t>")
            evil.writestr(info, data)
    error = raises(path, "DOCTYPE or ENTITY", "xl/sharedStrings.xml")
    assert "hemmelig" not in str(error)


def ole2(names: list[str]) -> bytes:
    """A minimal OLE2 compound file whose directory holds `names` (empty streams)."""
    sector = 512
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 4096)  # 1 FAT sector; directory at sector 1
    struct.pack_into("<IIII", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = bytearray(sector)
    for index, (name, kind) in enumerate([("Root Entry", 5)] + [(name, 2) for name in names][:3]):
        encoded = name.encode("utf-16-le") + b"\0\0"
        base = index * 128
        directory[base : base + len(encoded)] = encoded
        struct.pack_into("<HB", directory, base + 0x40, len(encoded), kind)
        struct.pack_into("<III", directory, base + 0x44, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<I", directory, base + 0x74, 0xFFFFFFFE)
    return bytes(header) + fat + bytes(directory)


def test_password_protected_xlsx_exits_two(tmp_path):
    """An encrypted OOXML workbook is an OLE2 container with EncryptionInfo and EncryptedPackage."""
    path = tmp_path / "passord.xlsx"
    path.write_bytes(ole2(["EncryptionInfo", "EncryptedPackage"]))
    raises(path, "password-protected")


def test_word_97_document_renamed_to_xls_exits_two(tmp_path):
    path = tmp_path / "gammel.xls"
    path.write_bytes(ole2(["WordDocument"]))
    raises(path, "Word 97-2003")


def test_damaged_xls_exits_two(tmp_path):
    """An OLE2 file with an empty Workbook stream: no sheets, so not a workbook that can be read."""
    path = tmp_path / "tom.xls"
    path.write_bytes(ole2(["Workbook"]))
    raises(path, "no sheets")


def test_excel_2003_xml_exits_two(tmp_path):
    path = tmp_path / "gammel.xls"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    raises(path, "Excel 2003 XML")


def test_good_workbook_after_all_checks_reads(tmp_path):
    read = read_workbook(good_xlsx(tmp_path / "hel.xlsx"))
    assert len(read.tables[0].rows) == 39


def test_zip_member_bigger_than_declared_is_refused(tmp_path):
    """A part whose local data inflates past its declared size (a lying size header)."""
    source = good_xlsx(tmp_path / "hel.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info.filename, original.read(info))
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Shrink the declared uncompressed size in the central directory entry of that part.
    name = info.filename.encode()
    position = data.find(b"PK\x01\x02", 0)
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == name:
            struct.pack_into("<I", data, position + 24, 100)
            break
        position = data.find(b"PK\x01\x02", position + 4)
    assert position >= 0
    path = tmp_path / "lyver.xlsx"
    path.write_bytes(bytes(data))
    raises(path, "damaged")
