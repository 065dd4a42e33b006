"""Norwegian money amounts as exact Decimals, with the precision their wording implies.

"13 mill. kroner" is 13 000 000 ± 500 000; "10,1 mill." is 10 100 000 ± 50 000;
"228 052 000" and "10 000 000,-" are exact. Amounts never pass through float: a float from a
workbook is converted once, at the edge, with `decimal_from_float`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext

ZERO = Decimal(0)

# Group separators seen in letters and workbooks: space, no-break space, narrow no-break space,
# thin space.
GROUP_SEPARATORS = " \u00a0\u202f\u2009"
_SEP = "[ \u00a0\u202f\u2009]"
MINUS_SIGNS = "\u2212\u2013-"  # hyphen last: safe inside a character class

MULTIPLIERS: dict[str, Decimal] = {
    "mill": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millioner": Decimal(1_000_000),
    "mrd": Decimal(1_000_000_000),
    "milliard": Decimal(1_000_000_000),
    "milliarder": Decimal(1_000_000_000),
    "milliardar": Decimal(1_000_000_000),  # nynorsk
    "millionar": Decimal(1_000_000),  # nynorsk
    "mnok": Decimal(1_000_000),
    "tusen": Decimal(1_000),
}
# Longer digit strings are identifiers or noise, not kroner; they are refused rather than
# rounded by the decimal context.
MAX_INTEGER_DIGITS = 18
MAX_DECIMAL_DIGITS = 9


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount of kroner and the half-width of the interval its wording allows."""

    value: Decimal
    precision: Decimal = ZERO
    text: str = field(default="", compare=False)

    @property
    def low(self) -> Decimal:
        return self.value - self.precision

    @property
    def high(self) -> Decimal:
        return self.value + self.precision

    @property
    def is_exact(self) -> bool:
        return self.precision == 0

    def __neg__(self) -> Amount:
        return Amount(-self.value, self.precision, self.text)

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.value + other.value, self.precision + other.precision)

    def __sub__(self, other: Amount) -> Amount:
        return Amount(self.value - other.value, self.precision + other.precision)

    def divided(self, parts: int) -> Amount:
        """One of `parts` equal shares, to the øre."""
        share = (self.value / parts).quantize(Decimal("0.01"))
        return Amount(share, (self.precision / parts).quantize(Decimal("0.01")), self.text)

    def overlaps(self, other: Amount) -> bool:
        return self.low <= other.high and other.low <= self.high

    def __str__(self) -> str:
        if self.is_exact:
            return format_nok(self.value)
        return f"{format_nok(self.value)} ± {format_nok(self.precision)}"


def sum_amounts(amounts) -> Amount:
    total = Amount(ZERO)
    for amount in amounts:
        total = total + amount
    return total


def decimal_from_float(number: float) -> Decimal:
    """The shortest decimal that round-trips the float: 0.1 -> Decimal('0.1')."""
    return Decimal(repr(number))


def format_nok(value: Decimal, decimals: int | None = None) -> str:
    """'228 052 000', '-1 308 000', '666 666,67': Norwegian grouping, comma decimals."""
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    quantum = Decimal(1).scaleb(-decimals)
    # A cell may hold 1E+28 (a typo): the default 28-digit context cannot quantize it.
    with localcontext() as context:
        context.prec = max(28, value.adjusted() + decimals + 2)
        rounded = value.quantize(quantum)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + " ".join(groups)
    if fraction:
        text += "," + fraction
    return text


def half_unit(decimals: int, multiplier: Decimal) -> Decimal:
    """The rounding half-width of a figure shown with `decimals` decimals in units of `multiplier`."""
    return (Decimal(5).scaleb(-(decimals + 1)) * multiplier).normalize() + 0


# A number as written in running text or a cell, in ASCII digits. The lookbehind keeps
# "År-2 243 100" from reading as "-2 243 100"; the lookahead after the number keeps a date
# ("16.06.2023"), a dotted section number ("9.1.2") or a version from yielding a part of itself.
_NUMBER = rf"""
    (?:(?<![\w.,/])(?P<sign>[{MINUS_SIGNS}]){_SEP}?|(?<![\w.,/{MINUS_SIGNS}]))
    (?P<int>[0-9]{{1,3}}(?:{_SEP}[0-9]{{3}})+(?![0-9])|[0-9]{{1,3}}(?:\.[0-9]{{3}}){{2,}}(?![0-9,])|[0-9]+)
    (?:(?P<decsep>[,.])(?P<dec>[0-9]+))?
    (?![.,]?[0-9])
    (?P<whole>,[-\u2013])?
"""

_AMOUNT_IN_TEXT = re.compile(
    rf"""
    (?P<prefix>(?:\bkr\.?|\bNOK)\s*)?
    {_NUMBER}
    (?P<mult>\s*(?:mill(?:ioner|ionar|ion)?\b\.?|mrd\b\.?|milliard(?:er|ar)?\b|mnok\b|tusen\b))?
    (?P<currency>\s*(?:kroner\b|kr\b\.?|NOK\b))?
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class AmountMatch:
    amount: Amount
    start: int
    end: int
    has_currency: bool


def _to_amount(match: re.Match, context_multiplier: Decimal | None) -> Amount | None:
    integer = re.sub(_SEP, "", match.group("int")).replace(".", "")
    decimals = match.group("dec") or ""
    if len(integer.lstrip("0")) > MAX_INTEGER_DIGITS or len(decimals) > MAX_DECIMAL_DIGITS:
        return None
    decsep = match.group("decsep")
    mult_word = (match.group("mult") or "").strip().rstrip(".").lower()
    multiplier = MULTIPLIERS.get(mult_word) if mult_word else None
    if decsep == "." and len(decimals) == 3 and multiplier is None:
        # "1.600" without mill. is a thousands group, not a decimal.
        integer, decimals = integer + decimals, ""
    try:
        number = Decimal(f"{integer}.{decimals}" if decimals else integer)
    except InvalidOperation:
        return None
    if multiplier is None and context_multiplier is not None and not match.group("currency"):
        multiplier = context_multiplier
    if multiplier is None:
        multiplier = Decimal(1)
        precision = ZERO  # whole kroner and øre as written are exact
    else:
        precision = half_unit(len(decimals), multiplier)
    value = number * multiplier
    if match.group("sign"):
        value = -value
    return Amount(_normal(value), _normal(precision), match.group(0).strip())


def _normal(value: Decimal) -> Decimal:
    """Drop exponent noise: 13E+6 -> 13000000, 12.50 stays 12.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def find_amounts(
    text: str, *, require_currency: bool = True, context_multiplier: Decimal | None = None
) -> list[AmountMatch]:
    """Every amount in running text.

    With `require_currency` only amounts marked as money count (kroner, kr, NOK, mill., mrd., ,-),
    so that years, dates, article and phone numbers are not taken for amounts.
    """
    found = []
    for match in _AMOUNT_IN_TEXT.finditer(text):
        has_currency = bool(
            match.group("prefix") or match.group("currency") or match.group("mult") or match.group("whole")
        )
        if require_currency and not has_currency:
            continue
        amount = _to_amount(match, context_multiplier)
        if amount is None:
            continue
        start = match.start()
        if _is_spaced_dash(match):
            # "Drift – 2,5 mill. kroner": a dash between words (tankestrek), not a minus sign.
            start = match.start("int")
            amount = Amount(-amount.value, amount.precision, text[start : match.end()].strip())
        found.append(AmountMatch(amount, start, match.end(), has_currency))
    return found


def _is_spaced_dash(match: re.Match) -> bool:
    sign = match.group("sign")
    return bool(sign) and sign != "\u2212" and match.end("sign") < match.start("int")


_WHOLE_CELL = re.compile(
    r"""^\s*
    (?P<open>\()?\s*
    (?P<body>.*?)
    \s*(?P<close>\))?\s*$""",
    re.VERBOSE,
)


def parse_amount(text: str, *, context_multiplier: Decimal | None = None) -> Amount | None:
    """The amount a whole string states, or None if it is not (only) an amount.

    Accepts what cells and table columns hold: '228 052 000', '228 052 000 kr', 'kr 27 450',
    '(1 308 000)' and '−1 308 000' for negatives, '10 000 000,-', '11,04 mill. kroner', '1.308.000'.
    """
    if not isinstance(text, str):
        return None
    outer = _WHOLE_CELL.match(text)
    if outer is None:
        return None
    negative_by_parens = bool(outer.group("open")) and bool(outer.group("close"))
    if bool(outer.group("open")) != bool(outer.group("close")):
        return None
    body = outer.group("body")
    match = _AMOUNT_IN_TEXT.fullmatch(body)
    if match is None:
        return None
    amount = _to_amount(match, context_multiplier)
    if amount is None:
        return None
    if negative_by_parens:
        if amount.value < 0:
            return None
        amount = Amount(-amount.value, amount.precision, text.strip())
    return amount


def parse_decimal(text: str) -> Decimal | None:
    """A plain Norwegian number ('5', '2,5', '1 000'): for percentages, counts and rates."""
    amount = parse_amount(text)
    return amount.value if amount else None
