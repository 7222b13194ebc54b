"""Counterfactual augmentation (CDA) and substitution (CDS) remove the planted skew
instead of reversing it.

Two-sided CDA (Lu et al. 2018; Zmigrod et al. 2019) adds the counterfactual of *every*
example that mentions the axis, so for a pairwise swap the group × label table of the
augmented data is exactly symmetric, and on an axis of k groups (one copy per other group)
every group's row is the corpus's label count. CDS (Maudslay et al. 2019) moves each such
example to a group drawn uniformly from the k groups (replacement probability (k-1)/k,
1/2 for gender), so the table is uniform in expectation. Copying or substituting only the
flagged examples, as the scanner used to, reversed the skew on two labels.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import biasaudit
from biasaudit.data import ScanConfig, ScanThresholds, flag_examples, scan, scan_to_dir

TH = ScanThresholds(min_count=20)
SEEDS = 40  # substitution runs per simulation
Z = 4.0  # tolerance in standard deviations of the mean over SEEDS runs (two-sided p < 1e-4)


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _gender_rows(n: int = 700, seed: int = 5) -> list[dict[str, Any]]:
    """Female terms planted in label pos (0.65 against 0.4 for male terms); every text has
    one gendered term with a safe swap. (A skew planted on one term, as in
    test_data_unlabelled.py, leaves a term-pair effect after CDA: see the test there.)"""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        term = rng.choice(["mother", "father", "sister", "brother", "son", "daughter"])
        female = term in ("mother", "sister", "daughter")
        label = "pos" if rng.random() < (0.65 if female else 0.4) else "neg"
        rows.append({"text": f"Today my {term} spoke at length.", "label": label,
                     "uid": f"g{i}"})
    return rows


FAITHS = ["atheist", "Buddhist", "Christian", "Hindu", "Jewish", "Muslim"]


def _religion_rows(n: int = 600, seed: int = 6) -> list[dict[str, Any]]:
    """'Muslim' planted in label bad (0.8 against 0.3); one religion adjective per text."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        faith = rng.choice(FAITHS)
        label = "bad" if rng.random() < (0.8 if faith == "Muslim" else 0.3) else "good"
        rows.append({"text": f"The {faith} man number {i} prayed.", "label": label,
                     "uid": f"r{i}"})
    return rows


def _config(axis: str, **kwargs: Any) -> ScanConfig:
    return ScanConfig(lang="en", axes=(axis,), label_field="label", id_field="uid",
                      occupations=(), **kwargs)


def _table(result: Any, axis: str) -> dict[str, Counter]:
    """The re-scan's group × label table of one axis: label counts per group."""
    table: dict[str, Counter] = {}
    for (ax, group, label), n in result.counts.group_label.items():
        if ax == axis:
            table.setdefault(group, Counter())[label] += n
    return table


def _share(row: Counter, label: str) -> float:
    return row[label] / sum(row.values())


def _groups(eng: Any, text: str) -> set[str]:
    groups: set[str] = set()
    for m in eng.find(text):
        if m.candidates:
            groups |= m.groups
    return groups


def _substituted_gaps(path: Path, config: ScanConfig, axis: str, label: str, a: str, b: str,
                      **kwargs: Any) -> list[float]:
    """P(label | a) - P(label | b) in the substituted data, one value per seed."""
    result = scan(path, config, thresholds=TH)
    eng = biasaudit.engine("en", axis)
    gaps = []
    for seed in range(SEEDS):
        rows: dict[str, Counter] = {a: Counter(), b: Counter()}
        for part in flag_examples(path, result, config, method="substitute", seed=seed,
                                  **kwargs):
            for rec in part.records:
                for g in _groups(eng, rec["text"]) & {a, b}:
                    rows[g][rec["label"]] += 1
        gaps.append(_share(rows[a], label) - _share(rows[b], label))
    return gaps


def _tolerance(p: float, n_a: float, n_b: float) -> float:
    """Z standard deviations of the mean of SEEDS gaps: one gap is a difference of two
    proportions over about n_a and n_b examples, SD sqrt(p(1-p)(1/n_a + 1/n_b))."""
    return Z * math.sqrt(p * (1 - p) * (1 / n_a + 1 / n_b)) / math.sqrt(SEEDS)


# -- gender: a pairwise swap -----------------------------------------------------------------

def test_augment_makes_the_gender_table_symmetric_and_clears_the_flags(tmp_path: Path
                                                                       ) -> None:
    rows = _gender_rows()
    path = _jsonl(tmp_path / "g.jsonl", rows)
    config = _config("gender")
    summary = scan_to_dir(path, config, tmp_path / "a", thresholds=TH, method="augment",
                          html=False)
    before = {(f["subject"], f["target"]) for f in summary["flags"]}
    assert {("female", "pos"), ("male", "neg")} <= before
    counts = summary["rebalance"]["counts"]
    assert counts["augmented"] == len(rows)  # every example mentions the axis
    assert counts.get("unbalanced", 0) == 0 and counts.get("unsafe_skipped", 0) == 0
    after = scan(tmp_path / "a" / "rebalanced.jsonl", config, thresholds=TH)
    table = _table(after, "gender")
    assert table["female"] == table["male"]  # exactly symmetric
    assert _share(table["female"], "pos") == _share(table["male"], "pos")
    assert after.flags == ()  # the planted flags are gone, none reversed


def test_substitute_balances_gender_in_expectation(tmp_path: Path) -> None:
    rows = _gender_rows()
    path = _jsonl(tmp_path / "g.jsonl", rows)
    config = _config("gender")
    before = _table(scan(path, config, thresholds=TH), "gender")
    planted = _share(before["female"], "pos") - _share(before["male"], "pos")
    gaps = _substituted_gaps(path, config, "gender", "pos", "female", "male")
    p = sum(r["label"] == "pos" for r in rows) / len(rows)
    tol = _tolerance(p, len(rows) / 2, len(rows) / 2)
    assert planted > 5 * tol  # the planted gap is far outside the tolerance
    assert abs(sum(gaps) / SEEDS) < tol


# -- religion: an axis of k groups without pairwise swaps ------------------------------------

def test_augment_makes_the_religion_table_uniform(tmp_path: Path) -> None:
    rows = _religion_rows()
    path = _jsonl(tmp_path / "r.jsonl", rows)
    config = _config("religion")
    summary = scan_to_dir(path, config, tmp_path / "a", thresholds=TH, method="augment",
                          html=False)
    assert ("muslim", "bad") in {(f["subject"], f["target"]) for f in summary["flags"]}
    k = len(biasaudit.engine("en", "religion").groups)
    assert summary["rebalance"]["counts"]["augmented"] == (k - 1) * len(rows)
    after = scan(tmp_path / "a" / "rebalanced.jsonl", config, thresholds=TH)
    table = _table(after, "religion")
    labels = Counter(r["label"] for r in rows)
    assert len(table) == k and all(row == labels for row in table.values())
    assert after.flags == ()


def test_substitute_balances_religion_in_expectation(tmp_path: Path) -> None:
    """Replacement probability (k-1)/k and a target drawn uniformly from the other k-1
    groups put each example in each group with probability 1/k: the expected table is
    uniform. A rate of 1/2 would not be (it multiplies the expected gap by
    1 - k/(2(k-1)), 0.4 for k = 6)."""
    rows = _religion_rows()
    path = _jsonl(tmp_path / "r.jsonl", rows)
    config = _config("religion")
    k = len(biasaudit.engine("en", "religion").groups)
    p = sum(r["label"] == "bad" for r in rows) / len(rows)
    tol = _tolerance(p, len(rows) / k, len(rows) / k)
    gaps = _substituted_gaps(path, config, "religion", "bad", "muslim", "christian")
    assert abs(sum(gaps) / SEEDS) < tol
    half = _substituted_gaps(path, config, "religion", "bad", "muslim", "christian",
                             substitute_rate=0.5)
    assert sum(half) / SEEDS > 3 * tol  # a rate of 1/2 leaves much of the skew


# -- several axes, unsafe counterfactuals ----------------------------------------------------

def test_augment_on_two_axes_balances_both(tmp_path: Path) -> None:
    """With two flagged axes every combination is written (gender × religion: 2·k - 1
    copies), so each axis's table is balanced, not only the last one augmented."""
    rng = random.Random(8)
    rows = []
    for i in range(600):
        faith, person = rng.choice(FAITHS), rng.choice(["man", "woman"])
        p_bad = 0.2 + 0.5 * (faith == "Muslim") + 0.25 * (person == "woman")
        rows.append({"text": f"The {faith} {person} number {i} prayed.",
                     "label": "bad" if rng.random() < p_bad else "good", "uid": f"x{i}"})
    path = _jsonl(tmp_path / "x.jsonl", rows)
    config = ScanConfig(lang="en", axes=("gender", "religion"), label_field="label",
                        id_field="uid", occupations=())
    summary = scan_to_dir(path, config, tmp_path / "a", thresholds=TH, method="augment",
                          html=False)
    assert {f["axis"] for f in summary["flags"]} == {"gender", "religion"}
    k = len(biasaudit.engine("en", "religion").groups)
    assert summary["rebalance"]["counts"]["augmented"] == (2 * k - 1) * len(rows)
    out = [json.loads(x) for x in (tmp_path / "a" / "rebalanced.jsonl").read_text().splitlines()]
    by_id = {r["uid"]: r for r in rows}
    for cf in out:
        if "counterfactual_of" not in cf:
            continue
        text = by_id[cf["counterfactual_of"]]["text"]
        for e in sorted(cf["counterfactual_edits"], key=lambda e: -e["start"]):
            assert text[e["start"]:e["end"]] == e["old"]
            text = text[:e["start"]] + e["new"] + text[e["end"]:]
        assert text == cf["text"]
    both = [r for r in out if r.get("counterfactual_axis") == "gender+religion"]
    assert both and both[0]["example_id"] == (f"{both[0]['counterfactual_of']}~gender:swap"
                                             f"~religion:{both[0]['counterfactual_target'][5:]}")
    after = scan(tmp_path / "a" / "rebalanced.jsonl", config, thresholds=TH)
    gender, religion = _table(after, "gender"), _table(after, "religion")
    assert gender["female"] == gender["male"]
    assert len(set(map(frozenset, (r.items() for r in religion.values())))) == 1
    assert after.flags == ()


def test_unsafe_examples_are_counted_and_are_the_whole_residual(
    tmp_path: Path, ambiguous_lexicon_dir: Path
) -> None:
    """An example whose swap is unsafe is kept, not copied, and counted as unbalanced; the
    augmented table's female - male difference is exactly that of those examples."""
    rows = _gender_rows()
    for r in rows[::10]:  # 'witch' has two male forms: the swap is ambiguous
        r["text"] = r["text"].replace("spoke", "met a witch and spoke")
    path = _jsonl(tmp_path / "g.jsonl", rows)
    config = _config("gender", lexicon_paths=(str(tmp_path / "lex"),))
    summary = scan_to_dir(path, config, tmp_path / "a", thresholds=TH, method="augment",
                          html=False)
    counts = summary["rebalance"]["counts"]
    unsafe = rows[::10]
    assert counts["unbalanced"] == counts["unsafe_skipped"] == len(unsafe)
    assert counts["augmented"] == len(rows) - len(unsafe)
    eng = biasaudit.engine("en", "gender", lexicon_paths=[str(tmp_path / "lex")])
    residual: Counter = Counter()
    for r in unsafe:
        groups = _groups(eng, r["text"])
        residual[r["label"]] += ("female" in groups) - ("male" in groups)
    table = _table(scan(tmp_path / "a" / "rebalanced.jsonl", config, thresholds=TH), "gender")
    for label in ("pos", "neg"):
        assert table["female"][label] - table["male"][label] == residual[label]


def test_flags_rows_are_unchanged_by_the_method(tmp_path: Path) -> None:
    """flags.jsonl still lists the examples involved in a flagged association, whatever
    the method copies."""
    path = _jsonl(tmp_path / "g.jsonl", _gender_rows())
    config = _config("gender")
    flags = {}
    for method in (None, "augment", "substitute"):
        scan_to_dir(path, config, tmp_path / str(method), thresholds=TH, method=method,
                    html=False)
        flags[method] = (tmp_path / str(method) / "flags.jsonl").read_text()
    assert flags[None] == flags["augment"] == flags["substitute"]
    assert 0 < len(flags[None].splitlines()) < 700


@pytest.mark.parametrize("method", ["augment", "substitute"])
def test_nothing_flagged_nothing_rewritten(tmp_path: Path, method: str) -> None:
    """An axis with no flagged association is left as it is."""
    rows = [{"text": f"My {t} number {i} came.", "label": "ab"[i // 2 % 2], "uid": f"n{i}"}
            for i, t in enumerate(["mother", "father"] * 100)]
    path = _jsonl(tmp_path / "n.jsonl", rows)
    summary = scan_to_dir(path, _config("gender"), tmp_path / "o", thresholds=TH,
                          method=method, html=False)
    assert summary["flags"] == []
    out = (tmp_path / "o" / "rebalanced.jsonl").read_text()
    assert "counterfactual_of" not in out and len(out.splitlines()) == len(rows)
