"""`reconcile suite`: the Great Expectations suite built from the letters, saved as GX JSON."""

from __future__ import annotations

import click

from reconcile.errors import OutputError


@click.command()
@click.option("--letters", "letters", multiple=True, type=click.Path(), help="Letter files or folders (default: the bundled sample letters).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="Where to write the suite (JSON).")
@click.option("--name", default=None, help="The suite's name (default: the output file's stem).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of the output.")
def suite(letters, output, name, force, lang) -> int:
    """Build the expectation suite the letters imply and save it as GX JSON."""
    from pathlib import Path

    from reconcile.ledger.build import build_ledger
    from reconcile.ledger.expected import expected_values
    from reconcile.letters.loading import load_letters
    from reconcile.validation.suite import build_suite, save_suite

    if Path(output).exists() and not force:
        raise OutputError("the file exists; use --force to replace it", output)
    letter_set = load_letters(list(letters) or None)
    ledger = build_ledger(letter_set)
    built = build_suite(expected_values(ledger, letter_set), name or Path(output).stem)
    save_suite(built, output)
    from reconcile.output.wording import counted, message

    click.echo(message("suite_written", lang, path=output, count=counted("expectation", len(built.expectations), lang),
                       letters=counted("letter", len(letter_set.letters), lang)))
    return 0
