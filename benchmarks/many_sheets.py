"""Workbooks with many sheets: the time of `reconcile WORKBOOK` end to end (issue 15, item 3).

    python benchmarks/many_sheets.py [N ...] [--timeout SECONDS] [--distinct-only | --shared-only]

For each N (default 1 000 and 20 000) two workbooks are built from samples/oversikt.xlsx:
* shared: N `<sheet>` entries pointing at the sample's one sheet part (what issue 15 timed:
  200 sheets 6.8 s, 1 000 11.8 s, 3 000 30.6 s, 20 000 388 s and 3 GB) — refused now;
* distinct: N sheets, each its own copy of the sample's sheet part (every sheet read, checked and
  annotated).
Each run is a subprocess with the bundled letters; a run past --timeout (default 60 s) is stopped
and printed as "> timeout".
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "oversikt.xlsx"
SHEET_PART = "xl/worksheets/sheet1.xml"
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def build(path: Path, sheets: int, distinct: bool) -> Path:
    with zipfile.ZipFile(SAMPLE) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    workbook = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    types = parts["[Content_Types].xml"].decode()
    entries, relationships, overrides = [], [], []
    for number in range(2, sheets + 1):
        rel_id = f"rIdMany{number}" if distinct else "rId1"
        entries.append(f'<sheet name="Oversikt {number}" sheetId="{number}" r:id="{rel_id}"/>')
        if distinct:
            part = f"worksheets/many{number}.xml"
            parts[f"xl/{part}"] = parts[SHEET_PART]
            relationships.append(f'<Relationship Id="{rel_id}" Type="{WORKSHEET}" Target="{part}"/>')
            overrides.append(f'<Override PartName="/xl/{part}" ContentType="{CT_SHEET}"/>')
    parts["xl/workbook.xml"] = workbook.replace("</sheets>", "".join(entries) + "</sheets>").encode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", "".join(relationships) + "</Relationships>").encode()
    parts["[Content_Types].xml"] = types.replace("</Types>", "".join(overrides) + "</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def run(path: Path, timeout: float) -> str:
    started = time.perf_counter()
    try:
        result = subprocess.run([sys.executable, "-m", "reconcile", str(path), "--out-dir", str(path.parent), "--force"],
                                capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (stopped)"
    seconds = time.perf_counter() - started
    said = (result.stderr.strip().splitlines() or [""])[0][:140]
    return f"{seconds:6.1f} s  exit {result.returncode}  {said}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 20_000])
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--distinct-only", action="store_true")
    parser.add_argument("--shared-only", action="store_true")
    args = parser.parse_args()
    kinds = [False] if args.shared_only else [True] if args.distinct_only else [False, True]
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            for distinct in kinds:
                path = build(Path(folder) / f"ark-{size}-{'egne' if distinct else 'delt'}.xlsx", size, distinct)
                label = "distinct parts" if distinct else "one shared part"
                print(f"{size:>7} sheets, {label:<16} {run(path, args.timeout)}", flush=True)


if __name__ == "__main__":
    main()
