"""The whole job runs without a network: no connection, no name lookup, no analytics.

Each run is a process of its own (the installed `reconcile` command) whose `sitecustomize`, put
first on PYTHONPATH, replaces socket connect/connect_ex/sendto, `socket.create_connection`,
`getaddrinfo` and `gethostbyname` with a guard that writes the attempt to a log file and raises.
It also notes the value of GX_ANALYTICS_ENABLED at the moment `great_expectations` is first
imported. A control run checks that the guard catches a real attempt, so an empty log means
something.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
SAMPLE_LETTERS = ROOT / "samples" / "letters" / "imdi-2023-tillegg-1-7.txt"

GUARD = textwrap.dedent('''\
    """Installed by tests/test_offline.py: every network attempt is logged and refused."""
    import json
    import os
    import socket
    import sys

    _LOG = os.environ["RECONCILE_GUARD_LOG"]


    def _record(kind, detail):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"kind": kind, "detail": repr(detail)}) + "\\n")


    def _refusing(name):
        def refuse(*args, **kwargs):
            _record(name, args)
            raise OSError(f"network use refused by the test guard ({name})")
        return refuse


    for _name in ("connect", "connect_ex", "sendto"):
        setattr(socket.socket, _name, _refusing(f"socket.{_name}"))
    for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, _name, _refusing(_name))


    class _WatchGreatExpectations:
        """Notes GX_ANALYTICS_ENABLED when great_expectations is first imported; imports nothing itself."""

        def find_spec(self, name, path=None, target=None):
            if name == "great_expectations":
                _record("gx-import", os.environ.get("GX_ANALYTICS_ENABLED"))
                sys.meta_path.remove(self)
            return None


    sys.meta_path.insert(0, _WatchGreatExpectations())
    _record("guard-installed", sys.argv[:1])
''')


@pytest.fixture
def guarded(tmp_path):
    """(environment, read_log) for a process under the guard."""
    site = tmp_path / "guard"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "guard.log"
    env = {key: value for key, value in os.environ.items() if key != "GX_ANALYTICS_ENABLED"}
    env["PYTHONPATH"] = os.pathsep.join([str(site), *filter(None, [env.get("PYTHONPATH")])])
    env["RECONCILE_GUARD_LOG"] = str(log)

    def read_log() -> list[dict]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    return env, read_log


def test_the_guard_catches_a_connection_attempt(guarded, tmp_path):
    env, read_log = guarded
    done = subprocess.run(
        [str(BIN / "python"), "-c", "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode != 0 and "refused by the test guard" in done.stderr
    assert [entry["kind"] for entry in read_log()] == ["guard-installed", "create_connection"]


def test_letters_check_annotation_and_reports_run_offline(guarded, tmp_path):
    env, read_log = guarded
    work = tmp_path / "arbeid"
    work.mkdir()
    workbook = work / "oversikt-feil.xlsx"
    shutil.copy(ROOT / "samples" / "oversikt-feil.xlsx", workbook)

    letters = subprocess.run([str(BIN / "reconcile"), "letters", "--audit", "--json", "-", str(SAMPLE_LETTERS)],
                             env=env, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert letters.returncode == 1, letters.stderr  # the sample letters' own two arithmetic errors
    assert json.loads(letters.stdout)["expected"]["671/71"]["total"] == 228052000

    check = subprocess.run(
        [str(BIN / "reconcile"), str(workbook), "--letters", str(SAMPLE_LETTERS), "--json", str(work / "funn.json"),
         "--junit", str(work / "junit.xml")],
        env=env, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
    )
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Traceback" not in check.stderr and "error" not in check.stderr
    assert "Kontrollert: 48  Stemmer: 40  Avvik: 8" in check.stdout
    assert (work / "oversikt-feil.reconciled.xlsx").is_file()
    report = json.loads((work / "funn.json").read_text(encoding="utf-8"))
    assert report["workbooks"][0]["summary"]["mismatch"] == 8

    log = read_log()
    assert [entry["kind"] for entry in log] == ["guard-installed", "guard-installed", "gx-import"], log
    [gx] = [entry for entry in log if entry["kind"] == "gx-import"]
    assert gx["detail"] == repr("False")  # set by reconcile.validation.gx_import before the import

