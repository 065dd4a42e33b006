"""`reconcile --help` starts without the heavy libraries: pandas and Great Expectations are imported
only by the commands that need them (see reconcile.cli).

Run in a fresh interpreter, since this test process may have imported them already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HELP_THEN_LIST_HEAVY_MODULES = """
import json, sys
from reconcile.cli import main
import reconcile.cli
reconcile.cli.cli.main(['--help'], prog_name='reconcile', standalone_mode=False)
heavy = sorted(name for name in sys.modules if name.split('.')[0] in ('pandas', 'great_expectations'))
print(json.dumps(heavy))
"""


def test_help_runs_without_importing_pandas_or_great_expectations():
    result = subprocess.run(
        [sys.executable, "-c", HELP_THEN_LIST_HEAVY_MODULES],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    *help_lines, last = result.stdout.strip().splitlines()
    assert "Usage: reconcile" in "\n".join(help_lines)
    assert "letters" in "\n".join(help_lines)
    assert json.loads(last) == []


def test_the_check_would_see_pandas_if_it_were_imported():
    """The listing above is not vacuous: in the same kind of interpreter an import of pandas shows."""
    code = HELP_THEN_LIST_HEAVY_MODULES.replace("from reconcile.cli import main", "import pandas")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "pandas" in json.loads(result.stdout.strip().splitlines()[-1])
