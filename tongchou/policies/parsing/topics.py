"""Topics by a transparent keyword method.

Each topic has a keyword list (tongchou/policies/data/topic_keywords.json). A measure's score for a
topic is the number of distinct keywords found in its text, with keywords in its title counted
twice; a topic is assigned when the score reaches the topic's threshold (default 2); besides the
best topic, others only when their score is at least 60% of the best one; at most three topics. `scripts`/`bench` report precision per topic against a labelled set.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SECONDARY_RATIO = 0.6
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def topic_table() -> dict:
    return json.loads((DATA_DIR / "topic_keywords.json").read_text(encoding="utf-8"))


def topic_labels() -> dict[str, str]:
    return {key: spec["label"] for key, spec in topic_table().items()}


def score(title: str, text: str) -> dict[str, int]:
    scores: dict[str, int] = {}
    for key, spec in topic_table().items():
        s = 0
        for kw in spec["keywords"]:
            if kw in text:
                s += 1
                if kw in title:
                    s += 1
        if s:
            scores[key] = s
    return scores


def assign(title: str, text: str, limit: int = 3) -> list[str]:
    table = topic_table()
    scores = score(title, text)
    chosen = [k for k, s in scores.items() if s >= table[k].get("threshold", 2)]
    chosen.sort(key=lambda k: (-scores[k], list(table).index(k)))
    if not chosen:
        return []
    # Secondary topics must be nearly as strong as the main one.
    floor = SECONDARY_RATIO * scores[chosen[0]]
    return [chosen[0]] + [k for k in chosen[1:limit] if scores[k] >= floor]
