"""Budget posts: kapittel and post, printed '671/71'."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Post:
    kap: int
    post: int

    def __str__(self) -> str:
        return f"{self.kap}/{self.post:02d}"

    @classmethod
    def parse(cls, text: str) -> Post:
        post = parse_post(text)
        if post is None:
            raise ValueError(f"not a budget post: {text!r}")
        return post


# Kapittel numbers are 3 or 4 digits (0100–3999 expenditure, 4000+ income); posts 1–99.
_COMPACT = re.compile(r"^\s*0?(?P<kap>\d{3,4})\s*[/.\s]\s*(?P<post>\d{1,2})\s*$")
_WORDED = re.compile(
    r"^\s*kap(?:ittel|\.)?\s*0?(?P<kap>\d{3,4})\s*[,.]?\s*(?:post|p\.)\s*(?P<post>\d{1,2})\s*$",
    re.IGNORECASE,
)


def parse_post(text: object) -> Post | None:
    """'671/71', '671.71', '0671 71', '671 71', 'Kap. 671 post 71', 'kapittel 671, post 71'."""
    if not isinstance(text, str):
        return None
    for pattern in (_COMPACT, _WORDED):
        match = pattern.match(text)
        if match:
            return Post(int(match.group("kap")), int(match.group("post")))
    return None
