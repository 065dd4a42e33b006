"""Budget post keys as finance offices write them in cells.

Text: '671/71', '671.71', '0671 71', '671 71', 'Kap. 671 post 71', '671/21 Spesielle driftsutgifter';
a kapittel alone ('671', 'Kap. 671', '671 Bosetting av flyktninger') on a group's first row or a
heading row; a post number alone ('71', '01', 'Post 71') under it or in a separate Post column.

Numbers: 671 is a kapittel, 71 a post number, and 671.71 a post. A number with one decimal is
the one ambiguity: 671.1 is what Excel shows for 671.10 (post 10, the trailing zero dropped), but
could be someone's 671/01. It is read as post 10 ("tens") unless a layout file says
`one_decimal_posts = "units"`; the table reader says so in an issue, and whether the column's
other rows have two-decimal posts (which makes "tens" near certain).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from reconcile.posts import Post, parse_post

_KAP = r"(?:kap(?:ittel|\.)?\s*(?:nr\.?\s*)?)?0?(?P<kap>\d{3,4})"
_FULL_WITH_REST = re.compile(
    rf"^\s*{_KAP}\s*(?:[/.]\s*|\s*,?\s*post\s*)(?P<post>\d{{1,2}})(?!\d)\s*[-:\u2013]?\s*(?P<rest>[^\d\s].*)?$",
    re.IGNORECASE | re.DOTALL,
)
_FULL_SPACED_WITH_REST = re.compile(r"^\s*0?(?P<kap>\d{3,4})\s+(?P<post>\d{2})\s+(?P<rest>[^\d\s].*)$", re.DOTALL)
_KAP_ONLY = re.compile(rf"^\s*{_KAP}(?!\d)(?:\s*[-:\u2013]?\s+(?P<rest>[^\d\s].*))?\s*$", re.IGNORECASE | re.DOTALL)
_POST_ONLY = re.compile(
    r"^\s*(?:post\s*(?:nr\.?\s*)?)?(?P<post>\d{1,2})(?!\d)(?:\s*[-:\u2013]?\s+(?P<rest>[^\d\s].*))?\s*$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Key:
    """What a key cell says: a whole post, a kapittel alone, or a post number alone."""

    post: Post | None = None
    kap: int | None = None
    post_no: int | None = None
    rest: str = ""  # text after the key: the post's or kapittel's name
    one_decimal: bool = False  # read from a number like 671.1 (see the module docstring)
    two_decimals: bool = False  # read from a number like 671.21


def read_key(raw: object, *, one_decimal_posts: str = "tens") -> Key | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        return _key_from_number(raw, one_decimal_posts)
    if not isinstance(raw, str):
        return None
    return _key_from_text(raw)


@lru_cache(maxsize=8192)  # a column of keys repeats the same few hundred values
def _key_from_text(raw: str) -> Key | None:
    text = raw.strip()
    if not text:
        return None
    post = parse_post(text)
    if post is not None:
        return _post_key(post.kap, post.post)
    for pattern in (_FULL_WITH_REST, _FULL_SPACED_WITH_REST):
        match = pattern.match(text)
        if match:
            return _post_key(int(match.group("kap")), int(match.group("post")), (match.group("rest") or "").strip())
    match = _KAP_ONLY.match(text)
    if match:
        kap = int(match.group("kap"))
        if kap >= 100:
            return Key(kap=kap, rest=(match.group("rest") or "").strip())
    match = _POST_ONLY.match(text)
    if match:
        number = int(match.group("post"))
        if 1 <= number <= 99:
            return Key(post_no=number, rest=(match.group("rest") or "").strip())
    return None


def _post_key(kap: int, post: int, rest: str = "", **flags) -> Key | None:
    if kap < 100 or not 1 <= post <= 99:
        return None
    return Key(post=Post(kap, post), rest=rest, **flags)


@lru_cache(maxsize=8192)
def _key_from_number(number: int | float, one_decimal_posts: str) -> Key | None:
    if isinstance(number, float) and not math.isfinite(number):
        return None
    if number == int(number):
        whole = int(number)
        if 100 <= whole <= 9999:
            return Key(kap=whole)
        if 1 <= whole <= 99:
            return Key(post_no=whole)
        return None
    text = repr(float(number))  # the shortest decimal that round-trips: 670.01, 671.1
    if "e" in text or "E" in text:
        return None
    whole, _, fraction = text.lstrip("-").partition(".")
    if number < 0 or not 3 <= len(whole) <= 4:
        return None
    if len(fraction) == 2:
        return _post_key(int(whole), int(fraction), two_decimals=True)
    if len(fraction) == 1:
        post = int(fraction) * 10 if one_decimal_posts == "tens" else int(fraction)
        return _post_key(int(whole), post, one_decimal=True)
    return None
