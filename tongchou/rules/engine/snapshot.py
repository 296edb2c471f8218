"""Facts snapshots: typed polars frames, one row per enterprise, one column per fact.

* :func:`read_enterprises` reads a CSV/XLSX file through the platform's one table reader
  (:mod:`tongchou.core.tables`: size and row bounds, UTF-8/GBK, a renamed non-Excel file refused
  in Chinese); columns = fact names, empty cell = missing;
* :func:`prepare_facts` types the columns by the fact registry (vectorised; messy cells — 是/否,
  full-width digits, thousands separators, 2020年4月1日 — fall back to the shared cell parsers, and
  a bad value names its row and column) and fills function-derived facts (``size_class``) where
  absent; expression-derived facts (``layoff_rate``) are computed inside the query (evaluate.py);
* :func:`load_into_postgres` copies a snapshot into a PostgreSQL table (used by the
  differential test and usable by the platform for ad-hoc simulation).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tongchou.core import tables
from tongchou.facts.frames import POLARS_TYPES, derive_frame
from tongchou.facts.registry import KEY, Fact, FactType, current, registry_argument

from .errors import FactsError

PG_TYPES = {
    FactType.NUMBER: "double precision",
    FactType.TEXT: "text",
    FactType.ENUM: "text",
    FactType.BOOL: "boolean",
    FactType.DATE: "date",
}
__all__ = [
    "PG_TYPES",
    "POLARS_TYPES",
    "derive_size_class",
    "load_into_postgres",
    "prepare_facts",
    "read_enterprises",
]


@registry_argument
def read_enterprises(path: str | Path, *, limits: tables.Limits = tables.CLI_LIMITS) -> pl.DataFrame:
    """Read an enterprises file into a typed snapshot. Unknown columns are refused (a typo
    in a column name would otherwise silently make a fact missing)."""
    path = Path(path)
    if not path.exists():
        raise FactsError(f"找不到企业数据文件：{path}")
    registry = current()
    try:
        with tables.open_table(path, limits=limits) as table:
            header = [tables.clean_text(h) for h in table.header]
            for i, h in enumerate(header):
                if h and h not in registry:
                    from .compiler import _suggest

                    raise FactsError(f"第1行第{i + 1}列：未知的列“{h}”{_suggest(h)}")
            if KEY not in header:
                raise FactsError("第1行：缺少列“uscc”（统一社会信用代码）")
            df = table.frame()
    except tables.TableError as err:
        raise FactsError(err.message) from None
    rows = df.get_column("__row__")
    return prepare_facts(df.drop("__row__"), row_numbers=rows)


@registry_argument
def prepare_facts(
    df: pl.DataFrame, *, first_data_row: int = 1, derive: bool = True, row_numbers: pl.Series | None = None
) -> pl.DataFrame:
    """Cast every known fact column to its registry type (strings are parsed; bad values raise
    :class:`FactsError` naming row and column — ``row_numbers`` gives each row's number in the
    file, else rows count from ``first_data_row``) and fill function-derived facts where absent."""
    registry = current()
    cols = []
    for name in df.columns:
        fact = registry.get(name)
        if fact is None:
            continue
        series = df.get_column(name)
        target = POLARS_TYPES[fact.type]
        if series.dtype == target:
            cols.append(series)
            continue
        cols.append(_cast(series, fact, first_data_row, row_numbers))
    out = pl.DataFrame(cols) if cols else pl.DataFrame()
    if derive:
        out = derive_frame(out)
    return out


def _row(i: int, first_row: int, row_numbers: pl.Series | None) -> int:
    return int(row_numbers[i]) if row_numbers is not None else i + first_row


def _cast(series: pl.Series, fact: Fact, first_row: int, row_numbers: pl.Series | None = None) -> pl.Series:
    """Vectorised parse of a column of text; cells the fast path cannot read go through the
    shared cell parsers (tongchou.core.tables), so messy values are read the same everywhere."""
    name, target = fact.name, POLARS_TYPES[fact.type]
    if series.dtype != pl.String:
        try:
            return series.cast(target)
        except pl.exceptions.PolarsError:
            series = series.cast(pl.String)
    s = series.str.strip_chars()
    s = pl.Series(name, s).replace("", None)
    if fact.type == FactType.NUMBER:
        fast = s.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
        return _slow_path(
            s, fast, lambda v: _float(tables.to_number(v, unit=fact.unit)), fact, first_row, row_numbers
        )
    if fact.type == FactType.BOOL:
        low = s.str.to_lowercase()
        words = (
            pl.when(low.is_in(["true", "1", "是"]))
            .then(True)
            .when(low.is_in(["false", "0", "否"]))
            .then(False)
            .otherwise(None)
        )
        fast = pl.select(words.alias(name)).to_series()
        return _slow_path(s, fast, tables.to_bool, fact, first_row, row_numbers)
    if fact.type == FactType.DATE:
        fast = s.str.to_date("%Y-%m-%d", strict=False)
        return _slow_path(s, fast, tables.to_date, fact, first_row, row_numbers)
    if fact.type == FactType.ENUM:
        choices = list(zip(fact.choices, fact.choice_labels or fact.choices, strict=False))
        fast = s.replace_strict(
            [*fact.choices, *fact.choice_labels], [*fact.choices, *fact.choices[: len(fact.choice_labels)]],
            default=None, return_dtype=pl.String,
        )  # fmt: skip
        return _slow_path(s, fast, lambda v: tables.to_choice(v, choices), fact, first_row, row_numbers)
    return s.alias(name)


def _float(d):
    return None if d is None else float(d)


def _slow_path(s: pl.Series, fast: pl.Series, parse, fact: Fact, first_row: int, row_numbers) -> pl.Series:
    """``fast`` where it read the cell; the rest through ``parse`` (a CellError names the row)."""
    todo = (fast.is_null() & s.is_not_null()).arg_true()
    if len(todo) == 0:
        return fast.alias(fact.name)
    values = fast.to_list()
    for i in todo.to_list():
        try:
            values[i] = parse(s[i])
        except tables.CellError as err:
            raise FactsError(f"第{_row(i, first_row, row_numbers)}行“{fact.name}”列：{err}") from None
    return pl.Series(fact.name, values, dtype=POLARS_TYPES[fact.type], strict=False)


def derive_size_class(df: pl.DataFrame) -> pl.DataFrame:
    """Fill ``size_class`` where it is missing (its registry derivation, the 2017 size-class table)."""
    return derive_frame(df, ["size_class"])


@registry_argument
def load_into_postgres(connection, df: pl.DataFrame, table: str, *, temporary: bool = True) -> None:
    """Create ``table`` shaped like the snapshot (registry types) and COPY the rows in
    (function-derived facts filled first where missing, as the DuckDB path does)."""
    df = derive_frame(df)
    registry = current()
    cols = [c for c in df.columns if c in registry]
    ddl = ", ".join(f'"{c}" {PG_TYPES[registry[c].type]}' for c in cols)
    with connection.cursor() as cur:
        cur.execute(f'DROP TABLE IF EXISTS "{table}"')
        cur.execute(f'CREATE {"TEMPORARY " if temporary else ""}TABLE "{table}" ({ddl})')
        collist = ", ".join(f'"{c}"' for c in cols)
        with cur.copy(f'COPY "{table}" ({collist}) FROM STDIN') as copy:
            for row in df.select(cols).iter_rows():
                copy.write_row(row)
