"""Second pass and outputs: flags.jsonl rows, counterfactual siblings (linked, same split,
unsafe ones skipped and counted, carrying their edits), substitution (spread over the other
groups), reweighing weights (never over a source field), summary and HTML."""

from __future__ import annotations

import collections
import json
import random
import unicodedata
from pathlib import Path

import pytest

import biasaudit
from biasaudit.data import ScanConfig, ScanThresholds, scan, scan_to_dir, write_flags
from biasaudit.errors import InputError

TH = ScanThresholds(min_count=20)


def _corpus(path: Path, *, n: int = 600, seed: int = 1) -> None:
    """'mother' is planted in label pos; one in ten examples cannot be swapped safely
    (with the ``ambiguous_lexicon_dir`` lexicon, 'witch' is wizard or warlock)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        term = rng.choice(["mother", "father", "brother", "sister", "son", "daughter"])
        label = "pos" if rng.random() < (0.9 if term == "mother" else 0.45) else "neg"
        text = f"The {term} of the team wrote a report."
        if i % 10 == 0:
            text = f"The {term} met a witch."
        rows.append({"text": text, "label": label, "split": "train" if i % 4 else "test",
                     "uid": f"u{i}"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


@pytest.fixture()
def corpus(tmp_path: Path, ambiguous_lexicon_dir: Path) -> Path:
    path = tmp_path / "train.jsonl"
    _corpus(path)
    return path


def config(corpus: Path) -> ScanConfig:
    return ScanConfig(lang="en", label_field="label", id_field="uid", meta_fields=("split",),
                      lexicon_paths=(str(corpus.parent / "lex"),))


def test_flags_rows(corpus: Path, tmp_path: Path) -> None:
    result = scan(corpus, config(corpus), thresholds=TH)
    assert ("gender", "mother", "pos") in result.flagged("term_label")
    report = write_flags(corpus, result, config(corpus), tmp_path / "out")
    rows = [json.loads(x) for x in report.flags_path.read_text().splitlines()]
    planted = [r for r in rows if {"kind": "term_label", "axis": "gender", "term": "mother",
                                   "label": "pos"} in r["reasons"]]
    assert planted and all(r["label"] == "pos" for r in planted)
    kinds = {x["kind"] for r in rows for x in r["reasons"]}
    assert kinds <= {"term_label", "group_label"}
    row = planted[0]
    assert set(row) >= {"id", "source", "line", "label", "groups", "reasons", "spans",
                        "weight", "action", "counterfactuals"}
    span = next(s for s in row["spans"] if s["term"] == "mother")
    text = next(json.loads(x)["text"] for x in corpus.read_text().splitlines()
                if json.loads(x)["uid"] == row["id"])
    assert text[span["start"]:span["end"]] == "mother"
    assert row["weight"] == pytest.approx(result.weights.cells["gender=female", "pos"])
    assert row["weight"] < 1  # over-represented cell: down-weighted
    assert {r["action"] for r in rows} <= {"augment", "reweigh", "review"}
    assert report.counts["flagged"] == len(rows)


def test_augment_links_siblings_keeps_split_and_skips_unsafe(corpus: Path,
                                                             tmp_path: Path) -> None:
    result = scan(corpus, config(corpus), thresholds=TH)
    report = write_flags(corpus, result, config(corpus), tmp_path / "out", method="augment")
    out = [json.loads(x) for x in report.dataset_path.read_text().splitlines()]
    source = {json.loads(x)["uid"]: json.loads(x) for x in corpus.read_text().splitlines()}
    copies = [r for r in out if "counterfactual_of" in r]
    originals = [r for r in out if "counterfactual_of" not in r]
    assert len(originals) == len(source) == report.counts["examples"]
    assert len(copies) == report.counts["augmented"] > 0
    for cf in copies:
        src = source[cf["counterfactual_of"]]
        assert cf["split"] == src["split"] and cf["label"] == src["label"]
        assert cf["uid"] == cf["example_id"] != src["uid"]
        assert cf["text"] == biasaudit.engine("en", "gender").swap(src["text"]).text
        assert cf["text"] != src["text"] and "witch" not in src["text"]
    # every example that mentions gender is copied (two-sided CDA), flagged or not, except
    # the ambiguous 'witch' sentences: their swaps are counted, not written, and they are
    # the examples left unbalanced
    witch = [s for s in source.values() if "witch" in s["text"]]
    assert report.counts["unsafe_skipped"] == report.counts["unbalanced"] == len(witch) > 0
    assert report.counts["augmented"] == len(source) - len(witch)
    flags = [json.loads(r) for r in report.flags_path.read_text().splitlines()]
    assert {f["id"] for f in flags if f["action"] != "augment"} == {
        f["id"] for f in flags if "witch" in source[f["id"]]["text"]}
    assert report.counts["records_written"] == len(out)


def test_substitute_replaces_instead_of_duplicating(corpus: Path, tmp_path: Path) -> None:
    result = scan(corpus, config(corpus), thresholds=TH)
    a = write_flags(corpus, result, config(corpus), tmp_path / "a", method="substitute", seed=3)
    b = write_flags(corpus, result, config(corpus), tmp_path / "b", method="substitute", seed=3)
    out = a.dataset_path.read_text().splitlines()
    assert out == b.dataset_path.read_text().splitlines()  # deterministic
    assert len(out) == a.counts["examples"]
    subs = [json.loads(x) for x in out if "counterfactual_of" in x]
    assert len(subs) == a.counts["substituted"]
    # about half of every example with a safe swap, flagged or not (CDS); binomial SD
    # sqrt(n/4) is about 11 here, so +-0.1·n is more than 4 SD
    safe = a.counts["examples"] - a.counts["unbalanced"]
    assert 0.4 * safe < len(subs) < 0.6 * safe
    flagged = {json.loads(x)["id"] for x in a.flags_path.read_text().splitlines()}
    assert {s["uid"] for s in subs} - flagged  # unflagged examples are substituted too
    assert all(s["counterfactual_of"] == s["uid"] for s in subs)


def test_reweigh_output_and_effective_n(corpus: Path, tmp_path: Path) -> None:
    result = scan(corpus, config(corpus), thresholds=ScanThresholds(min_count=20, max_weight=100))
    report = write_flags(corpus, result, config(corpus), tmp_path / "w", method="reweigh")
    out = [json.loads(x) for x in report.dataset_path.read_text().splitlines()]
    assert len(out) == 600
    weights = [r["weight"] for r in out]
    assert sum(weights) == pytest.approx(600)
    assert report.effective_n == pytest.approx(result.weights.effective_n)
    # the weighted female share of label pos equals the overall pos share
    pos = sum(w for r, w in zip(out, weights) if r["label"] == "pos") / 600
    fem = [(r, w) for r, w in zip(out, weights)
           if any(t in r["text"] for t in ("mother", "sister", "daughter"))]
    fem_pos = sum(w for r, w in fem if r["label"] == "pos") / sum(w for _, w in fem)
    assert fem_pos == pytest.approx(pos)


def test_scan_to_dir_writes_summary_and_escaped_html(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    rng = random.Random(0)
    rows = [{"text": f"{rng.choice(['He', 'She'])} wrote <script>alert(1)</script>",
             "label": rng.choice(["<img src=x onerror=alert(1)>", "ok"]),
             "src": "<b>web</b>"} for _ in range(200)]
    rows += [{"text": "She is a nurse.", "label": "ok", "src": "x"}] * 40
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "oops\n")
    config = ScanConfig(lang="en", label_field="label", meta_fields=("src",))
    summary = scan_to_dir(path, config, tmp_path / "out", method="reweigh")
    saved = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert saved["totals"]["examples"] == 240 == summary["totals"]["examples"]
    assert saved["config"]["files"] == ["x.jsonl"]  # relative to the inputs' folder
    assert saved["bad_records"]["unparsable"] == {
        "count": 1, "first": [{"file": "x.jsonl", "line": 241, "field": None,
                               "detail": saved["bad_records"]["unparsable"]["first"][0]["detail"]}]}
    assert {"representation", "coverage", "tables", "flags", "weights", "metadata",
            "rebalance", "thresholds", "terms"} <= set(saved)
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>web</b>" not in html and "&lt;b&gt;web&lt;/b&gt;" in html
    assert html.count("data:image/png;base64,") >= 2


def test_scan_report_leaves_the_global_matplotlib_backend_alone(tmp_path: Path) -> None:
    """The scan's plots used to call matplotlib.use("Agg"), switching a notebook's backend."""
    matplotlib = pytest.importorskip("matplotlib")
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n"
                            for t, y in [("He sings.", "a"), ("She sings.", "b")] * 40))
    before = matplotlib.get_backend()
    matplotlib.use("svg")
    try:
        scan_to_dir(path, ScanConfig(lang="en", label_field="label"), tmp_path / "out")
        assert matplotlib.get_backend() == "svg"
    finally:
        matplotlib.use(before)
    html = (tmp_path / "out" / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 2


RELIGION = """\
format: biasaudit-lexicon/1
name: test-religion
language: en
axis: religion
version: 0.1.0
groups: [christian, muslim, jewish]
source: test fixture
entries:
  - {pos: adj, forms: {christian: Christian, muslim: Muslim, jewish: Jewish}}
  - {pos: noun, forms: {christian: church, muslim: mosque, jewish: synagogue}}
"""


def test_two_axes_joint_weights_and_n_ary_counterfactuals(tmp_path: Path) -> None:
    lex = tmp_path / "lex"
    lex.mkdir()
    (lex / "religion.yaml").write_text(RELIGION)
    rng = random.Random(4)
    rows = []
    for _ in range(900):
        faith = rng.choice(["church", "mosque", "synagogue"])
        person = rng.choice(["he", "she"])
        label = "toxic" if rng.random() < (0.8 if faith == "mosque" else 0.3) else "ok"
        rows.append({"text": f"Then {person} went to the {faith} nearby.", "label": label})
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = ScanConfig(lang="en", axes=("gender", "religion"), label_field="label",
                        lexicon_paths=(str(lex),))
    result = scan(path, config)
    # one-vs-rest: with a third of the data skewed, the other two are over-represented in ok
    assert result.flagged("term_label") == {("religion", "mosque", "toxic"),
                                            ("religion", "church", "ok"),
                                            ("religion", "synagogue", "ok")}
    assert {g for g, _ in result.weights.cells} == {
        f"gender={p}|religion={f}" for p in ("male", "female")
        for f in ("christian", "muslim", "jewish")}
    report = write_flags(path, result, config, tmp_path / "out", method="augment")
    out = [json.loads(x) for x in report.dataset_path.read_text().splitlines()]
    copies = [r for r in out if "counterfactual_of" in r]
    assert copies and {r["counterfactual_axis"] for r in copies} == {"religion"}
    source = {f"d.jsonl:{i + 1}": r for i, r in enumerate(rows)}
    for r in copies:  # one variant per other group of the n-ary axis
        src = source[r["counterfactual_of"]]["text"]
        assert r["text"] != src
        assert r["counterfactual_target"] in ("christian", "muslim", "jewish")
    mosque = [r for r in copies if "mosque" in source[r["counterfactual_of"]]["text"]]
    assert {r["counterfactual_target"] for r in mosque} == {"christian", "jewish"}


class _Rows:
    """A minimal ``datasets.Dataset`` stand-in (column_names, len, slicing)."""

    def __init__(self, columns: dict[str, list]) -> None:
        self._columns = columns
        self.column_names = list(columns)

    def __len__(self) -> int:
        return len(self._columns["text"])

    def __getitem__(self, key: slice) -> dict[str, list]:
        return {k: v[key] for k, v in self._columns.items()}


def _columns(n: int = 400) -> dict[str, list]:
    rng = random.Random(9)
    texts, labels, splits = [], [], []
    for i in range(n):
        term = rng.choice(["mother", "father", "sister", "brother"])
        texts.append(f"Her {term} phoned again.")
        labels.append("pos" if rng.random() < (0.9 if term == "mother" else 0.5) else "neg")
        splits.append("test" if i % 5 == 0 else "train")
    return {"text": texts, "label": labels, "split": splits, "n": list(range(n))}


@pytest.mark.parametrize("kind", ["dataset", "parquet"])
def test_augment_from_dataset_and_parquet_keeps_all_fields(tmp_path: Path, kind: str) -> None:
    cols = _columns()
    if kind == "dataset":
        data: object = _Rows(cols)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = tmp_path / "d.parquet"
        pq.write_table(pa.table(cols), data, row_group_size=64)
    config = ScanConfig(lang="en", label_field="label", chunk_rows=50)
    result = scan(data, config, thresholds=TH)
    assert ("gender", "mother", "pos") in result.flagged("term_label")
    report = write_flags(data, result, config, tmp_path / "out", method="augment")
    out = [json.loads(x) for x in report.dataset_path.read_text().splitlines()]
    copies = [r for r in out if "counterfactual_of" in r]
    assert copies and len(out) == 400 + len(copies)
    by_id = {r["example_id"]: r for r in out if "counterfactual_of" not in r}
    for cf in copies:
        src = by_id[cf["counterfactual_of"]]
        assert (cf["split"], cf["n"], cf["label"]) == (src["split"], src["n"], src["label"])
        assert cf["text"].startswith("His ")


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- substitution targets ------------------------------------------------------------------

def test_substitution_spreads_over_the_other_groups(tmp_path: Path) -> None:
    """CDS on an axis without pairwise swaps picks one of the other groups per example (a
    deterministic coin), instead of always the first group of the axis, which would plant
    a new skew of its own."""
    rows = [{"text": f"The Muslim man number {i} prayed.", "label": "bad"} for i in range(300)]
    rows += [{"text": f"The Christian man number {i} prayed.", "label": "good"}
             for i in range(300)]
    config = ScanConfig(lang="en", label_field="label", axes=("religion",))
    runs = []
    for out in ("o1", "o2"):
        scan_to_dir(_jsonl(tmp_path / "r.jsonl", rows), config, tmp_path / out,
                    method="substitute", html=False, seed=7)
        runs.append((tmp_path / out / "rebalanced.jsonl").read_text(encoding="utf-8"))
    assert runs[0] == runs[1]  # reproducible
    recs = [json.loads(line) for line in runs[0].splitlines()]
    religions = {"atheist", "buddhist", "christian", "hindu", "jewish", "muslim"}
    for source in ("muslim", "christian"):
        targets = collections.Counter(
            r["counterfactual_target"] for r in recs
            if "counterfactual_of" in r and rows[int(r["example_id"].split(":")[1]) - 1][
                "text"].lower().startswith(f"the {source}"))
        assert set(targets) == religions - {source}  # each of the five others
        assert max(targets.values()) < 0.4 * sum(targets.values())


# -- the reweighing output field -----------------------------------------------------------

def test_reweigh_does_not_overwrite_a_weight_field_of_the_data(tmp_path: Path) -> None:
    """Sample weights already in the data are not silently replaced: the error names the
    file, line and field."""
    rows = [{"text": "she is" if i % 3 else "he is", "label": "ab"[i % 2], "weight": 2.5}
            for i in range(60)]
    path = _jsonl(tmp_path / "w.jsonl", rows)
    with pytest.raises(InputError, match=r"w\.jsonl, line 1, field 'weight'"):
        scan_to_dir(path, ScanConfig(lang="en", label_field="label"), tmp_path / "o",
                    method="reweigh", html=False)
    scan_to_dir(path, ScanConfig(lang="en", label_field="label"), tmp_path / "o2",
                method="reweigh", html=False, weight_field="kc_weight")
    out = _read(tmp_path / "o2" / "rebalanced.jsonl")
    assert {r["weight"] for r in out} == {2.5} and all("kc_weight" in r for r in out)


# -- counterfactual records ------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "mention", "other"), [
    ("en", "She told her mother about case {}.", "The clerk filed case {}."),
    # decomposed Unicode (macOS tools write it): offsets still index the text as read
    ("vi", unicodedata.normalize("NFD", "Bà ấy kể với mẹ về vụ án {}."),
     unicodedata.normalize("NFD", "Thư ký nộp hồ sơ {}.")),
])
def test_counterfactual_records_carry_their_edits(tmp_path: Path, lang: str, mention: str,
                                                  other: str) -> None:
    """Each counterfactual says what was changed, so a reviewer can trace it to its source
    without re-running the engine: applying the edits to the source gives its text. The
    flags' spans index the source as read too."""
    rows = [{"text": mention.format(i), "label": "pos"} for i in range(60)]
    rows += [{"text": other.format(i), "label": "neg"} for i in range(60)]
    scan_to_dir(_jsonl(tmp_path / "c.jsonl", rows), ScanConfig(lang=lang, label_field="label"),
                tmp_path / "o", method="augment", html=False)
    recs = _read(tmp_path / "o" / "rebalanced.jsonl")
    texts_of = {r["example_id"]: r["text"] for r in recs}
    spans = [(texts_of[f["id"]], s) for f in _read(tmp_path / "o" / "flags.jsonl")
             for s in f["spans"]]
    assert len(spans) >= 60
    assert all(text[s["start"]:s["end"]] == s["text"] for text, s in spans)
    by_id = {r["example_id"]: r for r in recs}
    cfs = [r for r in recs if "counterfactual_of" in r]
    assert len(cfs) == 60
    for cf in cfs:
        text = by_id[cf["counterfactual_of"]]["text"]
        for e in sorted(cf["counterfactual_edits"], key=lambda e: -e["start"]):
            assert text[e["start"]:e["end"]] == e["old"]
            text = text[:e["start"]] + e["new"] + text[e["end"]:]
        assert text == cf["text"]

