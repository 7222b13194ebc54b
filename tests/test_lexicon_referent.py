"""The lexicon marker for terms that name no person (``features: {referent: nonperson}``,
docs/lexicons.md): the religion itself (*Islam*, *atheism*) beside its followers (*Muslims*,
*atheists*). The linter accepts it where it fits and rejects it, naming file, line and
field, on entries that always name a person; the loader keeps it on the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

import biasaudit
from biasaudit.errors import LexiconError
from biasaudit.lexicons import load_lexicon, load_lexicons
from biasaudit.lexicons.lint import lint_paths

HEADER = (
    "format: biasaudit-lexicon/1\nlanguage: en\naxis: religion\nversion: '1'\n"
    "groups: [christian, muslim]\n"
)  # an entry written right after it is on line 7


def write(folder: Path, body: str, name: str = "lex.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def errors(*paths: Path) -> list[str]:
    problems, _ = lint_paths(paths)
    return [str(p) for p in problems if p.severity == "error"]


@pytest.mark.parametrize(
    "body",
    [
        "entries:\n  - {pos: noun, features: {referent: nonperson},"
        " forms: {christian: Christianity, muslim: Islam}}\n",
        # from the file's defaults
        "defaults: {features: {referent: nonperson}}\n"
        "entries:\n  - {pos: noun, forms: {christian: Christianity, muslim: Islam}}\n",
        # an adjective of the religion rather than of its followers; the explicit default
        "entries:\n  - {pos: adj, features: {referent: nonperson},"
        " forms: {christian: Christian, muslim: Islamic}}\n"
        "  - {pos: noun, features: {referent: person},"
        " forms: {christian: Christians, muslim: Muslims}}\n",
    ],
)
def test_lint_accepts_the_marker(tmp_path: Path, body: str) -> None:
    assert errors(write(tmp_path, body)) == []


def test_loaded_entry_says_it_names_no_person(tmp_path: Path) -> None:
    lexicon = load_lexicon(write(tmp_path, (
        "entries:\n"
        "  - {id: name, pos: noun, features: {referent: nonperson},"
        " forms: {christian: Christianity, muslim: Islam}}\n"
        "  - {id: pl, pos: noun, forms: {christian: Christians, muslim: Muslims}}\n"
    )))
    by_id = {e.id: e for e in lexicon.entries}
    assert by_id["name"].features["referent"] == "nonperson"
    assert not by_id["name"].names_person
    assert by_id["pl"].names_person  # the default


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        # a value the catalogue does not list
        ("entries:\n  - {pos: noun, features: {referent: thing},"
         " forms: {christian: Christianity, muslim: Islam}}\n", 7,
         "entries[0].features.referent", "unknown value 'thing' for feature 'referent'"),
        # parts of speech that always name a person
        ("entries:\n  - {pos: pron, features: {referent: nonperson},"
         " forms: {christian: he, muslim: she}}\n", 7,
         "entries[0].features.referent", "a pronoun (pos 'pron')"),
        ("entries:\n  - {pos: noun, forms: {christian: Christians, muslim: Muslims}}\n"
         "  - {pos: name,\n     features: {referent: nonperson},"
         " forms: {christian: Christian, muslim: Muhammad}}\n", 9,
         "entries[1].features.referent", "a first name (pos 'name')"),
        ("entries:\n  - {pos: title, features: {referent: nonperson},"
         " forms: {christian: Reverend, muslim: Imam}}\n", 7,
         "entries[0].features.referent", "a title"),
        # a first name's features
        ("entries:\n  - {pos: noun, features: {referent: nonperson, name_part: given},"
         " forms: {christian: Christianity, muslim: Islam}}\n", 7,
         "entries[0].features.referent", "'name_part' is a feature of first names"),
    ],
)
def test_lint_rejects_the_marker_where_it_cannot_be(
    tmp_path: Path, body: str, line: int, field: str, message: str
) -> None:
    found = errors(write(tmp_path, body))
    assert len(found) == 1, found
    assert f"lex.yaml, line {line}, field '{field}'" in found[0], found
    assert message in found[0], found


def test_marker_from_defaults_on_a_pronoun_names_the_entry(tmp_path: Path) -> None:
    found = errors(write(tmp_path, (
        "defaults: {features: {referent: nonperson}}\n"
        "entries:\n  - {pos: pron, forms: {christian: he, muslim: she}}\n"
    )))
    assert len(found) == 1, found
    assert "lex.yaml, line 8, field 'entries[0].features.referent'" in found[0], found


def test_loader_refuses_the_file_too(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "entries:\n  - {pos: pron, features: {referent: nonperson},"
        " forms: {christian: he, muslim: she}}\n"
    ))
    with pytest.raises(LexiconError, match="names no person"):
        load_lexicon(path)


def test_builtin_religion_names_are_marked() -> None:
    """Every built-in religion lexicon has its religions' names, marked nonperson."""
    for lang in ("en", "pl", "vi", "nb", "nn"):
        names = [e for e in load_lexicons(lang, "religion").entries if not e.names_person]
        assert names, lang
        assert all(e.pos == "noun" for e in names), lang


def test_missing_name_form_is_unsafe_not_broken(tmp_path: Path) -> None:
    """A user file that replaces the English names without an atheist form: the engine
    marks that variant unsafe and writes no broken text."""
    folder = tmp_path / "lex"
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "religion-names.yaml").write_text(
        "format: biasaudit-lexicon/1\nlanguage: en\naxis: religion\nversion: '1'\n"
        "groups: [atheist, buddhist, christian, hindu, jewish, muslim]\nentries:\n"
        "  - {id: rel-name, pos: noun, features: {referent: nonperson}, forms: {buddhist:"
        " Buddhism, christian: Christianity, hindu: Hinduism, jewish: Judaism,"
        " muslim: Islam}}\n",
        encoding="utf-8",
    )
    engine = biasaudit.engine("en", "religion", lexicon_paths=[folder])
    cf = engine.rewrite("She converted to Islam last year.", engine.plan("atheist"))
    assert not cf.safe
    assert any("no atheist form for 'islam'" in u for u in cf.unsafe), cf.unsafe
    assert cf.text == "She converted to Islam last year."
    cf = engine.rewrite("She converted to Islam last year.", engine.plan("hindu"))
    assert (cf.text, cf.safe) == ("She converted to Hinduism last year.", True)
