"""The sample workbooks of the four layouts: the clean ones reconcile exactly; in the seeded ones
every error listed in the manifest is found with its cause, and no other cell is flagged."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
LAYOUTS = ["oversikt", "brevark", "note-a", "posteringer"]


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    subprocess.run([sys.executable, str(SAMPLES / "make_samples.py"), str(out)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def prepared():
    from reconcile.pipeline import Options, prepare

    return prepare(Options(annotate=False))


def _check(path, prepared):
    from reconcile.pipeline import Options, check_workbook

    return check_workbook(path, prepared, Options(annotate=False))


def _flagged(result):
    return {(f.cell, f.post, f.cause) for f in result.findings if f.failing}


def _seeded(manifest):
    return {(s["cell"], s["post"], s["cause"]) for s in manifest["seeded"]}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_clean_sample_reconciles_exactly(generated, prepared, layout):
    result = _check(generated / f"{layout}.xlsx", prepared)
    assert not result.failing, [f for f in result.findings if f.failing]
    assert result.summary()["checked"] > 10
    assert result.summary()["match"] == result.summary()["checked"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_seeded_error_is_found_with_its_cause_and_nothing_else(generated, prepared, layout):
    manifest = json.loads((generated / f"{layout}-feil.manifest.json").read_text(encoding="utf-8"))
    result = _check(generated / f"{layout}-feil.xlsx", prepared)
    assert _flagged(result) == _seeded(manifest)


def test_seeded_samples_cover_every_cause(generated):
    causes = set()
    for layout in LAYOUTS:
        manifest = json.loads((generated / f"{layout}-feil.manifest.json").read_text(encoding="utf-8"))
        causes |= {s["cause"] for s in manifest["seeded"]}
    assert causes == {"stale", "unit", "transposition", "sign", "rounding", "swapped", "missing", "unexpected",
                      "duplicate", "sum"}


def test_committed_samples_are_what_the_generator_makes(generated):
    """The samples in the repo were made by the committed script from the bundled letters."""
    for layout in LAYOUTS:
        committed = json.loads((SAMPLES / f"{layout}-feil.manifest.json").read_text(encoding="utf-8"))
        fresh = json.loads((generated / f"{layout}-feil.manifest.json").read_text(encoding="utf-8"))
        assert committed == fresh
        assert (SAMPLES / f"{layout}.xlsx").is_file() and (SAMPLES / f"{layout}-feil.xlsx").is_file()


def _installed_reconcile():
    found = shutil.which("reconcile", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the reconcile command is not installed beside this Python")
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
def test_installed_command_checks_each_committed_sample_like_a_ci_job(tmp_path, layout):
    """What a finance office's CI job runs: exit code and findings against the manifest."""
    command = _installed_reconcile()
    manifest = json.loads((SAMPLES / f"{layout}-feil.manifest.json").read_text(encoding="utf-8"))
    clean = subprocess.run([command, str(SAMPLES / f"{layout}.xlsx"), "--out-dir", str(tmp_path), "--json",
                            str(tmp_path / "clean.json"), "--quiet"], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    seeded = subprocess.run([command, str(SAMPLES / f"{layout}-feil.xlsx"), "--out-dir", str(tmp_path), "--json",
                             str(tmp_path / "seeded.json"), "--junit", str(tmp_path / "junit.xml"), "--quiet"],
                            capture_output=True, text=True)
    assert seeded.returncode == 1, seeded.stderr
    report = json.loads((tmp_path / "seeded.json").read_text(encoding="utf-8"))
    [workbook] = report["workbooks"]
    flagged = {(f["cell"], f["post"], f["cause"]) for f in workbook["findings"]
               if f["status"] in ("mismatch", "missing", "unexpected")}
    assert flagged == _seeded(manifest)
    # --quiet: one stderr line per failing finding, naming the cell, the post and the cause (in words;
    # a cause that only repeats the status, 'Mangler', is said once).
    from reconcile.output.wording import words

    causes = words("nb")["causes"]
    assert clean.stderr == ""
    lines = seeded.stderr.splitlines()
    assert len(lines) == sum(f["status"] in ("mismatch", "missing", "unexpected") for f in workbook["findings"])
    for cell, post, cause in flagged:
        assert any((cell is None or f"!{cell}: " in line) and (post or "sum") in line
                   and (f"({causes[cause]})" in line or line.lower().endswith(f" {causes[cause]}"))
                   for line in lines), (cell, post, cause, lines)
    assert (tmp_path / f"{layout}-feil.reconciled.xlsx").is_file()
    assert "<failure" in (tmp_path / "junit.xml").read_text(encoding="utf-8")
