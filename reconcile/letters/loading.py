"""Read the letters of a run: the files the user names, or the bundled sample letters."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from reconcile.amounts import format_nok
from reconcile.errors import InputError
from reconcile.letters.extract import extract_letters, merge_letter_sets
from reconcile.letters.reading import read_document
from reconcile.letters.statements import LetterSet

LETTER_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
# In a folder: Word's lock file of an open document ("~$brev.docx") and hidden files (macOS "._brev.pdf")
# are not letters.
_NOT_LETTERS = ("~$", ".")


def bundled_letter_paths() -> list[Path]:
    folder = resources.files("reconcile.letters") / "data"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(LETTER_SUFFIXES))


def load_letters(paths: list[str | Path] | None = None) -> LetterSet:
    files: list[Path] = []
    for given in paths or bundled_letter_paths():
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir()
                if p.suffix.lower() in LETTER_SUFFIXES and not p.name.startswith(_NOT_LETTERS)
            )
            if not found:
                raise InputError("the folder holds no letter files (.txt, .html, .htm, .pdf, .docx)", path)
            files.extend(found)
        else:
            files.append(path)
    unique: dict[Path | str, Path] = {}
    for path in files:
        unique.setdefault(_same_file(path), path)  # a file named twice is read once
    sets = [extract_letters(read_document(path)) for path in unique.values()]
    _refuse_duplicate_letters(list(unique.values()), sets)
    return merge_letter_sets(sets)


def _same_file(path: Path) -> Path | str:
    try:
        return path.resolve()
    except OSError:  # read_document names the problem
        return str(path)


def _refuse_duplicate_letters(files: list[Path], sets: list[LetterSet]) -> None:
    """One letter number read twice is bad input, whether the two copies agree or not.

    Kept, a second copy would count its changes twice; of two copies that disagree, the tool
    cannot know which is right. The message names both files and, where they differ, the first post.
    """
    seen: dict[int, tuple[Path, int, LetterSet]] = {}
    for path, letter_set in zip(files, sets):
        for letter in letter_set.letters:
            if letter.number not in seen:
                seen[letter.number] = (path, letter.first_line, letter_set)
                continue
            first_path, first_line, first_set = seen[letter.number]
            name = f"tillegg nr. {letter.number}" if letter.number else "the allocation letter (no supplement number)"
            if first_set is letter_set:
                message = f"{name} appears twice in this file (lines {first_line} and {letter.first_line}): give each letter once"
            else:
                difference = _first_difference(first_set, letter_set, letter.number)
                if difference:
                    message = f"{name} is also in {first_path}, and the two disagree ({difference}): give only the right one"
                else:
                    message = f"{name} is also in {first_path} (the same letter twice?): give each letter once"
            raise InputError(message, path)


def _first_difference(first: LetterSet, second: LetterSet, number: int) -> str | None:
    def amounts(letter_set: LetterSet) -> dict[str, list[str]]:
        by_post: dict[str, list[str]] = {}
        for statement in letter_set.statements:
            if statement.letter == number:
                text = format_nok(statement.amount.value) if statement.amount else f"{statement.percent} pst."
                by_post.setdefault(str(statement.post), []).append(f"{statement.kind} {text}")
        return {post: sorted(values) for post, values in by_post.items()}

    there, here = amounts(first), amounts(second)
    for post in sorted(set(there) | set(here)):
        if there.get(post) != here.get(post):
            old = sorted(set(there.get(post, [])) - set(here.get(post, []))) or ["nothing"]
            new = sorted(set(here.get(post, [])) - set(there.get(post, []))) or ["nothing"]
            return f"{post}: {', '.join(old[:3])} there, {', '.join(new[:3])} here"
    return None
