"""jieba tokens for search and similarity (pure: no Django).

Index and query tokens are restricted to runs of CJK characters or of lowercase ASCII letters/digits,
so SQLite FTS5 (unicode61) and PostgreSQL (`to_tsvector('simple', …)`) split them identically.
"""

from __future__ import annotations

import re

from tongchou.core.text import Tokenizer

_WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
STOPWORDS = frozenset(
    "的 和 与 及 等 对 在 为 了 是 将 按 或 并 由 于 以 中 上 下 其 把 被 从 向 到 就 也 都 还 要 可 不 个 各 之 所 有".split()
)
# Policy terms jieba's general dictionary splits badly.
DOMAIN_WORDS = [
    "稳岗返还",
    "免申即享",
    "政策找人",
    "无形认证",
    "复工复产",
    "贴息",
    "应急转贷",
    "社会保险费",
    "失业保险",
    "工伤保险",
    "创业担保贷款",
    "无还本续贷",
    "专项债券",
    "牵头单位",
    "责任人",
    "疫情防控",
    "减免",
    "缓缴",
    "融资担保",
    "职业介绍补贴",
    "技术改造",
    "中小微企业",
    "个体工商户",
    "核酸检测",
    "菜篮子",
    "双招双引",
]


# The policy library's own dictionary (jieba's plus DOMAIN_WORDS): other apps' tokenizers do not see
# these words (core/text.py says why).
TOKENIZER = Tokenizer(DOMAIN_WORDS)


def _clean(raw_tokens) -> list[str]:
    out = []
    for tok in raw_tokens:
        for w in _WORD.findall(tok.lower()):
            if w not in STOPWORDS:
                out.append(w)
    return out


def index_tokens(text: str) -> list[str]:
    """Tokens stored for a measure: jieba's search mode (words plus their shorter parts), without the
    HMM guesser for unknown words (a third faster; queries are cut the same way)."""
    return _clean(TOKENIZER.cut_for_search(text, hmm=False))


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def search_tokens(text: str) -> str:
    """The stored search column: jieba words, then each distinct Chinese character once (so that a
    one-character query such as 税 is an index lookup too, not a scan)."""
    words = index_tokens(text)
    chars = sorted(set(_CJK_CHAR.findall(text)) - set(words))
    return " ".join(words + chars)


def word_tokens(stored: str) -> list[str]:
    """Only the words of a stored search column (drops the single characters)."""
    return [t for t in stored.split() if len(t) > 1 or not _CJK_CHAR.match(t)]


def query_tokens(query: str) -> list[str]:
    """Tokens of a search query (precise mode), de-duplicated, in order."""
    seen: dict[str, None] = {}
    for w in _clean(TOKENIZER.cut(query, hmm=False)):
        seen.setdefault(w, None)
    return list(seen)
