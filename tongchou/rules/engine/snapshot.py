"""Facts snapshots: typed polars frames, one row per enterprise, one column per fact.

* :func:`read_enterprises` reads a CSV/XLSX file (columns = fact names, empty cell = missing);
* :func:`prepare_facts` types the columns by the schema and derives ``size_class`` where
  absent (``layoff_rate`` is derived inside the generated SQL, see evaluate.py);
* :func:`load_into_postgres` copies a snapshot into a PostgreSQL table (used by the
  differential test and usable by the platform for ad-hoc simulation).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from tongchou.rules import facts as schema
from tongchou.rules.facts import FactType

from .errors import FactsError

POLARS_TYPES = {
    FactType.NUMBER: pl.Float64,
    FactType.TEXT: pl.String,
    FactType.ENUM: pl.String,
    FactType.BOOL: pl.Boolean,
    FactType.DATE: pl.Date,
}
PG_TYPES = {
    FactType.NUMBER: "double precision",
    FactType.TEXT: "text",
    FactType.ENUM: "text",
    FactType.BOOL: "boolean",
    FactType.DATE: "date",
}
_TRUE = {"true", "t", "1", "yes", "y", "是", "有", "√"}
_FALSE = {"false", "f", "0", "no", "n", "否", "无", "×"}


def read_enterprises(path: str | Path) -> pl.DataFrame:
    """Read an enterprises file into a typed snapshot. Unknown columns are refused (a typo
    in a column name would otherwise silently make a fact missing)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise FactsError(f"找不到企业数据文件：{path}")
    if suffix == ".csv":
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if raw[:3] == b"\xef\xbb\xbf" else _decode(raw)
        try:
            df = pl.read_csv(text.encode("utf-8"), infer_schema=False)
        except pl.exceptions.PolarsError as err:
            raise FactsError(f"CSV 文件无法读取：{err}") from None
    elif suffix in (".xlsx", ".xlsm"):
        df = _read_xlsx(path)
    else:
        raise FactsError(f"不支持的文件类型“{suffix}”，请使用 .csv 或 .xlsx")
    unknown = [c for c in df.columns if c.strip() not in schema.FACTS]
    if unknown:
        from .compiler import _suggest

        raise FactsError(f"第1行：未知的列“{unknown[0]}”{_suggest(unknown[0].strip())}")
    df = df.rename({c: c.strip() for c in df.columns})
    if schema.KEY not in df.columns:
        raise FactsError("第1行：缺少列“uscc”（统一社会信用代码）")
    return prepare_facts(df, first_data_row=2)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _read_xlsx(path: Path) -> pl.DataFrame:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    data: dict[str, list] = {h: [] for h in header if h}
    for row in rows:
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        for h, v in zip(header, row, strict=False):
            if not h:
                continue
            if v is None or (isinstance(v, str) and not v.strip()):
                data[h].append(None)
            elif isinstance(v, dt.datetime):
                data[h].append(v.date().isoformat())
            elif isinstance(v, dt.date):
                data[h].append(v.isoformat())
            elif isinstance(v, bool):
                data[h].append("true" if v else "false")
            elif isinstance(v, float) and v.is_integer() and h in ("uscc", "region_code", "industry_code"):
                data[h].append(str(int(v)))
            else:
                data[h].append(str(v))
        for h in data:
            if len(data[h]) < max(len(x) for x in data.values()):
                data[h].append(None)
    wb.close()
    return pl.DataFrame(data, schema={h: pl.String for h in data})


def prepare_facts(df: pl.DataFrame, *, first_data_row: int = 1, derive: bool = True) -> pl.DataFrame:
    """Cast every known fact column to its schema type (strings are parsed; bad values raise
    :class:`FactsError` naming row and column) and derive ``size_class`` where absent."""
    cols = []
    for name in df.columns:
        fact = schema.FACTS.get(name)
        if fact is None:
            continue
        series = df.get_column(name)
        target = POLARS_TYPES[fact.type]
        if series.dtype == target:
            cols.append(series)
            continue
        cols.append(_cast(series, fact, first_data_row))
    out = pl.DataFrame(cols) if cols else pl.DataFrame()
    if derive:
        out = derive_size_class(out)
    return out


def _cast(series: pl.Series, fact: schema.Fact, first_row: int) -> pl.Series:
    name, target = fact.name, POLARS_TYPES[fact.type]
    if series.dtype != pl.String:
        try:
            return series.cast(target)
        except pl.exceptions.PolarsError:
            series = series.cast(pl.String)
    s = series.str.strip_chars()
    s = pl.Series(name, s).replace("", None)
    if fact.type == FactType.NUMBER:
        cleaned = s.str.replace_all(",", "").str.replace_all("，", "")
        result = cleaned.cast(pl.Float64, strict=False)
        bad = (result.is_null() & cleaned.is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise FactsError(f"第{i + first_row}行“{name}”列：“{s[i]}”不是数字")
        return result.alias(name)
    if fact.type == FactType.BOOL:
        low = s.str.to_lowercase()
        result = pl.Series(
            name,
            [None if v is None else (True if v in _TRUE else (False if v in _FALSE else "?")) for v in low],
        )
        if result.dtype != pl.Boolean:
            vals = list(result)
            for i, v in enumerate(vals):
                if v == "?":
                    raise FactsError(
                        f"第{i + first_row}行“{name}”列：“{s[i]}”不是是/否（可写 是、否、true、false、1、0）"
                    )
            result = pl.Series(name, vals, dtype=pl.Boolean)
        return result
    if fact.type == FactType.DATE:
        result = s.str.to_date("%Y-%m-%d", strict=False)
        bad = (result.is_null() & s.is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise FactsError(f"第{i + first_row}行“{name}”列：日期“{s[i]}”格式不对，应为 YYYY-MM-DD")
        return result.alias(name)
    if fact.type == FactType.ENUM:
        mapping = dict(zip(fact.choice_labels, fact.choices, strict=False))
        result = s.replace(mapping)
        bad = (~result.is_in(list(fact.choices)) & result.is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise FactsError(
                f"第{i + first_row}行“{name}”列：“{s[i]}”不是可选值（{'、'.join(fact.choices)}）"
            )
        return result.alias(name)
    return s.alias(name)


def _classifier():
    try:
        from tongchou.enterprises.size_class import classify
    except Exception:  # the size-class module is optional for the pure engine
        return None
    return classify


def derive_size_class(df: pl.DataFrame) -> pl.DataFrame:
    """Fill ``size_class`` where it is missing, via tongchou.enterprises.size_class.classify
    (rows it cannot classify — missing inputs, out-of-scope industries — stay missing)."""
    classify = _classifier()
    if classify is None or "industry_code" not in df.columns or df.height == 0:
        return df
    if "size_class" not in df.columns:
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias("size_class"))
    need = df.select(pl.col("size_class").is_null() & pl.col("industry_code").is_not_null()).to_series()
    if not need.any():
        return df
    fast = _derive_size_class_vectorised(df, need)
    if fast is not None:
        return fast
    idx = need.arg_true()
    cols = {
        c: (df.get_column(c) if c in df.columns else None) for c in ("employees", "revenue_wan", "assets_wan")
    }
    codes = df.get_column("industry_code")
    values = df.get_column("size_class").to_list()
    cache: dict[tuple, str | None] = {}
    for i in idx:
        i = int(i)
        key = (codes[i], *(None if s is None else s[i] for s in cols.values()))
        if key not in cache:
            try:
                result = classify(key[0], employees=key[1], revenue_wan=key[2], assets_wan=key[3])
                sc = getattr(result, "size_class", None)
                cache[key] = str(getattr(sc, "value", sc)) if sc is not None else None
            except Exception:
                cache[key] = None
        values[i] = cache[key]
    return df.with_columns(pl.Series("size_class", values, dtype=pl.String))


_INDICATORS = ("employees", "revenue_wan", "assets_wan")


def _derive_size_class_vectorised(df: pl.DataFrame, need: pl.Series) -> pl.DataFrame | None:
    """The same classification as ``classify`` row by row, as one polars expression: the
    standard's row (lower bounds for large/medium/small per indicator) is looked up once per
    distinct industry code and joined. Rows with a missing, negative or non-finite indicator
    the row uses, or an industry the standard does not cover, stay missing. ``None`` when the
    size-class module does not expose its table (then the row-by-row path is used)."""
    try:
        from tongchou.enterprises.size_class import SizeClassError, row_for_industry
    except Exception:
        return None
    codes = df.filter(need).get_column("industry_code").unique().to_list()
    table: dict[str, list] = {"industry_code": [], "_known": []}
    for f in _INDICATORS:
        for lvl in range(3):
            table[f"_{f}_{lvl}"] = []
    for code in codes:
        try:
            row = row_for_industry(code)
            bounds = {f: tuple(float(b) for b in row.bounds[f]) for f in row.indicators}
        except SizeClassError:
            bounds = None
        except Exception:
            return None
        table["industry_code"].append(code)
        table["_known"].append(bounds is not None)
        for f in _INDICATORS:
            for lvl in range(3):
                table[f"_{f}_{lvl}"].append(bounds[f][lvl] if bounds and f in bounds else None)
    bounds_frame = pl.DataFrame(
        table,
        schema={"industry_code": df.schema["industry_code"], "_known": pl.Boolean}
        | {f"_{f}_{lvl}": pl.Float64 for f in _INDICATORS for lvl in range(3)},
    )
    joined = df.select(
        "industry_code",
        *[
            pl.col(f).cast(pl.Float64) if f in df.columns else pl.lit(None, pl.Float64).alias(f)
            for f in _INDICATORS
        ],
    ).join(bounds_frame, on="industry_code", how="left", maintain_order="left")

    def used(f: str) -> pl.Expr:
        return pl.col(f"_{f}_0").is_not_null()

    valid = pl.col("_known").fill_null(False)
    for f in _INDICATORS:
        ok = pl.col(f).is_not_null() & pl.col(f).is_finite() & (pl.col(f) >= 0)
        valid = valid & (~used(f) | ok)

    def meets(lvl: int) -> pl.Expr:
        cond = pl.lit(True)
        for f in _INDICATORS:
            cond = cond & (~used(f) | (pl.col(f) >= pl.col(f"_{f}_{lvl}")))
        return cond

    size = (
        pl.when(~valid)
        .then(pl.lit(None, dtype=pl.String))
        .when(meets(0))
        .then(pl.lit("large"))
        .when(meets(1))
        .then(pl.lit("medium"))
        .when(meets(2))
        .then(pl.lit("small"))
        .otherwise(pl.lit("micro"))
    )
    derived = joined.select(size.alias("size_class")).get_column("size_class")
    return df.with_columns(pl.when(need).then(derived).otherwise(pl.col("size_class")).alias("size_class"))


def load_into_postgres(connection, df: pl.DataFrame, table: str, *, temporary: bool = True) -> None:
    """Create ``table`` shaped like the snapshot (schema types) and COPY the rows in
    (``size_class`` derived first where missing, as the DuckDB path does)."""
    df = derive_size_class(df)
    cols = [c for c in df.columns if c in schema.FACTS]
    ddl = ", ".join(f'"{c}" {PG_TYPES[schema.FACTS[c].type]}' for c in cols)
    with connection.cursor() as cur:
        cur.execute(f'DROP TABLE IF EXISTS "{table}"')
        cur.execute(f'CREATE {"TEMPORARY " if temporary else ""}TABLE "{table}" ({ddl})')
        collist = ", ".join(f'"{c}"' for c in cols)
        with cur.copy(f'COPY "{table}" ({collist}) FROM STDIN') as copy:
            for row in df.select(cols).iter_rows():
                copy.write_row(row)
