"""The scanner relies on ``engine.find``; its ASCII fast path (lower-case, no IGNORECASE)
must find exactly what the IGNORECASE regex finds. Occupations are found in decomposed (NFD)
text as in NFC text."""

from __future__ import annotations

import collections
import copy
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit
from biasaudit.core import TermMatcher
from biasaudit.data import ScanConfig, ScanThresholds, scan, scan_to_dir

ENGINE = biasaudit.engine("en", "gender")
TERMS = sorted({f for e in ENGINE.lexicons.entries for fs in e.forms.values() for f in fs
                if f.isascii()})
WORDS = [*TERMS, "the", "of", "x", "Mr", "King's", "college", "HE", "sHe", "'s", "-", ".",
         ",", "  ", "\n", "he_", "2", "shes", "hers'"]


def _slow(matcher: TermMatcher) -> TermMatcher:
    slow = copy.copy(matcher)
    slow._ascii_regex = None
    return slow


def _spans(matches):
    return [(m.start, m.end, m.text, m.candidates) for m in matches]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "", ", ", "\t"]),
                          st.sampled_from([str.lower, str.upper, str.title, str])),
                max_size=25))
def test_ascii_fast_path_equals_ignorecase(parts) -> None:
    text = "".join(case(w) + sep for w, sep, case in parts)
    matcher = ENGINE.matcher
    assert matcher._ascii_regex is not None
    assert _spans(matcher.find(text)) == _spans(_slow(matcher).find(text))


@pytest.mark.parametrize("key,fast", [("ıdol", False), ("ſir", True), ("straße", True)])
def test_fast_path_off_for_keys_matching_ascii_only_by_case_folding(key: str,
                                                                    fast: bool) -> None:
    """``ı`` matches ASCII ``i``/``I`` only under IGNORECASE: no fast path for such keys
    (keys are case-folded first, so ``ſ`` and ``ß`` become ASCII and are fine)."""
    matcher = TermMatcher({key: ()})
    assert (matcher._ascii_regex is not None) == fast
    text = "IDOL idol sir SIR strasse ıdol"
    assert _spans(matcher.find(text)) == _spans(_slow(matcher).find(text))


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# -- occupations in text that is not NFC ---------------------------------------------------

VI = ["Bà ấy là bác sĩ.", "Ông ấy là y tá giỏi.", "Anh ấy làm kỹ sư, chị ấy là giáo viên."]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_occupations_are_found_in_decomposed_text(tmp_path: Path, form: str) -> None:
    """Identity terms are matched after the engine's NFC normalisation, so occupations
    must be too: an NFD Vietnamese corpus (common from macOS tools) has the same counts."""
    rows = [{"text": unicodedata.normalize(form, t), "label": "a"} for t in VI * 20]
    result = scan(_jsonl(tmp_path / "vi.jsonl", rows), ScanConfig(lang="vi", label_field="label"))
    occ = {o: k for (_, o), k in result.counts.occ_docs.items()}
    assert occ == {"bác sĩ": 20, "y tá": 20, "kỹ sư": 20, "giáo viên": 20}
    assert result.counts.group_occ["gender", "female", "bác sĩ"] == 20


def test_flag_pass_finds_occupations_in_decomposed_text(tmp_path: Path) -> None:
    """The second pass cites the flagged occupation for NFD text as for NFC text."""
    rows = [{"text": unicodedata.normalize("NFD", "Bà ấy là bác sĩ."), "label": "a"}] * 40
    rows += [{"text": unicodedata.normalize("NFD", "Ông ấy là nông dân."), "label": "a"}] * 40
    rows += [{"text": unicodedata.normalize("NFD", "Ông ấy đến."), "label": "a"}] * 40
    th = ScanThresholds(min_count=10)
    summary = scan_to_dir(_jsonl(tmp_path / "vi.jsonl", rows),
                          ScanConfig(lang="vi", label_field="label"), tmp_path / "out",
                          thresholds=th, html=False)
    flagged = {(f["subject"], f["target"]) for f in summary["flags"]
               if f["kind"] == "group_occupation"}
    assert ("female", "bác sĩ") in flagged
    cited = collections.Counter(
        (r["group"], r["occupation"])
        for line in (tmp_path / "out" / "flags.jsonl").read_text(encoding="utf-8").splitlines()
        for r in json.loads(line)["reasons"] if r["kind"] == "group_occupation")
    assert cited[("female", "bác sĩ")] == 40
