"""Child process of benchmarks/run.py: check one workbook phase by phase, timing each phase.

    python benchmarks/phases.py WORKBOOK OUT_DIR [--profile FILE.prof]

Mirrors reconcile.pipeline.run / check_workbook and the check command's report step, with
time.perf_counter around each phase and the process's peak RSS after each. Prints one JSON object
(the last line of stdout). Nothing in the package is changed or monkey-patched.

Phases (the columns of run.py's table):
  ledger    GX import + pipeline.prepare(): letters → ledger → expected values → GX suite
  read      reconcile.workbook.read_workbook
  validate  map_workbook + widened suite + GX validate + missing posts + findings_from
  annotate  annotation_plan + write_annotated_copy
  report    json_report (written to a file) + console_report
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class Clock:
    def __init__(self):
        self.times: dict[str, float] = {}
        self.peaks: dict[str, float] = {}

    def phase(self, name: str):
        clock = self

        class _Phase:
            def __enter__(self):
                self.started = time.perf_counter()

            def __exit__(self, *exc):
                clock.times[name] = clock.times.get(name, 0.0) + time.perf_counter() - self.started
                clock.peaks[name] = round(_peak_mb(), 1)
                return False

        return _Phase()


def run(workbook: Path, out_dir: Path) -> dict:
    clock = Clock()
    with clock.phase("import"):
        from decimal import Decimal

        from reconcile.pipeline import Options, prepare
        from reconcile.ledger.expected import make_key
        from reconcile.findings.model import WorkbookResult

    options = Options(out_dir=str(out_dir), force=True)
    # ledger: GX import timed on its own (prepare() would import it anyway), then prepare().
    with clock.phase("gx_import"):
        from reconcile.validation.gx_import import gx

        gx()
    with clock.phase("prepare"):
        prepared = prepare(options)

    with clock.phase("read"):
        from reconcile.workbook import read_workbook
        from reconcile.output.annotated_workbook import output_path

        target = output_path(workbook, options.out, options.out_dir)
        read = read_workbook(workbook, None)

    with clock.phase("map"):
        from reconcile.validation.mapping import map_workbook, missing_posts

        mapping = map_workbook(read, prepared.expected, prepared.ledger.letters, options.tolerance)
        slack = {}
        for cell in mapping.cells:
            slack[cell.key] = max(slack.get(cell.key, Decimal(0)), cell.slack)
    with clock.phase("gx_validate"):
        from reconcile.validation.run import validate, widened

        suite = widened(prepared.suite, lambda key: slack.get(key, options.tolerance), set(slack))
        outcomes = validate(mapping.value_rows(), suite)
    with clock.phase("findings"):
        from reconcile.findings.build import findings_from

        missing = missing_posts(mapping, prepared.expected) if read.tables else []
        missing_in_tables = []
        for table in read.tables:
            if table.letter_no in prepared.letter_tables and table.layout == "letter_sheet":
                present = set(table.posts)
                for post in sorted(prepared.letter_tables[table.letter_no] - present):
                    value = prepared.expected.get(make_key(post, "total", table.letter_no))
                    if value is not None and post in mapping.seen_posts:
                        missing_in_tables.append((table.sheet, value))
        findings = findings_from(mapping, outcomes, prepared.expected, missing, missing_in_tables, prepared.explanations)
        issues = tuple(str(issue) for issue in read.issues)
        result = WorkbookResult(str(workbook), read.sha256, None, tuple(findings), issues, tuple(mapping.notes))

    with clock.phase("annotate"):
        from reconcile.output.annotated_workbook import annotation_plan
        from reconcile.output.xlsx_package import write_annotated_copy

        marks, sheets = annotation_plan(result, prepared.ledger, prepared.letter_set, options.lang)
        report = write_annotated_copy(workbook, target, marks, sheets)
        result = WorkbookResult(str(workbook), read.sha256, str(target), tuple(findings),
                                issues + tuple(report.problems), tuple(mapping.notes))

    with clock.phase("report"):
        from reconcile.output.console import console_report
        from reconcile.output.files import write_text_atomically
        from reconcile.output.reports import json_report

        text = json_report([result], prepared.letter_set, prepared.ledger)
        write_text_atomically(out_dir / "phases.json", text + "\n")
        console = console_report(result, options.lang)

    t = clock.times
    phases = {
        "read": t["read"],
        "ledger": t["gx_import"] + t["prepare"],
        "validate": t["map"] + t["gx_validate"] + t["findings"],
        "annotate": t["annotate"],
        "report": t["report"],
    }
    rows_in_tables = sum(len(table.rows) for table in read.tables)
    return {
        "phases": phases,
        "total": sum(phases.values()),
        "detail": t,
        "peak_mb_after": clock.peaks,
        "peak_mb": round(_peak_mb(), 1),
        "rows_in_tables": rows_in_tables,
        "checked_cells": len(mapping.cells),
        "expectations": len(suite.expectations),
        "findings": len(result.findings),
        "failing": sum(1 for f in result.findings if f.failing),
        "marks": len(marks),
        "console_lines": console.count("\n") + 1,
    }


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("workbook", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the whole run here")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        data = run(args.workbook, args.out_dir)
        profiler.disable()
        profiler.dump_stats(str(args.profile))
    else:
        data = run(args.workbook, args.out_dir)
    print(json.dumps(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
