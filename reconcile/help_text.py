"""`reconcile --help` in bokmål: the run's default language, like every other message (`--lang en`
keeps click's English help). The commands keep their English help in the code; this is the other
wording, looked up by the English text as click is about to write it."""

from __future__ import annotations

import inspect
import re

import click

# The English help of each command and option (as written in the code) -> bokmål.
BOKMAL_HELP = {
    # the commands
    "Check budget workbooks against the ministry's allocation letters (tildelingsbrev).":
        "Kontroller budsjettarbeidsbøker mot departementets tildelingsbrev.",
    "Check WORKBOOKS against the allocation letters.": "Kontroller ARBEIDSBØKER mot tildelingsbrevene.",
    "Show what the letters say about each budget post.": "Vis hva brevene sier om hver budsjettpost.",
    "Build the expectation suite the letters imply and save it as GX JSON.":
        "Bygg forventningssuiten brevene gir, og lagre den som GX-JSON.",
    "Build a tracking workbook from the letters: a row per post, a column per letter.":
        "Bygg en oppfølgingsarbeidsbok fra brevene: en rad per post, en kolonne per brev.",
    # the options
    "Letter files or folders (default: the bundled sample letters).":
        "Brevfiler eller mapper (standard: de medfølgende eksempelbrevene).",
    "Allowed difference in kroner (default 0).": "Tillatt differanse i kroner (standard 0).",
    "A Great Expectations suite (JSON) with your own expectations, run as well.":
        "En Great Expectations-suite (JSON) med egne forventninger, som også kjøres.",
    "A layout file (TOML) naming the columns' roles.": "En layoutfil (TOML) som angir kolonnenes roller.",
    "Known differences (CSV/TOML) or a previous .reconciled.xlsx.":
        "Kjente avvik (CSV/TOML) eller en tidligere .reconciled.xlsx.",
    "Where to write the annotated copy (one workbook).": "Hvor den kommenterte kopien skrives (én arbeidsbok).",
    "Folder for the annotated copies.": "Mappe for de kommenterte kopiene.",
    "Replace an existing annotated copy.": "Erstatt en eksisterende kommentert kopi.",
    "Check only; write no annotated copy.": "Bare kontroller; skriv ingen kommentert kopi.",
    "Write the findings as JSON ('-' for stdout).": "Skriv funnene som JSON ('-' for standard ut).",
    "Write a JUnit XML report.": "Skriv en JUnit XML-rapport.",
    "Language of every message, report and note.": "Språket for alle meldinger, rapporter og merknader.",
    "Print only errors.": "Skriv bare feil.",
    "Language of the output.": "Språket for utdataene.",
    "Print the tables, header rows, column roles and units found, and stop.":
        "Skriv tabellene, overskriftsradene, kolonnerollene og enhetene som ble funnet, og stopp.",
    "Write the statements as JSON ('-' for stdout).": "Skriv opplysningene som JSON ('-' for standard ut).",
    "Work out the expected amount of every post and audit the letters.":
        "Regn ut forventet beløp for hver post og kontroller brevene.",
    "As known after letter N: nothing from a later letter (default: the latest).":
        "Slik det var kjent etter brev N: ingenting fra et senere brev (standard: det siste).",
    "Where to write the suite (JSON).": "Hvor suiten skrives (JSON).",
    "The suite's name (default: the output file's stem).": "Suitens navn (standard: utdatafilens navn uten endelse).",
    "Replace an existing file.": "Erstatt en eksisterende fil.",
    "The new workbook (.xlsx).": "Den nye arbeidsboka (.xlsx).",
    "Show the version and exit.": "Vis versjonen og avslutt.",
    "Show the full traceback of an error.": "Vis hele sporet for en feil.",
    "Show this message and exit.": "Vis denne hjelpen og avslutt.",
}

# A command's whole description (its docstring) by command name; None is the program itself.
BOKMAL_DESCRIPTION = {
    None: """Kontroller budsjettarbeidsbøker mot departementets tildelingsbrev.

    \b
    reconcile ARBEIDSBOK...        kontroller arbeidsbøker, skriv kommenterte kopier
    reconcile letters [STI...]     vis opplysningene lest fra brevene
    reconcile letters --audit      forventet beløp for hver post, og brevenes egne feil
    reconcile suite -o FIL.json    Great Expectations-suiten brevene gir
    reconcile template -o NY.xlsx  en oppfølgingsarbeidsbok bygd fra brevene

    Uten oppgitte brev brukes de medfølgende eksempelbrevene. Med --lang en er all tekst på engelsk.
    """,
    "check": """Kontroller ARBEIDSBØKER mot tildelingsbrevene.

    Skriver NAVN.reconciled.xlsx ved siden av hver arbeidsbok (inndataene endres aldri).
    Avslutningskode 0: alt stemmer eller er forklart; 1: uforklarte avvik; 2: feil i inndata.
    """,
    "letters": """Vis hva brevene sier om hver budsjettpost.

    STIER er brevfiler (.txt, .html/.htm, .pdf, .docx) eller mapper med dem; uten dem leses de
    medfølgende eksempelbrevene. Med --audit er avslutningskoden 0: brevene stemmer med seg selv
    (advarsler innenfor avrundingen er tillatt); 1: kontrollen fant feil (til og med brev N med
    --as-of N); 2: feil i inndata.
    """,
}

_HEADINGS = {"Options": "Valg", "Commands": "Kommandoer", "Arguments": "Argumenter"}
_PLACEHOLDERS = {"OPTIONS": "VALG", "COMMAND": "KOMMANDO", "ARGS": "ARGUMENTER", "WORKBOOKS": "ARBEIDSBØKER",
                 "PATHS": "STIER", "PATH": "STI", "FILE": "FIL", "TEXT": "TEKST", "DIR": "MAPPE"}
_EXTRA = re.compile(r"\s+\[(default: .*|required)\]$")


def _described(command: click.Command) -> str:
    return inspect.cleandoc(command.help or "").partition("\f")[0]


class BokmalHelp(click.HelpFormatter):
    """click's help formatter, writing bokmål for the English it knows."""

    def __init__(self, *args, commands: dict[str, click.Command], root: click.Command, **kwargs):
        super().__init__(*args, **kwargs)
        self._descriptions = {_described(command): inspect.cleandoc(BOKMAL_DESCRIPTION[name])
                              for name, command in [(None, root), *commands.items()] if name in BOKMAL_DESCRIPTION}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = _placeholders(args)
        super().write_usage(prog, args, "Bruk: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_text(self, text: str) -> None:
        super().write_text(self._descriptions.get(text) or BOKMAL_HELP.get(text, text))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_placeholders(term), _bokmal_definition(definition)) for term, definition in rows],
                         col_max, col_spacing)


def _placeholders(text: str) -> str:
    """'--out-dir DIR' -> '--out-dir MAPPE': an option's value named in bokmål (its name stays)."""
    return re.sub(r"(?<![-\w])[A-Z]+\b", lambda m: _PLACEHOLDERS.get(m[0], m[0]), text)


def _bokmal_definition(text: str) -> str:
    extra = _EXTRA.search(text)
    plain = text[:extra.start()] if extra else text
    said = BOKMAL_HELP.get(plain)
    if said is None and plain.endswith("..."):  # a command's first line, cut short by click
        said = next((nb for en, nb in BOKMAL_HELP.items() if en.startswith(plain[:-3])), plain)
    said = said or plain
    if extra:
        said += "  [" + extra[1].replace("default:", "standard:").replace("required", "påkrevd") + "]"
    return said
