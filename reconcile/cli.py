"""The command line: parse options, call the library, render, pick the exit code.

Heavy libraries (pandas, Great Expectations) are imported inside the commands that need them, so
that `reconcile --help` and `reconcile letters` start fast.
"""

from __future__ import annotations

import sys
import traceback

import click

from reconcile import __version__
from reconcile.errors import ReconcileError

EXIT_OK = 0
EXIT_DISCREPANCIES = 1
EXIT_BAD_INPUT = 2


class DefaultCommandGroup(click.Group):
    """`reconcile WORKBOOK…` runs the `check` command; named subcommands run as usual."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --debug is the group's option but may be written anywhere: `reconcile --debug X.xlsx`,
        # `reconcile X.xlsx --debug` (the subcommands do not know it).
        debug = ["--debug"] if "--debug" in args else []
        args = [arg for arg in args if arg != "--debug"]
        unlanguaged = _without_language(args)
        if len(unlanguaged) == 1 and unlanguaged[0] in ("--help", "-h", "--version"):
            # `reconcile --lang en --help`: the program's help (main has read the language already)
            args = unlanguaged
        # No arguments at all is a check without a workbook: one line saying what to give (click
        # would print its whole help as an error).
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, [*debug, *args])


def _without_language(args: list[str]) -> list[str]:
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return kept


class _Context(click.Context):
    """A run's context: its help is written in the run's language (bokmål unless --lang en)."""

    def make_formatter(self) -> click.HelpFormatter:
        if (self.find_root().obj or {}).get("lang") != "nb":
            return super().make_formatter()
        from reconcile.help_text import BokmalHelp

        return BokmalHelp(width=self.terminal_width, max_width=self.max_content_width, commands=cli.commands, root=cli)


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reconcile", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Check budget workbooks against the ministry's allocation letters (tildelingsbrev).

    \b
    reconcile WORKBOOK...          check workbooks, write annotated copies
    reconcile letters [PATH...]    show the statements read from the letters
    reconcile letters --audit      the expected amount of every post, and the letters' own errors
    reconcile suite -o FILE.json   the Great Expectations suite the letters imply
    reconcile template -o NEW.xlsx a tracking workbook built from the letters

    With no letters given, the bundled sample letters are used.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register_commands() -> None:
    from reconcile.commands import check_command, letters_command, suite_command, template_command

    cli.add_command(check_command.check)
    cli.add_command(letters_command.letters)
    cli.add_command(suite_command.suite)
    cli.add_command(template_command.template)
    for command in (cli, *cli.commands.values()):
        command.context_class = _Context


_register_commands()


def run_language(args: list[str]) -> str:
    """The language of the run (--lang, default nb), known before click parses: errors follow it too."""
    for position, arg in enumerate(args):
        if arg == "--lang" and position + 1 < len(args):
            return args[position + 1] if args[position + 1] in ("nb", "en") else "nb"
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1] if arg.split("=", 1)[1] in ("nb", "en") else "nb"
    return "nb"


def main(argv: list[str] | None = None) -> None:
    from reconcile.output.translations import in_language
    from reconcile.output.wording import message

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    lang = run_language(args)
    try:
        code = cli.main(args=args, prog_name="reconcile", standalone_mode=False, obj={"lang": lang})
    except ReconcileError as error:
        if debug:
            traceback.print_exc()
        text = in_language(error.message, lang)
        click.echo(message("error", lang, message=f"{error.path}: {text}" if error.path else text), err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo(message("aborted", lang), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        click.echo(message("interrupted", lang), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as error:
        # click exits 1 for its own errors; 1 means "discrepancies found" here.
        if debug:
            traceback.print_exc()
        click.echo(message("error", lang, message=in_language(error.format_message(), lang)), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as error:  # a bug, not bad input: still one line unless --debug
        if debug:
            raise
        click.echo(message("internal_error", lang, kind=type(error).__name__, message=error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
