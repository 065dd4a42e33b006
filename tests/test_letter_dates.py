"""A letter's date, as letters write it: a "Dato" label (alone, with a colon, "Vår dato", or the last
label of the letterhead's "Deres ref  Vår ref  Dato" row with the values on the next line), or a
place-and-date line "Oslo, 14. november 2023". A deadline is not the letter's date."""

from __future__ import annotations

import datetime as dt

import pytest

from reconcile.letters.loading import load_letters

BODY = "Bevilgningen på kap. 714, post 70 økes med 3,5 mill. kroner.\n"


def _letter_date(tmp_path, head: str):
    path = tmp_path / "brev.txt"
    path.write_text(f"Tillegg nr. 1 til tildelingsbrev for Etaten 2023\n\n{head}\n\n{BODY}", encoding="utf-8")
    [letter] = load_letters([path]).letters
    return letter.date, letter.date_source


@pytest.mark.parametrize(
    "head",
    [
        "Dato: 14.11.2023",
        "Vår dato 14.11.2023",
        "Dato\n14. november 2023",
        "Deres ref Vår ref Dato\n22/3753- 14. november 2023",
        "Deres ref Vår ref Dato\n23/118 22/3753-4 14.11.2023",
    ],
)
def test_a_dato_label_dates_the_letter(tmp_path, head):
    found, source = _letter_date(tmp_path, head)
    assert found == dt.date(2023, 11, 14) and source.startswith("Dato (l. ")


def test_a_place_and_date_line_dates_a_letter_without_a_dato_label(tmp_path):
    found, source = _letter_date(tmp_path, "Oslo, 14. november 2023")
    assert found == dt.date(2023, 11, 14) and source == "stedsdato (l. 3)"


@pytest.mark.parametrize("head", ["Frist: 01.03.2024", "Rapportering innen 1. mars 2024.", "Oslo kommune, Bergen og Tromsø"])
def test_a_deadline_or_a_place_is_not_the_letters_date(tmp_path, head):
    assert _letter_date(tmp_path, head) == (None, None)
