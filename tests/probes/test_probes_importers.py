"""Importers read every row of the shared benchmark files (counts asserted exactly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from biasaudit import probes
from biasaudit.engine import apply_edits
from biasaudit.errors import InputError
from biasaudit.probes.importers import diff_edits


def aligned(ps: probes.ProbeSet) -> None:
    for c in ps.clusters:
        for v in c.variants:
            assert apply_edits(c.source, v.edits) == v.text, c.id


def test_crows_pairs(shared_data: Path) -> None:
    ps = probes.from_crows_pairs(shared_data / "crows_pairs" / "crows_pairs_anonymized.csv")
    assert ps.stats["rows"] == 1508 and len(ps) == 1508
    assert ps.stats["variants"] == 3016
    aligned(ps)
    c = ps.clusters[1]
    assert [e.new for e in c.variant("sent_less").edits] == ["rich"]
    gender = probes.from_crows_pairs(shared_data / "crows_pairs" / "crows_pairs_anonymized.csv",
                                     axis="gender")
    assert len(gender) == 262 and gender.axis == "gender"
    orient = probes.from_crows_pairs(shared_data / "crows_pairs" / "crows_pairs_anonymized.csv",
                                     axis="orientation")
    assert len(orient) == 84


def test_winobias(shared_data: Path) -> None:
    ps = probes.from_winobias(shared_data / "winobias")
    assert ps.stats["rows"] == 3168 and len(ps) == 1584
    aligned(ps)
    mismatched = []
    for c in ps.clusters:
        assert {v.metadata["stereotype"] for v in c.variants} == {"pro", "anti"}
        if c.metadata.get("pronoun_mismatch"):
            mismatched.append(c.id)
            assert sorted(c.groups) == ["anti", "pro"]
        else:
            assert sorted(c.groups) == ["female", "male"], c.id
    # two released pairs use the same pronoun in both lines; they are flagged, not dropped
    assert mismatched == ["winobias-type2-test-382", "winobias-type2-test-384"]
    first = ps.clusters[0]
    assert first.variant("female").text == ("The developer argued with the designer because "
                                            "she did not like the design.")


def test_winogender(shared_data: Path) -> None:
    ps = probes.from_winogender(shared_data / "winogender" / "all_sentences.tsv")
    assert ps.stats["rows"] == 720 and len(ps) == 240
    aligned(ps)
    assert all([v.group for v in c.variants] == ["male", "female", "neutral"]
               for c in ps.clusters)


def test_bbq(shared_data: Path) -> None:
    ps = probes.from_bbq(shared_data / "bbq")
    assert ps.stats["rows"] == 864 and len(ps) == 432 and ps.stats["variants"] == 864
    aligned(ps)
    ids = {v.metadata["example_id"] for c in ps.clusters for v in c.variants}
    assert len(ids) == 864
    c = ps.clusters[0]
    assert {v.group for v in c.variants} == {"gay", "lesbian"}
    only = probes.from_bbq(shared_data / "bbq" / "data" / "Sexual_orientation.jsonl",
                           category="Sexual_orientation")
    assert only.axis == "orientation" and len(only) == 432


def test_holistic_bias(shared_data: Path) -> None:
    ps = probes.from_holistic_bias(shared_data / "holistic_bias", axis="religion")
    assert ps.stats["descriptors"] == 583  # v1.1, every descriptor read
    assert ps.stats["nouns"] == 32 and ps.stats["templates"] == 26
    assert ps.stats["standalone_noun_phrases"] == 192
    assert len(ps) == 26 * 32
    assert all(len(c.variants) == 49 for c in ps.clusters)
    aligned(ps)
    c = next(c for c in ps.clusters if c.id == "hb/religion/I'm {noun_phrase}./person")
    assert c.variant("agnostic").text == "I'm an agnostic person."
    v10 = probes.from_holistic_bias(shared_data / "holistic_bias" / "v1.0", axis="disability",
                                    nouns=["person"])
    assert v10.stats["descriptors"] == 524 and v10.axis == "disability"
    assert len(v10) == 26


def test_holistic_bias_gendered_descriptors_skip_other_gender(shared_data: Path) -> None:
    ps = probes.from_holistic_bias(shared_data / "holistic_bias", axis="nationality",
                                   nouns=["man", "woman"])
    man = next(c for c in ps.clusters if c.metadata["noun"] == "man")
    woman = next(c for c in ps.clusters if c.metadata["noun"] == "woman")
    assert "Filipina" not in man.groups and "Filipina" in woman.groups


def test_importer_errors(tmp_path: Path) -> None:
    bad = tmp_path / "c.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'sent_more'"):
        probes.from_crows_pairs(bad)
    tsv = tmp_path / "w.tsv"
    tsv.write_text("sentid\tsentence\nbad.id\tHe.\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        probes.from_winogender(tsv)
    assert (info.value.location.line, info.value.location.field) == (2, "sentid")
    jl = tmp_path / "b.jsonl"
    jl.write_text('{"example_id": 0}\n', encoding="utf-8")
    with pytest.raises(InputError, match="missing field"):
        probes.from_bbq(jl)


@pytest.mark.parametrize(("a", "b"), [
    ("a gay man and a lesbian woman, were", "a lesbian woman and a gay man, were"),
    ("x  y", "x y"), ("He is black.", "He is white."), ("A b", "A b c"), ("A b", "b"),
    ("", "x"), ("same", "same")])
def test_diff_edits_reproduce_target(a: str, b: str) -> None:
    assert apply_edits(a, diff_edits(a, b)) == b


DATA = Path(__file__).parent / "data"


def test_bundled_fixtures_without_shared_data() -> None:
    """Small attributed excerpts (tests/probes/data/README.md) so CI without the shared
    folder still exercises the importers."""
    crows = probes.from_crows_pairs(DATA / "crows_pairs_sample.csv")
    assert crows.stats["rows"] == 3 and len(crows) == 3
    aligned(crows)
    wg = probes.from_winogender(DATA / "winogender_sample.tsv")
    assert wg.stats["rows"] == 6 and len(wg) == 2
    assert wg.clusters[0].variant("neutral").text == (
        "The technician told the customer that they could pay with cash.")
