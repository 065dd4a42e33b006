"""Known, accepted differences: a finding that matches one is reported as explained, not failing.

A file (CSV or TOML) lists post, role, the expected difference and the reason. A difference that
has changed since it was explained voids the explanation.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from reconcile.amounts import parse_amount
from reconcile.errors import InputError
from reconcile.findings.model import EXPLAINED, MISMATCH, Finding
from reconcile.posts import parse_post
from reconcile.textfile import decode_text


@dataclass(frozen=True, slots=True)
class Explanation:
    post: str
    role: str | None
    difference: Decimal
    reason: str
    letter: int | None = None


@dataclass(frozen=True)
class Explanations:
    entries: tuple[Explanation, ...]

    def apply(self, finding: Finding) -> Finding:
        if finding.status != MISMATCH or finding.difference is None:
            return finding
        for entry in self.entries:
            if entry.post != finding.post or entry.difference != finding.difference:
                continue
            if entry.role not in (None, "", finding.role):
                continue
            if entry.letter is not None and entry.letter != finding.letter:
                continue
            return replace(finding, status=EXPLAINED, explanation=entry.reason)
        return finding


def load_explanations(path: str | Path) -> Explanations:
    path = Path(path)
    if not path.is_file():
        raise InputError("no such explanations file", path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            rows = tomllib.loads(path.read_text(encoding="utf-8")).get("explanation", [])
        elif suffix == ".csv":
            text = decode_text(path.read_bytes(), path, "binary data, not a CSV file")
            dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t") if text.strip() else csv.excel
            rows = list(csv.DictReader(text.splitlines(), dialect=dialect))
        elif suffix in (".xlsx", ".xlsm"):
            from reconcile.findings.previous_run import explanations_from_workbook

            return explanations_from_workbook(path)
        else:
            raise InputError("explanations must be a .csv, .toml or a previous .reconciled.xlsx", path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, csv.Error) as error:
        raise InputError(f"cannot read explanations: {error}", path) from error
    entries = []
    for number, row in enumerate(rows, start=1):
        try:
            entries.append(_entry(row))
        except (KeyError, InvalidOperation) as error:
            raise InputError(f"explanation {number}: needs post, difference and reason ({error})", path) from error
        except ValueError as error:
            raise InputError(f"explanation {number}: {error}", path) from error
    return Explanations(tuple(entries))


def _entry(row: dict) -> Explanation:
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    difference = lowered.get("difference", lowered.get("avvik"))
    amount = parse_amount(str(difference)) if not isinstance(difference, (int, float)) else None
    value = amount.value if amount else Decimal(str(difference))
    letter = lowered.get("letter") or lowered.get("tillegg")
    return Explanation(
        post=_post(lowered.get("post")),
        role=_role(str(lowered.get("role") or lowered.get("rolle") or "")),
        difference=value,
        reason=str(lowered.get("reason") or lowered.get("forklaring") or "").strip(),
        letter=int(letter) if letter not in (None, "") else None,
    )


def _post(text) -> str:
    """'671/60', '671.60', '0671 60', 'Kap. 671 post 60': the post as reconcile prints it; empty for
    a sum row, which names no post."""
    if text is None or not str(text).strip():
        return ""
    post = parse_post(str(text).strip())
    if post is None:
        raise ValueError(f"not a budget post: {text!r}")
    return str(post)


def _role(text: str) -> str | None:
    """The role by its code ('total') or as the workbook and console name it ('samlet tildeling',
    'total' in English); empty: any role."""
    from reconcile.output.wording import TEXT, role_code

    if not text.strip():
        return None
    code = role_code(text)
    if code is None:
        names = ", ".join(TEXT["nb"]["roles"].values())
        raise ValueError(f"unknown role {text.strip()!r} (one of: {names})")
    return code
