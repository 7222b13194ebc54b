"""The scan reads an ASCII text once for its first axis and the occupations together (the
joint matcher), other text once per matcher; both ways must count exactly what
``engine.find`` and the occupation matcher report, in the same order."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

import biasaudit
from biasaudit.core.matcher import normalize_key
from biasaudit.data import counts
from biasaudit.data.counts import ChunkCounts, ScanSpec, scan_chunk
from biasaudit.data.sources import Fields, open_source

SENTENCES = [
    "He said she would call her mother.", "The nurse thanked his father-in-law.",
    "HER SON IS AN ENGINEER.", "She has a master's degree.", "Mr. Smith met Lady Loftus.",
    "The Christian pilot and the Muslim engineer.", "Her fiancée is a nurse.",
    "Ms Nguyễn, a teacher, met his wife.", "Nothing to see here.", "the king's  college",
    "A lawyer, a doctor and a father", "King's College nurse", "Americans and a French man",
]


def _corpus(path: Path, n: int = 600, seed: int = 3) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
            f.write(json.dumps({"text": text, "label": rng.choice("ab"),
                                "split": rng.choice(["x", "y", None])}) + "\n")
            if i % 97 == 5:
                f.write("{broken\n")


def _scan(path: Path, axes: tuple[str, ...]) -> list[ChunkCounts]:
    spec = ScanSpec("en", Fields("text", "label", ("split",)), axes)
    source = open_source(path)
    return [scan_chunk(chunk, spec) for chunk in source.chunks(spec.fields, chunk_bytes=4096)]


def _tables(parts: list[ChunkCounts]) -> list[dict]:
    """Every table of every chunk, as ordered item lists (term groups as a plain dict)."""
    return [{name: list(value.items()) if isinstance(value, Counter) else value
             for name, value in vars(part).items()} for part in parts]


@pytest.mark.parametrize("axes", [("gender",), ("gender", "religion", "nationality")])
def test_joint_and_separate_reads_count_the_same(tmp_path: Path, axes: tuple[str, ...],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.jsonl"
    _corpus(path)
    assert counts._first_axis_and_occupations("en", axes, (), None) is not None
    joint = _tables(_scan(path, axes))
    monkeypatch.setattr(counts, "_first_axis_and_occupations", lambda *args: None)
    assert _tables(_scan(path, axes)) == joint


def test_scan_counts_what_find_reports(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    _corpus(path)
    total = sum(_scan(path, ("gender",)), ChunkCounts())
    eng = biasaudit.engine("en", "gender")
    occ = counts.occupation_matcher("en", ("gender",), (), None)
    term_docs: Counter = Counter()
    term_occ: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("{broken"):
            continue
        text = json.loads(line)["text"]
        terms = {normalize_key(m.text) for m in eng.find(text) if m.candidates}
        occupations = {normalize_key(m.text) for m in occ.find(text)}
        term_docs.update(("gender", t) for t in terms)
        term_occ.update(("gender", t, o) for t in terms for o in occupations)
    assert total.term_docs == term_docs
    assert total.term_occ == term_occ
    assert total.bad["unparsable"] == 7
