"""`reconcile WORKBOOK…`: check workbooks against the letters and write annotated copies."""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation

import click

from reconcile.errors import UsageError


def _decimal(ctx, param, value):
    if value is None:
        return Decimal(0)
    try:
        return Decimal(value.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise click.BadParameter(f"not an amount: {value!r}") from None


@click.command()
@click.argument("workbooks", nargs=-1, type=click.Path())
@click.option("--letters", "letters", multiple=True, type=click.Path(), help="Letter files or folders (default: the bundled sample letters).")
@click.option("--tolerance", callback=_decimal, metavar="KR", help="Allowed difference in kroner (default 0).")
@click.option("--suite", type=click.Path(), help="A Great Expectations suite (JSON) with your own expectations, run as well.")
@click.option("--layout", type=click.Path(), help="A layout file (TOML) naming the columns' roles.")
@click.option("--explanations", type=click.Path(), help="Known differences (CSV/TOML) or a previous .reconciled.xlsx.")
@click.option("--out", type=click.Path(), help="Where to write the annotated copy (one workbook).")
@click.option("--out-dir", type=click.Path(file_okay=False), metavar="DIR", help="Folder for the annotated copies.")
@click.option("--force", is_flag=True, help="Replace an existing annotated copy.")
@click.option("--no-annotate", is_flag=True, help="Check only; write no annotated copy.")
@click.option("--json", "json_path", metavar="PATH|-", help="Write the findings as JSON ('-' for stdout).")
@click.option("--junit", "junit_path", type=click.Path(), help="Write a JUnit XML report.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of every message, report and note.")
@click.option("--quiet", is_flag=True, help="Print only errors.")
@click.option("--explain-layout", is_flag=True, help="Print the tables, header rows, column roles and units found, and stop.")
def check(workbooks, letters, tolerance, suite, layout, explanations, out, out_dir, force, no_annotate, json_path,
          junit_path, lang, quiet, explain_layout) -> int:
    """Check WORKBOOKS against the allocation letters.

    Writes NAME.reconciled.xlsx beside each workbook (the input is never changed). Exit code 0:
    everything matches or is explained; 1: unexplained discrepancies; 2: bad input.
    """
    if not workbooks:
        raise UsageError("name at least one workbook (reconcile WORKBOOK.xlsx); see reconcile --help")
    if explain_layout:
        from reconcile.pipeline import Options, explain_workbook

        from reconcile.output.translations import in_language

        for path in workbooks:
            explained = explain_workbook(path, Options(letters=list(letters) or None, layout=layout,
                                                       tolerance=tolerance, lang=lang))
            click.echo("\n".join(in_language(line, lang) for line in explained.splitlines()))
        return 0
    from reconcile.pipeline import Options, run

    from reconcile.output.wording import message, words

    def progress(text: str) -> None:
        if not quiet and sys.stderr.isatty():
            click.echo(f"… {text}", err=True)

    options = Options(letters=list(letters) or None, tolerance=tolerance, suite=suite, layout=layout,
                      explanations=explanations, out=out, out_dir=out_dir, force=force, lang=lang,
                      annotate=not no_annotate, progress=progress)
    prepared, results = run(list(workbooks), options, (json_path, junit_path))
    if not quiet:
        for path in prepared.skipped:
            click.echo(message("skipped_copy", lang, path=path), err=True)
    if json_path:
        from reconcile.output.reports import json_report

        text = json_report(results, prepared.letter_set, prepared.ledger, lang)
        if json_path == "-":
            click.echo(text)
        else:
            from reconcile.output.files import write_text_atomically

            write_text_atomically(json_path, text + "\n")
    if junit_path:
        from reconcile.output.files import write_text_atomically
        from reconcile.output.reports import junit_report

        write_text_atomically(junit_path, junit_report(results, lang))
    if not quiet and json_path != "-":
        from reconcile.output.console import console_report

        for result in results:
            click.echo(console_report(result, lang))
    elif quiet:
        for result in results:
            for finding in result.findings:
                if finding.failing:
                    click.echo(f"{result.path}: {_quiet_line(finding, words(lang))}", err=True)
    click.get_current_context().exit(1 if any(result.failing for result in results) else 0)


def _quiet_line(finding, w: dict) -> str:
    """'Oversikt!K16: sumrad Avvik, differanse 1 000 (sum stemmer ikke)': where, what, by how much, why."""
    from reconcile.amounts import format_nok
    from reconcile.output.wording import cause_name

    where = f"{finding.sheet}!{finding.cell}: " if finding.cell else (f"{finding.sheet}: " if finding.sheet else "")
    what = " ".join(part for part in (finding.post, w["roles"].get(finding.role, finding.role)) if part)
    line = f"{where}{what} {w[finding.status]}"
    if finding.difference is not None:
        line += w["messages"]["quiet_difference"].format(amount=format_nok(finding.difference))
    if cause_name(finding, w):
        line += f" ({cause_name(finding, w)})"
    return line
