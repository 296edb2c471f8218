"""The vectorised size-class derivation gives what classify() gives row by row."""

import polars as pl
import pytest

from tongchou.enterprises.size_class import classify_facts
from tongchou.rules.engine import snapshot
from tongchou.rules.engine.synthetic import population


def _frame() -> pl.DataFrame:
    df = population(3000, derived_size=True, seed=11)
    edge = pl.DataFrame(
        {
            "uscc": [f"E{i}" for i in range(7)],
            "industry_code": ["S9000", "Q84", "C", "B0610", "K7010", "C3562", "F5211"],
            "employees": [10.0, -1.0, 5.0, 300.0, 1000.0, None, 50.0],
            "revenue_wan": [5.0, 10.0, None, 1e5, 2e5, 3e4, float("nan")],
            "assets_wan": [1.0, 2.0, 3.0, 4.0, 8e5, 1.0, 1.0],
            "size_class": [None, None, None, None, None, None, "large"],
        },
        schema_overrides={"size_class": pl.String},
    )
    return pl.concat([df.select(edge.columns), edge])


def test_vectorised_size_class_matches_row_by_row():
    df = _frame()
    fast = snapshot.derive_size_class(df).get_column("size_class").to_list()
    slow = [
        r["size_class"] if r["size_class"] is not None else classify_facts(r)
        for r in df.iter_rows(named=True)
    ]
    assert fast == slow
    assert set(fast) - {None} == {"large", "medium", "small", "micro"}


@pytest.mark.parametrize(("employees", "expected"), [(299.0, "small"), (300.0, "medium"), (301.0, "medium")])
def test_vectorised_size_class_at_a_bound(employees, expected):
    from tongchou.enterprises.size_class import classify

    df = pl.DataFrame(
        {"uscc": ["A"], "industry_code": ["B0610"], "employees": [employees], "revenue_wan": [1e6],
         "assets_wan": [1e6], "size_class": [None]},
        schema_overrides={"size_class": pl.String},
    )  # fmt: skip
    got = snapshot.derive_size_class(df).get_column("size_class")[0]
    assert got == str(classify("B0610", employees=employees, revenue_wan=1e6, assets_wan=1e6).size_class)
    assert got == expected
