"""Split a document into its letters and read each letter's number, title, date and ministry."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from reconcile.letters.document import Document, TextLine
from reconcile.letters.statements import Letter

# "Tillegg nr. 3 til tildelingsbrev …", "Supplerande tildelingsbrev nr. 2 …",
# "Tildelingsbrev 2024 – tillegg nr. 3", or the allocation letter itself ("Tildelingsbrev for … 2024").
_NUMBERED = r"\s*(?:nr\.?|nummer)?\s*"
_HEADING = re.compile(
    rf"^\s*(?:(?P<supplement>(?:tillegg|supplering|endring|endringsbrev){_NUMBERED}(?P<number>\d+)"
    r"\s+(?:til|i|av)\s+(?:det\s+)?(?:supplerande\s+|supplerende\s+)?tildelingsbrev(?:et)?)"
    rf"|(?P<supplementary>(?:supplerande|supplerende)\s+tildelingsbrev{_NUMBERED}(?P<supplementary_number>\d+)\b)"
    rf"|(?P<trailing>tildelingsbrev(?:et)?\b[^.]{{0,80}}?\s[-–—:]\s*(?:tillegg|supplering){_NUMBERED}(?P<trailing_number>\d+)\b)"
    r"|(?P<original>tildelingsbrev(?:et)?\s+(?:for\s+|til\s+)?\S.*\b(?:19|20)\d\d\b))",
    re.IGNORECASE,
)
_REVISED = re.compile(r"\brevidert\b", re.IGNORECASE)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar",),
            ("februar",),
            ("mars",),
            ("april",),
            ("mai",),
            ("juni",),
            ("juli",),
            ("august",),
            ("september",),
            ("oktober",),
            ("november",),
            ("desember",),
        ],
        start=1,
    )
    for name in names
}
_WRITTEN_DATE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_NUMERIC_DATE_IN_ROW = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?![\d.])")  # "22/3753-4 14.11.2023"
# "Dato" alone or as the last label of the letterhead's row "Deres ref  Vår ref  Dato".
_DATE_LABEL = re.compile(r"^\s*(?:.*\bref\b.*?\s)?(?:dato|date|vår dato)\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
# "Oslo, 14. november 2023": the place-and-date line of a letter without a letterhead table.
_PLACE_DATE = re.compile(r"^\s*[A-ZÆØÅ][\wæøå-]+,\s+(?P<date>\d{1,2}\.\s*\w+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})\s*$")
_DATED_REFERENCE = re.compile(
    r"tillegg\s+nr\.?\s*(?P<number>\d+)\b[^.]{0,80}?\bdatert\s+(?P<date>\d{1,2}\.\s*\w+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})",
    re.IGNORECASE,
)
_SUPERSEDES = re.compile(
    r"erstatter\s+(?:summene|tabellen|tabellane|beløpene|beløpa|tallene|tala)\b[^.]{0,80}?\btillegg\s+nr\.?\s*(?P<number>\d+)",
    re.IGNORECASE,
)
_MINISTRY = re.compile(
    r"(?:^|[.:]\s+)\s*(?P<name>(?:[A-ZÆØÅ][\wæøå]*-\s+og\s+[\wæøå]*|[A-ZÆØÅ][\wæøå]*)departementet)\s+"
    r"(?:viser|stiller|ber|har|vil|gir|gjev|gjer|sender|tildeler|tildelar|syner|legg|legger|fastset|fastsetter)\b",
    re.MULTILINE,
)
_PARLIAMENT_RESERVATION = re.compile(r"forbehold\s+om\s+Stortingets\s+(?:budsjett)?vedtak", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LetterText:
    """A letter's metadata and its lines."""

    letter: Letter
    lines: tuple[TextLine, ...]


def parse_date(text: str) -> date | None:
    match = _WRITTEN_DATE.search(text)
    if match:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
    else:
        match = _NUMERIC_DATE.match(text)
        if not match:
            return None
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def split_letters(document: Document) -> list[LetterText]:
    starts = [
        (index, line)
        for index, line in enumerate(document.lines)
        if _is_heading(line.text)
    ]
    if not starts:
        number = _number_mentioned(document.lines)
        starts = [(0, document.lines[0])] if document.lines else []
        titles = {0: "" if number is None else f"Tillegg nr. {number}"}
    else:
        titles = {}
    if starts and starts[0][0] != 0:
        # Text before the first heading (a cover page, the letterhead) belongs to the first letter.
        starts[0] = (0, starts[0][1])
    ministry = _ministry(document.lines)
    texts: list[LetterText] = []
    for position, (start, heading) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(document.lines)
        lines = document.lines[start:end]
        match = _HEADING.match(heading.text)
        if match and _supplement_number(match) is not None:
            number = _supplement_number(match)
        elif match:
            number = 0
        else:
            number = _number_mentioned(lines) or 0
        title = heading.text.strip() if match else titles.get(0, "")
        joined = "\n".join(line.text for line in lines)
        letter_date, date_source = _date_block(lines)
        texts.append(
            LetterText(
                Letter(
                    document=document.name,
                    number=number,
                    title=" ".join(title.split()),
                    first_line=lines[0].line if lines else 0,
                    last_line=lines[-1].line if lines else 0,
                    date=letter_date,
                    date_source=date_source,
                    ministry=_ministry(lines) or ministry,
                    revised=bool(_REVISED.search(heading.text)) if match else False,
                    supersedes=tuple(sorted({int(m.group("number")) for m in _SUPERSEDES.finditer(_flat(joined))})),
                    subject_to_parliament=_reserves_whole_letter(lines),
                ),
                tuple(lines),
            )
        )
    return _dates_from_references(texts)


def _supplement_number(match: re.Match) -> int | None:
    for group in ("number", "supplementary_number", "trailing_number"):
        if match.group(group):
            return int(match.group(group))
    return None


def _is_heading(text: str) -> bool:
    # "tildelingsbrev for 2023. Ved en inkurie …" is running text that wrapped, not a heading.
    match = _HEADING.match(text)
    if not match:
        return False
    stripped = text.strip()
    return stripped[:1].isupper() and ". " not in text[match.end() :] and len(stripped) <= 120


def _number_mentioned(lines) -> int | None:
    for line in lines[:15]:
        match = re.search(r"tillegg\s+nr\.?\s*(\d+)", line.text, re.IGNORECASE)
        if match:
            return int(match.group(1))
    return None


def _date_block(lines) -> tuple[date | None, str | None]:
    """The date under a 'Dato' label in the letterhead, wherever the layout put it."""
    for index, line in enumerate(lines):
        label = _DATE_LABEL.match(line.text)
        if not label:
            continue
        candidates = [label.group("rest")] + [following.text for following in lines[index + 1 : index + 6]]
        for candidate in candidates:
            if candidate.strip():
                in_row = _NUMERIC_DATE_IN_ROW.search(candidate)
                found = parse_date(candidate.strip()) or (parse_date(in_row.group(0)) if in_row else None)
                if found:
                    return found, f"Dato (l. {line.line})"
                break
    for line in lines:
        place_date = _PLACE_DATE.match(line.text)
        found = parse_date(place_date.group("date")) if place_date else None
        if found:
            return found, f"stedsdato (l. {line.line})"
    return None, None


def _dates_from_references(texts: list[LetterText]) -> list[LetterText]:
    """A later letter's 'tillegg nr. 3 … datert 30. juni 2023' dates letter 3."""
    dated: dict[int, tuple[date, str]] = {}
    for text in texts:
        flat = _flat("\n".join(line.text for line in text.lines))
        for match in _DATED_REFERENCE.finditer(flat):
            found = parse_date(match.group("date"))
            if found:
                dated.setdefault(int(match.group("number")), (found, f"tillegg nr. {text.letter.number}"))
    result = []
    for text in texts:
        letter = text.letter
        if letter.date is None and letter.number in dated:
            found, where = dated[letter.number]
            letter = _replace(letter, date=found, date_source=f"oppgitt i {where}")
        result.append(LetterText(letter, text.lines))
    return result


def _replace(letter: Letter, **changes) -> Letter:
    from dataclasses import replace

    return replace(letter, **changes)


def _ministry(lines) -> str | None:
    text = "\n".join(" ".join(line.text.split()) for line in lines)
    names = Counter(match.group("name") for match in _MINISTRY.finditer(text))
    if not names:
        return None
    return names.most_common(1)[0][0]


def _reserves_whole_letter(lines) -> bool:
    """A reservation about parliament's decision in the letter's opening lines covers the letter."""
    opening = _flat("\n".join(line.text for line in lines[:12]))
    return bool(_PARLIAMENT_RESERVATION.search(opening))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)
