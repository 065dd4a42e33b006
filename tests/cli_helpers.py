"""Running the real command line from a test: click's CliRunner, or `reconcile.cli.main` as the console
script calls it (its exit code and what it printed)."""

from __future__ import annotations

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
