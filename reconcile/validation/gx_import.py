"""Import Great Expectations once, quietly: no analytics, no progress bars, no log noise."""

from __future__ import annotations

import gc
import logging
import os
import sys
import warnings

from reconcile.bulk import collector_paused

_context = None


def gx():
    # Analytics and progress bars are switched off before GX is imported: it reads them at import.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TQDM_DISABLE", "1")
    first_import = "great_expectations" not in sys.modules
    with warnings.catch_warnings(), collector_paused():
        # GX's import builds some hundred thousand objects that live as long as the process; the
        # collections it would trigger meanwhile find nothing to free and cost about a tenth of it.
        warnings.simplefilter("ignore")
        import great_expectations
    if first_import:
        gc.freeze()  # and later collections need not walk those objects again

    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return great_expectations


def context():
    global _context
    if _context is None:
        module = gx()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _context = module.get_context(mode="ephemeral")
        try:
            from great_expectations.data_context.types.base import ProgressBarsConfig

            _context.variables.progress_bars = ProgressBarsConfig(globally=False)
        except Exception:  # older or newer GX without this knob: TQDM_DISABLE still applies
            pass
    return _context
