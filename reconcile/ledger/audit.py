"""The letters' own arithmetic, checked with interval arithmetic over each amount's precision.

Each check is a plain function returning findings; a finding is ok (exactly consistent), warning
(consistent only within the rounding of the stated amounts) or error (inconsistent beyond it).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from reconcile.amounts import Amount, format_nok, sum_amounts
from reconcile.ledger.model import OK, WARNING, AuditFinding, Figure, judge
from reconcile.letters.statements import Kind, LetterSet, Statement
from reconcile.posts import Post


def _finding(post, letter, check, stated: Amount, computed: Amount, sources, text: str, severity: str | None = None):
    severity = severity or judge(stated, computed)
    difference = stated.value - computed.value
    verdict = {
        OK: "stemmer",
        WARNING: f"stemmer bare innenfor avrundingen (avvik {format_nok(difference)}, toleranse ±{format_nok(stated.precision + computed.precision)})",
        "error": f"stemmer ikke (avvik {format_nok(difference)}, utover avrundingen ±{format_nok(stated.precision + computed.precision)})",
    }[severity]
    return AuditFinding(post, letter, severity, check, stated, computed, f"{post}: {text}: {verdict}", tuple(sources))


def chain_check(post: Post, letter: int, stated: Statement, reference: Figure, change: Amount | None,
                change_sources: list[Statement], parts_sum: Amount | None, carried: Amount | None,
                alternative: Figure | None = None) -> list[AuditFinding]:
    """A stated figure against the previous figure plus this letter's change (and carry-over)."""
    computed = reference.allocation
    if change is not None:
        computed = computed + change
    if carried is not None:
        computed = computed + carried
    words = f"{format_nok(stated.amount.value)} i tillegg nr. {letter} mot {format_nok(reference.allocation.value)}"
    words += f" (etter tillegg nr. {reference.letter})"
    if change is not None:
        words += f" {'+' if change.value >= 0 else '−'} {format_nok(abs(change.value))}"
    if carried is not None:
        words += f" + overført {format_nok(carried.value)}"
    words += f" = {format_nok(computed.value)}"
    sources = [stated, *reference.sources[-1:], *change_sources]
    finding = _finding(post, letter, "chain", stated.amount, computed, sources, words)
    if finding.severity != OK and parts_sum is not None and change is not None and parts_sum.value != change.value:
        by_parts = reference.allocation + parts_sum + (carried if carried is not None else Amount(Decimal(0)))
        if judge(stated.amount, by_parts) != "error":
            return [_finding(post, letter, "chain", stated.amount, by_parts, sources,
                             words + f"; med summen av delbeløpene ({format_nok(parts_sum.value)}) blir det {format_nok(by_parts.value)}",
                             severity=WARNING)]
    if finding.severity != OK and alternative is not None and alternative.allocation is not None:
        computed = alternative.allocation + (change if change is not None else Amount(Decimal(0)))
        computed = computed + (carried if carried is not None else Amount(Decimal(0)))
        verdict = judge(stated.amount, computed)
        if verdict != "error":
            return [_finding(post, letter, "chain", stated.amount, computed, sources,
                             words + f"; regnet med delbeløpene i tillegg nr. {alternative.letter} blir det {format_nok(computed.value)}",
                             severity=verdict)]
    return [finding]


def letter_checks(letter_set: LetterSet, timeline: dict[Post, tuple[Figure, ...]]) -> list[AuditFinding]:
    statements = letter_set.statements
    by_id = {s.id: s for s in statements}
    findings: list[AuditFinding] = []
    findings += _parts_against_totals(statements, by_id)
    findings += _corrections(statements)
    findings += _same_letter_totals(statements)
    findings += _proposals_and_enactments(statements)
    findings += _carry_over_limits(statements, timeline)
    return findings


def _parts_against_totals(statements, by_id) -> list[AuditFinding]:
    parts_of: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.part_of and statement.kind in (Kind.CHANGE_PART, Kind.BREAKDOWN_PART):
            parts_of[statement.part_of].append(statement)
    findings = []
    for total_id, parts in parts_of.items():
        total = by_id.get(total_id)
        if total is None or total.amount is None:
            continue
        if all(part.amount.text.startswith("1/") for part in parts):
            continue  # equal shares are computed from the total, not stated
        summed = sum_amounts(part.amount for part in parts)
        check = "parts_vs_total" if parts[0].kind == Kind.CHANGE_PART else "breakdown_vs_total"
        words = (f"{'samlet endring' if check == 'parts_vs_total' else 'beløpet'} {format_nok(total.amount.value)} "
                 f"mot summen av {len(parts)} delbeløp {format_nok(summed.value)}")
        findings.append(_finding(total.post, total.letter, check, total.amount, summed, [total, *parts], words))
    return findings


def _corrections(statements) -> list[AuditFinding]:
    """'Andelen utgjorde 13,6 mill.; 2,5 mill. ble stilt til disposisjon ved en inkurie; korrigert til 11,04 mill.'"""
    findings = []
    groups: dict[tuple, list[Statement]] = defaultdict(list)
    for statement in statements:
        groups[(statement.post, statement.letter)].append(statement)
    for (post, letter), group in groups.items():
        previous = [s for s in group if s.kind == Kind.PREVIOUS_TOTAL]
        corrections = [s for s in group if s.kind == Kind.CORRECTION]
        corrected = [s for s in group if s.kind == Kind.CORRECTED_TOTAL]
        if not (previous and corrections and corrected):
            continue
        computed = previous[0].amount + sum_amounts(s.amount for s in corrections)
        words = (f"korrigert beløp {format_nok(corrected[0].amount.value)} mot tidligere {format_nok(previous[0].amount.value)} "
                 f"{'−' if computed.value < previous[0].amount.value else '+'} {format_nok(abs(computed.value - previous[0].amount.value))}"
                 f" = {format_nok(computed.value)}")
        findings.append(_finding(post, letter, "correction", corrected[0].amount, computed, [corrected[0], previous[0], *corrections], words))
    return findings


def _same_letter_totals(statements) -> list[AuditFinding]:
    findings = []
    groups: dict[tuple, list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.kind in (Kind.NEW_TOTAL, Kind.CORRECTED_TOTAL, Kind.TABLE_TOTAL, Kind.STATED_TOTAL):
            groups[(statement.post, statement.letter)].append(statement)
    for (post, letter), group in groups.items():
        first = group[0]
        for other in group[1:]:
            words = (f"{format_nok(other.amount.value)} ({_where(other)}) mot {format_nok(first.amount.value)} ({_where(first)})")
            findings.append(_finding(post, letter, "same_letter_totals", other.amount, first.amount, [other, first], words))
    return findings


def _proposals_and_enactments(statements) -> list[AuditFinding]:
    findings = []
    proposals = [s for s in statements if s.kind == Kind.PROPOSAL]
    enactments = [s for s in statements if s.kind == Kind.ENACTED]
    changes = [s for s in statements if s.kind in (Kind.CHANGE, Kind.CHANGE_PART)]
    for enacted in enactments:
        proposal = next((p for p in proposals if p.post == enacted.post and p.ref and p.ref == enacted.ref
                         and p.letter < enacted.letter), None)
        if proposal is not None:
            words = (f"vedtatt {format_nok(enacted.amount.value)} i tillegg nr. {enacted.letter} mot foreslått "
                     f"{format_nok(proposal.amount.value)} i tillegg nr. {proposal.letter} (oppdrag {proposal.ref})")
            findings.append(_finding(enacted.post, enacted.letter, "enacted_vs_proposal", enacted.amount, proposal.amount,
                                     [enacted, proposal], words))
        change = next((c for c in changes if c.post == enacted.post and c.letter == enacted.letter
                       and (c.ref == enacted.ref or c.amount.overlaps(enacted.amount))), None)
        if change is not None:
            words = (f"vedtatt {format_nok(enacted.amount.value)} mot endringen på posten {format_nok(change.amount.value)}"
                     f" i samme brev")
            findings.append(_finding(enacted.post, enacted.letter, "enacted_vs_change", change.amount, enacted.amount,
                                     [change, enacted], words))
    for proposal in proposals:
        enacted_later = any(e.post == proposal.post and e.ref == proposal.ref and e.letter > proposal.letter for e in enactments)
        if not enacted_later:
            findings.append(AuditFinding(proposal.post, proposal.letter, WARNING, "proposal_pending", proposal.amount,
                                         proposal.amount,
                                         f"{proposal.post}: forslaget om {format_nok(proposal.amount.value)} (tillegg nr. {proposal.letter}) "
                                         "er ikke bekreftet vedtatt i et senere brev, og er ikke regnet med",
                                         (proposal,)))
    return findings


def _carry_over_limits(statements, timeline) -> list[AuditFinding]:
    findings = []
    for limit in (s for s in statements if s.kind == Kind.CARRY_OVER_LIMIT):
        carried = [s for s in statements if s.kind == Kind.CARRIED_OVER and s.post == limit.post]
        if not carried:
            continue
        figure = None
        for candidate in timeline.get(limit.post, ()):
            if candidate.letter <= limit.letter:
                figure = candidate
        if figure is None or figure.allocation is None:
            continue
        ceiling_value = figure.allocation.value * limit.percent / 100
        ceiling = Amount(ceiling_value, figure.allocation.precision * limit.percent / 100)
        amount = sum_amounts(s.amount for s in carried)
        within = amount.low <= ceiling.high
        severity = OK if amount.high <= ceiling.low else (WARNING if within else "error")
        message = (f"{limit.post}: overført {format_nok(amount.value)} mot grensen {limit.percent} pst. av "
                   f"{format_nok(figure.allocation.value)} = {format_nok(ceiling.value)}: "
                   f"{'innenfor' if severity == OK else 'ved grensen' if severity == WARNING else 'over grensen'}")
        findings.append(AuditFinding(limit.post, limit.letter, severity, "carry_over_limit", amount, ceiling, message,
                                     (limit, *carried)))
    return findings


def _where(statement: Statement) -> str:
    kind = {Kind.TABLE_TOTAL: "tabell", Kind.NEW_TOTAL: "tekst", Kind.CORRECTED_TOTAL: "korreksjon",
            Kind.STATED_TOTAL: "tekst"}.get(statement.kind, str(statement.kind))
    return f"{kind}, l. {statement.source.line}"
