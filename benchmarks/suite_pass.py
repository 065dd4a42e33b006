"""What `--suite FILE` adds to a run (issue 14): the sample checked with and without the committed suite.

    .venv/bin/python benchmarks/suite_pass.py              # best of 2 each
    .venv/bin/python benchmarks/suite_pass.py --repeat 3

Runs `reconcile samples/oversikt-feil.xlsx --no-annotate` and the same with
`--suite expectations/imdi-2023.json` in child processes, and prints the wall times and the
difference. Target: the committed suite adds at most 2 s. The exit code is 0 when it is met.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKBOOK = REPO / "samples" / "oversikt-feil.xlsx"
SUITE = REPO / "expectations" / "imdi-2023.json"
TARGET_S = 2.0


def timed(args: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", "from reconcile.cli import main; main()", *args],
                              cwd=REPO, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"reconcile failed ({done.returncode}): {done.stderr.strip()}")
        best = min(best, elapsed)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs each (default 2)")
    args = parser.parse_args()
    base = [str(WORKBOOK), "--no-annotate", "--quiet"]
    without = timed(base, args.repeat)
    with_suite = timed([*base, "--suite", str(SUITE)], args.repeat)
    added = with_suite - without
    print(f"without --suite: {without:.2f} s")
    print(f"with --suite {SUITE.relative_to(REPO)}: {with_suite:.2f} s")
    print(f"added by the suite: {added:.2f} s (target ≤ {TARGET_S:.0f} s: {'met' if added <= TARGET_S else 'missed'})")
    return 0 if added <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
