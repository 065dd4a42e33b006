"""`reconcile letters`: the statements read from the letters, and (with --audit) the ledger."""

from __future__ import annotations

import sys

import click

from reconcile.amounts import format_nok
from reconcile.errors import UsageError


def _letter_range(numbers: list[int]) -> str:
    if not numbers:
        return "no letter (none was read)"
    return f"letter {numbers[0]} to {numbers[-1]}"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "json_path", metavar="PATH|-", help="Write the statements as JSON ('-' for stdout).")
@click.option("--audit", is_flag=True, help="Work out the expected amount of every post and audit the letters.")
@click.option("--as-of", "as_of", type=int, metavar="N", help="As known after letter N: nothing from a later letter (default: the latest).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of the output.")
def letters(paths: tuple[str, ...], json_path: str | None, audit: bool, as_of: int | None, lang: str) -> int:
    """Show what the letters say about each budget post.

    PATHS are letter files (.txt, .html/.htm, .pdf, .docx) or folders of them; with none, the
    bundled sample letters are read. With --audit, exit code 0: the letters agree with themselves
    (warnings within rounding allowed); 1: the audit found errors (up to letter N with --as-of N);
    2: bad input.
    """
    from reconcile.letters.loading import load_letters

    letter_set = load_letters(list(paths) or None)
    ledger = None
    if audit or as_of is not None:
        from reconcile.ledger.build import build_ledger
        from reconcile.ledger.expected import as_known_after

        if as_of is not None:
            numbers = sorted(letter.number for letter in letter_set.letters)
            if not numbers or not numbers[0] <= as_of <= numbers[-1]:
                raise UsageError(f"--as-of {as_of}: the letters run from {_letter_range(numbers)}")
            letter_set = as_known_after(letter_set, as_of)
        ledger = build_ledger(letter_set)
    data = letter_set.to_dict()
    if ledger is not None:
        data.update(ledger.to_dict(as_of=as_of))
    if json_path:
        from reconcile.jsonout import dumps
        from reconcile.output.reports import letters_report

        text = dumps(letters_report(data, lang))
        if json_path == "-":
            click.echo(text)
            click.get_current_context().exit(1 if ledger is not None and any(f.severity == "error" for f in ledger.audit) else 0)
        from reconcile.output.files import write_text_atomically

        write_text_atomically(json_path, text + "\n")
    if json_path != "-":
        if ledger is None:
            _print_statements(letter_set, lang)
        else:
            from reconcile.ledger.render import render_ledger

            click.echo(render_ledger(ledger, as_of=as_of, lang=lang))
    has_errors = ledger is not None and any(f.severity == "error" for f in ledger.audit)
    click.get_current_context().exit(1 if has_errors else 0)


def _print_statements(letter_set, lang: str) -> None:
    from reconcile.output.translations import in_language
    from reconcile.output.wording import counted, kind_text, letter_name, words

    m = words(lang)["messages"]
    echo = click.echo
    for letter in letter_set.letters:
        date = letter.date.isoformat() if letter.date else m["undated"]
        heading = m["letter_heading"] if letter.title.strip() else m["letter_heading_untitled"]  # no empty «»
        echo(heading.format(name=letter_name(letter.number, lang, capital=True), date=date, title=letter.title,
                            document=letter.document))
    echo("")
    letter_, line, post, kind, amount, quote = m["statements_header"]
    echo(f"{letter_:>6}  {line:>5}  {post:<7} {kind:<18} {amount:>18}  {quote}")
    for statement in letter_set.statements:
        amount = (format_nok(statement.amount.value) if statement.amount
                  else m["percent"].format(percent=statement.percent))
        if statement.amount and not statement.amount.is_exact:
            amount += " ±"
        quote = statement.source.quote
        quote = quote if len(quote) <= 70 else quote[:67] + "…"
        kind = kind_text(statement.kind, lang)
        if str(statement.kind) not in ("proposal", "enacted"):  # those kinds say their status themselves
            kind += _STATUS_NOTE[lang].get(str(statement.status), "")
        echo(f"{statement.letter:>6}  {statement.source.line:>5}  {str(statement.post):<7} "
             f"{kind:<18} {amount:>18}  «{quote}»")
    echo("")
    echo(m["statements_total"].format(statements=counted("statement", len(letter_set.statements), lang),
                                     letters=counted("letter", len(letter_set.letters), lang)))
    for issue in letter_set.issues:
        echo(m["extraction_note"].format(name=letter_name(issue.letter, lang), line=issue.line, message=in_language(issue.message, lang)),
             err=True)
    sys.stdout.flush()


# A budget text's proposals and recommendations are listed, not booked: the listing says which is which.
_STATUS_NOTE = {
    "nb": {"proposed": " (foreslått)", "recommended": " (tilrådd)", "enacted": " (vedtatt)"},
    "en": {"proposed": " (proposed)", "recommended": " (recommended)", "enacted": " (enacted)"},
}
