"""JSON with Decimals written as exact numbers (the json module would go through float)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

_MARK = "\u0000decimal:"
_MARKED = re.compile(r'"\\u0000decimal:(-?[0-9.]+)"')


class _DecimalMarker(json.JSONEncoder):
    def default(self, value):
        if isinstance(value, Decimal):
            return f"{_MARK}{value:f}"
        return super().default(value)


def dumps(data, *, indent: int | None = 2) -> str:
    text = json.dumps(data, cls=_DecimalMarker, indent=indent, ensure_ascii=False)
    return _MARKED.sub(r"\1", text)
