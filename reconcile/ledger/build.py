"""Work out the expected figures of every post after every letter.

The latest figure a letter states is what the post should hold; the arithmetic that leads to it
(previous figure + changes) is what the audit checks. A letter's table may state this year's
allocation or the total including last year's carry-over: which one is inferred from the
arithmetic and said in the figure's basis.
"""

from __future__ import annotations

from collections import defaultdict

from reconcile.amounts import Amount, format_nok, sum_amounts
from reconcile.ledger import audit
from reconcile.ledger.model import AuditFinding, Figure, Ledger
from reconcile.letters.statements import BOOKED_STATUSES, Kind, LetterSet, Statement, Status
from reconcile.posts import Post

STATED_FIGURE_KINDS = (Kind.NEW_TOTAL, Kind.CORRECTED_TOTAL, Kind.TABLE_TOTAL, Kind.STATED_TOTAL)


def build_ledger(letter_set: LetterSet, *, statuses: tuple[Status, ...] = BOOKED_STATUSES) -> Ledger:
    """The ledger of what was enacted or allocated; `statuses` widens it (to proposals, say) when asked."""
    # A letter's own proposal stays: it moves no figure, and the audit ties it to its enactment.
    booked = [s for s in letter_set.statements if s.status in statuses or s.kind == Kind.PROPOSAL]
    by_post_letter: dict[tuple[Post, int], list[Statement]] = defaultdict(list)
    for statement in booked:
        by_post_letter[(statement.post, statement.letter or 0)].append(statement)
    posts = tuple(sorted({statement.post for statement in booked if statement.kind != Kind.RATE}))
    letter_numbers = tuple(sorted({letter.number for letter in letter_set.letters}))
    superseded = _superseded(letter_set, by_post_letter)
    findings: list[AuditFinding] = []
    timeline: dict[Post, tuple[Figure, ...]] = {}
    for post in posts:
        figures = []
        state: Figure | None = None
        before_letter: dict[int, Figure | None] = {}
        for number in letter_numbers:
            before_letter[number] = state
            statements = by_post_letter.get((post, number), [])
            if not statements:
                continue
            base, alternative = state, None
            replaces = _replaced_letters(letter_set, number)
            for replaced in replaces:
                # A replacing table is checked against the state before the replaced letter plus
                # that letter's changes, not against the sums it replaces.
                earlier = by_post_letter.get((post, replaced), [])
                base = _advance(before_letter.get(replaced), earlier, post, replaced, None, superseded=superseded)
                alternative = _advance(before_letter.get(replaced), earlier, post, replaced, None,
                                       superseded=superseded, prefer_parts=True)
            state = _advance(state, statements, post, number, base, findings=findings, alternative=alternative)
            if state is not None and (not figures or figures[-1] is not state):
                figures.append(state)
                for replaced in replaces:
                    figures = _replace_retroactively(figures, replaced, state)
        if figures:
            timeline[post] = tuple(figures)
    findings.extend(audit.letter_checks(letter_set, timeline))
    return Ledger(posts=tuple(p for p in posts if p in timeline), letters=letter_numbers, timeline=timeline, audit=tuple(findings))


def _replaced_letters(letter_set: LetterSet, number: int) -> tuple[int, ...]:
    letter = letter_set.letter(number)
    return letter.supersedes if letter else ()


def _replace_retroactively(figures: list[Figure], replaced: int, replacing: Figure) -> list[Figure]:
    """'Dette tillegget erstatter summene i tillegg nr. 3': the figure after letter 3 is the new one."""
    result = []
    for figure in figures:
        if figure.letter == replaced:
            figure = Figure(figure.post, replaced, replacing.allocation, replacing.carried_over,
                            replacing.sources + figure.sources,
                            f"tillegg nr. {replacing.letter} erstatter summene i tillegg nr. {replaced}; {figure.basis}",
                            replacing.letter)
        result.append(figure)
    return result


def _superseded(letter_set: LetterSet, by_post_letter) -> set[str]:
    """Table figures of a letter that a later letter says it replaces ("erstatter summene …")."""
    ids = set()
    for letter in letter_set.letters:
        for replaced in letter.supersedes:
            restated_posts = {s.post for s in letter_set.statements if s.letter == letter.number and s.kind in STATED_FIGURE_KINDS}
            for post in restated_posts:
                ids.update(s.id for s in by_post_letter.get((post, replaced), []) if s.kind == Kind.TABLE_TOTAL)
    return ids


def letter_change(statements: list[Statement], prefer_parts: bool = False) -> tuple[Amount | None, list[Statement], Amount | None]:
    """The net change a letter makes to a post, the statements it rests on, and the parts' sum."""
    totals = [s for s in statements if s.kind == Kind.CHANGE]
    parts = [s for s in statements if s.kind == Kind.CHANGE_PART]
    parts_sum = sum_amounts(s.amount for s in parts) if parts else None
    if totals and not (prefer_parts and parts):
        return sum_amounts(s.amount for s in totals), totals, parts_sum
    if parts:
        return parts_sum, parts, parts_sum
    enacted = [s for s in statements if s.kind == Kind.ENACTED]
    if enacted:
        return sum_amounts(s.amount for s in enacted), enacted, None
    return None, [], None


def _advance(state: Figure | None, statements: list[Statement], post: Post, number: int, base: Figure | None,
             *, superseded: set[str] = frozenset(), findings: list[AuditFinding] | None = None,
             alternative: Figure | None = None, prefer_parts: bool = False) -> Figure | None:
    allocation = state.allocation if state else None
    carried = state.carried_over if state else None
    sources: list[Statement] = []
    basis: list[str] = []
    for statement in statements:
        if statement.kind == Kind.CARRIED_OVER:
            carried = statement.amount if carried is None else carried + statement.amount
            sources.append(statement)
            basis.append(f"overført fra i fjor {format_nok(statement.amount.value)} (tillegg nr. {number})")
    change, change_sources, parts_sum = letter_change(statements, prefer_parts)
    stated = [s for s in statements if s.kind in STATED_FIGURE_KINDS and s.id not in superseded]
    stated.sort(key=lambda s: STATED_FIGURE_KINDS.index(s.kind))
    if change is not None and allocation is not None:
        allocation = allocation + change
        sources.extend(change_sources)
        basis.append(f"endring {format_nok(change.value)} i tillegg nr. {number}")
    if stated:
        figure_statement = stated[0]
        value = figure_statement.amount
        reference = base if base is not None else state
        includes_carry, reason = _states_total_with_carry_over(value, reference, change, carried)
        if findings is not None and reference is not None and reference.allocation is not None:
            findings.extend(audit.chain_check(post, number, figure_statement, reference, change, change_sources, parts_sum,
                                              carried if includes_carry else None, alternative=alternative))
        allocation = Amount(value.value - carried.value, value.precision + carried.precision) if includes_carry else value
        sources.insert(0, figure_statement)
        basis = [f"{_kind_text(figure_statement.kind)} i tillegg nr. {number}" + (f" ({reason})" if reason else "")] + basis
    elif change is None and not any(s.kind == Kind.CARRIED_OVER for s in statements):
        return state  # nothing here changes the post's figures (rates, proposals, earmarks)
    if allocation is None and carried is None:
        return state
    return Figure(post, number, allocation, carried, tuple(sources), "; ".join(basis), number)


def _states_total_with_carry_over(value: Amount, reference: Figure | None, change: Amount | None, carried: Amount | None):
    """Does a stated figure include last year's carry-over? Whichever reading the arithmetic fits better."""
    if carried is None or reference is None or reference.allocation is None:
        return False, ""
    allocation = reference.allocation + change if change is not None else reference.allocation
    without = abs(value.value - allocation.value)
    with_carry = abs(value.value - (allocation.value + carried.value))
    if with_carry < without:
        return True, f"tallet er samlet tildeling inkl. overført fra i fjor {format_nok(carried.value)}"
    return False, "tallet er årets tildeling, uten overført fra i fjor"


def _kind_text(kind: Kind) -> str:
    return {
        Kind.NEW_TOTAL: "samlet bevilgning oppgitt",
        Kind.CORRECTED_TOTAL: "korrigert bevilgning",
        Kind.TABLE_TOTAL: "tabell",
        Kind.STATED_TOTAL: "oppgitt beløp",
    }[kind]
