"""The first letter a finance office has may state changes of its own ("økes med 12,5 mill.").

The letters below (made up, Samferdselsdepartementet to Statens vegvesen) start at tillegg nr. 1,
which raises 1320/01 by 12,5 mill. to 4 512 500 000 and cuts 1320/30 by 150 mill. to
12 350 000 000; tillegg nr. 2 adds 20 000 000 to 1320/01 (4 532 500 000) and carries 45 mill. over
to 1320/30 from 2024 (12 395 000 000 at the agency's disposal).

A column "Tillegg 1" may then hold the letter's change (12 500 000) or, where the office starts its
sheet from that letter, the whole base (4 512 500 000): both readings are offered to the workbook.
"""

import json
import textwrap
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from reconcile.cli import cli
from reconcile.ledger.build import build_ledger
from reconcile.ledger.expected import expected_values, make_key
from reconcile.letters.loading import load_letters

LETTERS = """\
    Tillegg nr. 1 til tildelingsbrev 2025 for Statens vegvesen

    Samferdselsdepartementet viser til tildelingsbrevet for 2025.

    Kap. 1320 Statens vegvesen
    Post 01 Driftsutgifter
    Bevilgningen på posten økes med 12,5 mill. kroner til økt kontrollvirksomhet. Samlet bevilgning
    på posten etter dette er 4 512 500 000 kroner.

    Post 30 Riksveginvesteringer, kan overføres
    Bevilgningen reduseres med 150 mill. kroner som følge av forsinkelser i prosjektet.

    Etter endringene i dette tillegget disponerer Statens vegvesen følgende:
    Kap./post Postnavn Sum
    1320/01 Driftsutgifter 4 512 500 000
    1320/30 Riksveginvesteringer, kan overføres 12 350 000 000

    Med hilsen

    Tillegg nr. 2 til tildelingsbrev 2025 for Statens vegvesen

    Samferdselsdepartementet gjør følgende endringer:
    Kap. 1320, post 01 økes med 20 000 000 kroner. Samlet bevilgning etter dette er 4 532 500 000 kroner.
    Det er overført 45 mill. kroner fra 2024 på kap. 1320, post 30.

    Med hilsen
"""


@pytest.fixture
def letter(tmp_path):
    path = tmp_path / "brev" / "vegvesen-2025.txt"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(LETTERS), encoding="utf-8")
    return path


def test_the_first_letters_stated_change_is_its_change_and_its_base_the_net_change(letter):
    letter_set = load_letters([letter])
    expected = expected_values(build_ledger(letter_set), letter_set)

    def value(post, role, number):
        return expected[make_key(post, role, number)].amount.value

    assert value("1320/01", "change", 1) == Decimal(12_500_000)
    assert value("1320/01", "net_change", 1) == Decimal(4_512_500_000)
    assert value("1320/01", "booked", 1) == Decimal(4_512_500_000)  # a transaction list books the base
    assert value("1320/30", "change", 1) == Decimal(-150_000_000)
    assert value("1320/01", "change", 2) == Decimal(20_000_000)
    assert value("1320/30", "carried_over", 2) == Decimal(45_000_000)
    assert value("1320/30", "total", 2) == Decimal(12_395_000_000)


def _workbook(path, first_column):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Budsjett"
    sheet["A1"] = "Statens vegvesen – budsjettoppfølging 2025"
    sheet["A2"] = "Beløp i 1 000 kr"
    sheet.append([])
    sheet.append(["Kap", "Post", "Tekst", "Tillegg 1", "T2", "Overført fra 2024", "Disponibel ramme"])
    sheet.append([1320, "01", "Driftsutgifter", first_column[0], 20_000, None, 4_532_500])
    sheet.append([None, "30", "Riksveginvesteringer", first_column[1], None, 45_000, 12_395_000])
    workbook.save(path)
    return path


@pytest.mark.parametrize("first_column", [(12_500, -150_000), (4_512_500, 12_350_000)],
                         ids=["changes", "base"])
def test_a_first_letter_column_of_changes_or_of_the_base_reconciles(tmp_path, letter, first_column):
    path = _workbook(tmp_path / "vegvesen.xlsx", first_column)
    result = CliRunner().invoke(cli, [str(path), "--letters", str(letter), "--no-annotate", "--json", "-"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [workbook] = json.loads(result.output)["workbooks"]
    assert workbook["summary"]["checked"] == 6 and workbook["summary"]["match"] == 6  # D5, D6, E5, F6, G5, G6
    first = {f["cell"]: f["expected"] for f in workbook["findings"] if f["cell"] in ("D5", "D6")}
    assert first == {"D5": first_column[0] * 1000, "D6": first_column[1] * 1000}


def test_a_wrong_change_in_the_first_letters_column_is_found(tmp_path, letter):
    path = _workbook(tmp_path / "vegvesen.xlsx", (12_000, -150_000))
    result = CliRunner().invoke(cli, [str(path), "--letters", str(letter), "--no-annotate", "--json", "-"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    [workbook] = json.loads(result.output)["workbooks"]
    [wrong] = [f for f in workbook["findings"] if f["status"] == "mismatch"]
    assert (wrong["cell"], wrong["post"], wrong["expected"], wrong["difference"]) == ("D5", "1320/01", 12_500_000, -500_000)


def test_letters_that_state_only_a_change_and_a_carry_over_give_those_figures(tmp_path):
    """No table and no total: the letter says what changes, never what the post holds. The change
    and the carry-over are expected; a transaction list books both; nothing crashes."""
    path = tmp_path / "brev.txt"
    path.write_text("Tillegg nr. 1 til tildelingsbrev for Etaten 2023\n\n"
                    "Bevilgningen på kap. 714, post 70 økes med 3,5 mill. kroner.\n"
                    "Det er overført 2 mill. kroner fra 2022 på kap. 714, post 70.\n", encoding="utf-8")
    letter_set = load_letters([path])
    expected = expected_values(build_ledger(letter_set), letter_set)
    assert {key: value.amount.value for key, value in expected.items()} == {
        "714/70|change|1": Decimal(3_500_000),
        "714/70|carried_over|1": Decimal(2_000_000),
        "714/70|carried_over|latest": Decimal(2_000_000),
        "714/70|booked|1": Decimal(5_500_000),
    }
    result = CliRunner().invoke(cli, ["template", "--letters", str(path), "-o", str(tmp_path / "ny.xlsx")],
                                catch_exceptions=False)
    assert result.exit_code == 0 and (tmp_path / "ny.xlsx").is_file()
    # The letters state no total for the post: a total in the workbook cannot be checked, and is
    # flagged as a figure the letters do not give, not as an unknown post.
    check = CliRunner().invoke(cli, [str(tmp_path / "ny.xlsx"), "--letters", str(path), "--no-annotate", "--json", "-"],
                               catch_exceptions=False)
    [workbook] = json.loads(check.output)["workbooks"]
    [total] = [f for f in workbook["findings"] if f["role"] == "total"]
    assert (total["status"], total["cause_detail"]) == ("unexpected", "tildelingsbrevene oppgir ikke noe slikt beløp for posten")
