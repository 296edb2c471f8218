"""Rules as data: :class:`RuleSpec` and its YAML/dict form.

A rule file is YAML holding one rule (a mapping) or several (a list, or a mapping with
``rules:``). See ``tongchou/rules/pack/`` for the shipped pack and docs/ARCHITECTURE.md
(``### engine``) for the field reference.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tongchou.facts.registry import current, registry_argument

from .compiler import Compiled, compile_expression
from .errors import ErrorDetail, RuleError, at

BENEFIT_KINDS = {"cash": "现金补贴", "fee_reduction": "减免", "deferral": "缓缴", "service": "服务"}
DELIVERY_MODES = {"automatic": "免申即享", "apply": "依申请"}
STATUSES = ("draft", "published", "retired")

# Issue dates of the seed documents (slug → date); a rule without valid_from/valid_to is
# in force from its document's issue date to the end of that year.
DOCUMENT_ISSUED: dict[str, dt.date] = {
    "zhoucun-2020-8": dt.date(2020, 3, 6),  # 周政字〔2020〕8号, dated 2020年3月6日
    "jinan-2020-opinions": dt.date(2020, 3, 2),  # 鲁网 2020-03-02 report of the issue
    # The Zibo text carries no date ("近日…印发"); the opinions were issued in late
    # February 2020. The policy library holds the authoritative date.
    "zibo-2020-opinions": dt.date(2020, 2, 28),
}

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_MEASURE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*/[0-9]+$")
_REGION_RE = re.compile(r"^[0-9]{2,12}$")


@dataclass(frozen=True)
class Condition:
    label: str
    expression: str

    def to_dict(self) -> dict:
        return {"label": self.label, "expression": self.expression}


@dataclass(frozen=True)
class Benefit:
    kind: str  # cash | fee_reduction | deferral | service
    formula: str | None = None  # SQL numeric expression in yuan; None = amount decided on review
    cap: float | None = None
    description: str = ""

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"kind": self.kind, "formula": self.formula}
        if self.cap is not None:
            d["cap"] = self.cap
        if self.description:
            d["description"] = self.description
        return d


@dataclass(frozen=True)
class Example:
    """An eligibility scenario (facts in, expected status and amount out) run as a test."""

    facts: dict
    status: str
    amount: float | None = None
    as_of: dt.date | None = None
    note: str = ""

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"facts": dict(self.facts), "status": self.status}
        if self.amount is not None:
            d["amount"] = self.amount
        if self.as_of:
            d["as_of"] = self.as_of.isoformat()
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True)
class RuleSpec:
    id: str
    name: str
    measure_id: str
    region: str
    conditions: tuple[Condition, ...]
    benefit: Benefit
    delivery: str = "automatic"
    materials: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    version: int = 1
    status: str = "published"
    summary: str = ""
    examples: tuple[Example, ...] = ()
    source: str = field(default="", compare=False)  # file it came from, for messages

    # -- dates -------------------------------------------------------------------
    @property
    def document_slug(self) -> str:
        return self.measure_id.split("/", 1)[0]

    @property
    def effective_from(self) -> dt.date | None:
        return self.valid_from or DOCUMENT_ISSUED.get(self.document_slug)

    @property
    def effective_to(self) -> dt.date | None:
        if self.valid_to:
            return self.valid_to
        start = self.effective_from
        return dt.date(start.year, 12, 31) if start else None

    def in_force(self, as_of: dt.date) -> bool:
        start, end = self.effective_from, self.effective_to
        return (start is None or start <= as_of) and (end is None or as_of <= end)

    # -- serialisation -------------------------------------------------------------
    @classmethod
    @registry_argument
    def from_dict(cls, data: dict, *, source: str = "") -> RuleSpec:
        """Build a spec from plain data (YAML/JSON). Raises :class:`RuleError` listing every
        problem (structure and expressions)."""
        errors: list[ErrorDetail] = []
        if not isinstance(data, dict):
            raise RuleError([ErrorDetail("structure", "规则必须是一个映射（键: 值）")], source=source)

        def need(key: str) -> Any:
            value = data.get(key)
            if value in (None, ""):
                errors.append(ErrorDetail("required", f"缺少必填项“{key}”", key))
            return value

        known = {
            "id", "name", "measure_id", "region", "conditions", "benefit", "delivery", "materials",
            "valid_from", "valid_to", "version", "status", "summary", "examples",
        }  # fmt: skip
        for key in data:
            if key not in known:
                errors.append(ErrorDetail("unknown_key", f"未知的项“{key}”", str(key)))
        rid, name, measure, region = need("id"), need("name"), need("measure_id"), need("region")
        conditions_raw = data.get("conditions") or []
        if not isinstance(conditions_raw, list) or not conditions_raw:
            errors.append(ErrorDetail("required", "至少需要一个条件（conditions）", "conditions"))
            conditions_raw = []
        conditions = []
        for i, c in enumerate(conditions_raw):
            if not isinstance(c, dict) or not c.get("label") or not c.get("expression"):
                errors.append(
                    ErrorDetail("structure", f"第{i + 1}个条件需要 label 和 expression", f"conditions[{i}]")
                )
                continue
            conditions.append(Condition(str(c["label"]), str(c["expression"])))
        b = data.get("benefit") or {}
        if not isinstance(b, dict) or not b.get("kind"):
            errors.append(ErrorDetail("required", "缺少待遇（benefit.kind）", "benefit"))
            b = {"kind": "service"}
        cap = b.get("cap")
        try:
            cap = float(cap) if cap is not None else None
        except (TypeError, ValueError):
            errors.append(ErrorDetail("cap", f"上限“{cap}”不是数字", "benefit.cap"))
            cap = None
        formula = b.get("formula")
        benefit = Benefit(
            str(b["kind"]),
            str(formula) if formula not in (None, "") else None,
            cap,
            str(b.get("description") or ""),
        )
        examples = []
        for i, ex in enumerate(data.get("examples") or []):
            try:
                examples.append(
                    Example(
                        dict(ex.get("facts") or {}),
                        str(ex["status"]),
                        float(ex["amount"]) if ex.get("amount") is not None else None,
                        _date(ex.get("as_of"), f"examples[{i}].as_of"),
                        str(ex.get("note") or ""),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                errors.append(ErrorDetail("example", f"第{i + 1}个示例格式不对：{err}", f"examples[{i}]"))
        try:
            valid_from = _date(data.get("valid_from"), "valid_from")
            valid_to = _date(data.get("valid_to"), "valid_to")
        except ValueError as err:
            errors.append(ErrorDetail("date", str(err), "valid_from"))
            valid_from = valid_to = None
        try:
            version = int(data.get("version") or 1)
        except (TypeError, ValueError):
            errors.append(ErrorDetail("version", "版本号必须是整数", "version"))
            version = 1
        spec = cls(
            id=str(rid or ""),
            name=str(name or ""),
            measure_id=str(measure or ""),
            region=str(region or ""),
            conditions=tuple(conditions),
            benefit=benefit,
            delivery=str(data.get("delivery") or "automatic"),
            materials=tuple(str(m) for m in (data.get("materials") or [])),
            valid_from=valid_from,
            valid_to=valid_to,
            version=version,
            status=str(data.get("status") or "published"),
            summary=str(data.get("summary") or ""),
            examples=tuple(examples),
            source=source,
        )
        errors.extend(validate_rule(spec) if not errors else [])
        if errors:
            raise RuleError(errors, source=source or str(rid or ""))
        return spec

    def to_dict(self) -> dict:
        d: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "measure_id": self.measure_id,
            "region": self.region,
            "version": self.version,
            "status": self.status,
            "delivery": self.delivery,
        }
        if self.summary:
            d["summary"] = self.summary
        if self.materials:
            d["materials"] = list(self.materials)
        if self.valid_from:
            d["valid_from"] = self.valid_from.isoformat()
        if self.valid_to:
            d["valid_to"] = self.valid_to.isoformat()
        d["conditions"] = [c.to_dict() for c in self.conditions]
        d["benefit"] = self.benefit.to_dict()
        if self.examples:
            d["examples"] = [e.to_dict() for e in self.examples]
        return d

    # -- compiled parts (validated) ------------------------------------------------
    def compiled_conditions(self) -> list[Compiled]:
        out = []
        for i, c in enumerate(self.conditions):
            compiled, errors = _compile_cached(c.expression, f"conditions[{i}].expression", "bool")
            if errors or compiled is None:
                raise RuleError(errors, source=self.id)
            out.append(compiled)
        return out

    def compiled_formula(self) -> Compiled | None:
        if not self.benefit.formula:
            return None
        compiled, errors = _compile_cached(self.benefit.formula, "benefit.formula", "number")
        if errors or compiled is None:
            raise RuleError(errors, source=self.id)
        return compiled


def _compile_cached(text: str, field_name: str, expect: str):
    """Compiled once per text and registry (a registry that gained facts is a new key)."""
    registry = current()
    return _compile_in(text, field_name, expect, registry, registry.version)


@functools.lru_cache(maxsize=4096)
def _compile_in(text: str, field_name: str, expect: str, registry, version: int):
    compiled, errors = compile_expression(text, field=field_name, expect=expect)
    return compiled, tuple(errors)


def _date(value: Any, field_name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{field_name}：日期“{value}”格式不对，应为 YYYY-MM-DD") from None


@registry_argument
def validate_rule(spec: RuleSpec) -> list[ErrorDetail]:
    """Every problem of a rule, as a list (empty when the rule is usable)."""
    errors: list[ErrorDetail] = []
    if not _ID_RE.match(spec.id):
        errors.append(
            ErrorDetail(
                "id", f"规则编号“{spec.id}”格式不对，应为小写英文点分形式，如 zhoucun.rent_waiver", "id"
            )
        )
    if not spec.name.strip():
        errors.append(ErrorDetail("required", "缺少规则名称", "name"))
    if not _MEASURE_RE.match(spec.measure_id):
        errors.append(
            ErrorDetail(
                "measure_id",
                f"措施编号“{spec.measure_id}”格式不对，应为 <文件>/<条号>，如 zhoucun-2020-8/14",
                "measure_id",
            )
        )
    if not _REGION_RE.match(spec.region):
        errors.append(ErrorDetail("region", f"区划代码“{spec.region}”应为2–12位数字，如 370306", "region"))
    if spec.delivery not in DELIVERY_MODES:
        errors.append(
            ErrorDetail("delivery", f"兑现方式“{spec.delivery}”应为 automatic 或 apply", "delivery")
        )
    if spec.delivery == "apply" and not spec.materials:
        errors.append(ErrorDetail("materials", "依申请兑现的规则需列出申请材料（materials）", "materials"))
    if spec.status not in STATUSES:
        errors.append(ErrorDetail("status", f"状态“{spec.status}”应为 draft、published 或 retired", "status"))
    if spec.benefit.kind not in BENEFIT_KINDS:
        errors.append(
            ErrorDetail(
                "benefit.kind",
                f"待遇类型“{spec.benefit.kind}”应为 {'、'.join(BENEFIT_KINDS)}",
                "benefit.kind",
            )
        )
    if spec.benefit.cap is not None and spec.benefit.cap < 0:
        errors.append(ErrorDetail("benefit.cap", "上限不能为负数", "benefit.cap"))
    if spec.effective_from is None:
        errors.append(
            ErrorDetail(
                "valid_from", f"未知文件“{spec.document_slug}”的印发日期，请写明 valid_from", "valid_from"
            )
        )
    if spec.valid_from and spec.valid_to and spec.valid_to < spec.valid_from:
        errors.append(ErrorDetail("valid_to", "有效期截止日期早于开始日期", "valid_to"))
    for i, c in enumerate(spec.conditions):
        if not c.label.strip():
            errors.append(ErrorDetail("label", f"第{i + 1}个条件缺少中文说明", f"conditions[{i}].label"))
        _, errs = compile_expression(c.expression, field=f"conditions[{i}].expression")
        errors.extend(_prefix(errs, f"条件{i + 1}“{c.label}”"))
    if spec.benefit.formula:
        _, errs = compile_expression(spec.benefit.formula, field="benefit.formula", expect="number")
        errors.extend(_prefix(errs, "金额公式"))
    for i, ex in enumerate(spec.examples):
        if ex.status not in ("eligible", "unknown", "ineligible"):
            errors.append(ErrorDetail("example", f"第{i + 1}个示例的状态“{ex.status}”无效", f"examples[{i}]"))
    return errors


def _prefix(errors: list[ErrorDetail], what: str) -> list[ErrorDetail]:
    return [ErrorDetail(e.code, f"{what}：{e.message}", e.field, e.line, e.column) for e in errors]


@registry_argument
def load_rules(path: str | Path) -> list[RuleSpec]:
    """Every rule in a directory (``*.yaml``/``*.yml``, recursively, sorted) or one file.
    Raises :class:`RuleError` naming the file on the first bad file; duplicate ids are refused."""
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")) if path.is_dir() else [path]
    rules: list[RuleSpec] = []
    seen: dict[str, str] = {}
    for f in files:
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = at(mark.line + 1, mark.column + 1, "") if mark else ""
            raise RuleError(
                [ErrorDetail("yaml", f"{where}YAML 格式错误：{getattr(err, 'problem', err)}")], source=str(f)
            ) from None
        if data is None:
            continue
        items = data.get("rules") if isinstance(data, dict) and "rules" in data else data
        items = items if isinstance(items, list) else [items]
        for item in items:
            spec = RuleSpec.from_dict(item, source=str(f))
            key = f"{spec.id}@{spec.version}"
            if key in seen:
                raise RuleError(
                    [ErrorDetail("duplicate", f"规则“{spec.id}”第{spec.version}版在 {seen[key]} 中已定义")],
                    source=str(f),
                )
            seen[key] = str(f)
            rules.append(spec)
    return rules


def rules_in_force(rules: list[RuleSpec], as_of: dt.date, *, published_only: bool = False) -> list[RuleSpec]:
    """Rules in force on ``as_of`` (optionally only published ones); of several versions of
    one id, the highest."""
    best: dict[str, RuleSpec] = {}
    for r in rules:
        if (published_only and r.status != "published") or not r.in_force(as_of):
            continue
        if r.id not in best or r.version > best[r.id].version:
            best[r.id] = r
    return [r for r in rules if best.get(r.id) is r]
