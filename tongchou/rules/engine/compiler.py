"""The rule-expression compiler: parse → validate → normalise → generate.

Each pass is a small pure function over a sqlglot expression tree:

* :func:`parse` turns text into a tree, or an :class:`ErrorDetail` with line/column;
* :func:`validate` checks the tree against the fact registry (:func:`tongchou.facts.registry.current`) (known facts only,
  whitelisted node types and functions, no subqueries/statements/star, types that fit);
* :func:`normalise` makes the tree mean the same thing on every engine (numbers as
  DOUBLE, division by zero → NULL, ``ROUND`` on NUMERIC for PostgreSQL);
* :func:`generate` prints it for a dialect (``duckdb`` or ``postgres``).

``compile_expression`` runs them all. :func:`simple_comparison` recognises
``fact OP number`` (used for near-miss distances and threshold tests).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from tongchou.facts.registry import FactType, current, registry_argument

from .errors import ErrorDetail, at, position

DIALECTS = ("duckdb", "postgres")

# Node types an expression may contain. Functions are listed by their sqlglot class.
_ALLOWED = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Paren,
    exp.And,
    exp.Or,
    exp.Not,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.Is,
    exp.In,
    exp.Between,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Neg,
    exp.Case,
    exp.If,
    exp.Coalesce,
    exp.Least,
    exp.Greatest,
    exp.Abs,
    exp.Round,
    exp.Cast,
    exp.DataType,
    exp.Nullif,
)
FUNCTIONS = ("LEAST", "GREATEST", "COALESCE", "ABS", "ROUND", "CASE WHEN … THEN … ELSE … END")

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_FLIP = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE, exp.EQ: exp.EQ, exp.NEQ: exp.NEQ}
OPERATOR_TEXT = {exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.EQ: "=", exp.NEQ: "<>"}

_TYPE_LABEL = {"number": "数值", "bool": "是/否", "text": "文本", "date": "日期", "null": "空值"}


@dataclass(frozen=True)
class Comparison:
    """``fact OP rhs`` with the fact on the left (flipped if written the other way).
    ``threshold`` is set when ``rhs`` is a number literal; otherwise the engine computes
    the right-hand side per enterprise (e.g. a CASE choosing 0.055 or 0.20)."""

    fact: str
    op: str  # one of > >= < <= = <>
    threshold: float | None
    rhs: exp.Expression | None = None

    def literals(self) -> list[float]:
        """Number literals on the right-hand side (the thresholds a test should probe)."""
        if self.threshold is not None:
            return [self.threshold]
        if self.rhs is None:
            return []
        out = []
        for n in self.rhs.find_all(exp.Literal):
            if n.is_string or _inside_predicate(n, self.rhs):
                continue
            out.append(_number(n))
        return sorted(set(out))


def _inside_predicate(node: exp.Expression, stop: exp.Expression) -> bool:
    parent = node.parent
    while parent is not None and node is not stop:
        if isinstance(parent, (*_COMPARISONS, exp.In, exp.Between, exp.Is)):
            return True
        if parent is stop:
            return False
        node, parent = parent, parent.parent
    return False


class _Problems:
    def __init__(self, text: str, field: str):
        self.text = text
        self.field = field
        self.items: list[ErrorDetail] = []

    def add(self, code: str, message: str, node: exp.Expression | None = None, needle: str = "") -> None:
        line, col = self.locate(node, needle)
        self.items.append(ErrorDetail(code, at(line, col, message), self.field, line, col))

    def locate(self, node: exp.Expression | None, needle: str = "") -> tuple[int, int]:
        if node is not None:
            for candidate in [node, *node.walk()]:
                meta = getattr(candidate, "_meta", None) or {}
                if "start" in meta:
                    return position(self.text, meta["start"])
                if isinstance(candidate, exp.Column) and "start" in (candidate.this.meta or {}):
                    return position(self.text, candidate.this.meta["start"])
        if needle:
            idx = self.text.lower().find(needle.lower())
            if idx >= 0:
                return position(self.text, idx)
        return (1, 1) if self.text else (0, 0)


def parse(text: str, *, field: str = "expression") -> tuple[exp.Expression | None, list[ErrorDetail]]:
    """Parse one SQL expression. Returns (tree, []) or (None, [errors])."""
    if text is None or not str(text).strip():
        return None, [ErrorDetail("empty", "表达式不能为空", field)]
    text = str(text)
    try:
        trees = sqlglot.parse(text, read="duckdb")
    except ParseError as err:
        first = err.errors[0] if err.errors else {}
        line, col = first.get("line", 1), first.get("col", 1)
        near = (first.get("highlight") or "").strip()
        msg = (
            f"表达式无法解析，请检查“{near}”附近（括号是否配对、运算符是否完整）" if near else "表达式不完整"
        )
        return None, [ErrorDetail("syntax", at(line, col, msg), field, line, col)]
    except TokenError as err:
        return None, [ErrorDetail("syntax", f"表达式无法解析：{err}（引号是否配对？）", field, 1, 1)]
    trees = [t for t in trees if t is not None]
    if len(trees) != 1:
        idx = text.find(";")
        line, col = position(text, idx if idx >= 0 else 0)
        return None, [
            ErrorDetail(
                "statements", at(line, col, "只能写一个表达式，不能用分号写多条语句"), field, line, col
            )
        ]
    return trees[0], []


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, list(current()), n=1, cutoff=0.6)
    return f"，您是否想写“{close[0]}”？" if close else "。可用的事实见事实清单。"


def _type_of_fact(name: str) -> str:
    t = current()[name].type
    return {FactType.NUMBER: "number", FactType.BOOL: "bool", FactType.DATE: "date"}.get(t, "text")


def validate(
    tree: exp.Expression, text: str, *, field: str = "expression", expect: str = "bool"
) -> list[ErrorDetail]:
    """Check ``tree`` against the schema. ``expect`` is ``bool`` (a condition) or ``number``
    (a benefit formula or cap)."""
    problems = _Problems(text, field)
    structural = False
    for node in tree.walk():
        if isinstance(node, exp.Subquery | exp.Query):
            if not any(e.code == "subquery" for e in problems.items):
                problems.add("subquery", "不允许使用子查询或 SELECT 语句", None, "select")
            structural = True
        elif isinstance(node, exp.Star):
            problems.add("star", "不允许使用 *，请写出具体的事实名称", node, "*")
            structural = True
        elif isinstance(node, exp.DDL | exp.DML | exp.Command):
            problems.add("statement", "只允许写表达式，不允许写语句", node)
            structural = True
        elif isinstance(node, exp.Like | exp.ILike):
            problems.add("function", "不支持 LIKE，请改用等于或 IN (…)", node, "like")
            structural = True
        elif isinstance(node, exp.Column):
            if node.table:
                problems.add("qualified", f"事实名前不能带表名“{node.table}.”", node)
                structural = True
            elif node.name not in current():
                problems.add("unknown_fact", f"未知的事实“{node.name}”{_suggest(node.name)}", node)
                structural = True
        elif isinstance(node, exp.Cast):
            if not node.to.is_type(exp.DataType.Type.DATE) or not isinstance(node.this, exp.Literal):
                problems.add("cast", "只允许 DATE 'YYYY-MM-DD' 形式的日期常量", node, "cast")
                structural = True
        elif isinstance(node, exp.Anonymous | exp.Func) and not isinstance(node, _ALLOWED):
            name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
            problems.add(
                "function",
                f"不支持的函数“{name}”，可用函数：{'、'.join(FUNCTIONS)}",
                node,
                str(name),
            )
            structural = True
        elif not isinstance(node, _ALLOWED):
            problems.add("syntax", f"不支持的写法“{node.sql()[:30]}”", node)
            structural = True
    if structural:
        return problems.items
    _check_enum_literals(tree, problems)
    got = _infer(tree, problems)
    if not problems.items:
        if expect == "bool" and got not in ("bool", "null"):
            problems.add(
                "type", f"条件必须是判断（结果为是/否），这里得到的是{_TYPE_LABEL.get(got, got)}", tree
            )
        elif expect == "number" and got not in ("number", "null"):
            problems.add("type", f"金额公式必须得到数值，这里得到的是{_TYPE_LABEL.get(got, got)}", tree)
    return problems.items


def _check_enum_literals(tree: exp.Expression, problems: _Problems) -> None:
    for node in tree.walk():
        pairs: list[tuple[exp.Column, list[exp.Expression]]] = []
        if isinstance(node, exp.EQ | exp.NEQ):
            if isinstance(node.this, exp.Column):
                pairs.append((node.this, [node.expression]))
            elif isinstance(node.expression, exp.Column):
                pairs.append((node.expression, [node.this]))
        elif isinstance(node, exp.In) and isinstance(node.this, exp.Column):
            pairs.append((node.this, list(node.expressions)))
        for col, values in pairs:
            fact = current().get(col.name)
            if not fact or fact.type != FactType.ENUM:
                continue
            for v in values:
                if isinstance(v, exp.Literal) and v.is_string and v.this not in fact.choices:
                    problems.add(
                        "enum_value",
                        f"“{v.this}”不是“{fact.label}”的可选值（{'、'.join(fact.choices)}）",
                        v,
                    )


def _infer(node: exp.Expression, problems: _Problems) -> str:
    """Tiny type inference: number / bool / text / date / null."""
    if isinstance(node, exp.Paren):
        return _infer(node.this, problems)
    if isinstance(node, exp.Column):
        return _type_of_fact(node.name)
    if isinstance(node, exp.Literal):
        return "text" if node.is_string else "number"
    if isinstance(node, exp.Boolean):
        return "bool"
    if isinstance(node, exp.Null):
        return "null"
    if isinstance(node, exp.Cast):
        return "date"
    if isinstance(node, exp.And | exp.Or | exp.Not):
        for child in [node.this] + ([node.expression] if isinstance(node, exp.And | exp.Or) else []):
            t = _infer(child, problems)
            if t not in ("bool", "null"):
                problems.add("type", f"AND/OR/NOT 的两边必须是判断，这里是{_TYPE_LABEL.get(t, t)}", child)
        return "bool"
    if isinstance(node, _COMPARISONS):
        a, b = _infer(node.this, problems), _infer(node.expression, problems)
        if "null" not in (a, b) and a != b:
            problems.add(
                "type",
                f"不能比较{_TYPE_LABEL.get(a, a)}和{_TYPE_LABEL.get(b, b)}",
                node.expression,
            )
        if "null" in (a, b):
            problems.add("null_compare", "与 NULL 比较永远得不到结果，请写 IS NULL 或 IS NOT NULL", node)
        return "bool"
    if isinstance(node, exp.Is):
        _infer(node.this, problems)
        return "bool"
    if isinstance(node, exp.In):
        a = _infer(node.this, problems)
        for v in node.expressions:
            b = _infer(v, problems)
            if b != a and b != "null":
                problems.add("type", f"IN 列表中的值应为{_TYPE_LABEL.get(a, a)}", v)
        return "bool"
    if isinstance(node, exp.Between):
        for part in (node.this, node.args.get("low"), node.args.get("high")):
            if _infer(part, problems) not in ("number", "date", "null"):
                problems.add("type", "BETWEEN 只能用于数值或日期", part)
        return "bool"
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div):
        for child in (node.this, node.expression):
            t = _infer(child, problems)
            if t not in ("number", "null"):
                problems.add("type", f"算术运算只能用于数值，这里是{_TYPE_LABEL.get(t, t)}", child)
        return "number"
    if isinstance(node, exp.Neg | exp.Abs):
        t = _infer(node.this, problems)
        if t not in ("number", "null"):
            problems.add("type", "只能对数值取负或取绝对值", node.this)
        return "number"
    if isinstance(node, exp.Round):
        _infer(node.this, problems)
        return "number"
    if isinstance(node, exp.Coalesce | exp.Least | exp.Greatest):
        types = {_infer(c, problems) for c in [node.this, *node.expressions]} - {"null"}
        if len(types) > 1:
            problems.add("type", "函数的各参数类型应一致", node)
        return types.pop() if types else "null"
    if isinstance(node, exp.Case):
        types = set()
        for branch in node.args.get("ifs") or []:
            if _infer(branch.this, problems) not in ("bool", "null"):
                problems.add("type", "WHEN 后面必须是判断", branch.this)
            types.add(_infer(branch.args["true"], problems))
        if node.args.get("default") is not None:
            types.add(_infer(node.args["default"], problems))
        types -= {"null"}
        if len(types) > 1:
            problems.add("type", "CASE 各分支的结果类型应一致", node)
        return types.pop() if types else "null"
    if isinstance(node, exp.If):
        if _infer(node.this, problems) not in ("bool", "null"):
            problems.add("type", "IF 的第一个参数必须是判断", node.this)
        types = {_infer(node.args["true"], problems)}
        if node.args.get("false") is not None:
            types.add(_infer(node.args["false"], problems))
        types -= {"null"}
        return types.pop() if len(types) == 1 else ("null" if not types else "number")
    return "number"


def facts_read(tree: exp.Expression) -> list[str]:
    """Fact names a tree reads, in order of first appearance."""
    seen: list[str] = []
    for col in tree.find_all(exp.Column):
        if col.name not in seen:
            seen.append(col.name)
    # find_all is breadth-first; keep textual order for explanations
    seen.sort(key=lambda n: tree.sql().find(n))
    return seen


def simple_comparison(tree: exp.Expression) -> Comparison | None:
    """``fact OP number`` (or ``number OP fact``), ignoring parentheses; else None."""
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if not isinstance(tree, _COMPARISONS):
        return None
    left, right, kind = tree.this, tree.expression, type(tree)
    while isinstance(left, exp.Paren):
        left = left.this
    if isinstance(right, exp.Column) and not isinstance(left, exp.Column):
        left, right, kind = right, left, _FLIP[kind]
    if not isinstance(left, exp.Column) or isinstance(right, exp.Column):
        return None
    fact = current().get(left.name)
    if fact is None or fact.type != FactType.NUMBER:
        return None
    if any(isinstance(n, exp.Literal) and n.is_string for n in right.walk()):
        return None
    if _is_number(right):
        return Comparison(left.name, OPERATOR_TEXT[kind], _number(right), right)
    return Comparison(left.name, OPERATOR_TEXT[kind], None, right)


def comparisons(tree: exp.Expression) -> list[Comparison]:
    """Every ``fact OP number`` inside a tree (also inside AND/OR), plus BETWEEN bounds."""
    found: list[Comparison] = []
    for node in tree.walk():
        c = simple_comparison(node) if isinstance(node, _COMPARISONS) else None
        if c and c.literals():
            found.append(c)
        if isinstance(node, exp.Between) and isinstance(node.this, exp.Column):
            low, high = node.args.get("low"), node.args.get("high")
            if _is_number(low):
                found.append(Comparison(node.this.name, ">=", _number(low), low))
            if _is_number(high):
                found.append(Comparison(node.this.name, "<=", _number(high), high))
    return found


def _is_number(node: exp.Expression | None) -> bool:
    if isinstance(node, exp.Neg):
        return _is_number(node.this)
    return isinstance(node, exp.Literal) and not node.is_string


def _number(node: exp.Expression) -> float:
    if isinstance(node, exp.Neg):
        return -_number(node.this)
    return float(node.this)


def normalise(tree: exp.Expression, *, dialect: str) -> exp.Expression:
    """Rewrite so both engines compute the same values (IEEE doubles, NULL on /0)."""
    tree = tree.copy()

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column):
            fact = current()[node.name]
            col = exp.column(node.name, quoted=True)
            if fact.type == FactType.NUMBER:
                return exp.Cast(this=col, to=exp.DataType.build("DOUBLE"))
            return col
        if isinstance(node, exp.Literal) and not node.is_string:
            return exp.Cast(this=node.copy(), to=exp.DataType.build("DOUBLE"))
        if isinstance(node, exp.Div):
            return exp.Div(
                this=node.this,
                expression=exp.Nullif(this=node.expression, expression=exp.Literal.number(0)),
            )
        if isinstance(node, exp.Round) and dialect == "postgres":
            decimals = node.args.get("decimals")
            if isinstance(decimals, exp.Cast):  # literal was cast to DOUBLE above
                decimals = decimals.this
            return exp.Cast(
                this=exp.Round(
                    this=exp.Cast(this=node.this, to=exp.DataType.build("DECIMAL")),
                    decimals=exp.Cast(this=decimals, to=exp.DataType.build("INT"))
                    if decimals is not None
                    else None,
                ),
                to=exp.DataType.build("DOUBLE"),
            )
        if isinstance(node, exp.Round) and dialect == "duckdb":
            decimals = node.args.get("decimals")
            if isinstance(decimals, exp.Cast):
                node.set("decimals", exp.Cast(this=decimals.this, to=exp.DataType.build("INT")))
            return node
        return node

    # Post-order: children are rewritten before their parents see them.
    for node in reversed(list(tree.dfs())):
        new = rewrite(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


def generate(tree: exp.Expression, *, dialect: str) -> str:
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    return tree.sql(dialect=dialect)


@dataclass(frozen=True)
class Compiled:
    text: str
    tree: exp.Expression
    facts: tuple[str, ...]

    def sql(self, dialect: str) -> str:
        return generate(normalise(self.tree, dialect=dialect), dialect=dialect)


@registry_argument
def compile_expression(
    text: str, *, field: str = "expression", expect: str = "bool"
) -> tuple[Compiled | None, list[ErrorDetail]]:
    """parse + validate. Returns (Compiled, []) or (None, errors)."""
    tree, errors = parse(text, field=field)
    if errors or tree is None:
        return None, errors
    errors = validate(tree, str(text), field=field, expect=expect)
    if errors:
        return None, errors
    return Compiled(str(text), tree, tuple(facts_read(tree))), []
