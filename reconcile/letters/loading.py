"""Read the letters of a run: the files the user names, or the bundled sample letters."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from reconcile.errors import InputError
from reconcile.letters.extract import extract_letters, merge_letter_sets
from reconcile.letters.reading import read_document
from reconcile.letters.statements import LetterSet

LETTER_SUFFIXES = (".txt", ".pdf", ".docx")


def bundled_letter_paths() -> list[Path]:
    folder = resources.files("reconcile.letters") / "data"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(LETTER_SUFFIXES))


def load_letters(paths: list[str | Path] | None = None) -> LetterSet:
    files: list[Path] = []
    for given in paths or bundled_letter_paths():
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in LETTER_SUFFIXES)
            if not found:
                raise InputError("the folder holds no letter files (.txt, .pdf, .docx)", path)
            files.extend(found)
        else:
            files.append(path)
    return merge_letter_sets([extract_letters(read_document(path)) for path in files])
