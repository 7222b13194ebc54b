"""Lexicon format: loading, errors with file/line/field, lint checks, user folders."""

from __future__ import annotations

from pathlib import Path

import pytest

import biasaudit
from biasaudit.errors import LexiconError
from biasaudit.lexicons import builtin_lexicon_dir, load_lexicon, load_lexicons
from biasaudit.lexicons.lint import lint_paths

HEADER = (
    "format: biasaudit-lexicon/1\nlanguage: en\naxis: gender\nversion: '1'\n"
    "groups: [male, female]\nswap: {male: female, female: male}\n"
)


def write(tmp_path: Path, body: str, name: str = "lex.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def lint(path: Path) -> list[str]:
    problems, _ = lint_paths([path])
    return [str(p) for p in problems if p.severity == "error"]


def test_builtin_lexicons_lint_clean() -> None:
    problems, lexicons = lint_paths([builtin_lexicon_dir()])
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert {(lx.language, lx.axis) for lx in lexicons} >= {("en", "gender")}


def test_error_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "entries:\n  - {forms: {male: he, femal: she}}\n")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    loc = info.value.location
    assert (Path(loc.path), loc.line, loc.field) == (path, 8, "entries[0].forms.femal")
    assert "not declared" in str(info.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("entries:\n  - {forms: {male: he, female: she}, colour: red}\n", "unknown key 'colour'"),
        ("entries:\n  - {pos: nown, forms: {male: he, female: she}}\n", "unknown part of speech"),
        (
            "entries:\n  - {features: {case: nominative}, forms: {male: he, female: she}}\n",
            "unknown value 'nominative'",
        ),
        (
            "entries:\n  - {features: {mood: x}, forms: {male: he, female: she}}\n",
            "unknown feature 'mood'",
        ),
        ("entries:\n  - {forms: {male: 'he ', female: she}}\n", "stray whitespace"),
        ("entries:\n  - {forms: {male: he}}\n", "at least two groups"),
        ("entries:\n  - {forms: {male: [he, hee], female: she}}\n", "invertible: false"),
        ("entries:\n  - {forms: {male: cafe\u0301, female: she}}\n", "not in Unicode NFC"),
        ("entries: [\n", "invalid YAML"),
        (
            "entries:\n  - {match_groups: [female], forms: {male: host, female: hostess}}\n",
            "invertible: false",
        ),
        (
            "entries:\n  - {match_groups: [femal], invertible: false,"
            " forms: {male: host, female: hostess}}\n",
            "undeclared group 'femal'",
        ),
        (
            "entries:\n  - {match_groups: female, invertible: false,"
            " forms: {male: host, female: hostess}}\n",
            "must be a list of groups",
        ),
    ],
)
def test_schema_errors(tmp_path: Path, body: str, message: str) -> None:
    errors = lint(write(tmp_path, body))
    assert any(message in e for e in errors), errors
    assert all(str(tmp_path) in e for e in errors)


def test_unknown_language_and_axis(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        HEADER.replace("language: en", "language: klingon").replace("axis: gender", "axis: hair")
        + "entries: []\n",
        encoding="utf-8",
    )
    errors = lint(path)
    assert any("unknown language 'klingon'" in e and "line 2" in e for e in errors)
    assert any("unknown axis 'hair'" in e for e in errors)


def test_duplicates_conflicts_and_cross_group_forms(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        (
            "entries:\n"
            "  - {forms: {male: he, female: she}}\n"
            "  - {forms: {male: he, female: she}}\n"
            "  - {forms: {male: king, female: queen}}\n"
            "  - {forms: {male: king, female: empress}}\n"
            "  - {forms: {male: lad, female: lad}}\n"
        ),
    )
    errors = "\n".join(lint(path))
    assert "'he' (male) duplicate of the entry on line 8" in errors
    assert "'king' (male) conflicts with the entry on line 10" in errors
    assert "form 'lad' belongs to group 'male'" in errors
    assert "not invertible" in errors


def test_readings_with_different_features_are_not_conflicts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        (
            "entries:\n"
            "  - {features: {case: obj}, forms: {male: him, female: her}}\n"
            "  - {features: {case: poss}, forms: {male: his, female: her}}\n"
        ),
    )
    assert lint(path) == []


def test_user_folder_overrides_builtin_entries(tmp_path: Path) -> None:
    write(
        tmp_path,
        "entries:\n  - {id: him, features: {case: obj}, forms: {male: him, female: hir}}\n",
        "override.yaml",
    )
    assert biasaudit.swap("I saw him.", lexicon_paths=[tmp_path]).text == "I saw hir."
    assert biasaudit.swap("I saw him.").text == "I saw her."
    merged = load_lexicons("en", "gender", lexicon_paths=[tmp_path])
    assert any(lx.path == tmp_path / "override.yaml" for lx in merged.lexicons)


def test_environment_path_adds_lexicons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, religion_dir: Path
) -> None:
    monkeypatch.setenv("BIASAUDIT_LEXICON_PATH", str(religion_dir))
    assert load_lexicons("en", "faith").groups == ("christian", "muslim", "jewish")


def test_language_alias() -> None:
    from biasaudit.lexicons import LanguageCatalog

    assert LanguageCatalog.builtin().canonical("no") == "nb"


def test_broken_file_of_another_axis_does_not_stop_this_one(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(
        "format: biasaudit-lexicon/1\nlanguage: en\naxis: religion\nversion: '1'\n"
        "groups: [a, b]\nentries:\n  - {forms: {a: x, c: y}}\n", encoding="utf-8")
    assert biasaudit.engine("en", "gender", lexicon_paths=[tmp_path]).swap("he").text == "she"
    with pytest.raises(LexiconError, match="not declared"):
        biasaudit.engine("en", "religion", lexicon_paths=[tmp_path])


def test_entry_match_groups_make_forms_output_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        "entries:\n  - {match_groups: [female], invertible: false,"
        " forms: {male: host, female: hostess}}\n  - {forms: {male: he, female: she}}\n",
    )
    assert lint(tmp_path / "lex.yaml") == []
    swap = biasaudit.engine("en", "gender", lexicon_paths=[tmp_path]).swap
    assert swap("She was the hostess.").text == "He was the host."
    assert swap("He will host the show.").text == "She will host the show."


def test_builtin_output_only_forms() -> None:
    assert biasaudit.swap("The countess met the heiress.").text == "The count met the heir."
    assert biasaudit.swap("The vote count went to the heir.").text == (
        "The vote count went to the heir."
    )


def test_duplicate_key_in_an_entry_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entries:\n  - {forms: {male: uncle,\n      male: son, female: aunt}}\n",
    )
    errors = lint(path)
    assert errors == [
        f"{path}, line 9, field 'male': error: duplicate key 'male' on lines 8 and 9: YAML "
        "would keep only the last value; remove one"
    ]
    with pytest.raises(LexiconError, match="duplicate key 'male'"):
        load_lexicon(path)


def test_duplicate_key_on_one_line_and_a_second_entries_block(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entries:\n  - {forms: {male: he, female: she}}\n"
        "entries:\n  - {forms: {male: uncle, male: son, female: aunt}}\n",
    )
    errors = lint(path)
    assert len(errors) == 2
    assert "line 9, field 'entries'" in errors[0]
    assert "duplicate key 'entries' on lines 7 and 9" in errors[0]
    assert "line 10, field 'male'" in errors[1]
    assert "duplicate key 'male' twice on line 10" in errors[1]


def test_duplicate_header_key_and_duplicate_in_languages_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "version: '2'\nentries:\n  - {forms: {male: he, female: she}}\n")
    assert any("duplicate key 'version' on lines 4 and 7" in e for e in lint(path))
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "languages.yaml").write_text(
        "languages:\n  xx: {name: X}\n  xx: {name: Y}\naxes: {}\n", encoding="utf-8"
    )
    (folder / "lex.yaml").write_text(HEADER + "entries:\n  - {forms: {male: a, female: b}}\n",
                                     encoding="utf-8")
    assert any("languages.yaml, line 3, field 'xx'" in e
               and "duplicate key 'xx' on lines 2 and 3" in e for e in lint(folder))
    with pytest.raises(LexiconError, match="duplicate key 'xx' on lines 2 and 3"):
        load_lexicons("en", "gender", lexicon_paths=[folder])
