"""Running the real command line from a test: click's CliRunner, or `reconcile.cli.main` as the console
script calls it (its exit code and what it printed)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from reconcile.cli import cli, main


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_main(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        main([str(arg) for arg in args])
        code = 0
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


# A supplement of two posts that the small workbooks of the CLI tests agree with.
LETTER = textwrap.dedent("""\
    Tillegg nr. 1 til tildelingsbrev for Etaten 2024

    Etter endringene i dette tillegget disponerer etaten følgende:

    Kap./post Postnavn Sum
    440/01 Driftsutgifter 21 345 000
    440/70 Tilskudd til frivillige organisasjoner 4 500 000

    Med hilsen
""")


def letter_in_its_own_folder(tmp_path: Path) -> Path:
    """LETTER in a folder of its own, so that it is not in the listing of the workbook's folder."""
    folder = tmp_path / "brev"
    folder.mkdir()
    path = folder / "tillegg-1.txt"
    path.write_text(LETTER, encoding="utf-8")
    return path


# Run in a fresh interpreter: which heavy libraries a command imported shows only there.
_RUN_THEN_LIST_HEAVY = """
import json, sys
from reconcile.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
heavy = sorted({name.split('.')[0] for name in sys.modules if name.split('.')[0] in ('pandas', 'great_expectations')})
print(json.dumps([code, heavy]))
"""


def run_listing_heavy(*args, cwd: Path) -> tuple[subprocess.CompletedProcess, int, list[str]]:
    """The command line run in a new process: the process, its exit code and the heavy libraries it imported."""
    result = subprocess.run([sys.executable, "-c", _RUN_THEN_LIST_HEAVY, *map(str, args)], cwd=cwd,
                            capture_output=True, text=True, timeout=120, check=False)
    code, heavy = json.loads(result.stdout.strip().splitlines()[-1])
    return result, code, heavy
