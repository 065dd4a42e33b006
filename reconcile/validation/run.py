"""Run an expectation suite on the workbook's values and read back which keys and rows failed.

The suite holds one expectation per stated amount (key 'post|role|letter', its source in `meta`).
Run one by one, each would filter the frame by its own row condition: about 20 ms an expectation.
So for a run the amount expectations are folded into two columns of the frame — each row's lower
and upper bound, taken from its key's expectation and widened by that cell's tolerance — and two
GX pair expectations check every row at once. Other expectations (structural ones, a user's own)
run as they are. GX's index lists are not always filled, so each failure is mapped back to its
cells through the `row` column of our own frame.
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
    slot: str = ""  # table and key: the same key twice in one table is a post written twice


@dataclass(frozen=True, slots=True)
class ExpectationOutcome:
    success: bool
    kind: str  # the GX expectation type
    meta: dict
    failed_rows: tuple[int, ...]  # rows of our frame that failed it
    observed: object = None


AMOUNT_BOUNDS = "amount_bounds"


@dataclass(frozen=True)
class RunPlan:
    """A suite made ready for one workbook: per-key bounds, and the expectations that run as they are."""

    bounds: dict[str, tuple[Decimal, Decimal]]
    suite: object


def plan_run(suite, tolerance_for_key, keys: set[str]) -> RunPlan:
    """Bounds for the keys this workbook holds, each widened by its tolerance (unit rounding, --tolerance)."""
    module = gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    bounds: dict[str, tuple[Decimal, Decimal]] = {}
    others = []
    for expectation in suite.expectations:
        config = expectation.configuration
        key = (config.meta or {}).get("key")
        if key is not None and config.type == "expect_column_values_to_be_between":
            if key in keys:
                slack = Decimal(tolerance_for_key(key))
                bounds[key] = (_decimal(config.kwargs["min_value"]) - slack, _decimal(config.kwargs["max_value"]) + slack)
            continue
        others.append(ExpectationConfiguration(type=config.type, kwargs=dict(config.kwargs), meta=config.meta))
    for column_a, column_b, side in (("actual", "low", "lower"), ("high", "actual", "upper")):
        others.append(ExpectationConfiguration(
            type="expect_column_pair_values_a_to_be_greater_than_b",
            kwargs={"column_A": column_a, "column_B": column_b, "or_equal": True,
                    "ignore_row_if": "either_value_is_missing"},
            meta={AMOUNT_BOUNDS: side}))
    run_suite = module.ExpectationSuite(name=f"{suite.name}-run")
    run_suite.add_expectation_configurations(others)
    return RunPlan(bounds, run_suite)


def _decimal(number) -> Decimal:
    return number if isinstance(number, Decimal) else Decimal(str(number))


def validate(rows: list[ValueRow], suite, bounds: dict[str, tuple[Decimal, Decimal]] | None = None) -> list[ExpectationOutcome]:
    import pandas as pd

    bounds = bounds or {}
    frame = pd.DataFrame(
        {
            "row": [r.row for r in rows],
            "key": [r.key for r in rows],
            "post": [r.post for r in rows],
            "slot": [r.slot or r.key for r in rows],
            "actual": pd.Series([r.actual for r in rows], dtype="object"),
            "low": pd.Series([bounds.get(r.key, (None, None))[0] for r in rows], dtype="object"),
            "high": pd.Series([bounds.get(r.key, (None, None))[1] for r in rows], dtype="object"),
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
        failed = tuple(int(entry["row"]) for entry in detail.get("unexpected_index_list") or [] if isinstance(entry, dict))
        outcomes.append(ExpectationOutcome(bool(item.success), item.expectation_config.type,
                                           dict(item.expectation_config.meta or {}), failed, detail.get("observed_value")))
    return outcomes
