from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_LETTERS = ROOT / "samples" / "letters" / "imdi-2023-tillegg-1-7.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_letter_set():
    from reconcile.letters.loading import load_letters

    return load_letters([SAMPLE_LETTERS])
