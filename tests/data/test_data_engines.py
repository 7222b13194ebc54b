"""One machine vs Dask: the same corpus scanned in-process, on a process pool and on a real
``LocalCluster`` (scheduler and workers on loopback) gives exactly the same output, its
unlabelled examples (missing labels) included."""

from __future__ import annotations

import builtins
import json
import random
from pathlib import Path

import pytest

from biasaudit.data import DaskRunner, LocalRunner, ScanConfig, ScanThresholds, scan_to_dir
from biasaudit.errors import MissingExtraError

TH = ScanThresholds(min_count=20)


def _partitions(folder: Path, *, n: int = 1500, parts: int = 3, seed: int = 5) -> None:
    """JSONL partitions with planted skews, a few bad lines and, every ninth row, an
    unlabelled example (a null label or none at all, in turn)."""
    rng = random.Random(seed)
    folder.mkdir()
    terms = ["he", "she", "his", "mother", "father", "son", "daughter", "woman", "man"]
    lines = []
    for i in range(n):
        term = rng.choice(terms)
        occ = " the engineer" if rng.random() < (0.7 if term == "he" else 0.15) else ""
        label = "pos" if rng.random() < (0.9 if term == "mother" else 0.5) else "neg"
        text = f"Yesterday {term} spoke with{occ} about the plan."
        record = {"text": text, "label": label, "split": "ab"[i % 2]}
        if i % 9 == 4:  # (after the draws, so the planted skews stay as they were)
            if i % 2:
                record["label"] = None
            else:
                del record["label"]
        lines.append(json.dumps(record))
        if i % 250 == 7:
            lines.append("{broken")
    size = -(-len(lines) // parts)
    for p in range(parts):
        (folder / f"part-{p:03d}.jsonl").write_text(
            "\n".join(lines[p * size:(p + 1) * size]) + "\n")


def _outputs(out: Path) -> tuple[dict, str, str]:
    summary = json.loads((out / "summary.json").read_text())
    summary["totals"].pop("seconds")
    summary["rebalance"].pop("flags_file")
    summary["rebalance"].pop("dataset_file")
    return (summary, (out / "flags.jsonl").read_text(), (out / "rebalanced.jsonl").read_text())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "parts"
    _partitions(folder)
    return folder


CONFIG = ScanConfig(lang="en", label_field="label", meta_fields=("split",), chunk_bytes=8192)


@pytest.fixture(scope="module")
def local_outputs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    out = tmp_path_factory.mktemp("local")
    summary = scan_to_dir(corpus, CONFIG, out, thresholds=TH, method="augment", html=False)
    assert summary["flags"], "the planted skews must be found"
    assert summary["totals"]["bad_records"] == 6
    assert summary["totals"]["unlabelled"] == UNLABELLED == summary["unlabelled"]["count"]
    assert len(summary["unlabelled"]["first"]) == 20  # merged across chunks, first 20
    assert summary["rebalance"]["counts"]["unlabelled"] == UNLABELLED
    return _outputs(out)


UNLABELLED = len(range(4, 1500, 9))


@pytest.fixture(scope="module")
def local_reweighed(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    out = tmp_path_factory.mktemp("local-reweigh")
    scan_to_dir(corpus, CONFIG, out, thresholds=TH, method="reweigh", html=False)
    return _outputs(out)


@pytest.mark.parametrize("engine", ["processes", "dask"])
def test_reweigh_with_unlabelled_rows_is_the_same_on_every_engine(
        corpus: Path, tmp_path: Path, local_reweighed: tuple, engine: str) -> None:
    """Every row written once, unlabelled ones with weight 1, on every engine."""
    summary, _, rebalanced = local_reweighed
    rows = [json.loads(x) for x in rebalanced.splitlines()]
    assert len(rows) == summary["totals"]["examples"] == 1500
    assert {r["weight"] for r in rows if r.get("label") is None} == {1.0}
    assert sum(r.get("label") is None for r in rows) == UNLABELLED
    if engine == "processes":
        runner: object = LocalRunner(workers=2)
        scan_to_dir(corpus, CONFIG, tmp_path, thresholds=TH, method="reweigh", html=False,
                    runner=runner)
    else:
        distributed = pytest.importorskip("dask.distributed")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                      dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as client:
            scan_to_dir(corpus, CONFIG, tmp_path, thresholds=TH, method="reweigh",
                        html=False, runner=DaskRunner(client=client))
    assert _outputs(tmp_path) == local_reweighed


def test_dask_local_cluster_equals_in_process(corpus: Path, tmp_path: Path,
                                              local_outputs: tuple) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        assert len(client.scheduler_info()["workers"]) == 2
        scan_to_dir(corpus, CONFIG, tmp_path, thresholds=TH, method="augment", html=False,
                    runner=DaskRunner(client=client))
    assert _outputs(tmp_path) == local_outputs


def test_dask_by_scheduler_address(corpus: Path, tmp_path: Path, local_outputs: tuple) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        scan_to_dir(corpus, CONFIG, tmp_path, thresholds=TH, method="augment", html=False,
                    runner=DaskRunner(scheduler=cluster.scheduler_address))
    assert _outputs(tmp_path) == local_outputs


def test_process_pool_equals_in_process(corpus: Path, tmp_path: Path,
                                        local_outputs: tuple) -> None:
    scan_to_dir(corpus, CONFIG, tmp_path, thresholds=TH, method="augment", html=False,
                runner=LocalRunner(workers=2))
    assert _outputs(tmp_path) == local_outputs


def test_chunk_size_does_not_change_results(corpus: Path, tmp_path: Path,
                                            local_outputs: tuple) -> None:
    config = ScanConfig(lang="en", label_field="label", meta_fields=("split",),
                        chunk_bytes=1 << 22)
    scan_to_dir(corpus, config, tmp_path, thresholds=TH, method="augment", html=False)
    assert _outputs(tmp_path) == local_outputs


def test_missing_dask_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_dask(name: str, *args, **kwargs):
        if name.startswith(("dask", "distributed")):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(MissingExtraError, match=r"biasaudit\[dask\]") as info:
        list(DaskRunner().map(len, ["x"]))
    assert "Scanning on Dask" in str(info.value)


def test_progress_bar_runs(corpus: Path, local_outputs: tuple) -> None:
    from biasaudit.data import scan

    result = scan(corpus, CONFIG, thresholds=TH, runner=LocalRunner(workers=1, progress=True))
    assert result.counts.examples == local_outputs[0]["totals"]["examples"]


def test_progress_off_in_ci_and_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from biasaudit.data.runners import show_progress

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    monkeypatch.delenv("CI", raising=False)
    assert show_progress()
    monkeypatch.setenv("CI", "true")
    assert not show_progress()
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert not show_progress()
