"""Every message names the file and says what is wrong in words (issue 15, item 5): a damaged .xls
is not "Cfb error: Sector 19 points past end of file"; the hostile .xls with a FILEPASS record is
covered in test_hostile_files.py, a sheet name with a line break in test_unreadable_sheets.py."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from reconcile.errors import InputError
from reconcile.workbook import read_workbook
from reconcile.workbook.cells import open_workbook

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import xls_from  # noqa: E402

RAW = ("cfb", "sector shift", "points past")


@pytest.fixture(scope="module")
def xls(tmp_path_factory) -> bytes:
    made = xls_from(tmp_path_factory.mktemp("xls") / "bok.xls", [["Kap./post", "Beløp"], ["671/21", 1000]])
    if made is None:
        pytest.skip("LibreOffice (soffice) is needed to build an .xls")
    return made.read_bytes()


DAMAGE = {
    "truncated": lambda data: data[: len(data) // 2],
    "sector-shift": lambda data: data[:0x1E] + b"\x0f\x00" + data[0x20:],
    "directory-sector": lambda data: data[:0x30] + struct.pack("<I", 9999) + data[0x34:],
    "fat-garbage": lambda data: data[:512] + b"\xff" * 512 + data[1024:],
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_xls_says_so_in_words(xls, damage, tmp_path):
    path = tmp_path / f"{damage}.xls"
    path.write_bytes(DAMAGE[damage](xls))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    message = caught.value.message
    assert caught.value.path == str(path) and "\n" not in message
    assert "damaged or truncated" in message
    assert not message.lower().startswith(RAW) and "Cfb error" not in message


def test_container_error_from_the_reader_is_put_in_words(xls, tmp_path):
    path = tmp_path / "avkuttet.xls"
    path.write_bytes(DAMAGE["sector-shift"](xls))
    with pytest.raises(InputError) as caught:  # python-calamine's own error, past the container check
        open_workbook(path, by_content=False)
    message = caught.value.message
    assert message.startswith("cannot read the workbook: the .xls file is damaged or truncated")
    assert "Cfb error" not in message
