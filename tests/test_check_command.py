"""`reconcile WORKBOOK` end to end through the CLI: outputs, exit codes, suites, explanations, templates."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def seeded(tmp_path):
    """A copy of the seeded overview sample (8 seeded errors, listed in its manifest)."""
    path = tmp_path / "oversikt-feil.xlsx"
    shutil.copy(SAMPLES / "oversikt-feil.xlsx", path)
    return path


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_seeded_overview_exits_one_and_writes_the_annotated_copy_beside_it(seeded):
    before = digest(seeded)
    result = run(seeded)
    assert result.exit_code == 1
    assert "Kontrollert: 48  Stemmer: 40  Avvik: 8" in result.output
    [stale] = [line for line in result.output.splitlines() if "Oversikt!K7" in line]
    assert stale.split()[1:2] == ["671/60"]
    assert stale.endswith("Avvik – utdatert (tilsvarer beløpet etter tillegg nr. 3)")
    assert (seeded.parent / "oversikt-feil.reconciled.xlsx").is_file()
    assert digest(seeded) == before


def test_existing_output_is_kept_without_force(seeded):
    run(seeded)
    output = seeded.parent / "oversikt-feil.reconciled.xlsx"
    stamp = digest(output)
    from reconcile.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main([str(seeded)])
    assert exit_info.value.code == 2
    assert digest(output) == stamp
    assert run(seeded, "--force").exit_code == 1


def test_json_and_junit_reports_list_every_discrepancy(seeded, tmp_path):
    result = run(seeded, "--no-annotate", "--json", tmp_path / "out.json", "--junit", tmp_path / "junit.xml")
    assert result.exit_code == 1
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    [workbook] = report["workbooks"]
    assert workbook["summary"] == {"checked": 48, "match": 40, "mismatch": 8, "explained": 0, "missing": 0, "unexpected": 0}
    stale = next(f for f in workbook["findings"] if f["cause"] == "stale")
    assert stale["post"] == "671/60" and stale["cell"] == "K7"
    assert stale["actual"] == 18405872000 and stale["expected"] == 18310846000 and stale["difference"] == 95026000
    assert stale["source"]["letter"] == 7 and stale["source"]["line"] == 1379
    assert "18 310 846 000" in stale["source"]["quote"]
    assert workbook["letters"][6]["date"] == "2023-12-18" and len(workbook["letters"][6]["sha256"]) == 64
    junit = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert junit.count("<testcase") == 48 and junit.count("<failure") == 8


def test_clean_sample_exits_zero():
    assert run(SAMPLES / "oversikt.xlsx", "--no-annotate").exit_code == 0


def test_explained_differences_do_not_fail(seeded, tmp_path):
    explanations = tmp_path / "forklaringer.csv"
    lines = ["post;role;difference;reason"]
    report = tmp_path / "first.json"
    run(seeded, "--no-annotate", "--json", report)
    for finding in json.loads(report.read_text(encoding="utf-8"))["workbooks"][0]["findings"]:
        if finding["status"] == "mismatch":
            lines.append(f"{finding['post']};{finding['role']};{finding['difference']};Kjent avvik, avklart med departementet")
    explanations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(seeded, "--no-annotate", "--explanations", explanations)
    assert result.exit_code == 0
    assert "Forklart avvik: 8" in result.output


def test_an_explanation_whose_difference_changed_is_void(seeded, tmp_path):
    explanations = tmp_path / "forklaringer.toml"
    explanations.write_text('[[explanation]]\npost = "671/60"\nrole = "total"\ndifference = 95026001\nreason = "Gammel forklaring"\n',
                            encoding="utf-8")
    result = run(seeded, "--no-annotate", "--explanations", explanations)
    assert "Forklart avvik: 0" in result.output and result.exit_code == 1


def test_explanations_are_read_back_from_a_previous_annotated_copy(seeded):
    import openpyxl

    run(seeded)
    previous = seeded.parent / "oversikt-feil.reconciled.xlsx"
    workbook = openpyxl.load_workbook(previous)
    sheet = workbook["Avstemming"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Status")].value == "Avvik" and row[header.index("Post")].value == "671/60":
            row[header.index("Forklaring")].value = "Ikke oppdatert etter nysalderingen; rettes i desember"
    edited = seeded.parent / "forrige.xlsx"
    workbook.save(edited)
    result = run(seeded, "--no-annotate", "--explanations", edited)
    assert "Forklart avvik: 1" in result.output
    assert "Avvik: 7" in result.output


def test_generated_suite_loads_back_and_reproduces_the_findings(seeded, tmp_path):
    suite_path = tmp_path / "suite.json"
    assert run("suite", "-o", suite_path).exit_code == 0
    from reconcile.cli import main

    stamp = digest(suite_path)
    with pytest.raises(SystemExit) as refused:
        main(["suite", "-o", str(suite_path)])
    assert refused.value.code == 2 and digest(suite_path) == stamp
    assert run("suite", "-o", suite_path, "--force").exit_code == 0
    data = json.loads(suite_path.read_text(encoding="utf-8"))
    assert data["expectations"][0]["type"] == "expect_column_values_to_be_between"
    assert {"post", "letter", "line", "quote"} <= set(data["expectations"][0]["meta"])

    from reconcile.pipeline import Options, check_workbook, prepare
    from reconcile.validation.suite import load_suite

    prepared = prepare(Options(annotate=False))
    built = check_workbook(seeded, prepared, Options(annotate=False))
    prepared.suite = load_suite(suite_path)
    loaded = check_workbook(seeded, prepared, Options(annotate=False))
    assert [f.to_dict() for f in loaded.findings] == [f.to_dict() for f in built.findings]
    assert sum(f.failing for f in loaded.findings) == 8


def test_a_users_own_expectation_runs_and_is_reported(tmp_path):
    suite_path = tmp_path / "egne.json"
    suite_path.write_text(json.dumps({"name": "egne", "expectations": [{
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "actual", "min_value": -1_000_000_000, "max_value": 1_000_000_000},
        "meta": {"user": True, "description": "Ingen post over 1 mrd."}}]}), encoding="utf-8")
    clean = SAMPLES / "oversikt.xlsx"
    result = run(clean, "--no-annotate", "--suite", suite_path, "--json", tmp_path / "r.json")
    assert result.exit_code == 1
    findings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["workbooks"][0]["findings"]
    flagged = {f["post"] for f in findings if f["status"] == "mismatch"}
    assert flagged == {"671/60", "671/61", "672/60"}
    assert all("Ingen post over 1 mrd." in f["cause_detail"] for f in findings if f["status"] == "mismatch")


def test_template_reconciles_untouched(tmp_path):
    template = tmp_path / "oppfolging.xlsx"
    assert run("template", "-o", template).exit_code == 0
    result = run(template, "--no-annotate")
    assert result.exit_code == 0, result.output
    assert "Avvik: 0" in result.output and "Kontrollert: 0" not in result.output


def test_template_formulas_carry_cached_values(tmp_path):
    from python_calamine import CalamineWorkbook

    template = tmp_path / "oppfolging.xlsx"
    run("template", "-o", template)
    rows = CalamineWorkbook.from_path(str(template)).get_sheet_by_name("Oversikt").to_python()
    header = rows[2]
    total = header.index("Samlet tildeling")
    by_post = {row[0]: row for row in rows[3:]}
    assert by_post["671/71"][total] == 228052000
    assert by_post["670/01"][total] == 373849000


def test_english_annotations(seeded):
    import openpyxl

    result = run(seeded, "--lang", "en")
    assert "Checked: 48  Match: 40  Mismatch: 8" in result.output
    assert "Oversikt!C4" in result.output and "Mismatch – transposed digits" in result.output
    workbook = openpyxl.load_workbook(seeded.parent / "oversikt-feil.reconciled.xlsx")
    assert workbook.sheetnames[-2:] == ["Reconciliation", "Letter audit"]
    assert workbook["Oversikt"]["K7"].comment.text.startswith("Reconciliation against allocation letters: Mismatch")


def test_committed_suite_is_the_one_the_letters_give(tmp_path):
    fresh = tmp_path / "imdi-2023.json"
    run("suite", "-o", fresh)
    committed = json.loads((SAMPLES.parent / "expectations" / "imdi-2023.json").read_text(encoding="utf-8"))
    generated = json.loads(fresh.read_text(encoding="utf-8"))
    assert committed["expectations"] == generated["expectations"]


def test_layout_file_tolerance_per_post_turns_a_small_difference_amber(tmp_path):
    from reconcile.pipeline import Options, check_workbook, prepare

    layout = tmp_path / "oppsett.toml"
    layout.write_text('[tolerance]\n"671/45" = 30000\n', encoding="utf-8")
    prepared = prepare(Options(annotate=False))
    strict = check_workbook(SAMPLES / "oversikt-feil.xlsx", prepared, Options(annotate=False))
    lenient = check_workbook(SAMPLES / "oversikt-feil.xlsx", prepared, Options(annotate=False, layout=str(layout)))
    rounding = {f.cell: f.status for f in strict.findings if f.post == "671/45" and f.role == "change"}
    assert rounding["E6"] == "mismatch"
    assert {f.cell: f.status for f in lenient.findings if f.post == "671/45" and f.role == "change"}["E6"] == "within_tolerance"
    assert sum(f.failing for f in lenient.findings) == sum(f.failing for f in strict.findings) - 1


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_ods_and_xls_are_checked_and_get_an_annotated_values_copy(tmp_path, suffix):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed to make the .ods/.xls fixture")
    import subprocess

    shutil.copy(SAMPLES / "oversikt-feil.xlsx", tmp_path / "oversikt-feil.xlsx")
    subprocess.run([office, "--headless", "--convert-to", suffix, "--outdir", str(tmp_path), str(tmp_path / "oversikt-feil.xlsx")],
                   check=True, capture_output=True, timeout=180)
    (tmp_path / "oversikt-feil.xlsx").unlink()
    result = run(tmp_path / f"oversikt-feil.{suffix}", "--json", tmp_path / "r.json")
    assert result.exit_code == 1
    findings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["workbooks"][0]["findings"]
    manifest = json.loads((SAMPLES / "oversikt-feil.manifest.json").read_text(encoding="utf-8"))
    assert {(f["cell"], f["post"], f["cause"]) for f in findings if f["status"] == "mismatch"} == {
        (s["cell"], s["post"], s["cause"]) for s in manifest["seeded"]}
    import openpyxl

    copy = openpyxl.load_workbook(tmp_path / "oversikt-feil.reconciled.xlsx")
    assert copy["Oversikt"]["K7"].comment.text.startswith("Avstemming mot tildelingsbrev: Avvik")


def test_explanations_as_excel_saves_a_semicolon_csv_in_norwegian(seeded, tmp_path):
    """Excel on Norwegian Windows saves "CSV (semikolondelt)" in cp1252; the officer names the role
    as the workbook does ("samlet tildeling") and may write the post as 671.60."""
    explanations = tmp_path / "forklaringer.csv"
    explanations.write_bytes("Post;Rolle;Avvik;Forklaring\r\n671.60;samlet tildeling;95 026 000;"
                             "Tillegg 7 ikke ført ennå – avventer økonomisjefen\r\n".encode("cp1252"))
    report = tmp_path / "funn.json"
    result = run(seeded, "--no-annotate", "--explanations", explanations, "--json", report)
    assert "Forklart avvik: 1" in result.output and result.exit_code == 1
    [explained] = [f for f in json.loads(report.read_text(encoding="utf-8"))["workbooks"][0]["findings"]
                   if f["status"] == "explained"]
    assert (explained["cell"], explained["explanation"]) == ("K7", "Tillegg 7 ikke ført ennå – avventer økonomisjefen")


def test_an_explanation_with_an_unknown_role_is_refused_naming_the_roles(seeded, tmp_path, capsys):
    from reconcile.cli import main

    explanations = tmp_path / "forklaringer.csv"
    explanations.write_text("post,role,difference,reason\n671/60,totalt,1,x\n", encoding="utf-8")
    with pytest.raises(SystemExit) as refused:
        main([str(seeded), "--no-annotate", "--explanations", str(explanations)])
    assert refused.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"reconcile: feil: {explanations}: forklaring 1: ukjent rolle 'totalt' (en av: ")
    assert "samlet tildeling" in line
