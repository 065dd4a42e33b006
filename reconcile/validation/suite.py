"""Build, save and load the Great Expectations suite that says what a workbook should hold.

One expectation per stated amount (post × role × letter) with its source in `meta`, plus
structural expectations: post format, each post once per table, numeric amounts, no posts unknown
to the letters.
"""

from __future__ import annotations

import json
from pathlib import Path

from reconcile.errors import InputError
from reconcile.ledger.expected import ExpectedValue
from reconcile.output.files import write_text_atomically
from reconcile.validation.gx_import import context, gx

POST_PATTERN = r"^\d{3,4}/\d{2}$"


def build_suite(expected: dict[str, ExpectedValue], name: str = "reconcile"):
    module = gx()
    context()  # GX suites need an active (ephemeral) data context
    from great_expectations.expectations.row_conditions import Column
    expectations = []
    for value in expected.values():
        source = value.main_source
        meta = {
            "key": value.key,
            "post": str(value.post),
            "role": value.role,
            "letter": value.letter,
            "expected": str(value.amount.value),
            "precision": str(value.amount.precision),
            "basis": value.basis,
        }
        if source is not None:
            meta.update({"source_letter": source.letter, "document": source.source.document, "page": source.source.page,
                         "line": source.source.line, "quote": source.source.quote})
        expectations.append(
            module.expectations.ExpectColumnValuesToBeBetween(
                column="actual",
                min_value=_number(value.amount.value),
                max_value=_number(value.amount.value),
                row_condition=Column("key") == value.key,
                meta=meta,
            )
        )
    known_posts = sorted({str(value.post) for value in expected.values()})
    expectations.append(module.expectations.ExpectColumnValuesToMatchRegex(column="post", regex=POST_PATTERN,
                                                                           meta={"structural": "post_format"}))
    expectations.append(module.expectations.ExpectColumnValuesToBeInSet(column="post", value_set=known_posts,
                                                                        meta={"structural": "known_posts"}))
    expectations.append(module.expectations.ExpectColumnValuesToBeUnique(column="slot", meta={"structural": "unique_posts"}))
    expectations.append(module.expectations.ExpectColumnValuesToNotBeNull(column="actual", meta={"structural": "numeric"}))
    # Passing the list to the constructor skips the per-expectation store lookups of add_expectation.
    return module.ExpectationSuite(name=name, expectations=expectations)


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def save_suite(suite, path: str | Path) -> None:
    write_text_atomically(path, json.dumps(suite.to_json_dict(), indent=2, ensure_ascii=False) + "\n")


def read_suite_json(path: str | Path) -> dict:
    """A suite file's JSON, read without Great Expectations: a wrong file is answered at once."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError("no such suite file", path) from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"not a JSON expectation suite: {error}", path) from error
    if not isinstance(data, dict):
        raise InputError("not a valid expectation suite: the file holds no JSON object", path)
    return data


def load_suite(path: str | Path):
    data = read_suite_json(path)
    module = gx()
    context()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    try:
        # Given to the constructor: add_expectation_configuration looks each one up in the store
        # (12.8 s for the committed suite's 544, against 0.04 s).
        expectations = [ExpectationConfiguration(type=config["type"], kwargs=dict(config.get("kwargs", {})),
                                                 meta=config.get("meta") or {}).to_domain_obj()
                        for config in data.get("expectations", [])]
        suite = module.ExpectationSuite(name=data.get("name", Path(path).stem), expectations=expectations)
    except Exception as error:  # GX raises many kinds for a malformed suite
        raise InputError(f"not a valid expectation suite: {error}", path) from error
    return suite
