"""Which post an amount in a sentence belongs to, among the posts the sentence names."""

from __future__ import annotations

import re

from reconcile.letters.phrases import PostMention
from reconcile.posts import Post

_COUNTERPART = re.compile(r"\bmot\b", re.I)
# "… 5 mill. kroner over kap. 671, post 21": the post right after the amount is its post.
_ATTACHED_AFTER = re.compile(
    r"^\s*(?:(?:mill\.|mrd\.)\s*)?(?:kroner|kr\.?)?\s*(?:,\s*)?"
    r"(?:(?:bevilges|løyvast|løyves|beholdes|beheldast)\s+)?"  # "5 mill. kroner bevilges på en 50-post"
    r"(?:over|på|under|fr[aå]|til|i)\s+(?:statsbudsjettets\s+|en\s+|ein\s+)?$", re.I
)


def owning_post(sentence: str, mentions: list[PostMention], start: int, end: int) -> Post | None:
    """The post an amount belongs to: the one named just after it ("X kroner over kap. …, post …"),
    else the last one named before it ("kap. 410 post 01 med 193 000 kroner mot en tilsvarende
    reduksjon under kap. 440 …, post 01"), else the nearest."""
    if not mentions:
        return None
    after = [m for m in mentions if m.start >= end]
    if after and _ATTACHED_AFTER.match(sentence[end : after[0].start]):
        return after[0].post
    before = [m for m in mentions if m.end <= start]
    if before:
        return before[-1].post
    # "… auke løyvinga med 4,5 mill. kroner, mot ein tilsvarande auke … på kap. 105, post 01": the post
    # after "mot" is the counterpart; the amount is the topic's (None: the caller's context decides).
    candidates = [m for m in mentions if not _COUNTERPART.search(sentence[end : m.start])] if after else mentions
    if not candidates:
        return None
    return min(candidates, key=lambda m: min(abs(m.start - start), abs(m.end - start))).post
