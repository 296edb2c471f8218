"""Precision and recall of the keyword topic method per topic, against the hand-labelled set
tongchou/policies/data/topic_labels.json (measures of the seed documents).

    .venv/bin/python bench/topic_precision.py [SEEDS_DIR]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tongchou.policies.parsing import parse_file  # noqa: E402
from tongchou.policies.parsing.topics import topic_labels  # noqa: E402


def main() -> None:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds"
    data = ROOT / "tongchou" / "policies" / "data"
    manifest = json.loads((data / "seed_manifest.json").read_text(encoding="utf-8"))
    gold = json.loads((data / "topic_labels.json").read_text(encoding="utf-8"))["labels"]
    predicted: dict[str, list[str]] = {}
    for name, slug in manifest.items():
        for m in parse_file(seeds / name, slug=slug).measures:
            predicted[m.id] = m.topics
    tp, fp, fn = Counter(), Counter(), Counter()
    for mid, labels in gold.items():
        pred = set(predicted.get(mid, []))
        for t in pred & set(labels):
            tp[t] += 1
        for t in pred - set(labels):
            fp[t] += 1
        for t in set(labels) - pred:
            fn[t] += 1
    print(f"labelled measures: {len(gold)}\n")
    print(f"{'topic':<26}{'label':<8}{'pred':>5}{'gold':>5}{'TP':>5}{'precision':>11}{'recall':>8}")
    for key, label in topic_labels().items():
        p = tp[key] + fp[key]
        g = tp[key] + fn[key]
        prec = f"{tp[key] / p:.2f}" if p else "—"
        rec = f"{tp[key] / g:.2f}" if g else "—"
        print(f"{key:<26}{label:<8}{p:>5}{g:>5}{tp[key]:>5}{prec:>11}{rec:>8}")
    P = sum(tp.values()) / max(1, sum(tp.values()) + sum(fp.values()))
    R = sum(tp.values()) / max(1, sum(tp.values()) + sum(fn.values()))
    print(f"\nmicro precision {P:.2f}  micro recall {R:.2f}")


if __name__ == "__main__":
    main()
