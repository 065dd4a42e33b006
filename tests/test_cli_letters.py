"""`reconcile letters` driven through click's CliRunner, asserting on real output."""

import json

from click.testing import CliRunner

from reconcile.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_letters_lists_the_seven_letters_and_their_statements():
    result = run("letters")
    assert result.exit_code == 0
    for number in range(1, 8):
        assert f"Tillegg nr. {number} " in result.output
    assert "Tillegg nr. 7 (2023-12-18)" in result.output
    assert "671/71  ny sum" in result.output
    assert "228 052 000" in result.output


def test_letters_json_has_letters_and_statements_with_sources():
    result = run("letters", "--json", "-")
    data = json.loads(result.output)
    assert [letter["number"] for letter in data["letters"]] == [1, 2, 3, 4, 5, 6, 7]
    closing = [s for s in data["statements"] if s["post"] == "671/71" and s["kind"] == "new_total"]
    assert closing == [{
        "id": closing[0]["id"], "post": "671/71", "kap": 671, "post_no": 71, "kind": "new_total",
        "amount": 228052000, "precision": 0, "letter": 7, "document": "imdi-2023-tillegg-1-7.txt", "page": None,
        "line": 1390,
        "quote": "Samlet bevilgning på posten til disposisjon for IMDi etter dette er 228 052 000 kroner.",
    }]
    shares = [s for s in data["statements"] if s["kind"] == "breakdown_part" and s["letter"] == 6]
    assert {s["amount"] for s in shares} == {666666.67}


def test_audit_prints_errors_first_and_exits_one_for_the_letters_errors():
    result = run("letters", "--audit")
    assert result.exit_code == 1
    assert "Brevkontroll: 2 feil" in result.output
    letter_7 = result.output.split("Tillegg nr. 7\n", 1)[1]
    assert letter_7.lstrip().startswith("FEIL     670/01")
    assert "avvik -1 308 000" in letter_7
    assert "671/71 228 052 000 – 228 052 000 tillegg nr. 7" in " ".join(result.output.split())


def test_audit_as_of_shows_the_state_after_that_letter():
    result = run("letters", "--audit", "--as-of", "3")
    assert "Forventet beløp per post (etter tillegg nr. 3)" in result.output
    assert "671/71 223 052 000 – 223 052 000 tillegg nr. 3" in " ".join(result.output.split())
    assert "Tillegg nr. 7" not in result.output.split("Forventet beløp")[0]


def test_audit_json_gives_expected_figures_and_findings():
    result = run("letters", "--audit", "--json", "-")
    data = json.loads(result.output)
    assert data["expected"]["671/71"]["total"] == 228052000
    assert data["expected"]["671/71"]["letter"] == 7
    assert data["expected"]["670/01"] | {"sources": None, "basis": None} == {
        "allocation": 362932000, "carried_over": 10917000, "total": 373849000, "letter": 7, "sources": None, "basis": None}
    errors = [f for f in data["audit"] if f["severity"] == "error"]
    assert {(f["post"], f["letter"], f["difference"]) for f in errors} == {("671/62", 3, 465000), ("670/01", 7, -1308000)}
    assert all(f["sources"] and f["sources"][0]["quote"] for f in errors)


def test_a_missing_letter_file_is_one_line_and_exit_two(tmp_path):
    from reconcile.cli import main
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["letters", str(tmp_path / "nope.txt")])
    assert exit_info.value.code == 2


def test_every_command_has_help():
    for command in ("check", "letters", "suite", "template"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output and len(result.output) > 200
