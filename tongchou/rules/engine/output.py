"""Writing a match out (``tongchou match``): streamed batch by batch from a CompactResult.

Words are rendered only for the rows written, one batch at a time, so the whole result never
exists as text. The CSV is byte-for-byte what ``csv.writer`` gives (UTF-8 with BOM, CRLF,
minimal quoting, amounts with two decimals); JSONL lines are ``json.dumps(row,
ensure_ascii=False)``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl

from .evaluate import CompactResult

COLUMNS = ("uscc", "rule_id", "measure_id", "status", "amount_yuan", "explanation")
BATCH = 250_000


def output_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The CLI columns of rendered result rows (amount only for eligible cash benefits)."""
    return frame.select(
        "uscc",
        "rule_id",
        "measure_id",
        "status",
        pl.when((pl.col("status") == "eligible") & (pl.col("benefit_kind") == "cash"))
        .then(pl.col("amount_yuan"))
        .alias("amount_yuan"),
        "explanation",
    )


def write_results(
    result: CompactResult,
    path: Path,
    *,
    rule_order: dict[str, int],
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``result`` sorted by (uscc, rule order) to ``path`` (.csv or .jsonl); returns
    the number of rows written. ``progress(n)`` is called after each batch."""
    result = result.sorted_for_output(rule_order)
    path.parent.mkdir(parents=True, exist_ok=True)
    jsonl = path.suffix.lower() == ".jsonl"
    written = 0
    with path.open("wb") as fh:
        if not jsonl:
            fh.write(("\ufeff" + ",".join(COLUMNS) + "\r\n").encode("utf-8"))
        needed = ["uscc", "rule_id", "measure_id", "status", "benefit_kind", "amount_yuan", "explanation"]
        for frame in result.iter_frames(batch, columns=needed):
            rows = output_frame(frame)
            if jsonl:
                fh.write(
                    "".join(
                        json.dumps(r, ensure_ascii=False) + "\n" for r in rows.iter_rows(named=True)
                    ).encode("utf-8")
                )
            else:
                rows.write_csv(
                    fh,
                    include_header=False,
                    line_terminator="\r\n",
                    float_precision=2,
                    quote_style="necessary",
                )
            written += rows.height
            if progress:
                progress(rows.height)
    return written
