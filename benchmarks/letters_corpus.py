"""Recall and precision of the letter reader on the real-letters corpus (tests/data/letters-real/).

Each `<stem>.txt` is read with reconcile.letters (read_document + extract_letters, the same entry
point `reconcile` uses for a letter file) and its statements compared with the hand list in
`<stem>.toml` as a multiset on (kapittel, post, amount): a statement counts only with the right
kapittel, post and amount. Extracted statements on a line the hand list marks as a doubt and that
match nothing are not counted against precision. Of the matched pairs, the share that also agree
on kind and on status is printed as a second figure.

    .venv/bin/python benchmarks/letters_corpus.py [FOLDER] [--min-recall 0.9] [--min-precision 0.9] [--json]

Exit 0, unless a --min-* figure is given and the overall figure is below it (exit 1).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "letters-real"

# The reader's statement kinds in the corpus's words (CORPUS README: total | change | new_total |
# previous_total | carried_over | rate | part).
_KIND = {
    "table_total": "total", "stated_total": "total", "enacted": "total", "proposal": "total",
    "change": "change", "correction": "change",
    "new_total": "new_total", "corrected_total": "new_total",
    "previous_total": "previous_total",
    "carried_over": "carried_over",
    "rate": "rate",
    "change_part": "part", "breakdown_part": "part", "earmark": "part",
}


@dataclass(frozen=True)
class Listed:
    kap: int
    post: int
    amount: Decimal
    kind: str
    status: str
    line: int

    @property
    def key(self) -> tuple[int, int, Decimal]:
        return self.kap, self.post, self.amount


class _Rates:
    """Recall and precision of a count of listed, found, matched and ignored statements."""

    listed: int
    found: int
    matched: int
    ignored: int  # unmatched extractions on doubt lines: not counted against precision

    @property
    def recall(self) -> float:
        return self.matched / self.listed if self.listed else 1.0

    @property
    def precision(self) -> float:
        counted = self.found - self.ignored
        return self.matched / counted if counted else 1.0


@dataclass
class DocumentScore(_Rates):
    stem: str
    listed: int
    found: int
    matched: int
    ignored: int  # unmatched extractions on doubt lines
    kind_agree: int
    status_agree: int
    missed: list[Listed] = field(default_factory=list)
    extra: list[Listed] = field(default_factory=list)


def hand_list(toml_path: Path) -> tuple[list[Listed], set[int]]:
    data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    listed = [
        Listed(int(s["kap"]), int(s["post"]), Decimal(s["amount"]), s["kind"], s["status"], int(s["line"]))
        for s in data.get("statement", [])
    ]
    return listed, {int(d["line"]) for d in data.get("doubt", [])}


def extracted(txt_path: Path) -> list[Listed]:
    from reconcile.letters.extract import extract_letters
    from reconcile.letters.reading import read_document

    letter_set = extract_letters(read_document(txt_path))
    found = []
    for statement in letter_set.statements:
        if statement.amount is None:
            continue
        kind = str(statement.kind)
        status = str(getattr(statement, "status", "") or _status_of_kind(kind))
        found.append(Listed(statement.post.kap, statement.post.post, statement.amount.value,
                            _KIND.get(kind, kind), status, statement.source.line))
    return found


def _status_of_kind(kind: str) -> str:
    return {"proposal": "proposed", "enacted": "enacted"}.get(kind, "allocated")


def score(txt_path: Path) -> DocumentScore:
    listed, doubt_lines = hand_list(txt_path.with_suffix(".toml"))
    found = extracted(txt_path)
    by_key_listed: dict[tuple, list[Listed]] = defaultdict(list)
    by_key_found: dict[tuple, list[Listed]] = defaultdict(list)
    for item in listed:
        by_key_listed[item.key].append(item)
    for item in found:
        by_key_found[item.key].append(item)
    matched = kind_agree = status_agree = 0
    missed: list[Listed] = []
    extra: list[Listed] = []
    for key in set(by_key_listed) | set(by_key_found):
        hand = sorted(by_key_listed.get(key, []), key=lambda s: s.line)
        read = sorted(by_key_found.get(key, []), key=lambda s: s.line)
        pairs = _pair_by_line(hand, read)
        matched += len(pairs)
        kind_agree += sum(1 for h, r in pairs if h.kind == r.kind)
        status_agree += sum(1 for h, r in pairs if h.status == r.status)
        paired_hand = {id(h) for h, _ in pairs}
        paired_read = {id(r) for _, r in pairs}
        missed += [h for h in hand if id(h) not in paired_hand]
        extra += [r for r in read if id(r) not in paired_read]
    ignored = sum(1 for r in extra if r.line in doubt_lines)
    extra = [r for r in extra if r.line not in doubt_lines]
    assert sum(Counter(s.key for s in listed).values()) == len(listed)
    return DocumentScore(txt_path.stem, len(listed), len(found), matched, ignored, kind_agree, status_agree,
                         sorted(missed, key=lambda s: s.line), sorted(extra, key=lambda s: s.line))


def _pair_by_line(hand: list[Listed], read: list[Listed]) -> list[tuple[Listed, Listed]]:
    """Pair equal (kap, post, amount) statements, nearest lines first (a multiset match)."""
    candidates = sorted(((abs(h.line - r.line), i, j) for i, h in enumerate(hand) for j, r in enumerate(read)))
    used_hand, used_read, pairs = set(), set(), []
    for _, i, j in candidates:
        if i in used_hand or j in used_read:
            continue
        used_hand.add(i)
        used_read.add(j)
        pairs.append((hand[i], read[j]))
    return pairs


def score_folder(folder: Path = CORPUS) -> list[DocumentScore]:
    return [score(path) for path in sorted(folder.glob("*.txt")) if path.with_suffix(".toml").exists()]


@dataclass
class Overall(_Rates):
    listed: int
    found: int
    matched: int
    ignored: int
    kind_agree: int
    status_agree: int


def overall(scores: list[DocumentScore]) -> Overall:
    return Overall(*(sum(getattr(s, name) for s in scores)
                     for name in ("listed", "found", "matched", "ignored", "kind_agree", "status_agree")))


def _percent(value: float) -> str:
    return f"{100 * value:5.1f}%"


def report(scores: list[DocumentScore], *, details: bool = False) -> str:
    rows = [f"{'document':<34} {'listed':>6} {'found':>6} {'match':>6} {'recall':>7} {'precision':>9} "
            f"{'kind':>6} {'status':>6}"]
    for s in scores:
        rows.append(f"{s.stem:<34} {s.listed:>6} {s.found:>6} {s.matched:>6} {_percent(s.recall):>7} "
                    f"{_percent(s.precision):>9} {s.kind_agree:>6} {s.status_agree:>6}")
        if details:
            rows += [f"    missed  {m.kap}/{m.post:02d} {m.amount} ({m.kind}, l. {m.line})" for m in s.missed]
            rows += [f"    extra   {e.kap}/{e.post:02d} {e.amount} ({e.kind}, l. {e.line})" for e in s.extra]
    total = overall(scores)
    rows.append(f"{'OVERALL':<34} {total.listed:>6} {total.found:>6} {total.matched:>6} {_percent(total.recall):>7} "
                f"{_percent(total.precision):>9} {total.kind_agree:>6} {total.status_agree:>6}")
    agree = total.matched or 1
    rows.append(f"of {total.matched} matched: kind agrees {_percent(total.kind_agree / agree)}, "
                f"status agrees {_percent(total.status_agree / agree)}; "
                f"{total.ignored} unmatched on doubt lines not counted")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--min-recall", type=float)
    parser.add_argument("--min-precision", type=float)
    parser.add_argument("--details", action="store_true", help="list missed and extra statements")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    scores = score_folder(args.folder)
    total = overall(scores)
    if args.json:
        print(json.dumps({
            "documents": {s.stem: {"listed": s.listed, "found": s.found, "matched": s.matched,
                                   "recall": s.recall, "precision": s.precision} for s in scores},
            "overall": {"listed": total.listed, "found": total.found, "matched": total.matched,
                        "recall": total.recall, "precision": total.precision,
                        "kind_agree": total.kind_agree, "status_agree": total.status_agree},
        }, indent=1))
    else:
        print(report(scores, details=args.details))
    failed = (args.min_recall is not None and total.recall < args.min_recall) or (
        args.min_precision is not None and total.precision < args.min_precision)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
