"""The header vocabulary of the four workbook layouts, loaded from TOML files.

The canonical files are package data, `reconcile/templates/layout-*.toml` and
`reconcile/templates/workbook-common.toml`, so an installed package finds them without the
repository; the repository's top-level `templates/README.md` points at them. Patterns are searched
in normalised text (see `normalise`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from reconcile.workbook.records import ROLES

# A role only the letter-sheet layout uses: the letter's own amount, read as "original" on the
# tildelingsbrev's sheet and as "change" on a supplement's sheet.
LETTER_AMOUNT = "letter_amount"
VOCABULARY_ROLES = frozenset(ROLES) | {LETTER_AMOUNT}

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})


def normalise(text: str) -> str:
    """Lower case, one plain space for any run of spaces and line breaks, plain dashes."""
    return _SPACES.sub(" ", text.translate(_DASHES)).strip().lower()


@dataclass(frozen=True, slots=True)
class RolePattern:
    role: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class LayoutSpec:
    """One layout: its name, when it applies, and its header patterns (own first, then common)."""

    name: str
    title: str
    priority: int
    requires: tuple[frozenset[str], ...]
    needs_sheet_letter: bool
    patterns: tuple[RolePattern, ...]
    source: str
    template: tuple[tuple[str, str], ...] = ()  # the texts `reconcile template` writes, by role

    def template_text(self, key: str, **values) -> str:
        return dict(self.template)[key].format(**values)

    def role_of(self, *texts: str) -> str | None:
        """The role of the first pattern that matches any of the (normalised) texts."""
        for entry in self.patterns:
            for text in texts:
                if text and entry.pattern.search(text):
                    return entry.role
        return None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    layouts: tuple[LayoutSpec, ...]
    letter_numbers: tuple[re.Pattern[str], ...]
    letter_originals: tuple[re.Pattern[str], ...]
    units: tuple[tuple[Decimal, re.Pattern[str]], ...]
    total_labels: tuple[re.Pattern[str], ...]
    total_kap: re.Pattern[str]
    key_patterns: tuple[RolePattern, ...]  # the shared post/kap/post_no patterns

    def layout(self, name: str) -> LayoutSpec | None:
        for spec in self.layouts:
            if spec.name == name:
                return spec
        return None

    def any_role(self, text: str) -> set[str]:
        """Every role some layout gives this (normalised) header text."""
        roles = set()
        for spec in self.layouts:
            role = spec.role_of(text)
            if role is not None:
                roles.add(role)
        return roles

    def letter_number(self, text: str) -> int | None:
        """The letter a (normalised) text names: "tillegg nr. 3" -> 3, "tildelingsbrev" -> 0."""
        for pattern in self.letter_numbers:
            match = pattern.search(text)
            if match:
                return int(match.group("n"))
        for pattern in self.letter_originals:
            if pattern.search(text):
                return 0
        return None

    def unit(self, text: str) -> Decimal | None:
        for multiplier, pattern in self.units:
            if pattern.search(text):
                return multiplier
        return None

    def is_total_label(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.total_labels)


class VocabularyError(ValueError):
    """A vocabulary file is malformed (a packaging bug, not bad user input)."""


def layout_spec(name: str) -> LayoutSpec:
    """The packaged layout of that name ('overview', 'letter_sheet', 'note_a', 'transactions')."""
    for spec in load_vocabulary().layouts:
        if spec.name == name:
            return spec
    raise VocabularyError(f"no layout named {name!r} in {template_dir()}")


def template_dir() -> Path:
    return Path(str(resources.files("reconcile") / "templates"))


@lru_cache(maxsize=4)
def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    directory = directory or template_dir()
    common_path = directory / "workbook-common.toml"
    common = _load(common_path)
    shared = tuple(_role_patterns(common.get("role", []), common_path))
    specs = []
    for path in sorted(directory.glob("layout-*.toml")):
        data = _load(path)
        try:
            requires = tuple(frozenset(group) for group in data.get("requires", []))
            for group in requires:
                _check_roles(group, path)
            specs.append(
                LayoutSpec(
                    name=str(data["name"]),
                    title=str(data.get("title", data["name"])),
                    priority=int(data.get("priority", 99)),
                    requires=requires,
                    needs_sheet_letter=bool(data.get("needs_sheet_letter", False)),
                    patterns=tuple(_role_patterns(data.get("role", []), path)) + shared,
                    source=path.name,
                    template=tuple((str(key), str(text)) for key, text in data.get("template", {}).items()),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise VocabularyError(f"{path}: {error}") from error
    if not specs:
        raise VocabularyError(f"{directory}: no layout-*.toml files")
    letters = common.get("letters", {})
    totals = common.get("totals", {})
    try:
        return Vocabulary(
            layouts=tuple(sorted(specs, key=lambda spec: spec.priority)),
            letter_numbers=tuple(_compile(p, common_path) for p in letters.get("number", [])),
            letter_originals=tuple(_compile(p, common_path) for p in letters.get("original", [])),
            units=tuple(
                (Decimal(entry["multiplier"]), _compile(pattern, common_path))
                for entry in common.get("unit", [])
                for pattern in entry["patterns"]
            ),
            total_labels=tuple(_compile(p, common_path) for p in totals.get("labels", [])),
            total_kap=_compile(totals.get("kap", r"kap\.?\s*(?P<kap>\d{3,4})"), common_path),
            key_patterns=tuple(entry for entry in shared if entry.role in ("post", "kap", "post_no")),
        )
    except (KeyError, TypeError) as error:
        raise VocabularyError(f"{common_path}: {error}") from error


def _load(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise VocabularyError(f"{path}: {error}") from error


def _role_patterns(entries: list, path: Path):
    for entry in entries:
        role = entry.get("role")
        _check_roles({role}, path)
        for pattern in entry.get("headers", []):
            yield RolePattern(role, _compile(pattern, path))


def _check_roles(roles, path: Path) -> None:
    unknown = set(roles) - VOCABULARY_ROLES
    if unknown:
        raise VocabularyError(f"{path}: unknown role(s) {sorted(map(str, unknown))}")


def _compile(pattern: str, path: Path) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise VocabularyError(f"{path}: bad pattern {pattern!r}: {error}") from error
