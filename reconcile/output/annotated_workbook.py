"""The annotated copy: every checked cell coloured and noted, a summary sheet, the letters' audit."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from reconcile import __version__
from reconcile.output.translations import in_language
from reconcile.output.wording import check_text, note_text, source_text, words

STATUS_MARK = {"match": "match", "within_tolerance": "explained", "explained": "explained", "mismatch": "mismatch",
               "missing": "missing", "unexpected": "unexpected", "unreadable": "mismatch"}


def annotation_plan(result, ledger, letter_set, lang: str = "nb"):
    """The marks and the two new sheets for one workbook's findings."""
    from reconcile.output.xlsx_package import CellMark, Link, NewSheet

    w = words(lang)
    dates = letter_dates(letter_set)
    marks = [
        CellMark(f.sheet, f.cell, STATUS_MARK[f.status], note_text(f, dates, lang))
        for f in result.findings
        if f.sheet and f.cell
    ]
    rows = [w["headers"]]
    statuses = []
    for f in sorted(result.findings, key=lambda f: (not f.failing, f.sheet or "", f.post, f.cell or "")):
        link = Link(f.cell, f.sheet, f.cell) if f.sheet and f.cell else (f.sheet or "")
        rows.append([
            f.sheet or "", link, f.post, w["roles"].get(f.role, f.role), f.letter, f.actual, f.expected, f.difference,
            w[f.status], w["causes"].get(f.cause, f.cause or "") + (f" – {in_language(f.cause_detail, lang)}" if f.cause_detail else ""),
            source_text(f.source, dates, lang), (f.source or {}).get("quote", ""), f.explanation or "",
        ])
        statuses.append(STATUS_MARK[f.status])
    summary = result.summary()
    rows.append([])
    rows.append([w["totals"]])
    keys = ["checked", "match", "mismatch", "explained", "missing", "unexpected"]
    if "unreadable" in summary:  # sheets not read: counted only when there are any
        keys.append("unreadable")
    for key in keys:
        rows.append([w.get(key, "Kontrollert" if lang == "nb" else "Checked"), summary.get(key, 0)])
    statuses += [None] * (len(rows) - 1 - len(statuses))
    rows.append([])
    rows.append([w["legend"]])
    statuses += [None, None]
    legend = {"match": w["match"], "mismatch": w["mismatch"], "explained": f"{w['explained']} / {w['within_tolerance']}",
              "missing": w["missing"], "unexpected": w["unexpected"]}
    for status, label in legend.items():
        rows.append([label, ""])
        statuses.append(status)
    rows.append([])
    rows.append([w["inputs"]])
    rows.append([Path(result.path).name, f"SHA-256 {result.sha256}"])
    for document, digest in letter_set.documents:
        rows.append([Path(document).name, f"SHA-256 {digest}"])
    rows.append([w["tool"], f"reconcile {__version__}"])
    rows.append([w["time"], datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")])
    summary_sheet = NewSheet(w["summary_sheet"], rows, column_widths=(14, 8, 9, 18, 8, 16, 16, 14, 16, 30, 30, 60, 30),
                             row_statuses=tuple(statuses))
    audit_rows = [w["audit_headers"]]
    audit_findings = sorted(ledger.audit, key=lambda f: (f.letter, {"error": 0, "warning": 1, "ok": 2}[f.severity], f.post))
    for finding in audit_findings:
        audit_rows.append([
            finding.letter, str(finding.post), w["severity"][finding.severity], check_text(finding.check, lang),
            finding.stated.value, finding.computed.value, finding.difference, in_language(finding.message, lang),
            " | ".join(f"{w['letter']} {s.letter}, {w['line']} {s.source.line}: «{s.source.quote}»" for s in finding.sources),
        ])
    audit_sheet = NewSheet(w["audit_sheet"], audit_rows, column_widths=(8, 9, 12, 30, 16, 16, 14, 80, 100),
                           row_statuses=tuple({"error": "mismatch", "warning": "explained", "ok": "match"}[f.severity]
                                              for f in audit_findings))
    return marks, [summary_sheet, audit_sheet]


def letter_dates(letter_set) -> dict[int, str]:
    return {letter.number: letter.date.strftime("%d.%m.%Y") for letter in letter_set.letters if letter.date}


def output_path(source: Path, out: str | None, out_dir: str | None) -> Path:
    if out:
        return Path(out)
    suffix = ".xlsm" if source.suffix.lower() == ".xlsm" else ".xlsx"
    folder = Path(out_dir) if out_dir else source.parent
    return folder / f"{source.stem}.reconciled{suffix}"
