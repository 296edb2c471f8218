"""Text with a per-character map back to positions in the original (decoded) text.

Every normalisation step is a regex substitution over a `MappedText`; the map survives
deletions, 1:1 replacements and length-changing replacements (new characters point to the
start of what they replaced). The map is stored compactly as runs `[norm_start, orig_start, length]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class MappedText:
    text: str
    origin: list[int]

    @classmethod
    def from_original(cls, text: str) -> MappedText:
        return cls(text, list(range(len(text))))

    def sub(self, pattern: re.Pattern[str] | str, repl: Callable[[re.Match[str]], str] | str) -> MappedText:
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        out: list[str] = []
        omap: list[int] = []
        pos = 0
        text, origin = self.text, self.origin
        changed = False
        for m in rx.finditer(text):
            start, end = m.span()
            rep = repl(m) if callable(repl) else m.expand(repl)
            if rep == m.group(0):
                continue
            changed = True
            out.append(text[pos:start])
            omap.extend(origin[pos:start])
            out.append(rep)
            if len(rep) == end - start:
                omap.extend(origin[start:end])
            else:
                anchor = origin[start] if start < len(origin) else (origin[-1] + 1 if origin else 0)
                omap.extend([anchor] * len(rep))
            pos = end
        if not changed:
            return self
        out.append(text[pos:])
        omap.extend(origin[pos:])
        return MappedText("".join(out), omap)

    def replace_chars(self, new_text: str) -> MappedText:
        """Same-length replacement (e.g. character conversion)."""
        assert len(new_text) == len(self.text)
        return MappedText(new_text, self.origin)

    def runs(self) -> list[list[int]]:
        return compress(self.origin)


def compress(origin: list[int]) -> list[list[int]]:
    """Runs [norm_start, orig_start, length] where the original positions go up one by one
    (vectorised: one pass in numpy instead of a Python loop per character)."""
    import numpy as np

    if not origin:
        return []
    arr = np.asarray(origin, dtype=np.int64)
    breaks = np.flatnonzero(np.diff(arr) != 1) + 1
    starts = np.concatenate(([0], breaks))
    lengths = np.diff(np.concatenate((starts, [len(arr)])))
    return [[int(s), int(arr[s]), int(n)] for s, n in zip(starts, lengths, strict=True)]


def to_original(runs: list[list[int]], pos: int) -> int:
    """Original position of normalised position `pos` (binary search over runs)."""
    lo, hi = 0, len(runs) - 1
    if not runs:
        return pos
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if runs[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    start, orig, length = runs[lo]
    return orig + min(pos - start, max(length - 1, 0)) if pos >= start else orig


def concat(parts: list[MappedText], sep: str = "") -> MappedText:
    """Join mapped pieces; separator characters point at the start of the following piece."""
    text: list[str] = []
    origin: list[int] = []
    for i, part in enumerate(parts):
        if i and sep:
            anchor = part.origin[0] if part.origin else (origin[-1] + 1 if origin else 0)
            text.append(sep)
            origin.extend([anchor] * len(sep))
        text.append(part.text)
        origin.extend(part.origin)
    return MappedText("".join(text), origin)


def slice_(mt: MappedText, start: int, end: int) -> MappedText:
    return MappedText(mt.text[start:end], mt.origin[start:end])
