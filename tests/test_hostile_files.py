"""No input makes the process abort (issue 15, item 2).

python-calamine allocates a sheet's whole used range at once: a value far out in the grid asks for
billions of cells and the process dies with SIGABRT, a Rust backtrace and no file name. Every
hostile file (built by tests/hostile_files.py) is run in a process of its own: it must end with
exit 2 and one line on stderr naming the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import HOSTILE  # noqa: E402
from test_first_hour import ENGLISH, _words  # noqa: E402


def run_reconcile(path: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reconcile", str(path), "--no-annotate", *options],
                          capture_output=True, text=True, timeout=300, cwd=path.parent)


# What the one line must say, in words, beyond the file's name: with --lang en, and by default (bokmål).
SAYS = {"xor-obfuscated.xls": "password-protected",
        "many-sheets-one-part.xlsx": "«Ark1» and «Ark2» point at the same part"}
SAYS_NB = {"xor-obfuscated.xls": "passordbeskyttet",
           "many-sheets-one-part.xlsx": "arkene «Ark1» og «Ark2» peker på samme del"}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_exits_two_with_one_line_naming_it(name, tmp_path):
    made = HOSTILE[name](tmp_path / name)
    if made is None:
        pytest.skip("LibreOffice (soffice) is needed to build this file")
    for options, says in ((["--lang", "en"], SAYS.get(name, "sheet «Ark1»")), ([], SAYS_NB.get(name, "arket «Ark1»"))):
        result = run_reconcile(made, *options)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2, result.stderr[-2000:]
        assert len(lines) == 1, result.stderr[-2000:]
        assert str(made) in lines[0]
        assert says in lines[0]
        if not options:  # bokmål: not a word of English left beside the file's name
            assert _words(lines[0].replace(str(made), "")) & ENGLISH == set(), lines[0]
