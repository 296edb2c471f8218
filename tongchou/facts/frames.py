"""Facts as polars frames (pure): the column types and the function derivations.

A facts frame has one row per enterprise and one column per fact, typed by :data:`POLARS_TYPES`.
:func:`derive_frame` fills the facts whose :class:`~tongchou.facts.registry.Derivation` is a
function (``size_class``) where they are missing; expression derivations (``layoff_rate``) are the
engine's business, inside its query.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from .registry import FactRegistry, FactType, current

POLARS_TYPES = {
    FactType.NUMBER: pl.Float64,
    FactType.TEXT: pl.String,
    FactType.ENUM: pl.String,
    FactType.BOOL: pl.Boolean,
    FactType.DATE: pl.Date,
}


def derive_frame(
    df: pl.DataFrame, names: Iterable[str] | None = None, *, registry: FactRegistry | None = None
) -> pl.DataFrame:
    """Fill function-derived facts (all, or only ``names``) where the frame lacks them; rows the
    function cannot decide stay missing. A frame without the inputs a function needs is returned
    unchanged, and so is a frame in which the fact is already known everywhere."""
    reg = registry or current()
    wanted = None if names is None else set(names)
    if df.height == 0:
        return df
    for fact in reg.derived("function"):
        if wanted is not None and fact.name not in wanted:
            continue
        fn = fact.derivation.frame_function() if fact.derivation else None
        if fn is None:
            continue
        present = fact.name in df.columns
        if present and not df.get_column(fact.name).is_null().any():
            continue
        derived = fn(df)
        if derived is None:
            continue
        derived = derived.cast(POLARS_TYPES[fact.type]).alias(fact.name)
        if present:
            col = pl.col(fact.name)
            df = df.with_columns(pl.when(col.is_null()).then(derived).otherwise(col).alias(fact.name))
        else:
            df = df.with_columns(derived)
    return df
