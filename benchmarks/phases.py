"""Child process of benchmarks/run.py: check one workbook phase by phase, timing each phase.

    python benchmarks/phases.py WORKBOOK OUT_DIR [--profile FILE.prof]

Runs reconcile.pipeline.prepare and check_workbook with Options.timings, so the pipeline itself
reports each phase's wall time, then the check command's report step. Prints one JSON object (the
last line of stdout) with the process's peak RSS.

Phases (the columns of run.py's table):
  ledger    GX import + letters + ledger + the GX suite (pipeline.prepare)
  read      reading the workbook
  validate  mapping cells to keys + GX validation + findings
  annotate  the annotated copy
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


def run(workbook: Path, out_dir: Path) -> dict:
    """The real pipeline, asked to time its own phases (Options.timings)."""
    started = time.perf_counter()
    from reconcile.validation.gx_import import gx

    gx()
    gx_import = time.perf_counter() - started
    from reconcile.pipeline import Options, check_workbook, prepare

    timings: dict[str, float] = {}
    options = Options(out_dir=str(out_dir), force=True, timings=timings)
    prepared = prepare(options)
    result = check_workbook(workbook, prepared, options)
    report_started = time.perf_counter()
    from reconcile.output.console import console_report
    from reconcile.output.files import write_text_atomically
    from reconcile.output.reports import json_report

    write_text_atomically(out_dir / "phases.json", json_report([result], prepared.letter_set, prepared.ledger) + "\n")
    console = console_report(result, options.lang)
    timings["report"] = time.perf_counter() - report_started
    phases = {
        "read": timings["read"],
        "ledger": gx_import + timings["letters"] + timings["ledger"] + timings["suite"],
        "validate": timings["map"] + timings["validate"] + timings["findings"],
        "annotate": timings.get("annotate", 0.0),
        "report": timings["report"],
    }
    return {
        "phases": phases,
        "total": sum(phases.values()),
        "detail": timings | {"gx_import": gx_import},
        "peak_mb": round(_peak_mb(), 1),
        "expectations": len(prepared.suite.expectations),
        "findings": len(result.findings),
        "failing": sum(1 for f in result.findings if f.failing),
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
