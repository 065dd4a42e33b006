"""Turn a letter's lines into statements about budget posts.

The walk keeps the context a reader keeps: the kapittel and post named by the last heading or
sentence, the assignment ("Oppdrag nr. …") being read, whether the section is about last year's
unused appropriation, and which total a following list breaks down. Nothing here is specific to
one ministry, agency or year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.amounts import Amount, AmountMatch, find_amounts, parse_amount
from reconcile.letters import decision_tables, phrases
from reconcile.letters.budget_text import budget_status, lead_in_status
from reconcile.letters.cell_tables import read_cell_table, starts_cell_table
from reconcile.letters.column_rows import column_kinds, read_column_table
from reconcile.letters.document import Document, TextLine
from reconcile.letters.figure_rows import figure_row
from reconcile.letters.glued_tables import read_glued_table
from reconcile.letters.phrases import Kind
from reconcile.letters.pipe_rows import read_pipe_rows
from reconcile.letters.pipe_tables import read_pipe_table, starts_pipe_table
from reconcile.letters.post_owner import owning_post
from reconcile.letters.sentences import sentences
from reconcile.letters.splitting import split_letters
from reconcile.letters.statements import ExtractionIssue, Letter, LetterSet, Statement, Status
from reconcile.posts import Post
from reconcile.sources import LetterSource

# "8.25 Kap. 480 Svalbardbudsjettet", "10.2.1 Post 21 Spesielle driftsutgifter": a numbered section
# whose title names a kapittel or a post.
_NUMBERED_BUDGET_HEADING = re.compile(r"^\s*(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<rest>(?:kap(?:ittel|\.)?|post)\s*\d.*)$", re.I)
# "18.1 Kap. 11 Slottet …": in a numbered heading a kapittel may have one or two digits.
_HEADING_KAP = re.compile(r"^\s*kap(?:ittel|\.)?\s*0?(?P<kap>\d{1,4})\b", re.I)
_SECTION_NUMBER = re.compile(r"^\s*(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s")
# A heading may end with an abbreviation: "Kap. 614 Utvikling av sosialtjenesten, … mv."
_ABBREVIATED_END = re.compile(r"(?:\bmv|\bm\.m|\bm\.v|\bo\.a|\bmm|\bo\.l)\.$", re.I)


@dataclass
class _Draft:
    """A statement while its post and links may still be settled later in the letter."""

    id: str
    kind: Kind
    amount: Amount | None
    source: LetterSource
    post: Post | None
    part_of: str | None = None
    label: str | None = None
    previous: Amount | None = None
    ref: str | None = None
    percent: Decimal | None = None
    table: str | None = None
    is_total_change: bool = False
    group: int = 0
    needs_post: bool = False
    pending_post: int | None = None  # a "Post 21" heading's number, its kapittel named later in the section
    status: Status = Status.ALLOCATED

    def freeze(self) -> Statement:
        return Statement(
            id=self.id, post=self.post, kind=self.kind, amount=self.amount, source=self.source,
            part_of=self.part_of, label=self.label, previous=self.previous, ref=self.ref,
            percent=self.percent, table=self.table, status=self.status,
        )


@dataclass
class _Assignment:
    id: str
    posts: list[Post] = field(default_factory=list)
    drafts: list[_Draft] = field(default_factory=list)


@dataclass
class _Paragraph:
    lines: list[TextLine] = field(default_factory=list)
    is_list_item: bool = False


class _LetterReader:
    def __init__(self, letter: Letter, lines: tuple[TextLine, ...]):
        self.letter = letter
        self.lines = lines
        self.drafts: list[_Draft] = []
        self.issues: list[ExtractionIssue] = []
        self.kap: int | None = None
        self.post: Post | None = None
        self.group = 0
        self.assignment: _Assignment | None = None
        self.carry_over = False
        self.table_id: str | None = None
        self.table_unit: Decimal | None = None
        self.table_columns = False  # "Kap. Post …" table: kapittel and post in columns of their own
        self.table_kap: int | None = None
        self.pending_unit: Decimal | None = None  # "… følgende (i 1 000 kr):" before a table header
        self.tables = 0
        self.list_parent: _Draft | None = None
        self.list_post: Post | None = None  # a breakdown list whose lead-in names a post but no total
        self.rate_label: list[str] = []
        self.paragraph = _Paragraph()
        # A proposition, Innst. S or vedtak rather than a letter: its default status, None for a letter.
        self.budget_status = budget_status(lines)
        self.section: str | None = None  # the number of the section heading that set kap/post
        # The post a heading made the topic: a sentence that names another post (a transfer to it, its
        # counterpart) does not change the topic of the sentences after it.
        self.heading_post: Post | None = None
        self.heading_kap: int | None = None
        self.figure_unit: Decimal | None = None  # "(i 1000 kr)" over a post's figure rows
        self.last_kap: int | None = None  # the kapittel a budget text named last ("… fra post 75" after it)
        self.named_posts: dict[int, Post] = {}  # post number -> the post last named with it in full
        self.pending_post: int | None = None
        self.keep_tail = False
        self.summary = False  # under an Innst.'s "Sammendrag": the proposition's words, not the committee's
        # The kapitler the numbered section headings in force name ("8 Oversikt over postene på kapittel 1150
        # og 4150"), outermost first.
        self.section_kaps: list[tuple[str, set[int]]] = []

    # -- the walk ---------------------------------------------------------------------------

    def read(self) -> tuple[list[Statement], list[ExtractionIssue]]:
        index = 0
        skip_heading_tail = False
        while index < len(self.lines):
            line = self.lines[index]
            text = line.text.strip()
            if not text:
                self._flush()
                index += 1
                continue
            if phrases.FURNITURE.match(text) or _is_date_line(text):
                self._flush()
                index += 1
                continue
            if skip_heading_tail:
                skip_heading_tail = False
                if text[:1].islower() and not phrases.LIST_ITEM.match(text):
                    index += 1
                    continue
            consumed = self._structural(index, text)
            if consumed:
                skip_heading_tail = self.lines[index + consumed - 1].text.rstrip().endswith(",") and not self.keep_tail
                self.keep_tail = False
                index += consumed
                continue
            if not self.paragraph.lines and self._is_subheading(index, text):
                # A subheading starts a new topic: last year's unused appropriation or something else.
                self.carry_over = bool(phrases.CARRY_OVER_CONTEXT.search(text))
                self.summary = bool(_SUMMARY.match(text))
                index += 1
                continue
            if phrases.LIST_ITEM.match(text):
                self._flush()
                self.paragraph.is_list_item = True
            self.paragraph.lines.append(line)
            index += 1
        self._flush()
        self._close_assignment()
        self._settle_change_groups()
        statements = []
        for draft in self.drafts:
            if draft.post is None:
                self.issues.append(self._issue(draft.source, "beløp uten kapittel/post: ikke brukt", draft.source.quote))
                continue
            statements.append(draft.freeze())
        return statements, self.issues

    def _structural(self, index: int, text: str) -> int:
        """Handle a heading or table line; return how many lines it took (0 if prose)."""
        short_line = (not text.endswith(".") or bool(_ABBREVIATED_END.search(text))) and len(text) < 140
        looks_like_heading = short_line and not find_amounts(phrases.without_units(text))
        # A PDF keeps no blank line between a caption and the table's first cell.
        consumed = self._cell_table(index) or (0 if self.paragraph.lines else self._glued_table(index))
        if consumed:
            return consumed
        if decision_tables.header_length(self.lines, index):
            self._flush()
            return self._decision_table(index)
        if self.budget_status is not None and (_SUMMARY.match(text) or _COMMITTEE_HEADING.match(text)):
            # "Sammendrag" / "Komiteens merknader" on a line of its own, blank lines around it or not (PDF).
            self._flush()
            self.summary = bool(_SUMMARY.match(text))
            return 1
        if not self.paragraph.lines and column_kinds(text) is not None:
            self._flush()
            return self._column_table(index)
        if starts_pipe_table(text) and not self.paragraph.lines:
            consumed = self._pipe_table(index)
            if consumed:
                return consumed
        elif starts_pipe_table(text) and (text.count("|") >= 3 or self._pipe_header(index)):
            # A row of cells, or a "Kap. |" / "Post |" header one cell a line, right under a caption line
            # with no blank line between: the table starts here, its header with it.
            consumed = self._pipe_rows(index)
            if consumed:
                return consumed
        if self.figure_unit is not None:
            row = figure_row(text)
            if row is not None:
                self._figure_row(index, row)
                return 1
            self.figure_unit = None
        if phrases.table_unit(text) is not None and not phrases.without_units(text).strip(" ():"):
            # "(i 1000 kr)" alone on a line: the unit of the table or the figure rows below it.
            self._flush()
            self.pending_unit = self.figure_unit = phrases.table_unit(text)
            return 1
        numbered = _NUMBERED_BUDGET_HEADING.match(text)
        if numbered and looks_like_heading and len(text) < 120:
            self._flush()
            self._numbered_budget_heading(numbered.group("number"), numbered.group("rest"))
            return 1
        if self.table_id is not None and self.table_columns and not self.paragraph.lines:
            # Before headings: "21 Spesielle driftsutgifter" in a table is a row, not section 21.
            consumed = self._column_table_line(index, text)
            if consumed:
                return consumed
        post_line = _POST_LINE.match(text)
        if (post_line and self.budget_status is not None and self.heading_kap is not None
                and text.endswith(",") and not self.paragraph.lines):
            # "70  Tilskott, omlagløyving," under "Kap. 240 Private skular", its wording on the next lines.
            self._flush()
            self.post = self.heading_post = Post(self.heading_kap, int(post_line.group("post")))
            self.keep_tail = True  # "vert redusert med …" on the next line is the post's wording, not the name's tail
            return 1
        if phrases.SECTION_HEADING.match(text) and looks_like_heading and len(text) < 90:
            self._flush()
            number = _SECTION_NUMBER.match(text).group("number")
            self.summary = bool(_SUMMARY.match(text))
            self.section_kaps = [(n, kaps) for n, kaps in self.section_kaps if number.startswith(n + ".")]
            self.section_kaps.append((number, {int(m.group("kap") or m.group("long")) for m in phrases.LONE_KAP.finditer(text)}))
            if self.section is not None and number.startswith(self.section + "."):
                return 1  # "10.2.1.1 Sammendrag" under "10.2.1 Post 21 …": the post is still the topic
            self._close_assignment()
            self._reset_context()
            return 1
        if phrases.ASSIGNMENT_START.match(text):
            joined = " ".join(line.text.strip() for line in self.lines[index : index + 3])
            match = phrases.ASSIGNMENT_ID.match(joined)
            if match:
                self._flush()
                self._close_assignment()
                self._reset_context()
                self.assignment = _Assignment(f"{match.group('year')}-{match.group('number')}")
                return 1
        table_header = phrases.POST_TABLE_HEADER.search(text) or phrases.COLUMN_TABLE_HEADER.match(text)
        if table_header and short_line and not find_amounts(phrases.without_header_units(text)):
            self._flush()
            self._start_table(text, columns=not phrases.POST_TABLE_HEADER.search(text))
            return 1
        row = phrases.POST_TABLE_ROW.match(text)
        if row:
            self._flush()
            return self._table_row(index, row)
        kap = phrases.KAP_HEADING.match(text)
        if kap and looks_like_heading:
            self._flush()
            if self.assignment is not None and (self.assignment.posts or not self.assignment.drafts):
                # A kapittel heading after an assignment whose financing is settled starts the
                # letter's next part; one right after "Finansiering:" names the financing.
                self._close_assignment()
            self.kap = self.heading_kap = int(kap.group("kap") or kap.group("small"))
            mentioned = phrases.post_mentions(_PARENTHESES.sub("", text))
            self.post = self.heading_post = mentioned[0].post if mentioned else None
            self._new_group()
            if self.post and self.assignment:
                self.assignment.posts.append(self.post)
            return 1
        post = phrases.POST_HEADING.match(text)
        if post and looks_like_heading and self.kap is not None:
            self._flush()
            self.post = self.heading_post = Post(self.kap, int(post.group("post")))
            self.pending_post = None
            self._new_group()
            return 1
        if post and looks_like_heading and self.budget_status is not None:
            # "Post 21 Miljøovervåking …" where no kapittel has been named yet: the section names it later.
            self._flush()
            self.post = self.heading_post = None
            self.pending_post = int(post.group("post"))
            self._new_group()
            return 1
        if self._rate_row(index, text):
            return 1
        return 0

    def _is_subheading(self, index: int, text: str) -> bool:
        """'Finansiering', 'Korreksjon og presisering av beløp': a short title line over a paragraph."""
        if len(text) > 70 or text[-1] in ".,:;" or not text[0].isupper() or find_amounts(text):
            return False
        for following in self.lines[index + 1 : index + 3]:
            stripped = following.text.strip()
            if stripped:
                return stripped[0].isupper()
        return False

    def _numbered_budget_heading(self, number: str, rest: str) -> None:
        kap = _HEADING_KAP.match(rest)
        post_heading = phrases.POST_HEADING.match(rest)
        if kap is None and post_heading is None:
            self._close_assignment()
            self._reset_context()
            return
        if kap:
            self._close_assignment()
            self._reset_context()
            self.kap = self.heading_kap = int(kap.group("kap"))
            # "Kap. 1310 Flytransport (jf. Kap. 4310), post 70 …": the post is the heading's kapittel's.
            mentioned = [m for m in phrases.post_mentions(_PARENTHESES.sub("", rest)) if not m.reference]
            self.post = self.heading_post = mentioned[0].post if mentioned else None
        else:
            post = int(post_heading.group("post"))
            self._new_group()
            self.post = self.heading_post = Post(self.kap, post) if self.kap is not None else None
            self.pending_post = None if self.kap is not None else post
        self.section = number

    def _column_table(self, index: int) -> int:
        table = read_column_table(self.lines, index)
        self._reset_context()
        self.kap = self.heading_kap = table.kap  # the footnotes under the table speak of its posts
        self._add_table_cells(table.statements, table.notes)
        return max(table.consumed, 1)

    def _cell_table(self, index: int) -> int:
        """A table one cell a line ("Post / Nemning / Saldert budsjett 2018 / Forslag 2019 / 01 / …")."""
        if not starts_cell_table(self.lines[index].text):
            return 0  # checked first: reading the caption above scans up to six lines for every line
        caption = next((line.text.strip() for line in reversed(self.lines[max(0, index - 4) : index]) if line.text.strip()), "")
        carried = bool(_CARRIED_CAPTION.search(caption))
        unit = self.pending_unit or self.figure_unit or phrases.header_unit(caption.rstrip(". "))
        table = read_cell_table(self.lines, index, unit=unit, heading_kap=self.heading_kap or self._carried_kap(carried),
                                caption_post=self._caption_post(index), carried_over=carried)
        if table is None:
            return 0
        self._flush()
        self._add_table_cells(table.statements, table.notes)
        self.pending_unit = self.figure_unit = None
        if table.kap is not None:
            self.kap = self.heading_kap = table.kap  # "Sum kap. 0005": the prose after the table is about it
            posts = {row.post for row in table.statements}
            if len(posts) == 1:
                self.post = self.heading_post = posts.pop()  # the kapittel's one post: its "løyvinga"
        return table.consumed

    def _glued_table(self, index: int) -> int:
        """A post table whose cells HTML conversion glued ("1Inntekter ved oppdrag302 32970 000--372 329")."""
        table = read_glued_table(self.lines, index, unit=self.pending_unit)
        if table is None:
            return 0
        self._flush()
        self._add_table_cells(table.statements, table.notes)
        self.pending_unit = self.figure_unit = None
        return table.consumed

    def _add_table_cells(self, statements, notes) -> None:
        """A post table's cells as statements (a column's own status before the letter's), its notes as issues."""
        for cell in statements:
            self._add(cell.kind, cell.amount, self._source(cell.line, cell.quote), cell.post,
                      status=cell.status or self.budget_status or Status.ALLOCATED)
        for line, message in notes:
            self.issues.append(self._issue(self._source(line, line.text), message))

    def _carried_kap(self, carried: bool) -> int | None:
        """Carried-over money is an expense post's (income is not carried over): the one expense kapittel the
        section headings in force name, where they name one ("… postene på kapittel 1150 og 4150")."""
        if not carried:
            return None
        named = {kap for _, kaps in self.section_kaps for kap in kaps if not 3000 <= kap <= 5999}
        return named.pop() if len(named) == 1 else None

    def _caption_post(self, index: int) -> Post | None:
        """The one post a caption just above names ("Oversikt over tiltak på kap. 326, post 73")."""
        above = [line.text for line in self.lines[max(0, index - 6) : index] if line.text.strip()][-3:]
        mentions = [m for text in above for m in phrases.post_mentions(text) if not m.reference]
        posts = {mention.post for mention in mentions}
        return posts.pop() if len(posts) == 1 else None

    def _pipe_table(self, index: int) -> int:
        table = read_pipe_table(self.lines, index, self.kap)
        if not table.read:
            return self._pipe_rows(index)
        self.tables += 1
        table_id = f"L{self.letter.number}.T{self.tables}"
        for row in table.statements:
            self._add(row.kind, row.amount, self._source(row.line, row.line.text), row.post,
                      table=table_id if row.kind == Kind.TABLE_TOTAL else None,
                      status=row.status or self.budget_status or Status.ALLOCATED)
        return table.consumed

    def _pipe_header(self, index: int) -> bool:
        """ "Kap. |" over "Post |": the header of a table one cell a line."""
        cells = [line.text.replace("|", "").strip().lower().rstrip(".") for line in self.lines[index : index + 3]
                 if line.text.strip()][:2]
        return cells == ["kap", "post"]

    def _pipe_rows(self, index: int) -> int:
        """A table flattened a row at a time ("1 | Driftsutgifter | 359 642 000 | |")."""
        table = read_pipe_rows(self.lines, index, kap=self.kap, unit=self.pending_unit)
        if table is None:
            return 0
        self._flush()
        self._add_table_cells(table.statements, table.notes)
        self.pending_unit = None
        return table.consumed

    def _figure_row(self, index: int, row) -> None:
        if row.kind is None:
            return  # last year's accounts: a fact, not this year's appropriation
        line = self.lines[index]
        if self.post is None:
            self.issues.append(self._issue(self._source(line, line.text), f"tallrad «{row.label}» uten kapittel/post: ikke brukt"))
            return
        amount = parse_amount(row.figure, context_multiplier=self.figure_unit)
        if amount is None:
            return
        self._add(row.kind, amount, self._source(line, line.text), self.post, status=self._status(row.kind, row.label, False))

    def _decision_table(self, index: int) -> int:
        """A decision table ("Kap. Post Formål Kroner"); its status is what its lead-in says it is."""
        lead_in = [line.text for line in self.lines[max(0, index - 12) : index] if line.text.strip()]
        default = self.budget_status or Status.ALLOCATED
        status = lead_in_status(lead_in[-4:]) or default
        table = decision_tables.read_table(self.lines, index, unit=self.pending_unit)
        self.tables += 1
        table_id = f"L{self.letter.number}.T{self.tables}"
        for row in table.statements:
            self._add(row.kind, row.amount, self._source(row.line, row.quote), row.post,
                      table=table_id if row.kind == Kind.TABLE_TOTAL else None, status=status)
        for line, message in table.notes:
            self.issues.append(self._issue(self._source(line, line.text), message))
        self.pending_unit = None
        return table.consumed

    # -- tables -----------------------------------------------------------------------------

    def _start_table(self, header: str, *, columns: bool = False) -> None:
        self.tables += 1
        self.table_id = f"L{self.letter.number}.T{self.tables}"
        unit = phrases.header_unit(header)
        self.table_unit = unit if unit is not None else self.pending_unit
        self.table_columns = columns
        self.table_kap = None
        self.list_parent = None
        self.list_post = None

    def _column_table_line(self, index: int, text: str) -> int:
        """A line of a "Kap. Post Betegnelse Beløp" table: '226 21 Name 45 300', '226 Name', '21 Name 45 300', 'Sum …'."""
        if phrases.TABLE_SUM_ROW.match(text):
            return 1  # a sum of rows states nothing about one post
        row = phrases.COLUMN_TABLE_ROW.match(text)
        if row:
            consumed = self._table_row(index, row, columns=True)
            if consumed:
                self.table_kap = int(row.group("kap"))
            return consumed
        kap = phrases.COLUMN_TABLE_KAP.match(text)
        if kap:
            self.table_kap = int(kap.group("kap"))
            return 1
        post = phrases.COLUMN_TABLE_POST.match(text)
        if post and self.table_kap is not None:
            return self._table_row(index, post, kap=self.table_kap, columns=True)
        return 0

    def _is_row_start(self, text: str) -> bool:
        if phrases.POST_TABLE_ROW.match(text):
            return True
        if not self.table_columns:
            return False
        return bool(
            phrases.COLUMN_TABLE_ROW.match(text) or phrases.COLUMN_TABLE_KAP.match(text)
            or phrases.COLUMN_TABLE_POST.match(text) or phrases.TABLE_SUM_ROW.match(text)
        )

    def _table_row(self, index: int, row: re.Match, *, kap: int | None = None, columns: bool = False) -> int:
        """A row of a post table, its name perhaps wrapped over lines and the amount on a later line.

        Returns the lines it took; a "Kap. Post" row (`columns`) without an amount takes none.
        """
        if self.table_id is None:
            self._start_table("")
        post = Post(kap if kap is not None else int(row.group("kap")), int(row.group("post")))
        texts = [row.group("rest").strip()]
        used = 1
        amount = _trailing_amount(texts[0], self.table_unit)
        while amount is None and index + used < len(self.lines) and used < 8:
            following = self.lines[index + used].text.strip()
            if self._is_row_start(following) or phrases.FURNITURE.match(following):
                break
            if columns and (following.endswith((".", ":")) or phrases.KAP_HEADING.match(following)):
                break  # prose or a heading: the "row" was a numbered heading after the table
            used += 1
            if not following:
                continue
            texts.append(following)
            amount = _trailing_amount(following, self.table_unit)
        line = self.lines[index]
        name = " ".join(texts)
        if amount is None:
            if columns:
                return 0  # "10 Rapportering" after a "Kap. Post" table: a heading, not a row
            self.issues.append(self._issue(self._source(line, f"{post} {name}"), f"tabellrad for {post} uten beløp"))
            return 1  # the lines after it are read as usual
        amount_value, amount_text = amount
        name = name[: len(name) - len(amount_text)].strip() if name.endswith(amount_text) else name
        quote = f"{post} {name} {amount_text}".strip()
        self._add(Kind.TABLE_TOTAL, amount_value, self._source(line, quote), post, label=name or None, table=self.table_id)
        return used

    def _rate_row(self, index: int, text: str) -> bool:
        """'Integreringstilskudd År-1 (enslige voksne) 234 900 kroner 241 100 kroner'."""
        found = find_amounts(text)
        in_kroner = [match for match in found if match.has_currency]
        if len(in_kroner) != 2 or text[in_kroner[1].end :].strip() or len(found) != 2:
            return False
        between = text[in_kroner[0].end : in_kroner[1].start]
        if between.strip():
            return False
        if self.post is None or self.assignment is not None and not self.post:
            return False
        self._flush()
        label = text[: in_kroner[0].start].strip() or " ".join(self.rate_label).strip()
        self.rate_label = []
        line = self.lines[index]
        quote = text if text[: in_kroner[0].start].strip() else f"{label} {text}"
        draft = self._add(Kind.RATE, in_kroner[1].amount, self._source(line, quote), self.post, label=label or None)
        draft.previous = in_kroner[0].amount
        return True

    # -- prose ------------------------------------------------------------------------------

    def _flush(self) -> None:
        paragraph = self.paragraph
        self.paragraph = _Paragraph()
        if not paragraph.lines:
            return
        self.table_id = None
        text, offsets = _join(paragraph.lines, strip_bullet=paragraph.is_list_item)
        # "Etter endringane disponerer etaten følgjande (i 1 000 kr):", or a caption line "Oversikt over
        # tildelt beløp (i 1 000 kr)", gives the unit of the table below.
        caption = len(paragraph.lines) == 1 and not text.rstrip().endswith(".")
        self.pending_unit = phrases.table_unit(text) if text.rstrip().endswith(":") or caption else None
        if not paragraph.is_list_item:
            self.list_parent = None
            self.list_post = None
        # A paragraph without amounts may be the wrapped label of the rate row that follows.
        self.rate_label = [] if find_amounts(text) else [text]
        in_list = paragraph.is_list_item and (self.list_parent is not None or self.list_post is not None)
        post_line = _POST_LINE.match(text)
        if post_line and self.budget_status is not None and self.heading_kap is not None:
            self.post = self.heading_post = Post(self.heading_kap, int(post_line.group("post")))
        # "Det tas forbehold om Stortingets budsjettvedtak" makes the paragraph's amounts proposals.
        reserved = bool(phrases.PARLIAMENT_RESERVATION.search(text))
        first_draft = len(self.drafts)
        for start, sentence in sentences(text, join_labels=self.budget_status is not None):
            # Last year's unused appropriation is the topic from the sentence that says so: a
            # correction earlier in the same paragraph is not a carry-over.
            if phrases.CARRY_OVER_CONTEXT.search(sentence):
                self.carry_over = True
            self._sentence(sentence, start, offsets, in_list=in_list, reserved=reserved)
        self._settle_orphans(text, self.drafts[first_draft:])

    def _settle_orphans(self, text: str, drafts: list[_Draft]) -> None:
        """'… tildeler 5 463 700 kroner i tilskudd … Midlene er en del av … kap. 1429, post 74': an amount no
        sentence gave a post belongs to the one post its paragraph names, where it names exactly one."""
        orphans = [d for d in drafts if d.post is None and not d.needs_post and d.pending_post is None]
        if not orphans:
            return
        posts = {m.post for m in phrases.post_mentions(text) if not m.reference}
        if len(posts) == 1 and not _SEVERAL_POSTS.search(text):
            post = posts.pop()
            for draft in orphans:
                draft.post = post

    def _sentence(self, sentence: str, offset: int, offsets, *, in_list: bool, reserved: bool = False) -> None:
        budget = self.budget_status is not None
        if budget:  # a bare "post 75": the heading's kapittel, the one it was named with, the one in context
            all_mentions = phrases.post_mentions(sentence, self.heading_kap, named=self.named_posts,
                                                 last_kap=self.kap if self.kap is not None else self.last_kap)
        else:
            all_mentions = phrases.post_mentions(sentence, self.kap)
        mentions = [mention for mention in all_mentions if not mention.reference]
        if mentions and budget:
            self.last_kap = mentions[-1].post.kap
            self.named_posts.update({mention.post.post: mention.post for mention in mentions})
        distinct = {mention.post for mention in mentions}
        # A post named as where money goes or comes from ("omdisponert til kap. 1740 post 1") is not
        # the heading's post, though it has the same number.
        named_pending = next((m.post for m in mentions if m.post.post == self.pending_post
                              and not _TRANSFER_BEFORE.search(sentence[: m.start])), None)
        if named_pending is not None:
            self.kap, self.post = named_pending.kap, named_pending
            self.heading_post = named_pending
            self._settle_pending(named_pending)
        if budget and self.pending_post is not None:
            # "20.23.1 Post 1 …" whose kapittel is not named yet: "omdisponert fra kap. 1719 post 78" names
            # where money comes from, not the heading's post.
            distinct = {m.post for m in mentions if not _TRANSFER_BEFORE.search(sentence[: m.start])}
        if len(distinct) == 1 and not in_list and self.heading_post in (None, next(iter(distinct))):
            self.post = next(iter(distinct))
            self.kap = self.post.kap
        elif budget and self.kap is None and self.pending_post is not None:
            kap = phrases.lone_kap(sentence)
            if kap is not None:
                self.kap = kap
                self.post = self.heading_post = Post(kap, self.pending_post)
                self._settle_pending(self.post)
        if self.assignment is not None:
            self.assignment.posts.extend(mention.post for mention in mentions)
        ref = phrases.ASSIGNMENT_REFERENCE.search(sentence)
        ref_id = re.sub(r"\s+", "", ref.group("id")) if ref else None
        line = _line_at(offsets, offset)
        limit = phrases.CARRY_OVER_LIMIT.search(sentence)
        if limit and mentions:
            percent = Decimal(limit.group("percent").replace(",", "."))
            draft = self._add(Kind.CARRY_OVER_LIMIT, None, self._source(line, sentence), mentions[0].post)
            draft.percent = percent
        previous_end = 0
        previous_kind: Kind | None = None
        previous_sign = 1
        of_which = False
        sentence_drafts: list[_Draft] = []
        amounts = [found for found in find_amounts(phrases.without_units(sentence))
                   if not _FOREIGN_CURRENCY.match(sentence[found.end :])]
        amounts = _with_range_starts(sentence, amounts)
        for number, found in enumerate(amounts):
            label_end = _label_end(sentence, found, amounts[number + 1 :])
            if phrases.OF_WHICH.search(sentence[previous_end : found.start]) and sentence_drafts:
                of_which = any(d.kind == Kind.CHANGE for d in sentence_drafts)
            reading = phrases.read_amount(
                sentence, found.start, found.end, previous_end=previous_end,
                in_assignment=self.assignment is not None, carry_over=self.carry_over,
                in_list=in_list, of_which=of_which, previous_kind=previous_kind, reserved=reserved,
                budget_text=budget, previous_sign=previous_sign,
            )
            clause_start = previous_end
            previous_end = found.end
            previous_kind = reading.kind
            previous_sign = reading.sign
            if reading.kind is None and budget:
                next_start = amounts[number + 1].start if number + 1 < len(amounts) else len(sentence)
                stated = {d.post for d in sentence_drafts if d.kind == Kind.CHANGE and d.amount is not None}
                if self._transfer(sentence, mentions, found, clause_start, next_start, offsets, offset, reserved, stated):
                    previous_kind = None  # each moved amount says itself where it goes
                    continue
                share = _SHARE_OF_CHANGE.match(sentence)
                if share and self.post is not None:
                    # "Av innsparingar blir … og 5,7 mill. kroner nytta til …": a share of the post's change.
                    self._add(Kind.BREAKDOWN_PART, -found.amount if share.group("down") else found.amount,
                              self._source(_line_at(offsets, offset + found.start), sentence), self.post,
                              status=self._status(Kind.BREAKDOWN_PART, sentence, reserved))
                    continue
            if reading.kind is None:
                if reading.reason == "unclassified":
                    self.issues.append(self._issue(self._source(_line_at(offsets, offset + found.start), sentence),
                                                   f"beløpet «{found.amount.text}» er ikke forstått som en opplysning om en post"))
                continue
            if budget and self._joint_or_orphan(sentence, reading.kind, clause_start, found, sentence_drafts, offsets, offset):
                continue
            moved = _MOVED_FROM.match(sentence[found.end :]) if budget and reading.kind == Kind.CHANGE else None
            if moved:
                source_post = next((m.post for m in mentions if m.start == found.end + moved.end()), None)
                if source_post is not None:
                    # The heading's post gains what the named post gives up.
                    source = self._source(_line_at(offsets, offset + found.start), sentence)
                    gained = -found.amount if reading.sign < 0 else found.amount
                    status = self._status(Kind.CHANGE, sentence, reserved)
                    self._add(Kind.CHANGE, -gained, source, source_post, status=status)
                    if self.heading_post is not None and self.heading_post != source_post:
                        self._add(Kind.CHANGE, gained, source, self.heading_post, status=status)
                    continue
            post = owning_post(sentence, mentions, found.start, found.end)
            if moved:
                post = self.heading_post  # "… omdisponert fra andre kapitler": the heading's post, if known
            needs_post = False
            if post is None:
                if in_list and self.list_parent is not None:
                    post = self.list_parent.post
                elif in_list and self.list_post is not None:
                    post = self.list_post
                elif self.assignment is not None:
                    needs_post = True
                else:
                    post = self.post
            amount = -found.amount if reading.sign < 0 else found.amount
            source = self._source(_line_at(offsets, offset + found.start), sentence)
            draft = self._add(reading.kind, amount, source, post, status=self._status(reading.kind, sentence, reserved))
            draft.needs_post = needs_post
            if post is None and not needs_post and self.pending_post is not None:
                draft.pending_post = self.pending_post
            draft.is_total_change = reading.is_total_change
            draft.ref = ref_id or (self.assignment.id if self.assignment else None)
            if reading.kind == Kind.CHANGE_PART:
                total = next(d for d in reversed(sentence_drafts) if d.kind == Kind.CHANGE)
                draft.part_of = total.id
                draft.amount = amount if total.amount.value >= 0 else -amount
                draft.label = _purpose(sentence[found.end : label_end])
            elif reading.kind == Kind.BREAKDOWN_PART:
                draft.part_of = self.list_parent.id if self.list_parent is not None else None
                draft.label = _purpose(sentence[found.end : label_end]) or None
            elif reading.kind in (Kind.CARRIED_OVER, Kind.EARMARK):
                draft.label = _purpose(sentence[found.end : label_end]) or None
            if needs_post and self.assignment is not None:
                self.assignment.drafts.append(draft)
            sentence_drafts.append(draft)
        shares = phrases.EQUAL_SHARES.search(sentence)
        if shares:
            self._equal_shares(shares, sentence, sentence_drafts, offsets, offset)
        if sentence.rstrip().endswith(":") and phrases.INTRODUCES_LIST.search(sentence):
            parent = next((d for d in reversed(sentence_drafts) if d.kind in phrases.TOTAL_KINDS), None)
            if parent is None:
                parent = next(
                    (d for d in reversed(self.drafts) if d.kind in phrases.TOTAL_KINDS and d.post == self.post), None
                )
            self.list_parent = parent
            named = [mention.post for mention in mentions] or ([self.post] if self.post else [])
            if parent is None and phrases.INTRODUCES_BREAKDOWN.search(sentence) and len(set(named)) == 1:
                self.list_post = named[0]

    def _equal_shares(self, shares: re.Match, sentence: str, sentence_drafts, offsets, offset) -> None:
        names = phrases.share_names(shares.group("names"))
        if len(names) < 2:
            return
        # A percentage limit has no amount to share.
        candidates = [d for d in sentence_drafts if d.amount is not None] or [
            d for d in self.drafts if d.kind not in (Kind.BREAKDOWN_PART, Kind.RATE) and d.amount is not None
        ][-1:]
        if not candidates:
            return
        whole = candidates[-1]
        share = whole.amount.divided(len(names))
        if whole.amount.value < 0:
            share = -share
        source = self._source(_line_at(offsets, offset + shares.start()), sentence)
        for name in names:
            part = self._add(Kind.BREAKDOWN_PART, Amount(share.value, share.precision, f"1/{len(names)}"), source, whole.post)
            part.part_of = whole.id
            part.label = name
            part.ref = whole.ref
            part.needs_post = whole.needs_post
            if whole.needs_post and self.assignment is not None:
                self.assignment.drafts.append(part)

    # -- context ----------------------------------------------------------------------------

    def _joint_or_orphan(self, sentence: str, kind: Kind, clause_start: int, found, sentence_drafts, offsets,
                         offset: int) -> bool:
        """An amount for several posts jointly ("bevilgningene … med samlet 414 mill.", "fordelt på ulike
        postar"), or a share ("hvorav …") of an amount that is no post's: reported, not given a post."""
        clause = sentence[clause_start : found.start] + sentence[found.end : found.end + 60]
        if _SEVERAL_POSTS.search(clause):
            reason = "gjelder flere poster samlet"
        elif kind == Kind.BREAKDOWN_PART and not sentence_drafts:
            reason = "er en del av et beløp som ikke gjelder én post"
        else:
            return False
        self.issues.append(self._issue(self._source(_line_at(offsets, offset + found.start), sentence),
                                       f"beløpet «{found.amount.text}» {reason}: ikke brukt"))
        return True

    def _transfer(self, sentence: str, mentions, found, clause_start: int, clause_end: int, offsets, offset: int,
                  reserved: bool, stated: set[Post]) -> bool:
        """Money moved from one post to another: a decrease of the one and an increase of the other.

        A side the sentence does not name is the post in context (the heading's), where there is one.
        """
        if not phrases.TRANSFER.search(sentence[:clause_end]):  # "Omdisponeringen på X fra post 75 og Y fra post 79"
            return False
        from_post = to_post = None
        mark = found.end
        for mention in (m for m in mentions if found.end <= m.start < clause_end):
            between = sentence[mark : mention.start]
            if phrases.FROM_WORD.search(between) and not phrases.TO_WORD.search(between.split("fr")[-1]):
                from_post = from_post or mention.post
            elif phrases.TO_WORD.search(between):
                to_post = to_post or mention.post
            mark = mention.end
        if from_post is None and to_post is None:
            return False
        context = self.post
        if to_post is None and context is not None and context != from_post:
            # Where the sentence has stated the context post's own change, what is moved to it is part of
            # that change ("auke … post 21 med 10 mill. kroner, kor 8,5 mill. kroner flyttast frå …").
            to_post = context if phrases.TO_WORD.search(sentence[found.end : clause_end]) and context not in stated else None
        if from_post is None and context is not None and context != to_post:
            from_post = context
        source = self._source(_line_at(offsets, offset + found.start), sentence)
        status = self._status(Kind.CHANGE, sentence, reserved)
        for post, amount in ((from_post, -found.amount), (to_post, found.amount)):
            if post is not None:
                self._add(Kind.CHANGE, amount, source, post, status=status)
        return True

    def _status(self, kind: Kind, sentence: str, reserved: bool) -> Status:
        if self.budget_status is None:  # a letter: its proposals and enactments say so by their kind
            return {Kind.PROPOSAL: Status.PROPOSED, Kind.ENACTED: Status.ENACTED}.get(kind, Status.ALLOCATED)
        if reserved or phrases.proposes(sentence):
            return Status.PROPOSED
        if phrases.DECIDED.search(sentence):
            return Status.ENACTED  # "Ved vedtak i Stortinget 20. juni blei post 21 redusert med …"
        if self.summary:
            return Status.PROPOSED  # an Innst.'s "Sammendrag" restates the proposition
        return self.budget_status

    def _settle_pending(self, post: Post) -> None:
        """The kapittel of a "Post 21" heading is named: the section's amounts so far are that post's."""
        for draft in self.drafts:
            if draft.post is None and draft.pending_post == post.post and draft.group == self.group:
                draft.post = post
                draft.pending_post = None
        self.pending_post = None

    def _reset_context(self) -> None:
        self.kap = None
        self.post = None
        self.heading_post = None
        self.heading_kap = None
        self.section = None
        self.pending_post = None
        self.carry_over = False
        self.table_id = None
        self.list_parent = None
        self.list_post = None
        self._new_group()

    def _new_group(self) -> None:
        self.group += 1

    def _close_assignment(self) -> None:
        """Give an assignment's amounts the post its financing names, once the block is read."""
        assignment, self.assignment = self.assignment, None
        if assignment is None:
            return
        posts = list(dict.fromkeys(assignment.posts))
        primary = [d for d in assignment.drafts if d.part_of is None]
        if len(posts) == 1:
            chosen = {d.id: posts[0] for d in primary}
        elif posts and len(posts) == len(primary):
            chosen = {d.id: post for d, post in zip(primary, posts)}
        else:
            chosen = {}
        for draft in assignment.drafts:
            key = draft.part_of if draft.part_of in chosen else draft.id
            draft.post = chosen.get(key)

    def _settle_change_groups(self) -> None:
        """Where a post's total change is stated, the other changes under it are its parts."""
        groups: dict[tuple, list[_Draft]] = {}
        for draft in self.drafts:
            if draft.kind == Kind.CHANGE and draft.post is not None:
                groups.setdefault((draft.post, draft.group), []).append(draft)
        for changes in groups.values():
            totals = [d for d in changes if d.is_total_change]
            if len(totals) != 1 or len(changes) < 2:
                continue
            total = totals[0]
            for draft in changes:
                if draft is not total:
                    draft.kind = Kind.CHANGE_PART
                    draft.part_of = total.id
        for draft in self.drafts:
            if draft.kind == Kind.CHANGE_PART and draft.label is None:
                draft.label = _purpose(draft.source.quote.split(draft.amount.text, 1)[-1]) if draft.amount.text else None

    # -- records ----------------------------------------------------------------------------

    def _add(self, kind: Kind, amount: Amount | None, source: LetterSource, post: Post | None, *,
             status: Status | None = None, **fields) -> _Draft:
        """A draft statement; its status is the text's default for its kind unless the caller read one."""
        draft = _Draft(
            id=f"L{self.letter.number}.{len(self.drafts) + 1}", kind=kind, amount=amount, source=source,
            post=post, group=self.group, status=self._status(kind, "", False) if status is None else status, **fields,
        )
        self.drafts.append(draft)
        return draft

    def _source(self, line: TextLine, quote: str) -> LetterSource:
        return LetterSource(self.letter.document, self.letter.number, line.page, line.line, " ".join(quote.split()))

    def _issue(self, source: LetterSource, message: str, quote: str | None = None) -> ExtractionIssue:
        return ExtractionIssue(source.document, source.letter, source.line, message, quote or source.quote)


_CARRIED_CAPTION = re.compile(r"\boverførte?\s+(?:beløp|midler|bevilgning)", re.I)
_MOVED_FROM = re.compile(
    r"^\s*,?\s*(?:som\s+)?(?:(?:foreslås|blir\s+foreslått|skal\s+bli|skal)\s+)?"
    r"(?:omdisponert|overført|flyttet|flytta|omgruppert)\s+fr[aå]\s+", re.I
)
_RANGE_START = re.compile(r"\bfr[aå]\s+(?P<number>\d{1,3}(?:,\d+)?)\s+til\s+$", re.I)
_LEADING_NUMBER = re.compile(r"^\s*\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?")


def _with_range_starts(sentence: str, amounts: list) -> list:
    """'frå 71,4 til 86,4 mill. kroner': the first figure of a range shares the unit of the second."""
    added = []
    for found in amounts:
        start = _RANGE_START.search(sentence[: found.start])
        if start is None or any(other.end > start.start("number") for other in amounts if other.end <= found.start):
            continue
        number = _LEADING_NUMBER.match(found.amount.text or "")
        if number is None:
            continue
        unit_words = (found.amount.text or "")[number.end() :]
        twin = find_amounts(start.group("number") + unit_words)
        if len(twin) == 1 and unit_words.strip():
            added.append(AmountMatch(twin[0].amount, start.start("number"), start.end("number"), True))
    return sorted([*amounts, *added], key=lambda found: found.start)


def _is_date_line(text: str) -> bool:
    from reconcile.letters.splitting import parse_date

    return len(text) < 25 and parse_date(text) is not None and not find_amounts(text)


def _trailing_amount(text: str, unit: Decimal | None) -> tuple[Amount, str] | None:
    match = re.search(r"(?:^|\s)(\(?[-\u2212]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?\)?(?:\s*(?:kr|kroner|,-))?)\s*$", text)
    if not match:
        return None
    amount = parse_amount(match.group(1), context_multiplier=unit)
    if amount is None:
        return None
    return amount, match.group(1)


def _join(lines: list[TextLine], *, strip_bullet: bool = False) -> tuple[str, list[tuple[int, TextLine]]]:
    parts, offsets, position = [], [], 0
    for number, line in enumerate(lines):
        text = " ".join(line.text.split())
        if strip_bullet and number == 0:
            text = phrases.LIST_ITEM.sub("", text)
        offsets.append((position, line))
        parts.append(text)
        position += len(text) + 1
    return " ".join(parts), offsets


def _line_at(offsets: list[tuple[int, TextLine]], position: int) -> TextLine:
    current = offsets[0][1]
    for start, line in offsets:
        if start > position:
            break
        current = line
    return current


def _label_end(sentence: str, found, following) -> int:
    """A label runs to the next amount ("5,2 mill. kroner til X, 3,3 mill. kroner til Y"), but not
    to a threshold inside it ("… arbeidsgiveravgiften på inntekt over 750 000 kroner")."""
    for later in following:
        if not phrases.THRESHOLD_BEFORE.search(sentence[found.end : later.start]):
            return later.start
    return len(sentence)


# "øke bevilgningene til … med samlet 414 mill.", "fordelt på ulike postar": several posts at once.
_SEVERAL_POSTS = re.compile(
    r"\b(?:bevilgningene|løyvingane|løyvingene|postene|postane)\b|\bfordelt\s+på\s+(?:ulike|fleire|flere)\s+post", re.I
)
_COMMITTEE_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:komiteens\s+(?:merknader|tilråding)|merknader\s+frå\s+komiteen|komiteen\s+sine\s+merknader)\s*$",
    re.I,
)
_SUMMARY = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:sammendrag|samandrag)\s*$", re.I)
_SHARE_OF_CHANGE = re.compile(
    r"^\s*Av\s+(?:(?P<down>reduksjonen|innsparinga\w*|innsparingen\w*|nedgangen)|(?P<up>auken|økningen|økinga|tillegget))\b",
    re.I,
)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
# "70  Tilskott, omlagløyving, vert redusert med …" under "Kap. 240 Private skular": a post line.
_POST_LINE = re.compile(r"^\s*(?P<post>\d{1,2})\s+[A-ZÆØÅ]")
# "110 mill. USD": an amount in another currency is not kroner of a post.
_FOREIGN_CURRENCY = re.compile(r"^\s*(?:USD|EUR|SEK|DKK|GBP|CHF|JPY|dollar|euro)\b", re.I)
_TRANSFER_BEFORE = re.compile(r"\b(?:til|fra|frå|mot|over\s+til)\s*$", re.I)


_LEADING_PLACE = re.compile(r"^(?:over|på|under)\s+(?:statsbudsjettets\s+)?", re.IGNORECASE)
_LEADING_DISPOSAL = re.compile(r"^til\s+disposisjon\s+(?:for\s+\S+\s+)?", re.IGNORECASE)


def _purpose(after: str) -> str:
    """'til tiltak for etnisk mangfold i arbeidslivet' after an amount, trimmed to a label.

    Leading "til disposisjon (for X)" and "over kap. …, post …," are dropped, and so is a
    trailing "og" where the next amount's clause begins.
    """
    text = after.strip().lstrip("-,").strip()
    text = re.sub(r"^(?:kroner|kr\.?)\s+", "", text)
    for _ in range(2):  # "til disposisjon over kap. …" and "over kap. …, til disposisjon …"
        text = _LEADING_DISPOSAL.sub("", text)
        placed = _LEADING_PLACE.sub("", text)
        mention = phrases.POST_REFERENCE.match(placed)
        if mention:
            text = placed[mention.end():].lstrip(" ,")
    text = re.split(r"(?<=[a-zæøå)])\.\s|\.$|;", text)[0]
    text = re.sub(r"(?:[\s,]+(?:og|samt|eller))+\s*$|[\s,]+$", "", text)
    return text.strip()[:160]


def extract_letters(document: Document) -> LetterSet:
    letters, statements, issues = [], [], []
    for part in split_letters(document):
        found, problems = _LetterReader(part.letter, part.lines).read()
        letters.append(part.letter)
        statements.extend(found)
        issues.extend(problems)
        if not found:
            issues.append(ExtractionIssue(document.name, part.letter.number, part.letter.first_line,
                                          "brevet inneholder ingen beløp knyttet til kapittel/post", part.letter.title))
    return LetterSet(tuple(letters), tuple(statements), tuple(issues), ((document.path, document.sha256),))


def merge_letter_sets(sets: list[LetterSet]) -> LetterSet:
    """Several documents in one run: letters ordered by number, duplicates reported."""
    letters = [letter for letter_set in sets for letter in letter_set.letters]
    statements = [s for letter_set in sets for s in letter_set.statements]
    issues = [i for letter_set in sets for i in letter_set.issues]
    seen: dict[int, Letter] = {}
    for letter in letters:
        if letter.number in seen:
            issues.append(ExtractionIssue(letter.document, letter.number, letter.first_line,
                                          f"tillegg nr. {letter.number} finnes to ganger ({seen[letter.number].document} og {letter.document})",
                                          letter.title, severity="error"))
        seen.setdefault(letter.number, letter)
    letters.sort(key=lambda letter: letter.number)
    statements.sort(key=lambda s: (s.letter or 0,))
    documents = tuple(doc for letter_set in sets for doc in letter_set.documents)
    return LetterSet(tuple(letters), tuple(statements), tuple(issues), documents)


__all__ = ["extract_letters", "merge_letter_sets"]
