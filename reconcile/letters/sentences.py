"""A paragraph's sentences, with the abbreviations, ordinals and post numbers that do not end one."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "mill", "mrd", "kap", "nr", "jf", "pst", "ca", "bl.a", "f.eks", "ev", "evt", "mv", "m.v", "kr", "prop",
    "innst", "dvs", "mht", "iht", "st", "tlf", "kl", "pkt", "hhv", "t.o.m", "f.o.m", "o.l", "osv", "etc", "jfr",
}
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ«\"(•\-–])")
# "… til kap. 512, post 01. Bevilgningen …", "… postene 70 og 71. På …": a post number, not an ordinal
# ("1. januar"), ends the sentence.
_POST_NUMBER_END = re.compile(
    r"\b(?:post(?:ane|ene)?|kap\.?|kapittel)\s*\d{1,4}(?:\s*(?:,|og|eller)\s*\d{1,4})*\.$", re.I
)


def sentences(text: str, *, join_labels: bool = False):
    """The sentences of a paragraph, with their offsets. With `join_labels` a short label ending in a
    colon ("Avsatt post 74.17:") stays with the sentence it introduces."""
    pieces = list(_split_sentences(text))
    if not join_labels:
        yield from pieces
        return
    pending = None
    for start, sentence in pieces:
        if pending is not None:
            start, sentence = pending[0], text[pending[0] : start + len(sentence)]
            pending = None
        if sentence.rstrip().endswith(":") and len(sentence) <= 40:
            pending = (start, sentence)
            continue
        yield start, sentence
    if pending is not None:
        yield pending


def _split_sentences(text: str):
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        ordinal = re.fullmatch(r"\d{1,2}\.", last_word) and not _POST_NUMBER_END.search(before)
        if last_word.rstrip(".").lower() in _ABBREVIATIONS or ordinal:
            continue
        yield start, before
        start = match.end()
    if text[start:].strip():
        yield start, text[start:]
