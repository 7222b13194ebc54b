"""Probe-set contract: frozen data, JSONL round trip, content hash, load errors."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biasaudit import probes
from biasaudit.core import Edit
from biasaudit.errors import InputError
from biasaudit.probes import Cluster, ProbeSet, Variant


def small() -> ProbeSet:
    return probes.build(lang="pl", axis="gender", suite="occupations", seed=1)


def test_dataclasses_are_frozen() -> None:
    ps = small()
    with pytest.raises(dataclasses.FrozenInstanceError):
        ps.name = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ps.clusters[0].variants[0].text = "x"  # type: ignore[misc]


def test_jsonl_round_trip(tmp_path: Path) -> None:
    ps = small()
    path = probes.save(ps, tmp_path / "p.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == probes.FORMAT == "biasaudit-probes/1"
    assert header["hash"] == ps.content_hash()
    assert header["stats"]["clusters"] == len(ps) == len(lines) - 1
    back = probes.load(path)
    assert back == ps
    assert back.content_hash() == ps.content_hash()


def test_round_trip_keeps_unsafe_and_metadata(tmp_path: Path) -> None:
    v = Variant("a", "x y", (Edit(0, 1, "z", "x", "lexicon", "e1", "lx@1"),), ("ambiguous",),
                ("Anna",), {"k": [1, 2]})
    ps = ProbeSet("t", "en", "gender", (Cluster("c1", "z y", (v,), "t1", {"m": 1}),),
                  {"seed": 0}, {"unsafe_variants": 1})
    back = probes.load(probes.save(ps, tmp_path / "t.jsonl"))
    assert back == ps
    assert not back.clusters[0].variants[0].safe


def test_hash_ignores_order_name_metadata_and_stats() -> None:
    ps = small()
    clusters = list(ps.clusters)
    random.Random(0).shuffle(clusters)
    shuffled = tuple(dataclasses.replace(c, variants=tuple(reversed(c.variants)))
                     for c in clusters)
    other = ProbeSet("renamed", ps.lang, ps.axis, shuffled, {"note": "x"}, {})
    assert other.content_hash() == ps.content_hash()
    changed = dataclasses.replace(ps.clusters[0], source=ps.clusters[0].source + " ")
    assert ProbeSet(ps.name, ps.lang, ps.axis, (changed, *ps.clusters[1:])).content_hash() \
        != ps.content_hash()
    assert ps.content_hash().startswith("sha256:") and len(ps.content_hash()) == 71


def test_load_errors_name_line_and_field(tmp_path: Path) -> None:
    ps = small()
    path = probes.save(ps, tmp_path / "p.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()

    bad = tmp_path / "bad.jsonl"
    rec = json.loads(lines[2])
    del rec["variants"][0]["text"]
    bad.write_text("\n".join([lines[0], lines[1], json.dumps(rec)]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        probes.load(bad)
    assert (info.value.location.line, info.value.location.field) == (3, "text")

    bad.write_text(lines[0] + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid JSON") as info:
        probes.load(bad)
    assert info.value.location.line == 2

    rec = json.loads(lines[1])
    rec["variants"][0]["text"] += "!"
    bad.write_text("\n".join([lines[0], json.dumps(rec), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="hash mismatch"):
        probes.load(bad)

    bad.write_text('{"format": "other"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        probes.load(bad)


def test_to_pandas_and_texts() -> None:
    pytest.importorskip("pandas")
    ps = small()
    df = ps.to_pandas()
    assert len(df) == ps.stats["variants"] == len(ps.texts())
    assert set(df.columns) >= {"cluster_id", "group", "text", "safe"}


# -- line breaks inside texts ---------------------------------------------------------------
# json.dumps(ensure_ascii=False) writes U+0085, U+2028 and U+2029 as they are; str.splitlines
# would split a record at them, so load() splits at "\n" only.
UNICODE_BREAKS = ["\u2028", "\u2029", "\x85"]


@pytest.mark.parametrize("sep", UNICODE_BREAKS)
def test_texts_with_unicode_line_separators_round_trip(tmp_path: Path, sep: str) -> None:
    ps = probes.from_texts([f"She{sep} left."], lang="en", axis="gender")
    assert sep in ps.clusters[0].variants[0].text
    back = probes.load(probes.save(ps, tmp_path / "p.jsonl"))
    assert back == ps and back.content_hash() == ps.content_hash()


def test_line_numbers_count_only_newlines(tmp_path: Path) -> None:
    ps = probes.from_texts(["She\u2028 left.", "He\x85 came."], lang="en", axis="gender")
    path = probes.save(ps, tmp_path / "p.jsonl")
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0], lines[1], "{not json"]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid JSON") as info:
        probes.load(path)
    assert info.value.location.line == 3


def test_crlf_files_still_load(tmp_path: Path) -> None:
    ps = small()
    path = probes.save(ps, tmp_path / "p.jsonl")
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert probes.load(crlf) == ps


_text = st.text(max_size=40)
_meta = st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.booleans(), st.integers(),
                                                        _text), max_size=3)


@st.composite
def _probe_sets(draw: st.DrawFn) -> ProbeSet:
    clusters = []
    for i in range(draw(st.integers(0, 3))):
        groups = draw(st.lists(_text, min_size=1, max_size=3, unique=True))
        variants = tuple(
            Variant(g, draw(_text), (), tuple(draw(st.lists(_text, max_size=2))),
                    tuple(draw(st.lists(_text, max_size=2))), draw(_meta))
            for g in groups
        )
        clusters.append(Cluster(f"{i}{draw(_text)}", draw(_text), variants,
                                draw(st.one_of(st.none(), _text)), draw(_meta)))
    return ProbeSet(draw(_text), draw(_text), draw(_text), tuple(clusters), draw(_meta),
                    {"clusters": len(clusters)})


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ps=_probe_sets())
def test_save_load_round_trips_arbitrary_text(tmp_path: Path, ps: ProbeSet) -> None:
    back = probes.load(probes.save(ps, tmp_path / "h.jsonl"))
    assert back == ps
    assert back.content_hash() == ps.content_hash()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pre=st.text(max_size=20), post=st.text(max_size=20))
def test_save_load_round_trips_engine_output(tmp_path: Path, pre: str, post: str) -> None:
    # the user's path: texts through the counterfactual engine, edits included
    ps = probes.from_texts([f"{pre} she {post}"], lang="en", axis="gender")
    assert probes.load(probes.save(ps, tmp_path / "e.jsonl")) == ps
