"""The real-letters corpus (tests/data/letters-real/) and the letter reader's figures on it.

Each document's hand list must be well formed and every listed statement must stand where it
says, with its amount written in its quote. The reader's overall recall and precision on the
corpus (benchmarks/letters_corpus.py) must not fall below what it reached when this floor was
set. Measured 2026-12-02 on part A: the first 28 documents (234 hand-listed statements) gave recall
11.5%, precision 69.2% before the reader knew these texts, 100.0% and 100.0% after it learnt budget
texts, decision tables and heading context; ten more documents (a-29 … a-38, 69 statements), listed
before the reader was run on them, then gave recall 34.8% and precision 100.0% (and one crash); after
the reader learnt from them, all 38 documents give recall 100.0% (303 of 303) and precision 100.0%
(303 of 303 counted). Part B (24 documents, 273 statements, listed on branch i13b) first gave recall
64.1% and precision 99.4% with that reader; after the fixes it taught (pipe tables and column-row
tables included), the 62 documents give recall 99.5% (573 of 576) and precision 100.0% (573 of 573
counted). A second held-out batch of part A (a-39 … a-42, 30 statements) then gave recall 86.7% and
precision 100.0%; after the fixes it taught, the 66 documents give recall 99.7% (604 of 606) and
precision 100.0% (604 of 604 counted). A third held-out batch (a-43, a-44, 9 statements) gave recall
88.9%, precision 100.0%; now the 68 documents give recall 99.7% (613 of 615) and precision 100.0%
(613 of 613 counted); the lowest document recall is 87.5% (b-13, a table row with fewer figures than
columns, reported rather than guessed). Part C (16 documents, 68 statements, listed on main) measured
47% recall with that reader; part D (d-01 … d-12, 156 statements, listed on branch i13d before the
reader ran on them) measured recall 11.5% (18 of 156) and precision 40.9% (18 of 44 counted) held out.
After the fixes they taught (tables one cell a line, glued columns cut where the row adds up, pipe rows
of Innst. S, ranges, shares, transfers from a named post), the 96 documents give recall 99.6% (836 of
839) and precision 99.9% (836 of 837 counted); the lowest document is c-06 at 80.0%. Part E (e-01 … e-14,
172 statements, listed on branch i13e before the reader ran on them) measured recall 98.8% (170 of 172)
and precision 95.5% (170 of 178 counted) held out; after the fixes it taught (a pipe table's "Kap. |" /
"Post |" header under a caption, its plain "Kroner" sum columns, money moved within a stated change, a
cut-off last figure reported, a share that "utgjer" an amount reported, "å nedsette", "innarbeidet"),
the 110 documents give recall 99.7% (1008 of 1011) and precision 99.9% (1008 of 1009 counted).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "letters-real"
DOCUMENTS = sorted(CORPUS.glob("*.toml"))

RECALL_FLOOR = 0.997  # 1008 of 1011 = 99.70% when set
PRECISION_FLOOR = 0.999  # 1008 of 1009 = 99.90% when set

_DOCUMENT_KINDS = {"tildelingsbrev", "tillegg", "prop-s", "prop-1-s", "rnb", "nysaldering", "innst-s", "vedtak", "other"}
_KINDS = {"total", "change", "new_total", "previous_total", "carried_over", "rate", "part"}
_STATUSES = {"proposed", "recommended", "enacted", "allocated"}
_NUMBER = re.compile(r"\d+")


def _benchmark():
    spec = importlib.util.spec_from_file_location("letters_corpus", ROOT / "benchmarks" / "letters_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def _written_forms(amount: Decimal) -> set[str]:
    """How a careful reader may have seen the amount written: '11 466 000', '2,785 mill.', '1 600 mill.'."""
    forms = set()
    for unit in (Decimal(1), Decimal(1000), Decimal(1_000_000), Decimal(1_000_000_000)):
        value = abs(amount) / unit
        if value != value.to_integral_value():
            whole, _, fraction = f"{value.normalize():f}".partition(".")
            grouped = f"{int(whole):,}".replace(",", " ")
            forms.add(f"{grouped},{fraction}")
            continue
        number = int(value)
        forms |= {f"{number:,}".replace(",", " "), f"{number:,}".replace(",", "."), str(number)}
    return forms


def test_corpus_has_documents():
    assert len(DOCUMENTS) >= 22
    assert all(path.with_suffix(".txt").exists() for path in DOCUMENTS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_hand_list_is_well_formed(path: Path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["source"].startswith(("http://", "https://"))
    assert data["title"] and data["ministry"]
    assert data["document"] in _DOCUMENT_KINDS
    assert data["language"] in {"nb", "nn"}
    lines = path.with_suffix(".txt").read_text(encoding="utf-8").split("\n")
    for statement in data.get("statement", []):
        assert isinstance(statement["kap"], int) and 1 <= statement["kap"] <= 9999
        assert isinstance(statement["post"], int) and 1 <= statement["post"] <= 99
        amount, precision = Decimal(statement["amount"]), Decimal(statement["precision"])
        assert precision >= 0
        assert statement["kind"] in _KINDS
        assert statement["status"] in _STATUSES
        assert 1 <= statement["line"] <= len(lines)
        line = lines[statement["line"] - 1]
        assert statement["quote"] in line, f"line {statement['line']} does not hold {statement['quote']!r}"
        assert any(form in statement["quote"] for form in _written_forms(amount)), (
            f"line {statement['line']}: {statement['quote']!r} does not write {amount}")
    for doubt in data.get("doubt", []):
        assert doubt["reason"]
        assert doubt["quote"] in lines[doubt["line"] - 1]


def test_no_address_is_taken_twice():
    sources = [tomllib.loads(path.read_text(encoding="utf-8"))["source"] for path in DOCUMENTS]
    assert len(sources) == len(set(sources))


def test_written_forms_cover_the_ways_amounts_are_written():
    assert "2,785" in _written_forms(Decimal("-2785000"))
    assert "1 600" in _written_forms(Decimal("1600000000"))
    assert "500.000" in _written_forms(Decimal("500000"))
    assert "2 173" in _written_forms(Decimal("2173000"))
    assert not any(form in "med 2,5 mill. kroner" for form in _written_forms(Decimal("2600000")))


def test_reader_keeps_its_recall_and_precision_on_the_corpus():
    benchmark = _benchmark()
    scores = benchmark.score_folder(CORPUS)
    total = benchmark.overall(scores)
    assert total.listed == sum(len(tomllib.loads(p.read_text(encoding="utf-8")).get("statement", [])) for p in DOCUMENTS)
    assert total.recall >= RECALL_FLOOR, benchmark.report(scores, details=True)
    assert total.precision >= PRECISION_FLOOR, benchmark.report(scores, details=True)


def test_no_document_falls_below_the_floor_of_the_issue():
    benchmark = _benchmark()
    scores = benchmark.score_folder(CORPUS)
    low = [(s.stem, round(s.recall, 3), round(s.precision, 3)) for s in scores if s.recall < 0.8 or s.precision < 0.8]
    assert not low


def test_benchmark_exit_code_follows_the_minimum_asked():
    benchmark = _benchmark()
    assert benchmark.main([str(CORPUS)]) == 0
    assert benchmark.main([str(CORPUS), "--min-recall", "1.01"]) == 1
    assert benchmark.main([str(CORPUS), "--min-precision", "0"]) == 0
