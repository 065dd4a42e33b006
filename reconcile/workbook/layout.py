"""A user's layout file (`--layout FILE`): explicit roles that win over inference.

    # Every sheet
    unit = 1000                          # amounts are in 1 000 kr unless a sheet says otherwise
    [headers]                            # header text (as joined over header rows) -> role
    "Budsjettkonto" = "post"
    "RNB" = { role = "change", letter = 5 }

    [[sheet]]
    name = "Oversikt"                    # or: match = "^Tillegg"  (a regular expression)
    layout = "overview"                  # overview | letter_sheet | note_a | transactions
    header_rows = [4, 5]                 # 1-based rows of the header block
    letter = 3                           # the letter a letter sheet mirrors
    one_decimal_posts = "tens"           # 671.1 as a number: "tens" = 671/10, "units" = 671/01
    [sheet.columns]                      # column letter -> role
    F = { role = "change", letter = 5 }
    [sheet.headers]
    "Justert" = "unknown"

    [[sheet]]
    name = "Notater"
    skip = true

Loaded with tomllib; a malformed file, an unknown key or an unknown role is an `InputError`.
templates/user-layout.example.toml in the repository is a complete example.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from reconcile.errors import InputError
from reconcile.posts import parse_post
from reconcile.workbook.records import ROLES
from reconcile.workbook.vocabulary import normalise

LAYOUT_NAMES = ("overview", "letter_sheet", "note_a", "transactions")
UNITS = (Decimal(1), Decimal(1000), Decimal(1_000_000))
_COLUMN_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_SHEET_KEYS = {
    "name", "match", "skip", "layout", "header_rows", "unit", "letter", "one_decimal_posts", "columns", "headers",
}
_TOP_KEYS = {"unit", "layout", "one_decimal_posts", "columns", "headers", "sheet", "tolerance"}


@dataclass(frozen=True, slots=True)
class ColumnRule:
    role: str
    letter: int | None = None
    unit: Decimal | None = None


_EMPTY: Mapping[str, ColumnRule] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class SheetRule:
    """What a layout file says about a sheet (or, for `Layout.defaults`, every sheet)."""

    name: str | None = None
    match: str | None = None
    skip: bool = False
    layout: str | None = None
    header_rows: tuple[int, ...] = ()
    unit: Decimal | None = None
    letter: int | None = None
    one_decimal_posts: str | None = None  # "tens" or "units"
    columns: Mapping[str, ColumnRule] = field(default_factory=lambda: _EMPTY)  # column letter -> rule
    headers: Mapping[str, ColumnRule] = field(default_factory=lambda: _EMPTY)  # normalised header text -> rule
    written: Mapping[str, str] = field(default_factory=lambda: _EMPTY)  # normalised header text -> as in the file

    def applies_to(self, sheet: str) -> bool:
        if self.name is not None:
            return normalise(self.name) == normalise(sheet)
        if self.match is not None:
            return re.search(self.match, sheet, re.IGNORECASE) is not None
        return True

    def merged(self, other: SheetRule) -> SheetRule:
        """`other` (more specific) over `self`."""
        return SheetRule(
            name=other.name or self.name,
            match=other.match or self.match,
            skip=other.skip or self.skip,
            layout=other.layout or self.layout,
            header_rows=other.header_rows or self.header_rows,
            unit=other.unit if other.unit is not None else self.unit,
            letter=other.letter if other.letter is not None else self.letter,
            one_decimal_posts=other.one_decimal_posts or self.one_decimal_posts,
            columns=MappingProxyType({**self.columns, **other.columns}),
            headers=MappingProxyType({**self.headers, **other.headers}),
            written=MappingProxyType({**self.written, **other.written}),
        )

    def column_rule(self, letter: str, header_texts: tuple[str, ...]) -> ColumnRule | None:
        """The rule for a column, by its letter first, then by its (normalised) header texts."""
        if letter in self.columns:
            return self.columns[letter]
        for text in header_texts:
            if text in self.headers:
                return self.headers[text]
        return None

    @property
    def is_empty(self) -> bool:
        return self == SheetRule()


@dataclass(frozen=True, slots=True)
class Layout:
    path: str
    defaults: SheetRule = field(default_factory=SheetRule)
    sheets: tuple[SheetRule, ...] = ()
    tolerance: Decimal | None = None  # kroner a checked amount may differ by (overrides --tolerance)
    post_tolerance: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY)  # "671/71" -> kroner

    def rule_for(self, sheet: str) -> SheetRule:
        rule = self.defaults
        for specific in self.sheets:
            if specific.applies_to(sheet):
                rule = rule.merged(specific)
        return rule


NO_LAYOUT = Layout(path="")


def load_layout(path: str | Path) -> Layout:
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, not a layout file", path)
    if not path.exists():
        raise InputError("no such layout file", path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"not a valid TOML layout file: {error}", path) from error
    return parse_layout(data, str(path))


def parse_layout(data: dict, path: str = "<layout>") -> Layout:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InputError(f"unknown key(s) in layout file: {', '.join(sorted(unknown))}", path)
    defaults = _sheet_rule(data, path, top=True)
    sheets = data.get("sheet", [])
    if not isinstance(sheets, list):
        raise InputError("[[sheet]] must be an array of tables", path)
    tolerance, post_tolerance = _tolerances(data.get("tolerance"), path)
    return Layout(path, defaults, tuple(_sheet_rule(entry, path, top=False) for entry in sheets),
                  tolerance, MappingProxyType(post_tolerance))


def _tolerances(value, path: str) -> tuple[Decimal | None, dict[str, Decimal]]:
    """`tolerance = 1000` for every post, or `[tolerance]` with `default = …` and `"671/71" = 5000`."""
    if value is None:
        return None, {}
    if isinstance(value, dict):
        default = value.get("default")
        per_post = {}
        for key, amount in value.items():
            if key == "default":
                continue
            post = parse_post(key)
            if post is None:
                raise InputError(f"[tolerance] keys are posts like \"671/71\", not {key!r}", path)
            per_post[str(post)] = _kroner(amount, path)
        return (_kroner(default, path) if default is not None else None), per_post
    return _kroner(value, path), {}


def _kroner(value, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise InputError("a tolerance is a number of kroner, 0 or more", path)
    return Decimal(str(value))


def _sheet_rule(data: dict, path: str, *, top: bool) -> SheetRule:
    if not isinstance(data, dict):
        raise InputError("each [[sheet]] must be a table", path)
    if not top:
        unknown = set(data) - _SHEET_KEYS
        if unknown:
            raise InputError(f"unknown key(s) in [[sheet]]: {', '.join(sorted(unknown))}", path)
        if ("name" in data) == ("match" in data):
            raise InputError("each [[sheet]] needs exactly one of name = ... or match = ...", path)
    match = data.get("match")
    if match is not None:
        try:
            re.compile(match)
        except (re.error, TypeError) as error:
            raise InputError(f"bad match pattern {match!r}: {error}", path) from error
    layout = data.get("layout")
    if layout is not None and layout not in LAYOUT_NAMES:
        raise InputError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUT_NAMES)}", path)
    header_rows = data.get("header_rows", [])
    if isinstance(header_rows, int):
        header_rows = [header_rows]
    if not isinstance(header_rows, list) or not all(isinstance(r, int) and r >= 1 for r in header_rows):
        raise InputError("header_rows must be a list of row numbers (1-based)", path)
    rows = tuple(sorted(header_rows))
    if rows and rows != tuple(range(rows[0], rows[-1] + 1)):
        raise InputError("header_rows must be adjacent rows", path)
    decimals = data.get("one_decimal_posts")
    if decimals is not None and decimals not in ("tens", "units"):
        raise InputError('one_decimal_posts must be "tens" (671.1 = 671/10) or "units" (671.1 = 671/01)', path)
    letter = data.get("letter")
    if letter is not None and (not isinstance(letter, int) or letter < 0):
        raise InputError("letter must be a whole number (0 = the tildelingsbrev)", path)
    columns = {}
    for key, value in _table(data.get("columns", {}), "columns", path).items():
        if not _COLUMN_LETTERS.match(key):
            raise InputError(f"[columns] keys are column letters like \"F\", not {key!r}: use [headers] for header text", path)
        columns[key] = _column_rule(value, key, path)
    headers = {
        normalise(key): _column_rule(value, key, path)
        for key, value in _table(data.get("headers", {}), "headers", path).items()
    }
    written = {normalise(key): key for key in data.get("headers", {})}
    return SheetRule(
        name=data.get("name") if not top else None,
        match=match if not top else None,
        skip=bool(data.get("skip", False)),
        layout=layout,
        header_rows=rows,
        unit=_unit(data.get("unit"), path),
        letter=letter,
        one_decimal_posts=decimals,
        columns=MappingProxyType(columns),
        headers=MappingProxyType(headers),
        written=MappingProxyType(written),
    )


def _table(value, name: str, path: str) -> dict:
    if not isinstance(value, dict):
        raise InputError(f"[{name}] must be a table", path)
    return value


def _column_rule(value, key: str, path: str) -> ColumnRule:
    if isinstance(value, str):
        value = {"role": value}
    if not isinstance(value, dict) or "role" not in value:
        raise InputError(f"{key!r}: give a role, or {{ role = ..., letter = ... }}", path)
    unknown = set(value) - {"role", "letter", "unit"}
    if unknown:
        raise InputError(f"{key!r}: unknown key(s) {', '.join(sorted(unknown))}", path)
    role = value["role"]
    if role not in ROLES:
        raise InputError(f"{key!r}: unknown role {role!r}; use one of {', '.join(ROLES)}", path)
    letter = value.get("letter")
    if letter is not None and (not isinstance(letter, int) or letter < 0):
        raise InputError(f"{key!r}: letter must be a whole number (0 = the tildelingsbrev)", path)
    return ColumnRule(role, letter, _unit(value.get("unit"), path))


def _unit(value, path: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or Decimal(value) not in UNITS:
        raise InputError("unit must be 1, 1000 or 1000000", path)
    return Decimal(value)
