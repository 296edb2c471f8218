"""The synthetic registry: valid codes, realistic mixes, deterministic for a seed."""

import numpy as np
import polars as pl
import pytest

from tongchou.enterprises.generate import generate_frame, uscc_batch
from tongchou.enterprises.size_class import SizeClassError, classify
from tongchou.enterprises.template import GENERATED_FACT_COLUMNS, REGISTRY_KEYS
from tongchou.enterprises.uscc import check, make_uscc


@pytest.fixture(scope="module")
def zibo():
    return generate_frame(20_000, "370300", seed=11)


def test_same_seed_same_rows_other_seed_other_rows():
    a = generate_frame(500, "370306", seed=3)
    assert a.equals(generate_frame(500, "370306", seed=3))
    assert not a.equals(generate_frame(500, "370306", seed=4))


def test_columns_are_template_keys_plus_rule_facts(zibo):
    assert zibo.columns == [*REGISTRY_KEYS, *(c.key for c in GENERATED_FACT_COLUMNS)]


def test_vectorised_uscc_equals_the_reference_implementation():
    serials = np.array([0, 1, 30, 31, 12345, 887_503_680])
    got = uscc_batch(np.array(["370306"] * 6), np.array([1, 2, 3, 1, 2, 1]), serials)
    want = [
        make_uscc("370306", int(s), entity=str(e)) for s, e in zip(serials, [1, 2, 3, 1, 2, 1], strict=True)
    ]
    assert list(got) == want


def test_every_code_is_valid_unique_and_matches_the_region(zibo):
    assert zibo["uscc"].n_unique() == zibo.height
    sample = zibo.sample(2000, seed=1)
    for u, region, kind in zip(sample["uscc"], sample["region_code"], sample["kind"], strict=True):
        r = check(u)
        assert r.valid and not r.warnings, (u, r)
        assert r.region_code in (region[:6], region[:4] + "00")
        assert r.kind == kind


def test_sole_proprietors_are_the_majority_and_enterprises_mostly_micro_or_small(zibo):
    share = zibo["kind"].value_counts(normalize=True)
    sole = share.filter(pl.col("kind") == "sole_proprietor")["proportion"][0]
    assert 0.55 < sole < 0.8
    sizes = []
    for r in zibo.filter(pl.col("kind") == "enterprise").head(3000).iter_rows(named=True):
        try:
            sizes.append(
                classify(r["industry_code"], r["employees"], r["revenue_wan"], r["assets_wan"]).size_class
            )
        except SizeClassError:
            pass
    small_or_micro = sum(s in ("small", "micro") for s in sizes) / len(sizes)
    assert small_or_micro > 0.8
    assert "large" in sizes or "medium" in sizes


def test_industries_vary_by_district(zibo):
    by_county = zibo.with_columns(county=pl.col("region_code").str.slice(0, 6))
    chem = lambda c: by_county.filter((pl.col("county") == c) & (pl.col("industry_code") == "C26")).height  # noqa: E731
    textile = lambda c: by_county.filter((pl.col("county") == c) & (pl.col("industry_code") == "C17")).height  # noqa: E731
    assert chem("370305") > 2 * max(1, chem("370306"))  # 临淄 chemicals
    assert textile("370306") > 2 * max(1, textile("370305"))  # 周村 textiles


def test_facts_have_some_blanks(zibo):
    nulls = zibo["insured_employees"].null_count()
    assert 0 < nulls < zibo.height * 0.2
    assert zibo["state_owned_rent_monthly"].null_count() > zibo.height * 0.8


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="不在已载入的区划中"):
        generate_frame(10, "990000", seed=1)


def test_region_without_towns_uses_its_counties():
    df = generate_frame(200, "370100", seed=1)
    assert set(df["region_code"].str.len_chars().unique()) == {6}
    assert all(c.startswith("3701") for c in df["region_code"])
