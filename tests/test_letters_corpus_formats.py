"""The real budget texts read the same as text, as PDF and as DOCX.

Each document of tests/data/letters-real/ is rendered by samples/letters/render_letters.py (PDF one
line a text line, no blank lines kept; DOCX one paragraph a line) and read back. The statements are
compared as multisets of (post, kind, amount, status): line numbers differ between formats.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from reconcile.letters.loading import load_letters

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "letters-real"
DOCUMENTS = sorted(CORPUS.glob("*.txt"))


def _renderer():
    spec = importlib.util.spec_from_file_location("render_letters_for_corpus", REPO / "samples" / "letters" / "render_letters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(letter_set) -> Counter:
    return Counter((str(s.post), str(s.kind), s.amount.value, str(s.status)) for s in letter_set.statements if s.amount)


@pytest.fixture(scope="module")
def render():
    return _renderer()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_corpus_document_gives_the_same_statements_as_pdf_and_docx(tmp_path, render, fmt):
    differing = []
    for path in DOCUMENTS:
        target = tmp_path / f"{path.stem}.{fmt}"
        rendered = render.render_pdf(path, target) if fmt == "pdf" else render.render_docx(path, target)
        expected, got = _rows(load_letters([path])), _rows(load_letters([rendered]))
        if got != expected:
            differing.append((path.stem, sorted((expected - got).elements()), sorted((got - expected).elements())))
    assert len(DOCUMENTS) >= 60
    assert not differing
