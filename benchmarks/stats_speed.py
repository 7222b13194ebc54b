"""Speed of biasaudit.stats' cluster bootstrap and sign-flip test next to scipy.stats.

Run ``PYTHONPATH=src python benchmarks/stats_speed.py`` (BLAS is limited to one thread).
Data: 100,000 probes in 5,000 clusters, two groups, 5 names × 2 generations per cell; the
nested levels are averaged by cluster_matrix, then every method sees the same 5,000
cluster-level contrasts.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import TypeVar  # noqa: E402

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from biasaudit.stats import (  # noqa: E402
    bootstrap_mean_ci,
    cluster_matrix,
    paired_contrast,
    sign_flip_test,
)

T = TypeVar("T")


def make_probes(n_clusters: int, effect: float, seed: int) -> tuple[np.ndarray, ...]:
    """Long table: per cluster 2 groups × 5 names × 2 generations = 20 probes."""
    rng = np.random.default_rng(seed)
    names, gens = 5, 2
    per = 2 * names * gens
    cluster = np.repeat(np.arange(n_clusters), per)
    group = np.tile(np.repeat(np.array(["female", "male"]), names * gens), n_clusters)
    name = np.tile(np.repeat(np.arange(2 * names), gens), n_clusters)
    gen = np.tile(np.arange(gens), n_clusters * 2 * names)
    value = (
        rng.normal(0, 1, n_clusters)[cluster]
        + effect * (group == "female")
        + rng.normal(0, 0.5, cluster.shape[0])
    )
    return cluster, group, name, gen, value


def best_of(repeats: int, fn: Callable[[], T]) -> tuple[T, float]:
    """Run ``fn`` ``repeats`` times; return its result and the fastest wall time in seconds."""
    best = float("inf")
    out = None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return out, best  # type: ignore[return-value]


def main() -> None:
    """Print the timing table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=5000)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--effect", type=float, default=0.005)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--skip-scipy-permutation",
        action="store_true",
        help="do not time scipy.stats.permutation_test (several seconds)",
    )
    args = parser.parse_args()
    b, rep = args.resamples, args.repeats
    cluster, group, name, gen, value = make_probes(args.clusters, args.effect, seed=0)

    matrix, t_matrix = best_of(
        rep, lambda: cluster_matrix(cluster, group, value, levels=[name, gen])
    )
    x, y = matrix.column("female"), matrix.column("male")
    d = x - y
    ci, t_boot = best_of(rep, lambda: bootstrap_mean_ci(d, n_resamples=b, seed=1))
    sf, t_flip = best_of(rep, lambda: sign_flip_test(d, n_permutations=b, seed=2))
    res, t_all = best_of(
        rep,
        lambda: paired_contrast(matrix, "female", "male", n_resamples=b, n_permutations=b, seed=3),
    )
    sp, t_sp = best_of(
        1,
        lambda: stats.bootstrap(
            (x, y),
            lambda u, v, axis: np.mean(u - v, axis=axis),
            paired=True,
            n_resamples=b,
            method="BCa",
            vectorized=True,
            rng=np.random.default_rng(4),
        ),
    )
    rows = [
        (f"ours cluster_matrix ({cluster.size:,} probes)", t_matrix, "", ""),
        (f"ours bootstrap_mean_ci B={b:,}", t_boot, f"[{ci.low:.5f}, {ci.high:.5f}]", ci.method),
        (f"ours sign_flip_test B={b:,}", t_flip, f"p={sf.p_value:.4f}", sf.method),
        (
            "ours paired_contrast (CI + test + effects)",
            t_all,
            f"[{res.ci_low:.5f}, {res.ci_high:.5f}] p={res.p_value:.4f}",
            res.ci_method,
        ),
        (
            f"scipy.stats.bootstrap paired B={b:,}",
            t_sp,
            f"[{sp.confidence_interval.low:.5f}, {sp.confidence_interval.high:.5f}]",
            "BCa",
        ),
    ]
    t_pt = float("nan")
    if args.skip_scipy_permutation:
        rows.append(("scipy.stats.permutation_test", t_pt, "skipped", ""))
    else:
        pt, t_pt = best_of(
            1,
            lambda: stats.permutation_test(
                (d,),
                lambda u, axis: np.mean(u, axis=axis),
                permutation_type="samples",
                n_resamples=b,
                vectorized=True,
                rng=np.random.default_rng(5),
            ),
        )
        rows.append(
            (f"scipy.stats.permutation_test B={b:,}", t_pt, f"p={pt.pvalue:.4f}", "monte-carlo")
        )
    print(
        f"{matrix.n_clusters:,} clusters, {cluster.size:,} probes, "
        f"estimate {d.mean():.5f} (planted {args.effect}); best of {rep} runs for ours"
    )
    print(f"{'step':44} {'seconds':>8}  {'result':36} method")
    for label, secs, result, method in rows:
        print(f"{label:44} {secs:8.3f}  {result:36} {method}")
    print(f"ours end to end (cluster_matrix + paired_contrast): {t_matrix + t_all:.3f} s")
    print(f"scipy bootstrap + permutation_test on the same contrasts: {t_sp + t_pt:.3f} s")


if __name__ == "__main__":
    main()
