"""Appeal routing and category classification (pure: imports no Django).

Tokens and TF-IDF come from ``core.text``. A department is described by a :class:`DepartmentProfile`: its name, aliases, weighted keyword
rules (administrator-editable in the database, defaults in ``data/routing_rules.yaml``) and the
texts of the policy measures it leads (the policy library's ``lead_units``). The score of a
department for a text is

    sum of the weights of its keywords found in the text
  + ALIAS_BONUS if the text names the department
  + MEASURE_WEIGHT * cosine(TF-IDF of text, TF-IDF of the department's measure texts)

Confidence is the top score's share of the top three; the caller dispatches automatically only
above a threshold and with a minimum score, otherwise the order waits for a dispatcher.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tongchou.core.text import TfIdf, Tokenizer

DATA_DIR = Path(__file__).resolve().parent / "data"
ALIAS_BONUS = 4.0
MEASURE_WEIGHT = 6.0
OTHER_CATEGORY = "other"
_REGION_PREFIX = re.compile(r"^(淄博市|周村区|济南市|德州市|[市区县](?!场))")
_STOP = frozenset(
    "的 了 和 是 在 我 我们 你 能否 是否 请问 什么 怎么 如何 没有 因为 疫情 企业 公司 需要 请 "
    "能 不 有 也 都 就 要 已经 现在 还 对 与 及 或 等 被 把 让 这 那 为 从 到 后 前 中".split()
)


@dataclass(frozen=True)
class DepartmentProfile:
    name: str
    aliases: tuple[str, ...] = ()
    keywords: Mapping[str, float] = field(default_factory=dict)
    measure_texts: tuple[str, ...] = ()
    key: Any = None  # the database id, when there is one


@dataclass(frozen=True)
class CategoryProfile:
    code: str
    name: str
    keywords: Mapping[str, float] = field(default_factory=dict)
    feedback_days: int = 2
    resolution_days: int = 5


@dataclass(frozen=True)
class Candidate:
    department: str
    score: float
    key: Any = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoutingResult:
    category: str
    candidates: tuple[Candidate, ...]
    confidence: float

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates and self.candidates[0].score > 0 else None


def normalise_department_name(name: str) -> str:
    """Strip a region prefix so '周村区人力资源社会保障局' and '区人力资源社会保障局' compare equal."""
    name = re.sub(r"\s+", "", name)
    previous = None
    while previous != name:
        previous = name
        name = _REGION_PREFIX.sub("", name, count=1)
    return name


# Routing's own tokenizer: jieba's shipped dictionary only, whatever other apps add to theirs.
TOKENIZER = Tokenizer()


def tokens(text: str) -> list[str]:
    """Content words of *text* (jieba; stop words, digits and single characters dropped)."""
    out = []
    for tok in TOKENIZER.cut(text):
        tok = tok.strip()
        if len(tok) < 2 or tok in _STOP or tok.isdigit() or not re.search(r"[\u4e00-\u9fffA-Za-z]", tok):
            continue
        out.append(tok)
    return out


def keyword_hits(text: str, keywords: Mapping[str, float]) -> list[tuple[str, float]]:
    """Keywords found in *text*; a keyword contained in a longer matched keyword is not counted twice."""
    found = [(k, w) for k, w in keywords.items() if k and k in text]
    found.sort(key=lambda kw: -len(kw[0]))
    kept: list[tuple[str, float]] = []
    for k, w in found:
        if any(k in longer for longer, _ in kept):
            continue
        kept.append((k, w))
    return kept


class Router:
    def __init__(
        self, departments: Sequence[DepartmentProfile], categories: Sequence[CategoryProfile]
    ) -> None:
        self.departments = list(departments)
        self.categories = list(categories)
        docs = [tokens("\n".join(d.measure_texts)) if d.measure_texts else [] for d in self.departments]
        self.index = TfIdf(docs) if any(docs) else None

    def score(self, text: str) -> list[Candidate]:
        text_vec = self.index.vector(tokens(text)) if self.index else {}
        out = []
        for i, dept in enumerate(self.departments):
            reasons = []
            score = 0.0
            for kw, weight in keyword_hits(text, dept.keywords):
                score += weight
                reasons.append(f"关键词“{kw}”+{weight:g}")
            names = {normalise_department_name(dept.name), *dept.aliases}
            if any(len(a) >= 2 and a in text for a in names):
                score += ALIAS_BONUS
                reasons.append(f"提及部门名称+{ALIAS_BONUS:g}")
            if self.index and text_vec and self.index.vectors[i]:
                sim = self.index.cosine(text_vec, self.index.vectors[i])
                if sim > 0:
                    score += MEASURE_WEIGHT * sim
                    reasons.append(f"政策措施相似度{sim:.2f}")
            out.append(Candidate(dept.name, round(score, 3), dept.key, tuple(reasons)))
        out.sort(key=lambda c: (-c.score, c.department))
        return out

    def classify(self, text: str) -> str:
        best, best_score = OTHER_CATEGORY, 0.0
        for cat in self.categories:
            s = sum(w for _, w in keyword_hits(text, cat.keywords))
            if s > best_score:
                best, best_score = cat.code, s
        return best

    def route(self, text: str, *, limit: int = 5) -> RoutingResult:
        candidates = self.score(text)
        top = candidates[:3]
        total = sum(c.score for c in top)
        confidence = round(top[0].score / total, 3) if total > 0 else 0.0
        return RoutingResult(self.classify(text), tuple(candidates[: max(limit, 3)]), confidence)


def should_auto_dispatch(result: RoutingResult, *, threshold: float, min_score: float) -> bool:
    best = result.best
    return best is not None and best.score >= min_score and result.confidence >= threshold


# --- default data -------------------------------------------------------------------------------


def _load_yaml(name: str) -> Any:
    import yaml

    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def default_categories() -> tuple[CategoryProfile, ...]:
    return tuple(
        CategoryProfile(
            code=c["code"],
            name=c["name"],
            keywords={str(k): float(v) for k, v in (c.get("keywords") or {}).items()},
            feedback_days=int(c["feedback_days"]),
            resolution_days=int(c["resolution_days"]),
        )
        for c in _load_yaml("categories.yaml")
    )


@cache
def default_departments() -> tuple[DepartmentProfile, ...]:
    return tuple(
        DepartmentProfile(
            name=d["name"],
            aliases=tuple(d.get("aliases") or ()),
            keywords={str(k): float(v) for k, v in (d.get("keywords") or {}).items()},
        )
        for d in _load_yaml("routing_rules.yaml")
    )


def labelled_appeals() -> list[dict[str, str]]:
    return _load_yaml("labelled_appeals.yaml")


def evaluate(router: Router, labelled: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """Top-1 / top-3 department accuracy and category accuracy on a labelled set."""
    top1 = top3 = cat = 0
    misses = []
    for row in labelled:
        result = router.route(row["text"])
        names = [normalise_department_name(c.department) for c in result.candidates[:3]]
        want = normalise_department_name(row["department"])
        if names and names[0] == want:
            top1 += 1
        else:
            misses.append({"text": row["text"], "want": row["department"], "got": names[:3]})
        if want in names:
            top3 += 1
        if result.category == row["category"]:
            cat += 1
    n = len(labelled)
    return {
        "n": n,
        "top1": round(top1 / n, 3) if n else 0.0,
        "top3": round(top3 / n, 3) if n else 0.0,
        "category": round(cat / n, 3) if n else 0.0,
        "misses": misses,
    }
