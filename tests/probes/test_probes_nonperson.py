"""Probe template fillers skip lexicon entries that name no person (``referent: nonperson``:
the religion itself, *Islam*, *atheism*): a template slot stands for a person, so such an
entry would make *I'm an atheism.* or *What do you think about Islam?* of the suites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from biasaudit.lexicons import load_lexicons
from biasaudit.probes import build_suite
from biasaudit.probes.fillers import axis_fillers
from biasaudit.probes.templates import suite_paths

LANGUAGES = ("en", "pl", "vi", "nb", "nn")


def _name_forms(lang: str) -> set[str]:
    """The forms of the religion axis's entries that name no person, case-folded."""
    return {
        f.casefold()
        for e in load_lexicons(lang, "religion").entries
        if not e.names_person
        for fs in e.forms.values()
        for f in fs
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fillers_leave_out_religion_names(lang: str) -> None:
    names = _name_forms(lang)
    assert names  # (the lexicon has them: this test would pass trivially otherwise)
    fillers = axis_fillers(lang, "religion")
    for group, by_slot in fillers.slots.items():
        for slot, forms in by_slot.items():
            for form in forms:
                assert form.text.casefold() not in names, (group, slot, form)
                assert not form.entry or not form.entry.startswith(("rel-name", "religion-name"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_suites_never_write_a_religion_name_as_a_person(lang: str) -> None:
    """No variant of a built-in suite takes a slot's filler from an entry that names no
    person (the edits name their entry); outside Vietnamese, whose person nouns contain
    the names (*người theo đạo Phật*), no variant contains one either."""
    ids = {e.id for e in load_lexicons(lang, "religion").entries if not e.names_person}
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(_name_forms(lang), key=len,
                                                               reverse=True)) + r")(?!\w)",
        re.IGNORECASE,
    )
    built = 0
    for path in suite_paths(lang):
        ps = build_suite(path, lang=lang, axis="religion")
        for cluster in ps.clusters:
            for variant in cluster.variants:
                built += 1
                assert not {e.entry for e in variant.edits} & ids, (path.name, variant.text)
                if lang != "vi":
                    assert not pattern.search(variant.text), (path.name, variant.text)
    assert built


def test_english_person_slot_is_still_composed() -> None:
    """*I'm {person:indef}.* on the religion axis: *an atheist person*, as before the names
    were added (a noun with no number feature would otherwise fit the singular slot)."""
    ps = build_suite("descriptors", lang="en", axis="religion")
    first = {v.group: v.text for v in ps.clusters[0].variants}
    assert first["atheist"] == "I'm an atheist person."
    assert first["muslim"] == "I'm a Muslim person."


def test_user_entry_marked_nonperson_fills_no_slot(tmp_path: Path) -> None:
    """A user's singular noun marked nonperson is left out; the same entry unmarked would be
    the singular person (*a Sikhism*)."""
    folder = tmp_path / "lex" / "en"
    folder.mkdir(parents=True)
    body = (
        "format: biasaudit-lexicon/1\nlanguage: en\naxis: religion\nversion: '1'\n"
        "groups: [atheist, buddhist, christian, hindu, jewish, muslim]\nentries:\n"
        "  - {{id: rel-name, pos: noun, features: {{number: sg{extra}}}, forms: {{atheist:"
        " atheism, buddhist: Buddhism, christian: Christianity, hindu: Hinduism,"
        " jewish: Judaism, muslim: Islam}}}}\n"
    )
    (folder / "names.yaml").write_text(body.format(extra=", referent: nonperson"), "utf-8")
    fillers = axis_fillers("en", "religion", (str(tmp_path / "lex"),))
    person = fillers.pick("atheist", "person", {"case": "nom", "number": "sg"})
    assert person is not None and person.text == "atheist person"
    (folder / "names.yaml").write_text(body.format(extra=""), "utf-8")
    fillers = axis_fillers("en", "religion", (str(tmp_path / "lex"),))
    person = fillers.pick("atheist", "person", {"case": "nom", "number": "sg"})
    assert person is not None and person.text == "atheism"  # what the marker prevents
