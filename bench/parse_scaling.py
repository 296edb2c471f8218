"""Parse time against document size (issue 17: 1.25 MB took 9.6 s and 5 MB 107 s — super-linear).

    .venv/bin/python bench/parse_scaling.py [--runs 3]

Documents of about 0.3, 1.25, 2.5 and 5 MB: chapters (第X章) of twenty sections (一、…二十、) of ten
measures (1.…10.), each measure like `tests/test_parsing_complexity.py`'s (money, a rate, a date, a
count, a responsibility block; a long page-broken paragraph every tenth). Prints the median and
spread of the runs and the time per MB: linear parsing keeps the time per MB flat.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tongchou.policies.parsing import parse_bytes  # noqa: E402
from tongchou.policies.tests.test_parsing_complexity import synthetic_document  # noqa: E402

CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]


def cn(n: int) -> str:
    """1..99 in Chinese numerals."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN[tens]) + "十" if tens else "") + CN[ones]


def large_document(measures: int) -> str:
    body = synthetic_document(10).split("\n")[4:]  # ten measures and a broken paragraph
    lines = ["某市人民政府关于印发支持企业发展若干措施的通知", "某政发〔2021〕3号"]
    n = 0
    for chapter in range(1, 100):
        lines.append(f"第{cn(chapter)}章 第{chapter}类措施")
        for section in range(1, 21):
            lines.append(f"{cn(section)}、第{section}组")
            lines += body
            n += 10
            if n >= measures:
                return "\n".join(lines)
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    per_measure = len(large_document(1000).encode()) / 1000
    parse_bytes(large_document(20).encode(), filename="warm.txt")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("size MB | measures | median s | min–max s | s per MB")
    for mb in (0.3, 1.25, 2.5, 5.0):
        n = int(mb * 1e6 / per_measure)
        data = large_document(n).encode()
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            doc = parse_bytes(data, filename="big.txt")
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(
            f"{len(data) / 1e6:7.2f} | {len(doc.measures):8d} | {med:8.2f} | "
            f"{min(times):.2f}–{max(times):.2f} | {med / (len(data) / 1e6):.2f}"
        )


if __name__ == "__main__":
    main()
