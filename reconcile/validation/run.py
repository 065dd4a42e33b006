"""Run an expectation suite on the workbook's values and read back which keys and rows failed.

GX's index lists are not always filled, so each failure is mapped back to its cells through the
`key` and `row` columns of our own frame.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from decimal import Decimal

from reconcile.validation.gx_import import context, gx


@dataclass(frozen=True, slots=True)
class ValueRow:
    row: int  # index into the frame, = position in the list given to `validate`
    key: str
    post: str
    actual: Decimal | None


@dataclass(frozen=True, slots=True)
class ExpectationOutcome:
    success: bool
    kind: str  # the GX expectation type
    meta: dict
    failed_rows: tuple[int, ...]  # rows of our frame that failed it
    observed: object = None


def widened(suite, tolerance_for_key, keys: set[str] | None = None):
    """A copy of the suite for one workbook: only the keys it holds, each allowed its tolerance.

    The tolerance is the cell's own rounding (a table in 1 000 kr) plus --tolerance.
    """
    module = gx()
    copy = module.ExpectationSuite(name=f"{suite.name}-run")
    for expectation in suite.expectations:
        config = expectation.configuration
        kwargs = dict(config.kwargs)
        key = (config.meta or {}).get("key")
        if key is not None and keys is not None and key not in keys:
            continue
        if key is not None and config.type == "expect_column_values_to_be_between":
            slack = float(tolerance_for_key(key))
            kwargs["min_value"] = kwargs["min_value"] - slack
            kwargs["max_value"] = kwargs["max_value"] + slack
        from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

        copy.add_expectation_configuration(ExpectationConfiguration(type=config.type, kwargs=kwargs, meta=config.meta))
    return copy


def validate(rows: list[ValueRow], suite) -> list[ExpectationOutcome]:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "row": [r.row for r in rows],
            "key": [r.key for r in rows],
            "post": [r.post for r in rows],
            "actual": pd.Series([r.actual for r in rows], dtype="object"),
        }
    )
    gx_context = context()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        name = f"workbook-{id(rows)}"
        source = gx_context.data_sources.add_or_update_pandas(name)
        asset = source.add_dataframe_asset(name)
        batch_definition = asset.add_batch_definition_whole_dataframe(name)
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["row"]})
    outcomes = []
    for item in result.results:
        detail = item.result or {}
        failed = tuple(entry["row"] for entry in detail.get("unexpected_index_list") or [] if isinstance(entry, dict))
        outcomes.append(ExpectationOutcome(bool(item.success), item.expectation_config.type,
                                           dict(item.expectation_config.meta or {}), failed, detail.get("observed_value")))
    return outcomes
