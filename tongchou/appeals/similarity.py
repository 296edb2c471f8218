"""Grouping similar open appeals into common problems (pure: imports no Django).

Each text becomes a TF-IDF vector over jieba tokens (IDF from the texts being grouped, so a word
every order uses — 企业, 疫情 — weighs little and a checkpoint's name weighs a lot). An order
joins the group whose centroid it resembles most when the cosine reaches the threshold; a group's key terms are the
tokens with the largest summed weight across its members.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from tongchou.appeals.routing import tokens
from tongchou.core.text import TfIdf

DEFAULT_THRESHOLD = 0.2


@dataclass(frozen=True)
class Group:
    members: tuple[Hashable, ...]
    key_terms: tuple[str, ...]


def group_similar(
    items: Sequence[tuple[Hashable, str]], *, threshold: float = DEFAULT_THRESHOLD, min_size: int = 2
) -> list[Group]:
    """Groups of at least *min_size* similar texts, largest first. *items* are (key, text)."""
    docs = [tokens(text) for _, text in items]
    if not docs:
        return []
    index = TfIdf(docs)
    vectors = index.vectors
    # greedy centroid clustering: an order joins the group whose centroid it is most similar to
    # (single-link would chain unrelated orders through common words on a large set)
    centroids: list[dict[str, float]] = []
    sums: list[dict[str, float]] = []
    member_lists: list[list[int]] = []
    groups_with: dict[str, set[int]] = {}  # token -> groups whose centroid has it (only those can match)

    def best_group(vec: dict[str, float], *, min_members: int = 1) -> tuple[int, float]:
        best, best_sim = -1, 0.0
        candidates = set().union(*(groups_with.get(t, ()) for t in vec)) if vec else set()
        for g in candidates:
            if len(member_lists[g]) < min_members:
                continue
            sim = TfIdf.cosine(vec, centroids[g])
            if sim > best_sim or (sim == best_sim and g < best):
                best, best_sim = g, sim
        return best, best_sim

    for i, vec in enumerate(vectors):
        best, best_sim = best_group(vec)
        if best >= 0 and best_sim >= threshold:
            member_lists[best].append(i)
            total = sums[best]
            for t, v in vec.items():
                total[t] = total.get(t, 0.0) + v
                groups_with.setdefault(t, set()).add(best)
            norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
            centroids[best] = {t: v / norm for t, v in total.items()}
        else:
            g = len(member_lists)
            member_lists.append([i])
            sums.append(dict(vec))
            centroids.append(dict(vec))
            for t in vec:
                groups_with.setdefault(t, set()).add(g)
    # one refinement pass (as in k-means): every order moves to the centroid it now resembles most,
    # which removes most of the dependence on input order
    final: dict[int, list[int]] = {}
    for i, vec in enumerate(vectors):
        best, best_sim = best_group(vec, min_members=2)
        key = best if best >= 0 and best_sim >= threshold else -1 - i
        final.setdefault(key, []).append(i)
    clusters = final
    groups = []
    for members in clusters.values():
        if len(members) < min_size:
            continue
        weight: Counter[str] = Counter()
        for i in members:
            weight.update(vectors[i])
        # a term shared by several members says what the problem is; rank those first
        shared = Counter(t for i in members for t in vectors[i])
        terms = sorted(weight, key=lambda t: (-(shared[t] > 1), -weight[t], t))[:5]
        groups.append(Group(tuple(items[i][0] for i in members), tuple(terms)))
    groups.sort(key=lambda g: (-len(g.members), g.key_terms))
    return groups
