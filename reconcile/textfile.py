"""Text files as offices save them: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252
(Excel's "CSV (semikolondelt)" and Notepad on Norwegian Windows), never guessed as binary."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from reconcile.errors import InputError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Controls a text file may contain; any other control character counts against "text".
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.05


def decode_text(data: bytes, path: Path, binary_message: str = "binary data, not a text file") -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; otherwise cp1252, then latin-1.

    Refuses binary content: NUL bytes, or more than 5% control characters other than
    tab, line ends and form feed.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            message = "starts with a UTF-16 byte order mark but is not UTF-16"
            raise InputError(message, path) from error
    elif b"\x00" in data:
        raise InputError(binary_message, path)
    else:
        text = _decode_8bit(data.removeprefix(_UTF8_BOM))
    controls = sum(1 for char in text if _is_stray_control(char))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(binary_message, path)
    return text.removeprefix("\ufeff")


def _decode_8bit(data: bytes) -> str:
    # Strict UTF-8 almost never accepts cp1252 text with æøå, so trying it first is safe.
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # cp1252 leaves five bytes undefined; latin-1 maps them all


def _is_stray_control(char: str) -> bool:
    return char not in _TEXT_CONTROLS and unicodedata.category(char) == "Cc"
