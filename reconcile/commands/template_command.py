"""`reconcile template`: a tracking workbook built from the letters."""

from __future__ import annotations

import click

from reconcile.errors import OutputError


@click.command()
@click.option("--letters", "letters", multiple=True, type=click.Path(), help="Letter files or folders (default: the bundled sample letters).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="The new workbook (.xlsx).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of the output.")
def template(letters, output, force, lang) -> int:
    """Build a tracking workbook from the letters: a row per post, a column per letter."""
    from pathlib import Path

    from reconcile.ledger.build import build_ledger
    from reconcile.ledger.expected import expected_values
    from reconcile.letters.loading import load_letters
    from reconcile.output.template import write_template

    if Path(output).exists() and not force:
        raise OutputError("the file exists; use --force to replace it", output)
    letter_set = load_letters(list(letters) or None)
    ledger = build_ledger(letter_set)
    count = write_template(ledger, letter_set, expected_values(ledger, letter_set), output)
    from reconcile.output.wording import counted, message

    click.echo(message("template_written", lang, path=output, count=counted("post", count, lang),
                       letters=counted("letter", len(ledger.letters), lang)))
    return 0
