"""How every real-world and hostile file ends under `reconcile FILE` (issue 15's "done when").

    python benchmarks/hostile_outcomes.py [--corpus DIR] [--limit SECONDS]

Runs the CLI in a process of its own for each file of the shared corpus (../shared/xlsx-corpus)
and each hostile file of tests/hostile_files.py, and prints one line per file: exit code, seconds,
and stderr's line count and first line. Then the tally. A file must end 0 or 1, or 2 with exactly
one stderr line naming it; none may abort (negative exit code) or take more than --limit seconds
(default 30).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_files import HOSTILE  # noqa: E402


def outcome(path: Path, out_dir: Path, limit: float) -> tuple[str, bool]:
    started = time.perf_counter()
    try:
        result = subprocess.run([sys.executable, "-m", "reconcile", str(path), "--out-dir", str(out_dir), "--force"],
                                capture_output=True, text=True, timeout=limit * 4, cwd=out_dir)
    except subprocess.TimeoutExpired:
        return f"{path.name}: stopped after {limit * 4:.0f} s", False
    seconds = time.perf_counter() - started
    lines = result.stderr.strip().splitlines()
    code = result.returncode
    good = seconds <= limit and (code in (0, 1) or (code == 2 and len(lines) == 1 and str(path) in lines[0]))
    first = lines[0][:160] if lines else ""
    return f"{'ok ' if good else 'BAD'} exit {code:>3} {seconds:5.1f} s  {len(lines)} line(s)  {path.name}: {first}", good


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "xlsx-corpus")
    parser.add_argument("--limit", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = sorted(p for p in args.corpus.glob("*") if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"))
        for name, make in sorted(HOSTILE.items()):
            made = make(folder / name)
            if made is not None:
                files.append(made)
        tally = {True: 0, False: 0}
        codes: dict[int, int] = {}
        for path in files:
            line, good = outcome(path, folder, args.limit)
            tally[good] += 1
            code = int(line.split("exit")[1].split()[0]) if "exit" in line else -999
            codes[code] = codes.get(code, 0) + 1
            print(line, flush=True)
        print(f"\n{len(files)} files: {tally[True]} as they must end, {tally[False]} not; exit codes {dict(sorted(codes.items()))}")


if __name__ == "__main__":
    main()
