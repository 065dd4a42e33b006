"""Run an expectation suite on the workbook's values and read back which keys and rows failed.

The suite holds one expectation per stated amount (key 'post|role|letter', its source in `meta`).
Run one by one, each would filter the frame by its own row condition: about 20 ms an expectation.
So for a run the amount expectations are folded into two columns of the frame — each row's lower
and upper bound, taken from its key's expectation and widened by that cell's tolerance — and two
GX pair expectations check every row at once. A user's suite (--suite) joins the same pass: its
amount expectations of the same form ('actual' between bounds where key == K) are folded into two
more bound columns, the rest run as they are, marked as the user's. Other expectations (structural
ones) run as they are. GX's index lists are not always filled, so each failure is mapped back to
its cells through the `row` column of our own frame.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
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
BETWEEN = "expect_column_values_to_be_between"
# The outcome of a folded user expectation is reported under the type the user wrote.
FOLDED_TYPE = "folded_type"


@dataclass(frozen=True)
class RunPlan:
    """A suite made ready for one workbook: per-key bounds (ours, and the user's suite's), and the
    expectations that run as they are."""

    bounds: dict[str, tuple[Decimal, Decimal]]
    suite: object
    user_bounds: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)


def plan_run(suite, tolerance_for_key, keys: set[str], user_suite=None) -> RunPlan:
    """Bounds for the keys this workbook holds, each widened by its tolerance (unit rounding, --tolerance);
    a user's suite folded in the same way (without widening: its bounds are the user's)."""
    module = gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    bounds: dict[str, tuple[Decimal, Decimal]] = {}
    others = []
    for expectation in suite.expectations:
        config = expectation.configuration
        key = (config.meta or {}).get("key")
        if key is not None and config.type == BETWEEN:
            if key in keys:
                slack = Decimal(tolerance_for_key(key))
                bounds[key] = (_decimal(config.kwargs["min_value"]) - slack, _decimal(config.kwargs["max_value"]) + slack)
            continue
        others.append(ExpectationConfiguration(type=config.type, kwargs=dict(config.kwargs), meta=config.meta))
    others.extend(_bound_pair("low", "high", {AMOUNT_BOUNDS: "lower"}, {AMOUNT_BOUNDS: "upper"}))
    user_bounds: dict[str, tuple[Decimal, Decimal]] = {}
    if user_suite is not None:
        folded = False
        for expectation in user_suite.expectations:
            config = expectation.configuration
            key = _folded_key(config)
            if key is None:
                others.append(ExpectationConfiguration(type=config.type, kwargs=dict(config.kwargs),
                                                       meta={**(config.meta or {}), "user": True}))
                continue
            folded = True
            if key in keys:
                low, high = _decimal(config.kwargs["min_value"]), _decimal(config.kwargs["max_value"])
                if key in user_bounds:  # two expectations on one key: a value must meet both
                    low, high = max(low, user_bounds[key][0]), min(high, user_bounds[key][1])
                user_bounds[key] = (low, high)
        if folded:
            user = {"user": True, FOLDED_TYPE: BETWEEN}
            others.extend(_bound_pair("user_low", "user_high", user, user))
    # Given to the constructor: add_expectation_configurations looks each one up in the store (~25 ms each).
    run_suite = module.ExpectationSuite(name=f"{suite.name}-run", expectations=[config.to_domain_obj() for config in others])
    return RunPlan(bounds, run_suite, user_bounds)


def _bound_pair(low: str, high: str, lower_meta: dict, upper_meta: dict) -> list:
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    return [ExpectationConfiguration(
        type="expect_column_pair_values_a_to_be_greater_than_b",
        kwargs={"column_A": column_a, "column_B": column_b, "or_equal": True, "ignore_row_if": "either_value_is_missing"},
        meta=meta) for column_a, column_b, meta in (("actual", low, lower_meta), (high, "actual", upper_meta))]


def _folded_key(config) -> str | None:
    """The key of an amount expectation that says exactly 'actual between min and max where key == K'
    (as `reconcile suite` writes them); None for any other expectation, which then runs as written."""
    kwargs = config.kwargs
    if config.type != BETWEEN or kwargs.get("column") != "actual":
        return None
    if set(kwargs) - {"column", "row_condition", "condition_parser", "min_value", "max_value"}:
        return None  # mostly, strict bounds, ...: run as written
    if kwargs.get("min_value") is None or kwargs.get("max_value") is None:
        return None
    condition = kwargs.get("row_condition")
    if hasattr(condition, "to_dict"):
        condition = condition.to_dict()
    if hasattr(condition, "model_dump"):
        condition = condition.model_dump()
    if not isinstance(condition, dict):
        return None
    column = condition.get("column")
    name = column.get("name") if isinstance(column, dict) else None
    if name != "key" or condition.get("operator") != "==" or not isinstance(condition.get("parameter"), str):
        return None
    return condition["parameter"]


def _decimal(number) -> Decimal:
    return number if isinstance(number, Decimal) else Decimal(str(number))


def validate(rows: list[ValueRow], suite, bounds: dict[str, tuple[Decimal, Decimal]] | None = None,
             user_bounds: dict[str, tuple[Decimal, Decimal]] | None = None) -> list[ExpectationOutcome]:
    import pandas as pd

    bounds = bounds or {}
    user_bounds = user_bounds or {}
    frame = pd.DataFrame(
        {
            "row": [r.row for r in rows],
            "key": [r.key for r in rows],
            "post": [r.post for r in rows],
            "slot": [r.slot or r.key for r in rows],
            "actual": pd.Series([r.actual for r in rows], dtype="object"),
            "low": pd.Series([bounds.get(r.key, (None, None))[0] for r in rows], dtype="object"),
            "high": pd.Series([bounds.get(r.key, (None, None))[1] for r in rows], dtype="object"),
            "user_low": pd.Series([user_bounds.get(r.key, (None, None))[0] for r in rows], dtype="object"),
            "user_high": pd.Series([user_bounds.get(r.key, (None, None))[1] for r in rows], dtype="object"),
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
        meta = dict(item.expectation_config.meta or {})
        outcomes.append(ExpectationOutcome(bool(item.success), meta.pop(FOLDED_TYPE, item.expectation_config.type),
                                           meta, failed, detail.get("observed_value")))
    return outcomes
