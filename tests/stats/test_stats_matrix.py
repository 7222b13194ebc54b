"""cluster_matrix: pair, then aggregate, with nested levels averaged innermost first."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit.errors import InputError
from biasaudit.stats import ClusterMatrix, cluster_matrix


def test_simple_means_counts_and_missing_cells() -> None:
    cluster = ["t2", "t1", "t1", "t1", "t2", "t3"]
    group = ["m", "f", "m", "m", "m", "f"]
    value = [5.0, 1.0, 2.0, 4.0, 7.0, 9.0]
    m = cluster_matrix(cluster, group, value)
    assert m.groups == ("f", "m")
    assert m.clusters.tolist() == ["t1", "t2", "t3"]
    np.testing.assert_array_equal(m.counts, [[1, 2], [0, 2], [1, 0]])
    np.testing.assert_allclose(m.values[0], [1.0, 3.0])
    assert np.isnan(m.values[1, 0]) and m.values[1, 1] == 6.0
    assert m.values[2, 0] == 9.0 and np.isnan(m.values[2, 1])


def test_groups_argument_orders_and_filters() -> None:
    m = cluster_matrix([1, 1, 1], ["a", "b", "c"], [1.0, 2.0, 3.0], groups=["c", "a"])
    assert m.groups == ("c", "a")
    np.testing.assert_allclose(m.values, [[3.0, 1.0]])
    with pytest.raises(InputError, match="do not occur"):
        cluster_matrix([1], ["a"], [1.0], groups=["a", "zz"])


def test_nested_levels_weigh_each_unit_equally() -> None:
    # name n1 has 3 generations, name n2 has 1: flat mean differs from nested mean.
    cluster = [0] * 5
    group = ["f"] * 4 + ["m"]
    name = ["n1", "n1", "n1", "n2", "x"]
    gen = [0, 1, 2, 0, 0]
    value = [0.0, 0.0, 3.0, 5.0, 1.0]
    flat = cluster_matrix(cluster, group, value)
    nested = cluster_matrix(cluster, group, value, levels=[name, gen])
    assert flat.values[0, 0] == pytest.approx(8.0 / 4)
    assert nested.values[0, 0] == pytest.approx((1.0 + 5.0) / 2)
    assert nested.counts[0, 0] == 4


def test_three_levels_against_pandas_groupby() -> None:
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    n = 600
    df = pd.DataFrame(
        {
            "cluster": rng.integers(0, 20, n),
            "group": rng.choice(["a", "b", "c"], n),
            "name": rng.integers(0, 4, n),
            "filler": rng.integers(0, 3, n),
            "gen": rng.integers(0, 2, n),
            "value": rng.normal(size=n),
        }
    )
    m = cluster_matrix(df.cluster, df.group, df.value, levels=[df.name, df.filler, df.gen])
    ref = (
        df.groupby(["cluster", "group", "name", "filler", "gen"])
        .value.mean()
        .groupby(["cluster", "group", "name", "filler"])
        .mean()
        .groupby(["cluster", "group", "name"])
        .mean()
        .groupby(["cluster", "group"])
        .mean()
        .unstack()
    )
    np.testing.assert_allclose(m.values, ref.loc[m.clusters, list(m.groups)].to_numpy())
    counts = df.groupby(["cluster", "group"]).size().unstack(fill_value=0)
    np.testing.assert_array_equal(m.counts, counts.loc[m.clusters, list(m.groups)].to_numpy())


def test_rejects_bad_input() -> None:
    with pytest.raises(InputError, match="NaN"):
        cluster_matrix([1, 2], ["a", "b"], [1.0, np.nan])
    with pytest.raises(InputError, match="entries"):
        cluster_matrix([1, 2, 3], ["a", "b"], [1.0, 2.0])
    with pytest.raises(InputError, match="unknown group"):
        cluster_matrix([1], ["a"], [1.0]).column("b")


def test_matrix_is_read_only_and_validated() -> None:
    m = cluster_matrix([1, 1], ["a", "b"], [1.0, 2.0])
    with pytest.raises(ValueError):
        m.values[0, 0] = 3.0
    with pytest.raises(InputError, match="NaN exactly"):
        ClusterMatrix(np.array([1]), ("a",), np.array([[np.nan]]), np.array([[1]]))
    sub = m.select(["b"])
    assert sub.groups == ("b",) and sub.values.tolist() == [[2.0]]


@pytest.mark.parametrize(
    "ids",
    [
        [1, "1"],
        ["1", 1],
        (1, "1"),
        np.array([1, "1"], dtype=object),
        [np.int64(1), np.str_("1")],
        ["a", None],
        [1.0, "1.0"],
    ],
)
def test_mixed_cluster_id_types_are_an_error(ids) -> None:
    # 1 and "1" used to become one cluster (both "1" after conversion to text)
    with pytest.raises(InputError, match="mixes") as info:
        cluster_matrix(ids, ["a", "b"], [1.0, 2.0])
    assert "'cluster'" in str(info.value)


def test_mixed_types_in_groups_or_levels_are_an_error() -> None:
    with pytest.raises(InputError, match="'group' mixes"):
        cluster_matrix([1, 1], [1, "1"], [1.0, 2.0])
    with pytest.raises(InputError, match=r"'levels\[0\]' mixes"):
        cluster_matrix([1, 1], ["a", "a"], [1.0, 2.0], levels=[[0, "0"]])


def test_mixed_ids_from_pandas_are_an_error() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(InputError, match="mixes"):
        cluster_matrix(pd.Series([1, "1"]), pd.Series(["a", "b"]), pd.Series([1.0, 2.0]))


def test_one_kind_of_id_still_works() -> None:
    # numbers of any type are one kind (1 == 1.0 == np.int64(1), as in a dict)
    m = cluster_matrix([1, 1.0, np.int64(2)], ["a", "b", "a"], [1.0, 2.0, 3.0])
    assert m.clusters.tolist() == [1.0, 2.0] and m.counts.tolist() == [[1, 1], [1, 0]]
    m = cluster_matrix(["1", np.str_("2")], ["a", "a"], [1.0, 2.0])
    assert m.clusters.tolist() == ["1", "2"]
    m = cluster_matrix(np.array(["x", "y"], dtype=object), ["a", "a"], [1.0, 2.0])
    assert m.clusters.tolist() == ["x", "y"]


_ids = st.one_of(
    st.lists(st.integers(-3, 3), min_size=1, max_size=12),
    st.lists(st.text(alphabet="01ab", max_size=2), min_size=1, max_size=12),
)


@settings(max_examples=100, deadline=None)
@given(_ids, st.data())
def test_clusters_are_the_distinct_ids_against_a_dict(ids: list, data: st.DataObject) -> None:
    n = len(ids)
    values = data.draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    m = cluster_matrix(ids, ["a"] * n, [float(v) for v in values])
    ref: dict = {}
    for i, v in zip(ids, values, strict=True):
        ref.setdefault(i, []).append(v)
    assert m.clusters.tolist() == sorted(ref)
    np.testing.assert_allclose(m.values[:, 0], [np.mean(ref[k]) for k in sorted(ref)])
    mixed = [*ids, "1" if isinstance(ids[0], int) else 1]
    with pytest.raises(InputError, match="mixes"):
        cluster_matrix(mixed, ["a"] * (n + 1), [0.0] * (n + 1))
