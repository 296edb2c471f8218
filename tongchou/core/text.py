"""Chinese text for every app: tokenizers with their own dictionaries, and one TF-IDF (pure: no Django).

Why per-use dictionaries: jieba's module-level functions share one global dictionary, so words one
app adds (the policy library's 稳岗返还, 免申即享 …) change how every other app cuts text — appeal
routing used to tokenize differently, and could route differently, after the first policy search in
the same process. Here each :class:`Tokenizer` has its own ``jieba.Tokenizer``: the shipped
dictionary is loaded once per process (≈ 1 s) and copied (≈ 15 ms, ≈ 15 MB) for a tokenizer that adds
words; a tokenizer without extra words uses the shared base, which nobody modifies.

    POLICY = Tokenizer(["稳岗返还", "免申即享"])   # module level: built on first use
    POLICY.cut("申请稳岗返还", hmm=False)          # ['申请', '稳岗返还']

TF-IDF: ``TfIdf(documents)`` with ``idf = ln((1 + n) / (1 + df)) + 1`` and ``tf = 1 + ln(count)``,
vectors L2-normalised, ``cosine`` as a dot product of sparse vectors. Appeal routing, common appeal
problems, the appeal ↔ rule hook and similar policy measures all use it.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

DEFAULT_WORD_FREQ = 20000  # high enough that jieba keeps an added word whole

_base_lock = threading.Lock()
_base: Any = None


def _base_tokenizer() -> Any:
    """jieba's shipped dictionary, loaded once per process; never modified."""
    global _base
    if _base is None:
        with _base_lock:
            if _base is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                _base = tok
    return _base


class Tokenizer:
    """A jieba tokenizer with the shipped dictionary plus ``words`` (each at ``freq``), independent of
    every other tokenizer and of jieba's global functions. Built on first use, thread-safe."""

    def __init__(self, words: Iterable[str] = (), *, freq: int = DEFAULT_WORD_FREQ) -> None:
        self.words = tuple(dict.fromkeys(w for w in words if w))
        self.freq = freq
        self._jieba: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Tokenizer +{len(self.words)} words>"

    @property
    def jieba(self) -> Any:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = self._build()
        return self._jieba

    def _build(self) -> Any:
        base = _base_tokenizer()
        if not self.words:
            return base
        import jieba

        tok = jieba.Tokenizer()
        # a copy of the loaded dictionary instead of a second load from disk (jieba.Tokenizer keeps
        # it in FREQ/total; initialize() would read the same file again)
        tok.FREQ = dict(base.FREQ)
        tok.total = base.total
        tok.initialized = True
        for word in self.words:
            tok.add_word(word, freq=self.freq)
        return tok

    def cut(self, text: str, *, hmm: bool = True) -> list[str]:
        """Precise mode (``jieba.lcut``)."""
        return list(self.jieba.cut(text, HMM=hmm))

    def cut_for_search(self, text: str, *, hmm: bool = True) -> list[str]:
        """Search mode: words plus their shorter dictionary parts (``jieba.lcut_for_search``)."""
        return list(self.jieba.cut_for_search(text, HMM=hmm))

    def warm_up(self) -> None:
        self.cut("预热分词词典")


class TfIdf:
    """TF-IDF over tokenized documents. ``vectors[i]`` is document *i*'s L2-normalised sparse vector;
    ``vector(tokens)`` places any token list in the same space (unknown tokens weigh nothing)."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.n = len(documents)
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
        self.idf: dict[str, float] = {t: math.log((1 + self.n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.vectors: list[dict[str, float]] = [self.vector(doc) for doc in documents]

    def vector(self, doc: Iterable[str]) -> dict[str, float]:
        tf = Counter(doc)
        vec = {t: (1 + math.log(c)) * self.idf[t] for t, c in tf.items() if t in self.idf}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {t: v / norm for t, v in vec.items()} if norm else {}

    @staticmethod
    def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(t, 0.0) for t, v in a.items())

    def postings(self) -> dict[str, list[tuple[int, float]]]:
        """token -> [(document index, weight)], for scoring only the documents that share a token."""
        out: dict[str, list[tuple[int, float]]] = {}
        for i, vec in enumerate(self.vectors):
            for t, v in vec.items():
                out.setdefault(t, []).append((i, v))
        return out
