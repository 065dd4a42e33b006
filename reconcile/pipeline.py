"""The one place that knows the order: letters → ledger → workbook tables → GX → findings → outputs."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Callable

from reconcile.bulk import collector_paused
from reconcile.errors import InputError, OutputError, ReconcileError
from reconcile.findings.model import WorkbookResult
from reconcile.ledger.build import build_ledger
from reconcile.ledger.expected import expected_values, make_key
from reconcile.letters.loading import load_letters
from reconcile.letters.statements import Kind
from reconcile.output.wording import message
from reconcile.workbook.records import CONTENT_LAYOUT

ANNOTATABLE = (".xlsx", ".xlsm")
VALUES_ONLY = (".xls", ".ods", ".xlsb")  # annotated as an .xlsx copy of their values


@dataclass
class Options:
    letters: list[str] | None = None
    tolerance: Decimal = Decimal(0)
    suite: str | None = None
    layout: str | None = None
    explanations: str | None = None
    out: str | None = None
    out_dir: str | None = None
    force: bool = False
    lang: str = "nb"
    annotate: bool = True
    progress: Callable[[str], None] = field(default=lambda message: None)
    timings: dict[str, float] | None = None  # phase -> seconds, filled when given (benchmarks)


@dataclass
class Prepared:
    letter_set: object
    ledger: object
    expected: dict
    suite: object
    user_suite: object | None
    letter_tables: dict
    explanations: object | None
    skipped: tuple[str, ...] = ()  # inputs not checked: the tool's own annotated copies in a glob


def prepare(options: Options) -> Prepared:
    """Read the letters and build the suite once for all workbooks of a run (GX is imported once)."""
    clock = _Clock(options.timings)
    options.progress(message("progress_letters", options.lang))
    with clock("letters"):
        letter_set = load_letters(options.letters)
    with clock("ledger"):
        ledger = build_ledger(letter_set)
        expected = expected_values(ledger, letter_set)
    options.progress(message("progress_suite", options.lang))
    with clock("suite"):
        from reconcile.validation.suite import build_suite, load_suite

        suite = build_suite(expected)
        user_suite = load_suite(options.suite) if options.suite else None
    letter_tables: dict[int, set] = {}
    for statement in letter_set.statements:
        if statement.kind == Kind.TABLE_TOTAL:
            letter_tables.setdefault(statement.letter, set()).add(statement.post)
    explanations = None
    if options.explanations:
        from reconcile.findings.explanations import load_explanations

        explanations = load_explanations(options.explanations)
    return Prepared(letter_set, ledger, expected, suite, user_suite, letter_tables, explanations)


def check_workbook(path: str | Path, prepared: Prepared, options: Options) -> WorkbookResult:
    from reconcile.findings.build import findings_from, unreadable_findings
    from reconcile.workbook.container import shown
    from reconcile.validation.mapping import map_workbook, missing_posts
    from reconcile.validation.run import plan_run, validate
    from reconcile.workbook import read_workbook

    clock = _Clock(options.timings)
    path = Path(path)
    target = None
    if options.annotate and path.suffix.lower() in ANNOTATABLE + VALUES_ONLY:
        from reconcile.output.annotated_workbook import output_path

        target = output_path(path, options.out, options.out_dir)
        if target.exists() and not options.force:
            raise OutputError("the output exists; use --force to replace it", target)
        if target.resolve() == path.resolve():
            raise OutputError("the output would overwrite the input", target)
    options.progress(message("progress_read", options.lang, name=path.name))
    layout = None
    if options.layout:
        from reconcile.workbook.layout import load_layout

        layout = load_layout(options.layout)
    with clock("read"), collector_paused():
        read = read_workbook(path, layout)
    read = _without_tool_sheets(read, path)
    if not read.tables:
        # Nothing to check is not "everything matches": exit 0 here would let a CI job pass on a
        # workbook whose table the reader no longer recognises. Refused before any output is written.
        if read.unread:
            first = read.unread[0]
            raise InputError(f"found no table of budget posts to check: sheet {shown(first.sheet or '')} was not "
                             f"read ({first.message.removeprefix('arket er hoppet over: ')})", path)
        if layout is not None:
            from reconcile.workbook.layout_misses import layout_misses

            misses = layout_misses(layout, read, path)
            raise InputError(
                f"found no table of budget posts with the layout file {options.layout}"
                + (f"; in it, these matched nothing in the workbook: {'; '.join(misses)}" if misses else "")
                + ": see reconcile WORKBOOK --explain-layout --layout FILE", path)
        raise InputError(
            "found no table of budget posts (kapittel/post and amounts) to check: "
            "see reconcile WORKBOOK --explain-layout, or name the columns in a layout file (--layout)",
            path,
        )
    options.progress(message("progress_check", options.lang, name=path.name))
    with clock("map"), collector_paused():
        tolerance = layout.tolerance if layout is not None and layout.tolerance is not None else options.tolerance
        post_tolerance = dict(layout.post_tolerance) if layout is not None else {}
        mapping = map_workbook(read, prepared.expected, prepared.ledger.letters, tolerance, post_tolerance)
    if not mapping.cells and not mapping.sums and all(table.layout == CONTENT_LAYOUT for table in read.tables):
        # Tables found by their values, none of whose columns agrees with the letters: nothing checked.
        raise InputError(
            "found tables of budget posts, but no column of amounts that agrees with the letters: "
            "see reconcile WORKBOOK --explain-layout, or name the columns in a layout file (--layout)",
            path,
        )
    with clock("validate"):
        slack: dict[str, Decimal] = {}
        for cell in mapping.cells:
            slack[cell.key] = max(slack.get(cell.key, Decimal(0)), cell.slack)
        # The user's suite (--suite) runs in the same validation pass as ours.
        plan = plan_run(prepared.suite, lambda key: slack.get(key, tolerance), set(slack), prepared.user_suite)
        outcomes = validate(mapping.value_rows(), plan.suite, plan.bounds, plan.user_bounds)
    with clock("findings"):
        missing = missing_posts(mapping, prepared.expected)
        missing_in_tables = []
        for table in read.tables:
            if table.letter_no in prepared.letter_tables and table.layout == "letter_sheet":
                present = set(table.posts)
                for post in sorted(prepared.letter_tables[table.letter_no] - present):
                    value = prepared.expected.get(make_key(post, "total", table.letter_no))
                    if value is not None and post in mapping.seen_posts:
                        missing_in_tables.append((table.sheet, value))
        findings = findings_from(mapping, outcomes, prepared.expected, missing, missing_in_tables, prepared.explanations)
        findings += unreadable_findings(read)
    issues = letter_notes(prepared.letter_set) + tuple(str(issue) for issue in read.issues)
    result = WorkbookResult(str(path), read.sha256, None, tuple(findings), issues, tuple(mapping.notes))
    if target is not None:
        options.progress(message("progress_write", options.lang, name=target.name))
        from reconcile.output.annotated_workbook import annotation_plan
        from reconcile.output.files import ensure_folder
        from reconcile.output.xlsx_package import write_annotated_copy

        ensure_folder(target.parent, target)
        with clock("annotate"):
            marks, sheets = annotation_plan(result, prepared.ledger, prepared.letter_set, options.lang)
            if path.suffix.lower() in VALUES_ONLY:
                report = _annotate_values_copy(path, target, marks, sheets)
            else:
                report = write_annotated_copy(path, target, marks, sheets)
        result = WorkbookResult(str(path), read.sha256, str(target), tuple(findings),
                                issues + tuple(report.problems), tuple(mapping.notes))
    return result


def check_inputs(paths: list[str], options: Options, reports: tuple[str | None, ...] = ()) -> None:
    """Every path of the run checked before anything heavy is imported or read: a mistyped name is
    answered at once, not after Great Expectations has loaded. `reports` are the JSON/JUnit outputs."""
    from reconcile.output.files import check_folder

    if options.out and len(paths) > 1:
        raise InputError("--out names one output; use --out-dir with several workbooks")
    for path in paths:
        _check_file(Path(path), "workbook")
    for path in options.letters or ():
        if not Path(path).exists():
            raise InputError("no such file", path)
    for path, kind in ((options.layout, "layout file"), (options.suite, "suite file"),
                       (options.explanations, "explanations file")):
        if path:
            _check_file(Path(path), kind)
    # The small files a user writes by hand are read now too: a typo in them is answered at once,
    # not after the letters and Great Expectations (the run reads them again where it uses them).
    if options.layout:
        from reconcile.workbook.layout import load_layout

        load_layout(options.layout)
    if options.explanations and Path(options.explanations).suffix.lower() in (".csv", ".toml"):
        from reconcile.findings.explanations import load_explanations

        load_explanations(options.explanations)
    if options.suite:
        from reconcile.validation.suite import read_suite_json

        read_suite_json(options.suite)
    if options.annotate:
        from reconcile.output.annotated_workbook import output_path

        for path in paths:
            target = output_path(Path(path), options.out, options.out_dir)
            check_folder(target.parent, target)
    for report in reports:
        if report and report != "-":
            check_folder(Path(report).parent, Path(report))


def _check_file(path: Path, kind: str) -> None:
    if path.is_dir():
        raise InputError(f"is a directory, not a {kind}", path)
    if not path.exists():
        raise InputError("no such file" if kind == "workbook" else f"no such {kind}", path)


def _without_tool_sheets(read, path: Path):
    """An annotated copy checked on purpose: its summary sheets are the tool's report, not a budget."""
    from reconcile.workbook.own_copy import is_annotated_copy, tool_sheet

    if not any(tool_sheet(table.sheet) for table in read.tables) or not is_annotated_copy(path):
        return read
    return replace(read, tables=tuple(table for table in read.tables if not tool_sheet(table.sheet)),
                   issues=tuple(issue for issue in read.issues if not tool_sheet(getattr(issue, "sheet", None) or "")))


def explain_workbook(path: str | Path, options: Options) -> str:
    """`--explain-layout`: what the reader found in the workbook and, for each column whose role the
    letters decide, the reading chosen and the rows that support it (no GX, no output written)."""
    from reconcile.validation.mapping import map_workbook
    from reconcile.workbook import explain_layout, read_workbook

    layout = None
    if options.layout:
        from reconcile.workbook.layout import load_layout

        layout = load_layout(options.layout)
    read = read_workbook(path, layout)
    letter_set = load_letters(options.letters)
    ledger = build_ledger(letter_set)
    mapping = map_workbook(read, expected_values(ledger, letter_set), ledger.letters, options.tolerance, explain=True)
    readings = {where: found.summary for where, found in mapping.figures.items()}
    return explain_layout(read, readings, options.lang)


class _Clock:
    """Adds each phase's wall time to `timings` (seconds by phase name), when timings are asked for."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings

    @contextmanager
    def __call__(self, phase: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            if self.timings is not None:
                self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - started


def letter_notes(letter_set) -> tuple[str, ...]:
    """A note for each letter that gave no amount for a post: the check cannot use it."""
    used = {statement.letter for statement in letter_set.statements}
    return tuple(
        f"{letter.document}: tillegg nr. {letter.number}: brevet inneholder ingen beløp knyttet til "
        "kapittel/post; ingenting i arbeidsboka kontrolleres mot det"
        for letter in letter_set.letters
        if letter.number not in used
    )


def _annotate_values_copy(path: Path, target: Path, marks, sheets):
    """An .xls/.ods cannot be annotated in place: annotate an .xlsx of its values instead."""
    import tempfile

    from xlsxwriter.exceptions import FileCreateError

    from reconcile.output.values_copy import write_values_copy
    from reconcile.output.xlsx_package import write_annotated_copy

    if not target.parent.is_dir():
        raise OutputError("the output folder does not exist", target)
    try:  # named like every temporary output (.NAME.*.tmp), so that a leftover is recognised
        scratch = tempfile.TemporaryDirectory(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(f"cannot write in the output folder: {error.strerror or error}", target) from error
    with scratch as folder:
        values = Path(folder) / "values.xlsx"
        try:
            write_values_copy(path, values)
        except (OSError, FileCreateError) as error:  # xlsxwriter wraps the OSError of a full disk
            cause = error.args[0] if isinstance(error, FileCreateError) and error.args else error
            raise OutputError(f"cannot write the output: {getattr(cause, 'strerror', None) or cause}", target) from error
        report = write_annotated_copy(values, target, marks, sheets)
    note = f"{path.name} er ikke en .xlsx/.xlsm: kopien har bare verdiene, uten formatering og formler"
    return replace(report, problems=(*report.problems, note))


def run(paths: list[str], options: Options,
        reports: tuple[str | None, ...] = ()) -> tuple[Prepared, list[WorkbookResult]]:
    """Check each workbook of `paths` against the letters; `reports` (the JSON/JUnit outputs) are
    checked with the inputs, before anything is read."""
    check_inputs(paths, options, reports)
    paths, skipped = without_own_copies(paths)
    existing = _existing_outputs(paths, options)
    if existing and not options.force:
        # Refused before the first copy is written: `reconcile *.xlsx` after `reconcile a.xlsx`
        # must not leave some copies new and some old.
        raise OutputError("the output exists; use --force to replace it", existing[0])
    prepared = replace(prepare(options), skipped=skipped)
    results: list[WorkbookResult] = []
    try:
        for path in paths:
            results.append(check_workbook(path, prepared, options))
    except ReconcileError:
        # Bad input ends the run with no output left behind: the copies already written for the
        # workbooks before it are removed. One that replaced an older copy (--force) stays: the
        # older one is gone either way.
        for result in results:
            if result.output and result.output not in existing:
                Path(result.output).unlink(missing_ok=True)
        raise
    return prepared, results


def _existing_outputs(paths: list[str], options: Options) -> list[str]:
    """The annotated copies of `paths` that exist already, in the order of the inputs."""
    if not options.annotate:
        return []
    from reconcile.output.annotated_workbook import output_path

    targets = [output_path(Path(path), options.out, options.out_dir) for path in paths
               if Path(path).suffix.lower() in ANNOTATABLE + VALUES_ONLY]
    return [str(target) for target in targets if target.exists()]


def without_own_copies(paths: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """The inputs less the annotated copies this tool wrote (`reconcile *.xlsx` after a first run
    also matches *.reconciled.xlsx). A copy named as the only input, or among only copies, is checked."""
    from reconcile.workbook.own_copy import is_annotated_copy

    if len(paths) < 2:
        return paths, ()
    own = [path for path in paths if is_annotated_copy(path)]
    if len(own) == len(paths):
        return paths, ()
    return [path for path in paths if path not in own], tuple(str(path) for path in own)
