"""Importing the enterprise registry from .xlsx / .csv: parse everything, refuse the whole file if any
row is bad (row number, column, Chinese reason for each), otherwise upsert by USCC in one transaction.

Reading and checking (``parse_table``) needs only the sets of known region and industry codes, so it
is testable without a database; ``enterprises_import`` is the service the page, the API and the CLI
call.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from tongchou.core.errors import ValidationFailed
from tongchou.core.signals import announce_enterprise_data_changed
from tongchou.enterprises.size_class import SizeClassError, size_class_or_blank
from tongchou.enterprises.template import GENERATED_FACT_COLUMNS, KIND_LABELS, REGISTRY_COLUMNS, Column
from tongchou.enterprises.uscc import check as uscc_check

MAX_ERRORS_SHOWN = 500
TEMPLATE_EXAMPLE_USCC = "91370306MA0000015E"  # the example row of the downloadable template


class ImportRefused(ValidationFailed):
    """The file has bad rows; nothing was imported. ``detail`` is the list of row errors."""

    code = "import_refused"


@dataclass
class RowError:
    row: int  # the row number a person sees in Excel (header = 1)
    column: str  # the header as written in the file ("" for the whole row)
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]
    facts: dict[str, Any]


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fact_columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    facts_written: int = 0
    size_classified: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["errors"] = [e.as_dict() for e in self.errors]
        return d


# --- column names -------------------------------------------------------------------------------

REGISTRY_ALIASES: dict[str, str] = {
    "企业名称": "name",
    "主体名称": "name",
    "市场主体名称": "name",
    "信用代码": "uscc",
    "社会信用代码": "uscc",
    "统一代码": "uscc",
    "类型": "kind",
    "市场主体类型": "kind",
    "行政区划代码": "region_code",
    "区划代码": "region_code",
    "所在区域": "region_code",
    "所属区域": "region_code",
    "区域代码": "region_code",
    "行业": "industry_code",
    "国民经济行业代码": "industry_code",
    "行业分类代码": "industry_code",
    "从业人员": "employees",
    "从业人数": "employees",
    "职工人数": "employees",
    "营业收入": "revenue_wan",
    "上年营业收入": "revenue_wan",
    "资产总额": "assets_wan",
    "注册日期": "registered_on",
    "登记日期": "registered_on",
    "成立时间": "registered_on",
    "规上企业": "above_designated_size",
    "规模以上企业": "above_designated_size",
    "外资企业": "foreign_invested",
    "外商投资企业": "foreign_invested",
    "外贸出口企业": "exporter",
    "高新技术": "high_tech",
    "法人": "legal_representative",
    "法人代表": "legal_representative",
    "电话": "contact_phone",
    "手机": "contact_phone",
    "联系方式": "contact_phone",
}

# registry fields the rules engine also lists as facts: they are columns of Enterprise, not facts
REGISTRY_FACT_NAMES = {
    "uscc",
    "name",
    "region_code",
    "industry_code",
    "industry_section",
    "kind",
    "registered_on",
    "employees",
    "revenue_wan",
    "assets_wan",
    "size_class",
    "above_designated_size",
    "foreign_invested",
    "exporter",
    "high_tech",
}


def _norm_header(text: Any) -> str:
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    s = re.sub(r"\s+", "", s)
    return s.lstrip("*")  # "*名称" marks required columns in some templates


def _strip_unit(text: str) -> str:
    return re.sub(r"\(.*?\)$", "", text)


def fact_schema() -> dict[str, tuple[str, str]]:
    """Fact name -> (type, Chinese label) for every importable fact (rules' schema + generated facts)."""
    schema: dict[str, tuple[str, str]] = {}
    try:
        from tongchou.rules.facts import FACTS

        for name, f in FACTS.items():
            if name not in REGISTRY_FACT_NAMES and not f.derived:
                schema[name] = (str(f.type), f.label)
    except ImportError:  # pragma: no cover - rules app absent
        pass
    for col in GENERATED_FACT_COLUMNS:
        schema.setdefault(
            col.key, ({"int": "number", "decimal": "number"}.get(col.type, col.type), col.header)
        )
    return schema


def header_map() -> dict[str, tuple[str, str]]:
    """Normalised header -> ("registry"|"fact", key)."""
    out: dict[str, tuple[str, str]] = {}
    for col in REGISTRY_COLUMNS:
        for h in (col.key, col.header, _strip_unit(_norm_header(col.header))):
            out[_norm_header(h)] = ("registry", col.key)
    for alias, key in REGISTRY_ALIASES.items():
        out.setdefault(_norm_header(alias), ("registry", key))
    for name, (_type, label) in fact_schema().items():
        for h in (name, label, _strip_unit(_norm_header(label))):
            out.setdefault(_norm_header(h), ("fact", name))
    for col in GENERATED_FACT_COLUMNS:
        out.setdefault(_norm_header(col.header), ("fact", col.key))
    return out


# --- value parsing ------------------------------------------------------------------------------

TRUE_WORDS = {"是", "true", "1", "yes", "y", "t", "√", "✓", "有", "对", "1.0"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "f", "×", "✗", "无", "不是", "0.0"}
KIND_WORDS = {
    **{v: k for k, v in KIND_LABELS.items()},
    **{k: k for k in KIND_LABELS},
    "个体": "sole_proprietor",
    "个体户": "sole_proprietor",
    "合作社": "cooperative",
    "农民合作社": "cooperative",
    "公司": "enterprise",
}


class BadValue(ValueError):
    pass


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.isascii():
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_decimal(value: Any, *, unit_words: tuple[str, ...] = ("万元", "元", "人", "户")) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue("应为数字")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    s = _clean(value).replace(",", "").replace("，", "").replace(" ", "").replace("_", "")
    for w in unit_words:
        s = s.removesuffix(w)
    if s in ("", "-", "—", "/"):
        return None
    try:
        d = Decimal(s)
    except InvalidOperation as exc:
        raise BadValue(f"“{_clean(value)}”不是数字") from exc
    if not d.is_finite():
        raise BadValue(f"“{_clean(value)}”不是数字")
    return d


def parse_int(value: Any) -> int | None:
    d = parse_decimal(value)
    if d is None:
        return None
    if d != d.to_integral_value():
        raise BadValue(f"“{_clean(value)}”应为整数")
    if d < 0:
        raise BadValue("不能为负数")
    return int(d)


def parse_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    s = _clean(value).lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise BadValue(f"“{_clean(value)}”应为 是/否")


DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # Excel serial date
    s = _clean(value)
    s = s.split(" ")[0].split("T")[0]
    for pat in DATE_PATTERNS:
        m = pat.match(s)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError as exc:
                raise BadValue(f"“{s}”不是有效日期") from exc
    raise BadValue(f"“{s}”不是日期（应如 2018-05-20）")


# --- reading files ------------------------------------------------------------------------------


def read_table(
    source: str | Path | IO[bytes], filename: str | None = None
) -> tuple[list[Any], Iterator[tuple]]:
    """Header row and an iterator over data rows (tuples of cell values) of an .xlsx or .csv file."""
    name = (filename or str(getattr(source, "name", source))).lower()
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        return _read_xlsx(source)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(source)
    raise ValidationFailed("不支持的文件类型：请上传 .xlsx 或 .csv 文件", code="import_file_type")


def _read_xlsx(source: Any) -> tuple[list[Any], Iterator[tuple]]:
    """python-calamine (Rust) when installed — ten times faster than openpyxl — else openpyxl read-only."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - calamine is a declared dependency
        return _read_xlsx_openpyxl(source)
    try:
        if isinstance(source, str | Path):
            wb = CalamineWorkbook.from_path(str(source))
        else:
            if hasattr(source, "seek"):
                source.seek(0)
            wb = CalamineWorkbook.from_filelike(io.BytesIO(source.read()))
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # a broken or mislabelled file
        raise ValidationFailed(
            "无法读取该 Excel 文件：请确认是 .xlsx 格式且未损坏", code="import_file_unreadable"
        ) from exc
    if not rows:
        raise ValidationFailed("文件为空：第1行应为表头", code="import_file_empty")
    return list(rows[0]), (tuple(r) for r in rows[1:])


def _read_xlsx_openpyxl(source: Any) -> tuple[list[Any], Iterator[tuple]]:  # pragma: no cover
    from openpyxl import load_workbook

    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationFailed(
            "无法读取该 Excel 文件：请确认是 .xlsx 格式且未损坏", code="import_file_unreadable"
        ) from exc
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationFailed("文件为空：第1行应为表头", code="import_file_empty")
    return list(header), rows


def _read_csv(source: Any) -> tuple[list[Any], Iterator[tuple]]:
    if isinstance(source, str | Path):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValidationFailed("无法识别 CSV 文件编码（应为 UTF-8 或 GBK）", code="import_file_unreadable")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ValidationFailed("文件为空：第1行应为表头", code="import_file_empty")
    return header, (tuple(r) for r in reader)


# --- checking -----------------------------------------------------------------------------------


def resolve_industry(code: str, known: set[str]) -> tuple[str | None, str | None]:
    """(stored code, warning): the code itself when shipped, else its nearest shipped ancestor."""
    from tongchou.enterprises.size_class import parse_industry_code

    try:
        section, digits = parse_industry_code(code)
    except SizeClassError:
        return None, None
    full = section + digits
    for cut in range(len(full), 0, -1):
        cand = full[:cut]
        if cand in known:
            return cand, (None if cand == full else f"行业代码 {full} 按已载入的上级分类 {cand} 归类")
    return None, None


def parse_table(
    header: list[Any],
    rows: Iterable[tuple],
    *,
    known_regions: set[str] | dict[str, str],
    known_industries: set[str],
    region_names: dict[str, str] | None = None,
    first_row: int = 2,
) -> ParseResult:
    """Check every row; collect all errors (row, column, reason) instead of stopping at the first."""
    result = ParseResult()
    hmap = header_map()
    columns: list[tuple[int, str, str, str]] = []  # (index, header text, kind, key)
    seen_keys: dict[str, str] = {}
    for idx, h in enumerate(header):
        text = "" if h is None else str(h).strip()  # shown in error reports as the user wrote it
        if not text:
            continue
        target = hmap.get(_norm_header(text))
        if target is None:
            result.warnings.append(f"已忽略无法识别的列“{text}”")
            continue
        if target[1] in seen_keys:
            result.errors.append(RowError(1, text, text, f"与“{seen_keys[target[1]]}”重复：同一字段出现两列"))
            continue
        seen_keys[target[1]] = text
        columns.append((idx, text, *target))
    header_of = {key: text for _, text, _, key in columns}
    missing = [c for c in REGISTRY_COLUMNS if c.required and c.key not in header_of]
    for c in missing:
        result.errors.append(RowError(1, "", "", f"缺少必填列“{c.header}”（或英文键 {c.key}）"))
    if missing:
        return result
    result.fact_columns = [key for _, _, kind, key in columns if kind == "fact"]
    schema = fact_schema()
    registry_cols = {c.key: c for c in REGISTRY_COLUMNS}
    first_seen: dict[str, int] = {}
    region_names = region_names or {}
    name_to_region: dict[str, str | None] = {}
    for code, nm in region_names.items():
        name_to_region[nm] = None if nm in name_to_region else code  # ambiguous names map to None
    industry_warned: set[str] = set()
    parsers = [
        (
            idx,
            key,
            _registry_parser(registry_cols[key])
            if kind == "registry"
            else _fact_parser(schema.get(key, ("number", ""))[0]),
        )
        for idx, _text, kind, key in columns
    ]
    uscc_idx = next((idx for idx, _, _, key in columns if key == "uscc"), None)

    targets = [(idx, key, parser, key in registry_cols) for idx, key, parser in parsers]
    empty_registry = {key: EMPTY.get(registry_cols[key].type) for _, key, _, is_reg in targets if is_reg}
    for offset, raw in enumerate(rows):
        rownum = first_row + offset
        if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue  # blank lines are skipped, they are not errors
        if uscc_idx is not None and uscc_idx < len(raw) and _clean(raw[uscc_idx]) == TEMPLATE_EXAMPLE_USCC:
            result.warnings.append(f"已跳过第{rownum}行：模板中的示例行")
            continue
        values: dict[str, Any] = dict(empty_registry)
        facts: dict[str, Any] = {}
        errs: list[RowError] = []
        width = len(raw)
        for idx, key, parser, is_reg in targets:
            value = raw[idx] if idx < width else None
            if value is None or value == "":
                if not is_reg:
                    facts[key] = None
                continue
            try:
                if is_reg:
                    values[key] = parser(value)
                else:
                    facts[key] = parser(value)
            except BadValue as exc:
                errs.append(RowError(rownum, header_of.get(key, key), _clean(value), str(exc)))

        def err(key: str, value: Any, message: str, _errs=errs, _rownum=rownum) -> None:
            _errs.append(RowError(_rownum, header_of.get(key, key), _clean(value), message))

        # required fields
        for key in ("uscc", "name", "region_code", "industry_code"):
            if key in values and not values.get(key):
                if not any(e.column == header_of[key] for e in errs):
                    err(key, "", "必填，不能为空")
        uscc = values.get("uscc")
        if uscc:
            checked = uscc_check(uscc)
            if not checked.valid:
                err("uscc", uscc, "统一社会信用代码无效：" + "；".join(checked.errors))
            else:
                values["uscc"] = checked.code
                if checked.code in first_seen:
                    err("uscc", uscc, f"统一社会信用代码与第{first_seen[checked.code]}行重复")
                else:
                    first_seen[checked.code] = rownum
                if not values.get("kind"):
                    values["kind"] = checked.kind
        region = values.get("region_code")
        if region:
            code = region
            if code.isdigit() and len(code) == 12 and code.endswith("000"):
                code = code[:9]
            if not code.isdigit():
                code = name_to_region.get(region) or ""
            if code not in known_regions:
                err("region_code", region, "区划代码不存在或不在本系统已载入的区划内（县级6位或镇街9位）")
            else:
                values["region_code"] = code
        industry = values.get("industry_code")
        if industry:
            stored, warning = resolve_industry(industry, known_industries)
            if stored is None:
                err("industry_code", industry, "行业代码不存在（GB/T 4754-2017，如 C3562、F52）")
            else:
                values["industry_full_code"] = industry.upper()
                values["industry_code"] = stored
                if warning and industry not in industry_warned and len(industry_warned) < 20:
                    industry_warned.add(industry)
                    result.warnings.append(warning)
        if errs:
            result.errors.extend(errs)
        else:
            result.rows.append(ParsedRow(rownum, values, facts))
    return result


EMPTY: dict[str, Any] = {"text": "", "kind": "", "bool": False, "int": None, "decimal": None, "date": None}


def _registry_parser(col: Column):
    return lambda value: _parse_registry(col, value)


def _fact_parser(ftype: str):
    return lambda value: _parse_fact(ftype, value)


def _parse_registry(col: Column, value: Any) -> Any:
    if col.type == "text":
        s = _clean(value)
        if col.key in ("uscc", "region_code", "industry_code"):
            s = s.replace(" ", "").upper()
        if col.key == "contact_phone":
            s = s.replace(" ", "").replace("-", "") if re.fullmatch(r"[\d \-+]+", s) else s
        max_len = {"name": 200, "legal_representative": 64, "contact_phone": 20}.get(col.key)
        if max_len and len(s) > max_len:
            raise BadValue(f"长度超过{max_len}个字符")
        return s
    if col.type == "int":
        return parse_int(value)
    if col.type == "decimal":
        d = parse_decimal(value)
        if d is not None and d < 0:
            raise BadValue("不能为负数")
        if d is not None and abs(d) >= Decimal("1e14"):
            raise BadValue("数值过大")
        return None if d is None else d.quantize(Decimal("0.01"))
    if col.type == "bool":
        b = parse_bool(value)
        return bool(b)
    if col.type == "date":
        return parse_date(value)
    if col.type == "kind":
        s = _clean(value)
        if not s:
            return ""
        if s.lower() in KIND_WORDS:
            return KIND_WORDS[s.lower()]
        if s in KIND_WORDS:
            return KIND_WORDS[s]
        raise BadValue(f"“{s}”不是有效的主体类型（企业/个体工商户/农民专业合作社/其他）")
    raise AssertionError(col.type)  # pragma: no cover


def _parse_fact(ftype: str, value: Any) -> Any:
    if ftype == "number":
        d = parse_decimal(value)
        if d is not None and abs(d) >= Decimal("1e16"):
            raise BadValue("数值过大")
        return d
    if ftype == "bool":
        return parse_bool(value)
    if ftype == "date":
        return parse_date(value)
    s = _clean(value)
    return s or None


def derive_size_class(values: dict[str, Any]) -> str:
    """The size class when the row's inputs suffice; '' when they do not (never a guess)."""
    code = values.get("industry_full_code") or values.get("industry_code")
    if not code:
        return ""
    return size_class_or_blank(
        code, values.get("employees"), values.get("revenue_wan"), values.get("assets_wan")
    )


# --- the service ----------------------------------------------------------------------------------

BATCH = 2000
UPDATE_FIELDS = [
    "name",
    "kind",
    "region_id",
    "industry_id",
    "employees",
    "revenue_wan",
    "assets_wan",
    "registered_on",
    "size_class",
    "above_designated_size",
    "foreign_invested",
    "exporter",
    "high_tech",
    "legal_representative",
    "contact_phone",
    "updated_at",
]


def _chunks(seq: list, n: int) -> Iterator[list]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def enterprises_import(
    *,
    source: str | Path | IO[bytes],
    filename: str | None = None,
    actor: Any = None,
    fact_source: str = "",
    as_of: dt.date | None = None,
    allowed_region_prefix: str | None = None,
) -> ImportReport:
    """Import a registry file. All-or-nothing: raises ImportRefused (detail = row errors) if any row is
    bad. Upserts by USCC; facts in extra columns become EnterpriseFact rows dated ``as_of``.

    ``allowed_region_prefix`` limits a department user's import to their region (None = anywhere).
    """
    import time

    from django.db import transaction

    from tongchou.core import clock
    from tongchou.core.audit import audit_record
    from tongchou.enterprises.models import Enterprise, EnterpriseFact, Industry
    from tongchou.regions.models import Region

    started = time.perf_counter()
    fname = filename or Path(str(getattr(source, "name", source))).name
    report = ImportReport(filename=fname)
    header, rows = read_table(source, fname)
    regions = dict(Region.objects.values_list("code", "name"))
    if allowed_region_prefix is not None:
        scoped = {c: n for c, n in regions.items() if c.startswith(allowed_region_prefix)}
    else:
        scoped = regions
    parsed = parse_table(
        header,
        rows,
        known_regions=scoped,
        known_industries=set(Industry.objects.values_list("code", flat=True)),
        region_names={c: n for c, n in scoped.items() if len(c) >= 6},
    )
    report.warnings = parsed.warnings
    report.total_rows = len(parsed.rows) + len({e.row for e in parsed.errors if e.row > 1})
    if parsed.errors:
        report.errors = parsed.errors
        shown = parsed.errors[:MAX_ERRORS_SHOWN]
        bad_rows = sorted({e.row for e in parsed.errors})
        listed = "、".join(str(r) for r in bad_rows[:10]) + ("等" if len(bad_rows) > 10 else "")
        raise ImportRefused(
            f"文件中有 {len(bad_rows)} 行数据有误（第{listed}行），未导入任何数据。请按错误清单修改后重新上传。",
            detail=[e.as_dict() for e in shown],
        )
    if not parsed.rows:
        raise ImportRefused("文件中没有数据行", detail=[])

    now = clock.now()
    as_of = as_of or clock.today()
    fact_source = fact_source or "企业名录导入"
    with transaction.atomic():
        announce_enterprise_data_changed(sender="enterprises_import")
        existing: dict[str, int] = {}
        usccs = [p.values["uscc"] for p in parsed.rows]
        for chunk in _chunks(usccs, 900):
            existing.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
        present = {k for p in parsed.rows[:1] for k in p.values}
        update_fields = [
            f for f in UPDATE_FIELDS if f in ("updated_at", "size_class") or _key_of(f) in present
        ]
        creates: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for p in parsed.rows:
            v = p.values
            size = derive_size_class(v)
            if size:
                report.size_classified += 1
            row = {
                "uscc": v["uscc"],
                "name": v["name"],
                "kind": v.get("kind") or "enterprise",
                "region_id": v["region_code"],
                "industry_id": v["industry_code"],
                "employees": v.get("employees"),
                "revenue_wan": v.get("revenue_wan"),
                "assets_wan": v.get("assets_wan"),
                "registered_on": v.get("registered_on"),
                "size_class": size,
                "above_designated_size": bool(v.get("above_designated_size")),
                "foreign_invested": bool(v.get("foreign_invested")),
                "exporter": bool(v.get("exporter")),
                "high_tech": bool(v.get("high_tech")),
                "legal_representative": v.get("legal_representative") or "",
                "contact_phone": v.get("contact_phone") or "",
                "updated_at": now,
            }
            if v["uscc"] in existing:
                row["id"] = existing[v["uscc"]]
                updates.append(row)
            else:
                row["created_at"] = now
                creates.append(row)
        _insert_many(Enterprise, [*UPDATE_FIELDS, "uscc", "created_at"], creates)
        _update_many(Enterprise, update_fields, updates)
        report.created, report.updated = len(creates), len(updates)

        if parsed.fact_columns:
            ids: dict[str, int] = dict(existing)
            for chunk in _chunks([r["uscc"] for r in creates], 900):
                ids.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
            facts: list[dict[str, Any]] = []
            for p in parsed.rows:
                eid = ids[p.values["uscc"]]
                for name, value in p.facts.items():
                    if value is not None:
                        facts.append(_fact_row(eid, name, value, fact_source, as_of, now))
            _upsert_facts(EnterpriseFact, facts)
            report.facts_written = len(facts)
        report.seconds = round(time.perf_counter() - started, 2)
        audit_record(
            actor=actor,
            action="enterprises.import",
            object_type="enterprises.enterprise",
            detail={
                "filename": fname,
                "created": report.created,
                "updated": report.updated,
                "facts": report.facts_written,
                "fact_source": fact_source,
                "as_of": as_of.isoformat(),
            },
        )
    return report


def _key_of(field_name: str) -> str:
    return {"region_id": "region_code", "industry_id": "industry_code"}.get(field_name, field_name)


def _fact_row(
    eid: int, name: str, value: Any, source: str, as_of: dt.date, now: dt.datetime
) -> dict[str, Any]:
    number, text = None, ""
    if isinstance(value, bool):
        text = "true" if value else "false"  # the convention of rules.facts_store
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)[:200]
    return {
        "enterprise_id": eid,
        "name": name,
        "value_number": number,
        "value_text": text,
        "source": source[:100],
        "as_of": as_of,
        "imported_at": now,
    }


# Raw executemany instead of bulk_create/bulk_update: the ORM's per-object overhead made a 100,000-row
# file take minutes on SQLite; executemany with values prepared by each field's own get_db_prep_value
# keeps the types right on SQLite and PostgreSQL alike and takes seconds.


def _preparers(model, fields: list[str]):
    """Per field, a function turning a Python value into a DB parameter (None: pass as is).

    Decimals and booleans pass straight through (both drivers adapt them); dates and datetimes go
    through the backend's own adapter once per distinct value (they repeat: one ``now`` per import).
    """
    from django.db import connections

    ops = connections["default"].ops
    out = []
    for f in fields:
        field = model._meta.get_field(f[:-3] if f.endswith("_id") and f != "id" else f)
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            out.append(_memo(ops.adapt_datetimefield_value))
        elif internal == "DateField":
            out.append(_memo(ops.adapt_datefield_value))
        else:
            out.append(None)
    return out


def _memo(fn):
    cache: dict[Any, Any] = {}

    def prep(v):
        if v is None:
            return None
        try:
            return cache[v]
        except KeyError:
            cache[v] = out = fn(v)
            return out

    return prep


def _rows_for(model, fields: list[str], rows: list[dict[str, Any]]) -> Iterator[tuple]:
    preps = list(zip(fields, _preparers(model, fields), strict=True))
    for r in rows:
        yield tuple(p(r[f]) if p else r[f] for f, p in preps)


def _insert_many(model, fields: list[str], rows: list[dict[str, Any]], suffix: str = "") -> None:
    from django.db import connection

    if not rows:
        return
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {q(model._meta.db_table)} ({cols}) VALUES ({marks}){suffix}"
    with connection.cursor() as cur:
        params = list(_rows_for(model, fields, rows))
        for chunk in _chunks(params, 5000):
            cur.executemany(sql, chunk)


def _update_many(model, fields: list[str], rows: list[dict[str, Any]]) -> None:
    from django.db import connection

    if not rows:
        return
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in fields)
    sql = f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q('id')} = %s"
    with connection.cursor() as cur:
        params = [(*t, r["id"]) for t, r in zip(_rows_for(model, fields, rows), rows, strict=True)]
        for chunk in _chunks(params, 5000):
            cur.executemany(sql, chunk)


FACT_FIELDS = ["enterprise_id", "name", "value_number", "value_text", "source", "as_of", "imported_at"]


def _upsert_facts(model, rows: list[dict[str, Any]]) -> None:
    from django.db import connection

    q = connection.ops.quote_name
    updates = ", ".join(
        f"{q(c)} = excluded.{q(c)}" for c in ("value_number", "value_text", "source", "imported_at")
    )
    suffix = f" ON CONFLICT ({q('enterprise_id')}, {q('name')}, {q('as_of')}) DO UPDATE SET {updates}"
    _insert_many(model, FACT_FIELDS, rows, suffix)
