"""The structural expectations of the suite run in GX like the amount expectations do."""

from decimal import Decimal
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def prepared():
    from reconcile.pipeline import Options, prepare

    return prepare(Options(annotate=False))


def _outcomes(path, prepared):
    from reconcile.validation.mapping import map_workbook
    from reconcile.validation.run import plan_run, validate
    from reconcile.workbook import read_workbook

    mapping = map_workbook(read_workbook(path), prepared.expected, prepared.ledger.letters, Decimal(0))
    plan = plan_run(prepared.suite, lambda key: Decimal(0), {cell.key for cell in mapping.cells})
    outcomes = {o.meta.get("structural"): o for o in validate(mapping.value_rows(), plan.suite, plan.bounds)}
    return mapping, outcomes


def test_a_post_written_twice_in_its_table_fails_the_unique_posts_expectation(prepared):
    """note-a-feil.xlsx repeats the row of 671/73 (its manifest seeds two `duplicate` cells)."""
    mapping, outcomes = _outcomes(SAMPLES / "note-a-feil.xlsx", prepared)
    unique = outcomes["unique_posts"]
    assert unique.kind == "expect_column_values_to_be_unique" and not unique.success
    failed = [(mapping.cells[row].cell, str(mapping.cells[row].post), mapping.cells[row].role,
               mapping.cells[row].duplicate) for row in unique.failed_rows]
    # GX fails both rows of the post; the mapping tells the repeat (row 13) from the first (row 12)
    assert sorted(failed) == [("E12", "671/73", "allocation", False), ("E13", "671/73", "allocation", True),
                              ("F12", "671/73", "total", False), ("F13", "671/73", "total", True)]


def test_the_same_key_in_two_tables_is_not_a_duplicate(prepared):
    """brevark.xlsx holds a sheet per letter: one post stands in several tables, each once."""
    mapping, outcomes = _outcomes(SAMPLES / "brevark.xlsx", prepared)
    assert len({cell.table for cell in mapping.cells}) > 1
    assert outcomes["unique_posts"].success
    assert outcomes["post_format"].success and outcomes["known_posts"].success and outcomes["numeric"].success
