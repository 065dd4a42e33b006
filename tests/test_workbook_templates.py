"""The layout vocabulary ships as package data, is documented in templates/, and loads; layout
files load or fail with a one-line InputError."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.errors import InputError
from reconcile.workbook import layout as layouts
from reconcile.workbook.layout import load_layout
from reconcile.workbook.records import ROLES
from reconcile.workbook.vocabulary import VOCABULARY_ROLES, load_vocabulary, normalise, template_dir

REPO = Path(__file__).resolve().parents[1]


def test_vocabulary_is_package_data_and_loads():
    directory = template_dir()
    assert directory.is_relative_to(REPO / "reconcile") or "site-packages" in str(directory)
    vocabulary = load_vocabulary()
    assert [spec.name for spec in vocabulary.layouts] == list(layouts.LAYOUT_NAMES)
    for spec in vocabulary.layouts:
        assert {entry.role for entry in spec.patterns} <= VOCABULARY_ROLES
    assert vocabulary.unit(normalise("Beløp i 1 000 kr")) == Decimal(1000)
    assert vocabulary.unit(normalise("(i mill. kr)")) == Decimal(1_000_000)
    assert vocabulary.letter_number(normalise("Tillegg nr. 7")) == 7


def test_templates_readme_points_at_every_packaged_vocabulary_file():
    readme = (REPO / "templates" / "README.md").read_text(encoding="utf-8")
    packaged = sorted(path.name for path in template_dir().glob("*.toml"))
    assert packaged
    for name in packaged:
        assert f"reconcile/templates/{name}" in readme, name
    assert not list((REPO / "templates").glob("layout-*.toml")), "one copy only: the package's"


def test_example_layout_file_loads():
    layout = load_layout(REPO / "templates" / "user-layout.example.toml")
    rule = layout.rule_for("Oversikt")
    assert rule.header_rows == (4, 5) and rule.layout == "overview" and rule.unit == Decimal(1000)
    assert rule.columns["F"].role == "change" and rule.columns["F"].letter == 5
    assert rule.headers["rnb"].letter == 5
    assert layout.rule_for("Tillegg 3").layout == "letter_sheet"
    assert layout.rule_for("Notater").skip


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("unit = [", "not a valid TOML"),
        ('[headers]\n"X" = "beløp"\n', "unknown role 'beløp'"),
        ('[columns]\n"Sum" = "total"\n', "use [headers]"),
        ("unit = 10\n", "unit must be"),
        ('[[sheet]]\nlayout = "overview"\n', "name = ... or match = ..."),
        ('[[sheet]]\nname = "A"\nheader_rows = [1, 3]\n', "adjacent"),
        ('[[sheet]]\nname = "A"\nlayot = "overview"\n', "unknown key"),
        ('layout = "pivot"\n', "unknown layout"),
    ],
)
def test_bad_layout_files_exit_two(tmp_path, text, fragment):
    path = tmp_path / "oppsett.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_layout(path)
    assert fragment in caught.value.message and caught.value.path == str(path)


def test_missing_layout_file_exits_two(tmp_path):
    with pytest.raises(InputError, match="no such layout file"):
        load_layout(tmp_path / "mangler.toml")


def test_roles_are_documented_in_the_example():
    example = (REPO / "templates" / "user-layout.example.toml").read_text(encoding="utf-8")
    for role in ROLES:
        assert role in example


def test_the_template_commands_headers_are_the_ones_the_overview_layout_recognises():
    """`reconcile template` takes its texts from layout-overview.toml's [template]; the reader reads
    each back as the role it stands for, so the two cannot drift apart."""
    from reconcile.workbook.vocabulary import layout_spec

    spec = layout_spec("overview")
    vocabulary = load_vocabulary()
    for role in ("post", "name", "carried_over", "total"):
        assert spec.role_of(normalise(spec.template_text(role))) == role, role
    change = normalise(spec.template_text("change", letter=3))
    assert change == "tillegg nr. 3"
    assert spec.role_of(change) == "change" and vocabulary.letter_number(change) == 3
    assert vocabulary.is_total_label(normalise(spec.template_text("sum")))


def test_the_template_is_written_with_the_layouts_texts(tmp_path):
    import openpyxl

    from reconcile.ledger.build import build_ledger
    from reconcile.ledger.expected import expected_values
    from reconcile.letters.loading import load_letters
    from reconcile.output.template import write_template
    from reconcile.workbook.vocabulary import layout_spec

    spec = layout_spec("overview")
    letter_set = load_letters()
    ledger = build_ledger(letter_set)
    target = tmp_path / "ny.xlsx"
    write_template(ledger, letter_set, expected_values(ledger, letter_set), target)
    sheet = openpyxl.load_workbook(target)[spec.template_text("sheet")]
    header = [cell.value for cell in sheet[3]]
    assert header == ["Kap./post", "Postnavn"] + [f"Tillegg nr. {n}" for n in range(1, 8)] + [
        "Overført fra i fjor", "Samlet tildeling"]
    assert sheet["A1"].value == spec.template_text("title")
    assert sheet.cell(row=3 + len(ledger.posts) + 1, column=1).value == "Sum"
