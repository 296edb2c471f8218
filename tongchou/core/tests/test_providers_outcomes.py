"""measure_outcomes: every provider's figures about a measure, collected without importing the apps."""

from __future__ import annotations

import sys
import types

from tongchou.core.providers import MeasureOutcome, measure_outcomes


def test_outcomes_come_from_every_provider_that_offers_them(settings):
    mod = types.ModuleType("tongchou_test_outcome_provider")
    mod.measure_outcomes = lambda ids: [
        MeasureOutcome(i, "已拨付", 3, "户") for i in ids if i.startswith("z")
    ]
    sys.modules[mod.__name__] = mod
    try:
        settings.TONGCHOU_DASHBOARD_PROVIDERS = [*settings.TONGCHOU_DASHBOARD_PROVIDERS, mod.__name__]
        got = [o for o in measure_outcomes(["zhoucun-2020-8/13", "jinan/1"]) if o.label == "已拨付"]
        assert got == [MeasureOutcome("zhoucun-2020-8/13", "已拨付", 3, "户")]
    finally:
        del sys.modules[mod.__name__]
