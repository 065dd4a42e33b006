"""Benchmarks for reconcile (issue 7): large transaction lists, phase times, memory, start-up.

    .venv/bin/python benchmarks/run.py                    # 10 000, 100 000 and 1 000 000 rows
    .venv/bin/python benchmarks/run.py --quick            # 10 000 rows only
    .venv/bin/python benchmarks/run.py --sizes 10k,100k --workdir /tmp/rb --keep
    .venv/bin/python benchmarks/run.py --profile /tmp/rb/prof   # cProfile every missed target

For each size it writes a transaction list (the sample generator's own `transaction_rows` and
`write_transactions`, every amount from the letters' ledger) with seeded discrepancies (sign
flips, duplicated entries, one entry on a post no letter knows), then, each in its own child
process so that the child's peak RSS is measured on its own (os.wait4):

* benchmarks/phases.py: the pipeline's phases (read, ledger, validate, annotate, report) timed
  one by one, as reconcile.pipeline.check_workbook runs them;
* the real CLI end to end: reconcile FILE --out-dir DIR --force --json DIR/x.json (and checks that
  every seeded discrepancy is among its findings);
* a bare python-calamine read of the same file (to_python(), then iter_rows()).

Then the start-up figures (--help, letters, a small sample end to end, GX import alone, a batch
of ten small workbooks) and which targets are met. Nothing in reconcile/, samples/ or tests/ is
changed; the package is only imported and run.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import json
import math
import os
import platform
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
VENV = REPO / ".venv"
SEED = 20230701
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)

# Targets (issue 7)
HELP_TARGET_S = 0.3
LETTERS_TARGET_S = 1.0
SMALL_OVER_GX_S = 1.0
RATIO_TARGET = 3.0
PEAK_TARGET_MB = 1.5 * 1024

HEAVY = ("pandas", "great_expectations")


def _reexec_in_venv() -> None:
    """`python benchmarks/run.py` with a python outside the project's venv: run again inside it."""
    python = VENV / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != VENV.resolve() and not os.environ.get("RECONCILE_BENCH_NO_REEXEC"):
        os.environ["RECONCILE_BENCH_NO_REEXEC"] = "1"
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


PYTHON = sys.executable


def reconcile_command() -> list[str]:
    script = Path(sys.executable).parent / "reconcile"
    if script.exists():
        return [str(script)]
    found = shutil.which("reconcile")
    return [found] if found else [PYTHON, "-m", "reconcile"]


def reconcile_script() -> list[str]:
    """The entry point as a script python can run (for python -m cProfile / -X importtime)."""
    command = reconcile_command()
    return command if command[0] == PYTHON else [PYTHON, *command]


# --- child processes ----------------------------------------------------------------------------


@dataclass
class Child:
    command: list[str]
    wall: float
    returncode: int
    peak_mb: float
    user: float
    system: float
    stdout: str
    stderr: str

    def json(self) -> dict:
        lines = [line for line in self.stdout.strip().splitlines() if line.strip()]
        if not lines:
            raise RuntimeError(f"no output from {' '.join(self.command)}\n{self.stderr[-3000:]}")
        return json.loads(lines[-1])


def run_child(command: list[str], *, cwd: Path = REPO, env: dict | None = None) -> Child:
    """Run a command; its wall time and its own peak RSS (os.wait4: this child only, not a maximum
    over all children as RUSAGE_CHILDREN would give)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd,
                                   env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(command, wall, process.returncode, usage.ru_maxrss / 1024, usage.ru_utime, usage.ru_stime,
                     out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def best_of(n: int, command: list[str], *, ok=(0,), **kwargs) -> tuple[float, Child]:
    runs = []
    for _ in range(n):
        child = run_child(command, **kwargs)
        if child.returncode not in ok:
            raise RuntimeError(f"{' '.join(command)} exited {child.returncode}\n{child.stderr[-3000:]}")
        runs.append(child)
    best = min(runs, key=lambda c: c.wall)
    return best.wall, best


# --- workbooks --------------------------------------------------------------------------------


def load_make_samples():
    """samples/make_samples.py as a module (it is a script, not part of the package)."""
    path = REPO / "samples" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("reconcile_bench_make_samples", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def bookings(samples, model) -> list:
    """What transaction_rows books: one amount per post and letter (those it does not skip)."""
    found = []
    for post in model.posts:
        for number in model.letters:
            booked = model.value(post, "booked", number)
            if booked:
                found.append(booked)
    return found


def pieces_for(amounts, target: int) -> int:
    """The smallest K for which transaction_rows(model, pieces=K) gives at least `target` rows.

    make_samples._split leaves an amount whole when |amount| < K × 1 000, so with m amounts of at
    least 1 000·K the row count is K·m + (N − m); the count is not monotonic in K, hence the search
    over m.
    """
    sizes = sorted((abs(a) for a in amounts), reverse=True)
    n = len(sizes)
    if n >= target:
        return 1
    best = None
    for m in range(1, n + 1):
        upper = int(sizes[m - 1] // 1000)  # K ≤ upper keeps the m largest split
        lower = int(sizes[m] // 1000) + 1 if m < n else 2  # K ≥ lower leaves the rest whole
        k = max(math.ceil((target - n + m) / m), lower, 2)
        if k <= upper and (best is None or k * m + n - m < best[1]):
            best = (k, k * m + n - m)
    if best is None:
        raise SystemExit(f"the ledger's bookings cannot be split into {target} rows")
    return best[0]


def seed_discrepancies(samples, model, rows: list, rng: random.Random) -> tuple[list, list[dict]]:
    """Three sign flips, two duplicated entries (each in its own post/letter group) and one entry on
    a post no letter knows, whose amount is a ledger figure. Returns the new rows and the seeds
    (with their Excel row: the header is row 1)."""
    groups: dict[tuple[str, int], list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault((row[2], row[5]), []).append(index)
    keys = sorted(groups)
    rng.shuffle(keys)
    flip_groups, duplicate_groups = keys[:3], keys[3:5]
    flip_at = {rng.choice([i for i in groups[k] if rows[i][4] != 0]) for k in flip_groups}
    duplicate_at = {rng.choice(groups[k]) for k in duplicate_groups}
    unknown_at = rng.randrange(len(rows))
    latest = model.letters[-1]
    known = next(model.value(post, "booked", latest) for post in model.posts if model.value(post, "booked", latest))
    unknown_post = getattr(samples, "UNKNOWN_POST", "671/99")
    unknown = (date(2023, 12, 20), "B-UKJENT", unknown_post, f"Tildeling {unknown_post}", known, latest)
    out: list = []
    seeds: list[dict] = []
    for index, row in enumerate(rows):
        if index == unknown_at:
            out.append(unknown)
            seeds.append({"cause": "unexpected", "post": unknown_post, "letter": latest, "row": len(out) + 1})
        if index in flip_at:
            row = (*row[:4], -row[4], row[5])
            out.append(row)
            seeds.append({"cause": "sign", "post": row[2], "letter": row[5], "row": len(out) + 1})
        else:
            out.append(row)
        if index in duplicate_at:
            out.append(row)
            seeds.append({"cause": "duplicate", "post": row[2], "letter": row[5], "row": len(out) + 1})
    return out, seeds


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def make_workbook(samples, model, target: int, folder: Path, regenerate: bool) -> dict:
    """The transaction list of at least `target` rows, reused from `folder` when it is current."""
    path = folder / f"posteringer-{target}.xlsx"
    manifest_path = path.with_suffix(".json")
    source = _digest(REPO / "samples" / "make_samples.py", REPO / "reconcile" / "letters" / "data")
    if not regenerate and path.exists() and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("source") == source and manifest.get("seed") == SEED and manifest.get("target") == target:
            manifest["generated_s"] = None
            return manifest
    started = time.perf_counter()
    pieces = pieces_for(bookings(samples, model), target)
    rows = samples.transaction_rows(model, pieces=pieces)
    if len(rows) < target:  # the generator's split changed: search upwards on its real output
        for _ in range(30):
            pieces = max(pieces + 1, math.ceil(pieces * target / max(len(rows), 1)))
            rows = samples.transaction_rows(model, pieces=pieces)
            if len(rows) >= target:
                break
        else:
            raise SystemExit(f"could not reach {target} rows with transaction_rows")
    booked_rows = len(rows)
    rows, seeds = seed_discrepancies(samples, model, rows, random.Random(SEED + target))
    samples.write_transactions(model, path, False, rows=rows)
    manifest = {"target": target, "seed": SEED, "source": source, "pieces": pieces, "booked_rows": booked_rows,
                "rows": len(rows), "seeds": seeds, "path": str(path), "bytes": path.stat().st_size}
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    manifest["generated_s"] = time.perf_counter() - started
    del rows
    return manifest


# --- per-size measurements --------------------------------------------------------------------

BARE_READ = r"""
import json, resource, sys, time
path = sys.argv[1]
started = time.perf_counter()
from python_calamine import CalamineWorkbook
imported = time.perf_counter() - started
started = time.perf_counter()
data = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
to_python = time.perf_counter() - started
rows = len(data)
del data
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
count = 0
for row in CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows():
    count += 1
iter_rows = time.perf_counter() - started
print(json.dumps({"import": imported, "to_python": to_python, "iter_rows": iter_rows, "rows": rows,
                  "peak_mb_to_python": peak, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def check_seeds(json_path: Path, seeds: list[dict]) -> dict:
    data = json.loads(json_path.read_text(encoding="utf-8"))
    findings = [f for workbook in data["workbooks"] for f in workbook["findings"]]
    failing = {(f["post"], f["role"], f["letter"]): f for f in findings if f["status"] in ("mismatch", "missing", "unexpected")}
    found, missed = [], []
    for seed in seeds:
        finding = failing.get((seed["post"], "booked", seed["letter"]))
        want = "unexpected" if seed["cause"] == "unexpected" else "mismatch"
        (found if finding is not None and finding["status"] == want else missed).append(seed)
    expected_keys = {(s["post"], "booked", s["letter"]) for s in seeds}
    extra = [key for key in failing if key not in expected_keys]
    return {"findings": len(findings), "failing": len(failing), "seeded_found": len(found), "seeded": len(seeds),
            "missed": missed, "unseeded_failing": [list(map(str, key)) for key in extra],
            "causes": {f"{k[0]}|{k[2]}": failing[k].get("cause") for k in failing if k in expected_keys}}


def measure_size(samples, model, target: int, work: Path, args) -> dict:
    print(f"\n== {target:,} rows ==".replace(",", " "), flush=True)
    manifest = make_workbook(samples, model, target, work, args.regenerate)
    path = Path(manifest["path"])
    made = "reused" if manifest["generated_s"] is None else f"generated in {manifest['generated_s']:.1f} s"
    print(f"   {path.name}: {manifest['rows']} rows (pieces={manifest['pieces']}), {manifest['bytes'] / 1e6:.1f} MB, {made}",
          flush=True)
    out = work / f"out-{target}"
    out.mkdir(exist_ok=True)

    bare = [run_child([PYTHON, "-c", BARE_READ, str(path)]) for _ in range(args.repeat)]
    for child in bare:
        if child.returncode:
            raise RuntimeError(f"bare calamine read failed\n{child.stderr[-3000:]}")
    bare_data = min((child.json() for child in bare), key=lambda d: d["to_python"])
    print(f"   bare calamine to_python {bare_data['to_python']:.2f} s, iter_rows {bare_data['iter_rows']:.2f} s", flush=True)

    phase_runs = []
    for _ in range(args.repeat):
        child = run_child([PYTHON, str(HERE / "phases.py"), str(path), str(out / "phases")])
        if child.returncode:
            raise RuntimeError(f"phases.py failed\n{child.stderr[-3000:]}")
        data = child.json()
        data["child_wall"], data["child_peak_mb"] = child.wall, child.peak_mb
        phase_runs.append(data)
    phases = min(phase_runs, key=lambda d: d["total"])
    print("   phases " + ", ".join(f"{k} {v:.2f} s" for k, v in phases["phases"].items())
          + f" (total {phases['total']:.2f} s, peak {phases['child_peak_mb']:.0f} MB)", flush=True)

    json_out = out / "x.json"
    cli_runs = []
    for _ in range(args.repeat):
        child = run_child([*reconcile_command(), str(path), "--out-dir", str(out), "--force", "--json", str(json_out)])
        if child.returncode not in (0, 1):
            raise RuntimeError(f"reconcile exited {child.returncode}\n{child.stderr[-3000:]}")
        cli_runs.append(child)
    cli = min(cli_runs, key=lambda c: c.wall)
    seeds = check_seeds(json_out, manifest["seeds"])
    print(f"   CLI end to end {cli.wall:.2f} s, exit {cli.returncode}, peak {cli.peak_mb:.0f} MB; "
          f"seeded discrepancies found {seeds['seeded_found']}/{seeds['seeded']}, other failing {len(seeds['unseeded_failing'])}",
          flush=True)
    return {
        "size": target,
        "rows": manifest["rows"],
        "pieces": manifest["pieces"],
        "bytes": manifest["bytes"],
        "generated_s": manifest["generated_s"],
        "phases": phases["phases"],
        "total": phases["total"],
        "phase_detail": phases["detail"],
        "phases_child": {k: phases.get(k) for k in ("expectations", "findings", "failing", "child_wall", "child_peak_mb")},
        "cli_s": cli.wall,
        "cli_exit": cli.returncode,
        "cli_peak_mb": cli.peak_mb,
        "cli_cpu_s": cli.user + cli.system,
        "bare": bare_data,
        "ratio": phases["total"] / bare_data["to_python"],
        "cli_ratio": cli.wall / bare_data["to_python"],
        "seeds": seeds,
        "path": str(path),
    }


# --- start-up ---------------------------------------------------------------------------------

HELP_THEN_LIST_HEAVY = """
import json, sys
import reconcile.cli
reconcile.cli.cli.main(['--help'], prog_name='reconcile', standalone_mode=False)
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules if name.split('.')[0] in %r})))
""" % (HEAVY,)


def import_profile(stderr: str, top: int = 8) -> list[tuple[str, float]]:
    """-X importtime output: the slowest imports by cumulative time (seconds)."""
    entries = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3:
            continue
        try:
            cumulative = int(parts[1])
        except ValueError:  # the header line
            continue
        entries.append((parts[2].strip(), cumulative / 1e6))
    entries.sort(key=lambda e: -e[1])
    return entries[:top]


def measure_startup(work: Path, args) -> dict:
    print("\n== start-up ==", flush=True)
    result: dict = {}
    help_s, _ = best_of(5, [*reconcile_command(), "--help"])
    heavy_child = run_child([PYTHON, "-X", "importtime", "-c", HELP_THEN_LIST_HEAVY])
    if heavy_child.returncode:
        raise RuntimeError(heavy_child.stderr[-3000:])
    result["help_s"] = help_s
    result["help_heavy"] = heavy_child.json()
    result["help_imports"] = import_profile(heavy_child.stderr)
    print(f"   --help {help_s:.3f} s (best of 5); heavy modules imported: {result['help_heavy'] or 'none'}", flush=True)

    letters_s, _ = best_of(5, [*reconcile_command(), "letters"])
    result["letters_s"] = letters_s
    print(f"   letters {letters_s:.3f} s (best of 5)", flush=True)

    gx_s, gx_child = best_of(3, [PYTHON, "-c", "import great_expectations"])
    result["gx_import_s"] = gx_s
    result["gx_import_peak_mb"] = gx_child.peak_mb
    print(f"   python -c 'import great_expectations' {gx_s:.2f} s (best of 3)", flush=True)
    # The pipeline imports GX with the collector paused (reconcile/validation/gx_import.py), faster
    # than a plain import: what a run pays for GX is this, not the figure above.
    own_gx_s, _ = best_of(3, [PYTHON, "-c", "from reconcile.validation.gx_import import gx; gx()"])
    result["gx_pipeline_import_s"] = own_gx_s
    print(f"   GX imported as the pipeline does {own_gx_s:.2f} s (best of 3)", flush=True)

    small = work / "small"
    if small.exists():
        shutil.rmtree(small)
    made = run_child([PYTHON, str(REPO / "samples" / "make_samples.py"), str(small)])
    if made.returncode:
        raise RuntimeError(f"make_samples.py failed\n{made.stderr[-3000:]}")
    out = small / "out"
    out.mkdir()
    sample = small / "oversikt.xlsx"
    small_s, small_child = best_of(3, [*reconcile_command(), str(sample), "--out-dir", str(out), "--force"], ok=(0, 1))
    result["small_s"] = small_s
    result["small_exit"] = small_child.returncode
    result["small_peak_mb"] = small_child.peak_mb
    print(f"   {sample.name} end to end {small_s:.2f} s (best of 3), exit {small_child.returncode}, peak {small_child.peak_mb:.0f} MB",
          flush=True)

    books = sorted(p for p in small.glob("*.xlsx"))
    batch = []
    i = 0
    while len(batch) < 10:
        source = books[i % len(books)]
        if i < len(books):
            batch.append(source)
        else:
            copy = small / f"{source.stem}-kopi{i // len(books)}.xlsx"
            shutil.copyfile(source, copy)
            batch.append(copy)
        i += 1
    batch_s, batch_child = best_of(2, [*reconcile_command(), *map(str, batch), "--out-dir", str(out), "--force"], ok=(0, 1))
    one_s, _ = best_of(2, [*reconcile_command(), str(batch[0]), "--out-dir", str(out), "--force"], ok=(0, 1))
    result["batch_s"] = batch_s
    result["batch_one_s"] = one_s
    result["batch_names"] = [p.name for p in batch]
    result["batch_peak_mb"] = batch_child.peak_mb
    print(f"   batch of ten {batch_s:.2f} s vs one ({batch[0].name}) {one_s:.2f} s: "
          f"{(batch_s - one_s) / 9:.2f} s per further workbook", flush=True)
    result["small_dir"] = str(small)
    result["batch_paths"] = [str(p) for p in batch]
    return result


# --- targets, table, profiles -----------------------------------------------------------------


@dataclass
class Target:
    name: str
    met: bool
    figure: str
    profile: str | None = None  # what to profile when missed
    extra: dict = field(default_factory=dict)


def targets(sizes: list[dict], startup: dict | None) -> list[Target]:
    found = []
    if startup:
        found.append(Target("--help < 0.3 s without GX/pandas",
                            startup["help_s"] < HELP_TARGET_S and not startup["help_heavy"],
                            f"{startup['help_s']:.3f} s, heavy imports: {', '.join(startup['help_heavy']) or 'none'}", "help"))
        found.append(Target("letters < 1 s", startup["letters_s"] < LETTERS_TARGET_S, f"{startup['letters_s']:.3f} s", "letters"))
        limit = startup["gx_import_s"] + SMALL_OVER_GX_S
        found.append(Target("small sample end to end ≤ GX import + 1 s", startup["small_s"] <= limit,
                            f"{startup['small_s']:.2f} s vs {startup['gx_import_s']:.2f} + 1 = {limit:.2f} s", "small"))
        # GX is imported once per batch if a further workbook costs less than a run of its own
        # without the GX import; the stricter reading (nine more cost less than one GX import,
        # i.e. nothing else per workbook is GX-import-sized) is printed beside it.
        per_further = (startup["batch_s"] - startup["batch_one_s"]) / 9
        own_without_gx = startup["batch_one_s"] - startup.get("gx_pipeline_import_s", startup["gx_import_s"])
        nine = startup["batch_s"] - startup["batch_one_s"]
        found.append(Target("batch of ten costs GX import once", per_further < own_without_gx,
                            f"ten {startup['batch_s']:.2f} s, one {startup['batch_one_s']:.2f} s: {per_further:.2f} s per further "
                            f"workbook < one run less GX import ({own_without_gx:.2f} s); stricter: nine more cost {nine:.2f} s "
                            f"{'<' if nine < startup['gx_import_s'] else '≥'} one GX import ({startup['gx_import_s']:.2f} s)", "batch"))
    for size in sizes:
        if size["size"] != 1_000_000:
            continue
        found.append(Target("1M rows ≤ 3× bare calamine read", size["ratio"] <= RATIO_TARGET,
                            f"phases total {size['total']:.1f} s / bare {size['bare']['to_python']:.1f} s = {size['ratio']:.1f}× "
                            f"(CLI end to end {size['cli_ratio']:.1f}×)", "1M"))
        found.append(Target("1M rows peak RSS < 1.5 GB", size["cli_peak_mb"] < PEAK_TARGET_MB,
                            f"CLI {size['cli_peak_mb']:.0f} MB, phases child {size['phases_child']['child_peak_mb']:.0f} MB, "
                            f"bare to_python {size['bare']['peak_mb_to_python']:.0f} MB", "1M-memory"))
    return found


def table(sizes: list[dict]) -> str:
    header = ("size", "rows", "read s", "ledger s", "validate s", "annotate s", "report s", "total s", "CLI e2e s",
              "peak RSS MB", "bare calamine s", "ratio")
    lines = [header]
    for s in sizes:
        p = s["phases"]
        lines.append((f"{s['size']:,}".replace(",", " "), f"{s['rows']:,}".replace(",", " "), f"{p['read']:.2f}",
                      f"{p['ledger']:.2f}", f"{p['validate']:.2f}", f"{p['annotate']:.2f}", f"{p['report']:.2f}",
                      f"{s['total']:.2f}", f"{s['cli_s']:.2f}", f"{s['cli_peak_mb']:.0f}", f"{s['bare']['to_python']:.2f}",
                      f"{s['ratio']:.1f}×"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["| " + " | ".join(cell.rjust(widths[i]) for i, cell in enumerate(line)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    return "\n".join(out)


def detail_lines(sizes: list[dict]) -> list[str]:
    lines = []
    for s in sizes:
        d = s["phase_detail"]
        lines.append(
            f"{s['size']:>9,}".replace(",", " ")
            + f": ledger = GX import {d['gx_import']:.2f} + letters {d['letters']:.2f} + suite {d['suite']:.2f};"
            f" validate = map {d['map']:.2f} + GX validate {d['validate']:.2f} + findings {d['findings']:.2f};"
            f" bare iter_rows {s['bare']['iter_rows']:.2f} s; findings {s['phases_child']['findings']}"
            f" ({s['phases_child']['failing']} failing); seeded found {s['seeds']['seeded_found']}/{s['seeds']['seeded']}"
            + (f", missed {s['seeds']['missed']}" if s["seeds"]["missed"] else "")
            + (f"; generated in {s['generated_s']:.1f} s" if s["generated_s"] else "")
        )
    return lines


def print_profile(path: Path, lines: int = 25) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    stats.strip_dirs().sort_stats("cumulative").print_stats(lines)
    stream.write("\n-- by own time --\n")
    stats.sort_stats("tottime").print_stats(12)
    text = stream.getvalue()
    # Drop pstats' preamble lines about the file.
    return "\n".join(line for line in text.splitlines() if line.strip() and not line.startswith(str(path)))


def profile_missed(missed: list[Target], sizes: list[dict], startup: dict | None, folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    reports: dict[str, str] = {}
    done = set()
    for target in missed:
        kind = target.profile
        if kind in done or kind is None:
            continue
        done.add(kind)
        prof = folder / f"{kind}.prof"
        if kind in ("1M", "1M-memory"):
            size = next(s for s in sizes if s["size"] == 1_000_000)
            if "1M" in done and kind == "1M-memory":
                continue
            done.update({"1M", "1M-memory"})
            command = [PYTHON, str(HERE / "phases.py"), size["path"], str(folder / "out"), "--profile", str(prof)]
        elif kind == "help":
            command = [PYTHON, "-m", "cProfile", "-o", str(prof), *reconcile_script()[1:], "--help"]
        elif kind == "letters":
            command = [PYTHON, "-m", "cProfile", "-o", str(prof), *reconcile_script()[1:], "letters"]
        elif kind == "small":
            command = [PYTHON, "-m", "cProfile", "-o", str(prof), *reconcile_script()[1:],
                       str(Path(startup["small_dir"]) / "oversikt.xlsx"), "--out-dir", str(folder), "--force"]
        elif kind == "batch":
            command = [PYTHON, "-m", "cProfile", "-o", str(prof), *reconcile_script()[1:], *startup["batch_paths"],
                       "--out-dir", str(folder), "--force"]
        else:
            continue
        print(f"   profiling {kind}: {' '.join(command)}", flush=True)
        child = run_child(command)
        if not prof.exists():
            reports[kind] = f"(no profile: exit {child.returncode}: {child.stderr[-500:]})"
            continue
        reports[kind] = f"{prof} (wall {child.wall:.1f} s under cProfile)\n" + print_profile(prof)
    return reports


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    except OSError:
        pass
    from importlib.metadata import version

    versions = {}
    for name in ("python-calamine", "great-expectations", "pandas", "xlsxwriter"):
        try:
            versions[name] = version(name)
        except Exception:
            versions[name] = "?"
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    try:  # which code was measured: the commit, and a digest of uncommitted changes to the package
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        diff = subprocess.run(["git", "diff", "HEAD", "--", "reconcile", "samples"], cwd=REPO, capture_output=True).stdout
        code = head + (f"+changes:{hashlib.sha256(diff).hexdigest()[:8]}" if diff else "")
    except OSError:
        code = "?"
    return {"date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z"), "cpus": os.cpu_count(), "cpu": model, "load": load,
            "code": code,
            "memory": memory, "python": platform.python_version(), "platform": platform.platform(), "versions": versions}


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        factor = 1
        if part[-1] in "kK":
            factor, part = 1000, part[:-1]
        elif part[-1] in "mM":
            factor, part = 1_000_000, part[:-1]
        sizes.append(int(float(part) * factor))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark reconcile on large transaction lists and its start-up.")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="row counts, comma-separated (10k,100k,1M); default all three")
    parser.add_argument("--quick", action="store_true", help="10 000 rows only")
    parser.add_argument("--workdir", type=Path, help="folder for the workbooks and outputs (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--regenerate", action="store_true", help="write the workbooks again even if current ones are in --workdir")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size measurement; the best is reported (default 1)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up figures")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="cProfile each missed target into DIR and print the hot spots")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [10_000]

    temporary = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="reconcile-bench-")) if temporary else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"reconcile benchmarks — {info['date']} — {info['cpus']} CPUs ({info['cpu']}), {info['memory']}, "
          f"load {info['load']}, Python {info['python']}, code {info['code']}, " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(f"workdir {work}")
    try:
        samples = load_make_samples()
        model = samples.build_model()
        sizes = [measure_size(samples, model, size, work, args) for size in args.sizes]
        startup = None if args.no_startup else measure_startup(work, args)

        print("\n== results ==")
        if sizes:
            print(table(sizes))
            print()
            for line in detail_lines(sizes):
                print(line)
        if startup:
            print()
            print(f"reconcile --help        {startup['help_s']:.3f} s (best of 5); pandas/great_expectations imported: "
                  f"{', '.join(startup['help_heavy']) or 'no'}; slowest imports: "
                  + ", ".join(f"{n} {s:.3f}" for n, s in startup["help_imports"][:5]))
            print(f"reconcile letters       {startup['letters_s']:.3f} s (best of 5)")
            print(f"import great_expectations {startup['gx_import_s']:.2f} s (best of 3)")
            print(f"small sample end to end {startup['small_s']:.2f} s (oversikt.xlsx, best of 3, peak {startup['small_peak_mb']:.0f} MB)")
            print(f"batch of ten            {startup['batch_s']:.2f} s vs one {startup['batch_one_s']:.2f} s "
                  f"({(startup['batch_s'] - startup['batch_one_s']) / 9:.2f} s per further workbook)")
        found = targets(sizes, startup)
        if found:
            print("\n== targets ==")
            for target in found:
                print(f"  [{'met' if target.met else 'MISSED'}] {target.name}: {target.figure}")
        profiles = {}
        missed = [t for t in found if not t.met]
        if args.profile and missed:
            print("\n== profiles of missed targets ==")
            profiles = profile_missed(missed, sizes, startup, args.profile)
            for kind, text in profiles.items():
                print(f"\n--- {kind} ---\n{text}")
        if args.json:
            args.json.write_text(json.dumps({"machine": info, "sizes": sizes, "startup": startup,
                                             "targets": [t.__dict__ for t in found], "profiles": profiles},
                                            indent=1, default=str, ensure_ascii=False))
        return 0 if all(t.met for t in found) else 1
    finally:
        if temporary and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif temporary:
            print(f"kept {work}")


if __name__ == "__main__":
    _reexec_in_venv()
    raise SystemExit(main())
