"""Parsing is linear in the size of the document (issue 17: 1.25 MB took 9.6 s, 5 MB 107 s).

No timing here: the test counts the lines of parser code executed (a trace of the parser's own
frames) for a document and for one four times its size. Linear work gives a ratio near 4; the
quadratic passes this replaced (a check of each quantity against every earlier one, each measure
against every quantity, a paragraph re-joined from the start for every broken line) gave 10–16.
`bench/parse_scaling.py` reports the wall time for 1.25 MB and 5 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tongchou.policies.parsing import parse_text

PARSING = str(Path(__file__).resolve().parents[1] / "parsing")


def synthetic_document(n: int) -> str:
    """A policy with n measures under headings, each with money, a rate, a date, a count and units,
    and a long page-broken paragraph (one sentence over many lines) every ten measures."""
    cn = "一二三四五六七八九十"
    lines = ["某市人民政府关于印发支持企业发展若干措施的通知", "某政发〔2021〕3号", ""]
    for i in range(1, n + 1):
        if i % 10 == 1:
            lines.append(f"{cn[(i // 10) % 10]}、第{i // 10 + 1}组措施")
        lines.append(
            f"{i}. 加大支持力度。对符合条件的企业给予每户补贴{i % 9 + 1}万元，补贴比例为30%，"
            f"期限3个月，2021年3月1日起实施，共支持50家企业。（责任单位：市财政局、市商务局）"
        )
        if i % 10 == 5:
            lines += [f"对第{i}项措施的补充说明，涉及企业用工、用地、用能等要素保障"] + [
                f"以及第{k}个方面的具体安排，" for k in range(30)
            ]
    return "\n".join(lines)


def executed_lines(text: str) -> int:
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(PARSING):
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        doc = parse_text(text)
    finally:
        sys.settrace(None)
    assert doc.measures
    return count


def test_parsing_work_grows_linearly_with_the_document():
    parse_text(synthetic_document(5))  # load tables and compile patterns outside the count
    small = executed_lines(synthetic_document(60))
    large = executed_lines(synthetic_document(240))
    assert large / small < 4.6, (small, large)
