"""`reconcile letters`: the statements read from the letters, and (with --audit) the ledger."""

from __future__ import annotations

import sys

import click

from reconcile.amounts import format_nok


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "json_path", metavar="PATH|-", help="Write the statements as JSON ('-' for stdout).")
@click.option("--audit", is_flag=True, help="Work out the expected amount of every post and audit the letters.")
@click.option("--as-of", "as_of", type=int, metavar="N", help="The state after letter N (default: the latest).")
def letters(paths: tuple[str, ...], json_path: str | None, audit: bool, as_of: int | None) -> int:
    """Show what the letters say about each budget post.

    PATHS are letter files (.txt, .pdf, .docx) or folders of them; with none, the bundled sample
    letters are read.
    """
    from reconcile.letters.loading import load_letters

    letter_set = load_letters(list(paths) or None)
    data = letter_set.to_dict()
    ledger = None
    if audit or as_of is not None:
        from reconcile.ledger.build import build_ledger

        ledger = build_ledger(letter_set)
        data.update(ledger.to_dict(as_of=as_of))
    if json_path:
        from reconcile.jsonout import dumps

        text = dumps(data)
        if json_path == "-":
            click.echo(text)
            click.get_current_context().exit(1 if ledger is not None and any(f.severity == "error" for f in ledger.audit) else 0)
        from reconcile.output.files import write_text_atomically

        write_text_atomically(json_path, text + "\n")
    if json_path != "-":
        if ledger is None:
            _print_statements(letter_set)
        else:
            from reconcile.ledger.render import render_ledger

            click.echo(render_ledger(ledger, as_of=as_of))
    has_errors = ledger is not None and any(f.severity == "error" for f in ledger.audit)
    click.get_current_context().exit(1 if has_errors else 0)


def _print_statements(letter_set) -> None:
    echo = click.echo
    for letter in letter_set.letters:
        date = letter.date.isoformat() if letter.date else "udatert"
        echo(f"Tillegg nr. {letter.number} ({date}) – {letter.title} [{letter.document}]")
    echo("")
    echo(f"{'Brev':>4}  {'Linje':>5}  {'Post':<7} {'Type':<17} {'Beløp':>18}  Sitat")
    for statement in letter_set.statements:
        amount = format_nok(statement.amount.value) if statement.amount else f"{statement.percent} pst."
        if statement.amount and not statement.amount.is_exact:
            amount += " ±"
        quote = statement.source.quote
        quote = quote if len(quote) <= 70 else quote[:67] + "…"
        kind = str(statement.kind)
        if kind not in ("proposal", "enacted"):  # those kinds say their status themselves
            kind += _STATUS_NOTE.get(str(statement.status), "")
        echo(f"{statement.letter:>4}  {statement.source.line:>5}  {str(statement.post):<7} {kind:<17} {amount:>18}  {quote}")
    echo("")
    echo(f"{len(letter_set.statements)} opplysninger fra {len(letter_set.letters)} brev")
    for issue in letter_set.issues:
        echo(f"merknad: tillegg nr. {issue.letter}, l. {issue.line}: {issue.message}", err=True)
    sys.stdout.flush()


# A budget text's proposals and recommendations are listed, not booked: the listing says which is which.
_STATUS_NOTE = {"proposed": " (foreslått)", "recommended": " (tilrådd)", "enacted": " (vedtatt)"}
