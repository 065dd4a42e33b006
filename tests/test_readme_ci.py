"""The README's CI example runs as written: its commands, with the package installed from this
checkout instead of the public index (issue 14: `pip install reconcile` installed someone else's
package, and the next line failed with exit 127)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def ci_commands() -> list[str]:
    """The `script:` lines of the README's yaml block."""
    [block] = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    script = block.split("script:", 1)[1]
    commands = []
    for line in script.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("- "):
            break
        commands.append(line.lstrip()[2:])
    return commands


def project_name() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]


def test_the_ci_example_installs_this_project_by_its_distribution_name():
    install, *_ = ci_commands()
    assert re.search(rf"pip install -q {re.escape(project_name())}$", install), install
    assert project_name() != "reconcile"  # taken on the public index by an unrelated package


@pytest.mark.slow
def test_the_ci_example_runs_with_a_local_install(tmp_path):
    install, *checks = ci_commands()
    # This checkout instead of the index; its dependencies come from the running test environment
    # (a .pth file), so that only the build backend is fetched.
    local = install.replace(f"install -q {project_name()}", f"install -q --no-deps {ROOT}")
    assert local != install
    (tmp_path / "brev").mkdir()
    shutil.copy(ROOT / "samples" / "letters" / "imdi-2023-tillegg-1-7.txt", tmp_path / "brev")
    (tmp_path / "budsjett").mkdir()
    shutil.copy(ROOT / "samples" / "oversikt.xlsx", tmp_path / "budsjett" / "oppfolging.xlsx")
    venv = subprocess.run(["bash", "-c", local.split(" && ")[0].replace("python3", sys.executable, 1)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert venv.returncode == 0, venv.stderr
    [site] = (tmp_path / ".venv" / "lib").glob("python3*/site-packages")
    (site / "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    for command in [local.split(" && ", 1)[1], *checks]:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert "<testsuite " in (tmp_path / "out" / "junit.xml").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "funn.json").is_file()
    assert (tmp_path / "out" / "oppfolging.reconciled.xlsx").is_file()
