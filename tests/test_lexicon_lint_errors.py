"""Broken lexicon files a linguist may write: each gives a clear error naming file, line and
field (never a traceback), and user folders behave as docs/linguists.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

import biasaudit
from biasaudit.errors import LexiconError
from biasaudit.lexicons import load_lexicons
from biasaudit.lexicons.lint import lint_paths

HEADER = (
    "format: biasaudit-lexicon/1\nlanguage: en\naxis: gender\nversion: '1'\n"
    "groups: [male, female]\nswap: {male: female, female: male}\n"
)


def write(folder: Path, body: str, name: str = "lex.yaml", header: str = HEADER) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path


def errors(*paths: Path) -> list[str]:
    problems, _ = lint_paths(paths)
    return [str(p) for p in problems if p.severity == "error"]


# -- one clear error per mistake, at the right line and field -------------------------------
@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        ("entries:\n  - {forms: {male: \"zorg\\tman\", female: x}}\n", 8,
         "entries[0].forms.male", "U+0009"),
        ("entries:\n  - {forms: {male: \"zorg\\nman\", female: x}}\n", 8,
         "entries[0].forms.male", "U+000A"),
        ("entries:\n  - {forms: {male: \"zorg\\u00a0man\", female: x}}\n", 8,
         "entries[0].forms.male", "U+00A0"),
        ("entries:\n  - {forms: {male: x,\n     female: \"zorg\\u200b\"}}\n", 9,
         "entries[0].forms.female", "U+200B ZERO WIDTH SPACE"),
        ("entries:\n  - {forms: {male: \"zo\\u00adrg\", female: x}}\n", 8,
         "entries[0].forms.male", "U+00AD SOFT HYPHEN"),
        ("entries:\n  - {forms: {male: \"z\\u043erg\", female: x}}\n", 8,
         "entries[0].forms.male", "mixes Latin and Cyrillic"),
        ("entries:\n  - {forms: {male: \"-\", female: x}}\n", 8,
         "entries[0].forms.male", "no letter"),
        ("entries:\n  - {id: '', forms: {male: a, female: b}}\n", 8, "entries[0].id", "empty"),
        ("entries:\n  - {forms: {male: a, female: b}}\nexclusions:\n  - {text: ''}\n", 10,
         "exclusions[0].text", "empty"),
        ("entries:\n  - {forms: {male: a, female: b}}\nexclusions:\n  - ' a b'\n", 10,
         "exclusions[0]", "stray whitespace"),
        ("entries:\n  - {forms: {male: a, female: b}}\nexclusions:\n  - {text: [a, b]}\n", 10,
         "exclusions[0].text", "expected a single value"),
    ],
)
def test_one_clear_error(tmp_path: Path, body: str, line: int, field: str, message: str) -> None:
    found = errors(write(tmp_path, body))
    assert len(found) == 1, found
    assert f"lex.yaml, line {line}, field '{field}'" in found[0], found
    assert message in found[0], found


def test_empty_version_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "entries:\n  - {forms: {male: a, female: b}}\n",
                 header=HEADER.replace("version: '1'", "version:"))
    assert errors(path) == [f"{path}, line 4, field 'version': error: 'version' is empty"]


@pytest.mark.parametrize(
    "header",
    [
        HEADER.replace("swap: {male: female, female: male}", "swap: {[male]: female}"),
        HEADER + "? [a]\n: 1\n",
    ],
)
def test_a_key_that_is_not_a_name_is_an_error_not_a_crash(tmp_path: Path, header: str) -> None:
    found = errors(write(tmp_path, "entries:\n  - {forms: {male: a, female: b}}\n",
                         header=header))
    assert len(found) == 1 and "a key must be a plain name" in found[0], found


def test_forms_with_a_key_that_is_not_a_name(tmp_path: Path) -> None:
    found = errors(write(tmp_path, "entries:\n  - {forms: {[male]: a, female: b}}\n"))
    assert any("line 8, field 'entries[0].forms'" in e and "plain name" in e for e in found)


def test_bad_groups_give_one_error_not_a_cascade(tmp_path: Path) -> None:
    path = write(tmp_path, "entries:\n  - {forms: {male: a, female: b}}\n",
                 header=HEADER.replace("groups: [male, female]", "groups: male"))
    assert errors(path) == [f"{path}, line 5, field 'groups': error: 'groups' must be a "
                            "non-empty list"]


def test_bad_defaults_are_reported_once_at_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "defaults: {features: [sg], pos: nun}\nentries:\n"
                 "  - {forms: {male: a, female: b}}\n  - {forms: {male: c, female: d}}\n")
    found = errors(path)
    assert len(found) == 2, found
    assert any("line 7, field 'defaults.features'" in e for e in found)
    assert any("line 7, field 'defaults.pos'" in e and "unknown part of speech" in e
               for e in found)


# -- across files ---------------------------------------------------------------------------
def test_same_id_in_two_files_of_one_folder_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "entries:\n  - {id: zz, forms: {male: zorg, female: zorga}}\n", "a.yaml")
    b = write(tmp_path, "entries:\n\n  - {id: zz, forms: {male: blip, female: blipa}}\n",
              "b.yaml")
    found = errors(tmp_path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{b}, line 9, field 'id'")
    assert "a.yaml, line 8" in found[0]


def test_a_user_folder_may_replace_a_builtin_id(tmp_path: Path) -> None:
    from biasaudit.lexicons import builtin_lexicon_dir

    write(tmp_path, "entries:\n  - {id: him, features: {case: obj}, forms: {male: him, "
          "female: hir}}\n")
    found = errors(builtin_lexicon_dir() / "en", tmp_path)
    assert found == []


def test_conflict_in_another_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path, "entries:\n  - {id: x1, forms: {male: zorg, female: zorga}}\n", "a.yaml")
    write(tmp_path, "entries:\n  - {id: x2, forms: {male: zorg, female: zorgette}}\n",
          "b.yaml")
    found = errors(tmp_path)
    assert found and all("a.yaml, line 8" in e or "b.yaml, line 8" in e for e in found)
    assert any(e.startswith(str(tmp_path / "b.yaml")) and "a.yaml, line 8" in e
               for e in found), found


# -- user folders ---------------------------------------------------------------------------
def test_broken_yaml_of_another_language_does_not_stop_this_one(tmp_path: Path) -> None:
    write(tmp_path, "entries:\n  - {forms: {male: [zorg}\n", "pl.yaml",
          header=HEADER.replace("language: en", "language: pl"))
    write(tmp_path, "entries:\n  - {id: zorg, forms: {male: zorg, female: zorga}}\n", "en.yaml")
    cf = biasaudit.engine("en", "gender", lexicon_paths=[tmp_path]).swap("The zorg and he.")
    assert cf.text == "The zorga and she."
    assert {e.lexicon for e in cf.edits} >= {"en@1"}
    with pytest.raises(LexiconError, match="invalid YAML"):
        load_lexicons("pl", "gender", lexicon_paths=[tmp_path])


CATALOG = "format: biasaudit-languages/1\nlanguages:\n  en-GB: {name: British English}\n" \
    "axes:\n  caste: Caste\n"


def test_lint_of_a_subfolder_or_file_finds_the_folders_languages_yaml(tmp_path: Path) -> None:
    (tmp_path / "languages.yaml").write_text(CATALOG, encoding="utf-8")
    sub = tmp_path / "en-GB"
    path = write(sub, "entries:\n  - {forms: {male: bloke, female: bird}}\n",
                 header=HEADER.replace("language: en", "language: en-GB")
                 .replace("axis: gender", "axis: caste"))
    assert errors(tmp_path) == []
    assert errors(sub) == []
    assert errors(path) == []


def test_loading_a_subfolder_or_file_finds_the_folders_languages_yaml(tmp_path: Path) -> None:
    """``--lexicon my/en-GB`` loads what lint of the same path accepts (it raised 'unknown
    language' because only the lint looked above the folder)."""
    (tmp_path / "languages.yaml").write_text(CATALOG, encoding="utf-8")
    path = write(tmp_path / "en-GB", "entries:\n  - {forms: {male: bloke, female: bird}}\n",
                 header=HEADER.replace("language: en", "language: en-GB")
                 .replace("axis: gender", "axis: caste"))
    for given in (path.parent, path):
        cf = biasaudit.engine("en-GB", "caste", lexicon_paths=[given]).swap("a bloke")
        assert cf.text == "a bird"


@pytest.mark.parametrize(
    ("catalog", "message"),
    [
        ("axes: [a, b]\n", "line 1, field 'axes': 'axes' must be a mapping"),
        ("features: {number: dual}\n", "line 1, field 'features.number': "),
        ("languages:\n  xx: {aliases: [y]}\n", "line 2, field 'languages.xx.name'"),
        ("languages: {en: English}\n", "line 1, field 'languages.en'"),
        ("parts_of_speech: noun\n", "line 1, field 'parts_of_speech'"),
    ],
)
def test_bad_language_catalogue_is_a_clear_error(
    tmp_path: Path, catalog: str, message: str
) -> None:
    (tmp_path / "languages.yaml").write_text(catalog, encoding="utf-8")
    write(tmp_path, "entries:\n  - {forms: {male: a, female: b}}\n")
    found = errors(tmp_path)  # lint reports it (exit 1) ...
    assert len(found) == 1 and message in found[0].replace(" error:", ""), found
    assert found[0].startswith(str(tmp_path / "languages.yaml"))
    with pytest.raises(LexiconError) as info:  # ... and loading refuses it
        load_lexicons("en", "gender", lexicon_paths=[tmp_path])
    assert message in str(info.value), str(info.value)


# -- a mistake in the header does not hide the rest of the file -----------------------------
ENTRIES_WITH_MISTAKES = "entries:\n  - {forms: {male: a}}\n  - {id: x}\n"


@pytest.mark.parametrize("missing", ["axis", "language", "format", "version"])
def test_a_missing_header_key_does_not_stop_the_other_checks(tmp_path: Path,
                                                             missing: str) -> None:
    header = "".join(line + "\n" for line in HEADER.splitlines()
                     if not line.startswith(f"{missing}:"))
    path = write(tmp_path, ENTRIES_WITH_MISTAKES, header=header)
    found = errors(path)
    assert f"{path}, line 1, field '{missing}': error: missing required key {missing!r}" in found
    assert any("line 7, field 'entries[0].forms'" in e and "at least two groups" in e
               for e in found), found
    assert any("line 8, field 'entries[1].forms'" in e and "entry has no 'forms'" in e
               for e in found), found
    assert len(found) == 3, found


@pytest.mark.parametrize("groups", ["", "groups: male\n"])
def test_missing_or_bad_groups_do_not_stop_the_entry_checks(tmp_path: Path,
                                                            groups: str) -> None:
    header = HEADER.replace("groups: [male, female]\n", groups).replace(
        "swap: {male: female, female: male}\n", "")
    path = write(tmp_path, ENTRIES_WITH_MISTAKES, header=header)
    found = errors(path)
    assert any("field 'groups'" in e for e in found), found
    assert any("'entries[0].forms'" in e and "at least two groups" in e for e in found), found
    assert any("'entries[1].forms'" in e and "entry has no 'forms'" in e for e in found), found
    assert len(found) == 3, found


@pytest.mark.parametrize(
    ("header", "body", "line", "field"),
    [
        (HEADER.replace("[male, female]", "[male, female, male]"), "", 5, "groups"),
        (HEADER.replace("[male, female]", "\n  - male\n  - female\n  - male"), "", 8, "groups"),
        (HEADER + "match_groups: [male, female, male]\n", "", 7, "match_groups"),
        (HEADER, "  - {match_groups: [female, female], invertible: false, "
         "forms: {male: c, female: d}}\n", 9, "entries[1].match_groups"),
    ],
)
def test_a_group_listed_twice_is_an_error(
    tmp_path: Path, header: str, body: str, line: int, field: str
) -> None:
    path = write(tmp_path, "entries:\n  - {forms: {male: a, female: b}}\n" + body,
                 header=header)
    found = errors(path)
    assert len(found) == 1, found
    assert f"line {line}, field '{field}'" in found[0] and "listed twice" in found[0], found
    with pytest.raises(LexiconError, match="listed twice"):
        load_lexicons("en", "gender", lexicon_paths=[path])


# -- a broken languages.yaml is a lint error (exit 1), not a crash of lint (exit 2) ----------
def test_a_broken_languages_yaml_is_reported_by_lint(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from biasaudit.cli.app import app

    catalog = tmp_path / "languages.yaml"
    catalog.write_text("languages:\n  xx: {aliases: [y]}\n", encoding="utf-8")
    write(tmp_path, "entries:\n  - {forms: {male: a}}\n")
    problems, _ = lint_paths([tmp_path])
    found = [str(p) for p in problems if p.severity == "error"]
    assert found[0] == (f"{catalog}, line 2, field 'languages.xx.name': error: "
                        "a language needs a 'name'"), found
    assert any("at least two groups" in e for e in found), found  # the lexicon is linted too
    result = CliRunner().invoke(app, ["lexicon", "lint", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "languages.yaml, line 2" in result.output and "a language needs" in result.output


def test_invalid_yaml_in_languages_yaml_is_a_lint_error(tmp_path: Path) -> None:
    catalog = tmp_path / "languages.yaml"
    catalog.write_text("languages: [\n", encoding="utf-8")
    write(tmp_path, "entries:\n  - {forms: {male: a, female: b}}\n")
    found = errors(tmp_path)
    assert len(found) == 1 and found[0].startswith(f"{catalog}, line 2: error: invalid YAML")
    assert "<unicode string>" not in found[0]


# -- YAML syntax errors name the real file, and a tab says it is a tab -----------------------
def test_a_yaml_error_names_the_file_not_a_unicode_string(tmp_path: Path) -> None:
    path = write(tmp_path, "entries:\n  - {forms: {male: a, female: b}\n")
    found = errors(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}, line 9: error: invalid YAML: did not find expected "
                               "',' or '}' at column 1 (while parsing a flow mapping from "
                               "line 8, column 5)"), found
    assert "<unicode string>" not in found[0], found
    with pytest.raises(LexiconError) as info:
        load_lexicons("en", "gender", lexicon_paths=[path])
    assert "<unicode string>" not in str(info.value)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("entries:\n\t- {forms: {male: a, female: b}}\n", 8),
        ("entries:\n  - forms:\n\t    male: a\n      female: b\n", 9),
        ("entries:\n  - forms:\n      male: a\n \t   female: b\n", 10),
    ],
)
def test_a_tab_used_for_indentation_is_named(tmp_path: Path, body: str, line: int) -> None:
    path = write(tmp_path, body)
    found = errors(path)
    assert found == [f"{path}, line {line}: error: tab character used for indentation "
                     "(YAML needs spaces)"], found
    with pytest.raises(LexiconError, match="tab character used for indentation"):
        load_lexicons("en", "gender", lexicon_paths=[path])
