"""Print the annotated-copy fidelity figures over `shared/xlsx-corpus/`, one line per file.

Runs the same check as `tests/test_xlsx_corpus.py` (which it imports) and prints a table:
state, parts, parts changed and added, formula cells compared, marks, failed checks.

    .venv/bin/python benchmarks/corpus_fidelity.py [--no-openpyxl] [CORPUS_DIR]
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_check():
    spec = importlib.util.spec_from_file_location(
        "corpus_check", ROOT / "tests" / "test_xlsx_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up here
    sys.path.insert(0, str(ROOT))
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    check = _load_check()
    use_openpyxl = "--no-openpyxl" not in argv
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else check.CORPUS
    files = sorted(p for p in corpus.glob("*") if p.suffix.lower() in (".xlsx", ".xlsm"))
    if not files:
        print(f"no corpus at {corpus}")
        return 2
    outcomes = []
    print(f"{'file':<62} {'state':<9} {'parts':>5} {'chg':>4} {'add':>4} {'formulas':>8} "
          f"{'marks':>5} {'fails':>5} {'s':>6}")
    for path in files:
        with tempfile.TemporaryDirectory() as tmp:
            outcome = check.check_file(path, Path(tmp), use_openpyxl=use_openpyxl)
        outcomes.append(outcome)
        print(f"{outcome.name[:62]:<62} {outcome.state:<9} {outcome.parts:>5} "
              f"{len(outcome.changed):>4} {len(outcome.added):>4} {outcome.formula_cells:>8} "
              f"{outcome.marked:>5} {len(outcome.failures):>5} {outcome.seconds:>6.2f}")
        for failure in outcome.failures:
            print(f"    FAILED: {failure}")
    print()
    for line in check.summary_lines(outcomes):
        print(line)
    return 1 if any(o.failures for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
