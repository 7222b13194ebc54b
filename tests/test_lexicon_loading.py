"""Loading user lexicons (``--lexicon``, ``lexicon_paths``, ``BIASAUDIT_LEXICON_PATH``)
refuses what ``lexicon lint`` refuses: ids used twice in one file or folder, one form in two
groups, two entries with one reading. A user entry may still replace a built-in one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import biasaudit
from biasaudit.cli.app import app
from biasaudit.errors import BiasAuditWarning, LexiconError
from biasaudit.lexicons import all_lexicons, builtin_lexicon_dir, load_lexicons
from biasaudit.lexicons.lint import lint_paths

HEADER = (
    "format: biasaudit-lexicon/1\nlanguage: en\naxis: gender\nversion: '1'\n"
    "groups: [male, female]\nswap: {male: female, female: male}\n"
)
runner = CliRunner()


def write(folder: Path, body: str, name: str = "lex.yaml", header: str = HEADER) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path


def lint_errors(*paths: Path) -> list[str]:
    problems, _ = lint_paths(paths)
    return [str(p) for p in problems if p.severity == "error"]


def load_error(folder: Path) -> LexiconError:
    with pytest.raises(LexiconError) as info:
        load_lexicons("en", "gender", lexicon_paths=[folder])
    return info.value


# (body, the error's line and field, a piece of its message): each lints as an error
CASES = {
    "id-twice-in-a-file": (
        "entries:\n  - {id: gm, forms: {male: pageboy, female: flowergirl}}\n"
        "  - {id: gm, forms: {male: zorg, female: zorga}}\n",
        9, "id", "entry id 'gm' already used on line 8",
    ),
    "form-in-two-groups-of-an-entry": (
        "entries:\n  - {id: zz, invertible: false, forms: {male: [zorg, blip], "
        "female: [zorga, blip]}}\n",
        8, "forms.female", "form 'blip' belongs to group 'male'",
    ),
    "two-entries-one-reading": (
        "entries:\n  - {id: z1, forms: {male: zorg, female: zorga}}\n"
        "  - {id: z2, forms: {male: zorg, female: zorgette}}\n",
        9, "forms.male", "'zorg' (male) conflicts with the entry on line 8",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_lint_refuses_in_a_user_file_does_not_load(tmp_path: Path, case: str) -> None:
    body, line, field, message = CASES[case]
    path = write(tmp_path, body)
    assert any(message in e for e in lint_errors(tmp_path))
    error = load_error(tmp_path)
    assert (Path(error.location.path), error.location.line, error.location.field) == (
        path, line, field)
    assert message in error.message
    with pytest.raises(LexiconError, match="line"):
        biasaudit.engine("en", "gender", lexicon_paths=[path])


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_swap_with_such_a_file_exits_2(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    body, line, field, message = CASES[case]
    path = write(tmp_path, body)
    result = runner.invoke(app, ["swap", "--lexicon", str(tmp_path), "The pageboy left."])
    assert result.exit_code == 2, result.output
    assert f"line {line}, field '{field}'" in result.output and message in result.output
    assert str(path) in result.output.replace("\n", "")
    monkeypatch.setenv("BIASAUDIT_LEXICON_PATH", str(tmp_path))
    result = runner.invoke(app, ["swap", "The zorg left."])
    assert result.exit_code == 2 and message in result.output, result.output
    result = runner.invoke(app, ["lexicon", "show", "en", "--axis", "gender"])
    assert result.exit_code == 2 and message in result.output, result.output


def test_one_id_in_two_files_of_a_user_folder_does_not_load(tmp_path: Path) -> None:
    write(tmp_path, "entries:\n  - {id: gm, forms: {male: pageboy, female: flowergirl}}\n",
          "a.yaml")
    b = write(tmp_path, "entries:\n  - {id: gm, forms: {male: best man, female: maid of honour}}"
              "\n", "b.yaml")
    error = load_error(tmp_path)
    assert (Path(error.location.path), error.location.line, error.location.field) == (
        b, 8, "id")
    assert f"entry id 'gm' already used on {tmp_path / 'a.yaml'}, line 8" in error.message
    result = runner.invoke(app, ["swap", "--lexicon", str(tmp_path), "The pageboy left."])
    assert result.exit_code == 2 and "already used" in result.output


def test_a_user_entry_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    """Documented in docs/linguists.md: not an error, even with the built-in reading."""
    write(tmp_path, "defaults: {pos: pron}\nentries:\n"
          "  - {id: him, features: {case: obj}, forms: {male: him, female: hir}}\n")
    assert biasaudit.swap("I saw him.", lexicon_paths=[tmp_path]).text == "I saw hir."
    assert lint_errors(builtin_lexicon_dir() / "en", tmp_path) == []
    assert lint_errors(builtin_lexicon_dir(), tmp_path) == []


def test_a_later_user_folder_may_replace_an_earlier_ones_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "team", "entries:\n  - {id: gm, forms: {male: pageboy, female: "
          "flowergirl}}\n")
    write(tmp_path / "mine", "entries:\n  - {id: gm, forms: {male: pageboy, female: "
          "maid of honour}}\n")
    monkeypatch.setenv("BIASAUDIT_LEXICON_PATH", str(tmp_path / "team"))
    swap = biasaudit.engine("en", "gender", lexicon_paths=[tmp_path / "mine"]).swap
    assert swap("The pageboy left.").text == "The maid of honour left."
    assert lint_errors(tmp_path / "team", tmp_path / "mine") == []


def test_one_folder_named_twice_is_not_a_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "entries:\n  - {id: gm, forms: {male: pageboy, female: "
                 "flowergirl}}\n")
    monkeypatch.setenv("BIASAUDIT_LEXICON_PATH", str(tmp_path))
    swap = biasaudit.engine("en", "gender", lexicon_paths=[tmp_path, path]).swap
    assert swap("The pageboy left.").text == "The flowergirl left."
    assert lint_errors(tmp_path, path) == []


def test_a_user_entry_that_conflicts_with_a_builtin_one_is_a_warning(tmp_path: Path) -> None:
    """A new id with a built-in form and another reading: lint of the user's folder cannot
    see it, so loading warns (naming both places) and the engine marks the ambiguity."""
    write(tmp_path, "defaults: {pos: pron}\nentries:\n"
          "  - {id: my-him, features: {case: obj}, forms: {male: him, female: hir}}\n")
    with pytest.warns(BiasAuditWarning, match="'him' \\(male\\) conflicts with the entry on"
                      ) as caught:
        cf = biasaudit.engine("en", "gender", lexicon_paths=[tmp_path]).swap("I met him.")
    assert any("gender-pronouns.yaml" in str(w.message) for w in caught)
    assert not cf.safe  # her or hir: the engine does not guess


def test_a_set_problem_of_another_axis_does_not_stop_this_one(tmp_path: Path) -> None:
    write(tmp_path, "entries:\n  - {id: z1, forms: {christian: zorg, muslim: zorga}}\n"
          "  - {id: z2, forms: {christian: zorg, muslim: zorgette}}\n", "faith.yaml",
          header="format: biasaudit-lexicon/1\nlanguage: en\naxis: religion\nversion: '1'\n"
          "groups: [christian, muslim]\n")
    write(tmp_path, "entries:\n  - {forms: {male: pageboy, female: flowergirl}}\n")
    swap = biasaudit.engine("en", "gender", lexicon_paths=[tmp_path]).swap
    assert swap("The pageboy left.").text == "The flowergirl left."
    with pytest.raises(LexiconError, match="conflicts with"):
        load_lexicons("en", "religion", lexicon_paths=[tmp_path])
    with pytest.raises(LexiconError, match="conflicts with"):
        all_lexicons([tmp_path])


def test_builtin_lexicons_load_without_set_errors() -> None:
    for lx in {(lx.language, lx.axis) for lx in all_lexicons()}:
        load_lexicons(*lx)


def test_an_entry_that_is_not_invertible_is_only_a_warning_when_loading(tmp_path: Path) -> None:
    """The engine does not read ``invertible``: the swaps are the same, so loading warns."""
    write(tmp_path, "match_groups: [male]\nentries:\n  - {forms: {male: zorg, female: zorga}}\n",
          "a.yaml")
    write(tmp_path, "entries:\n  - {forms: {male: blip, female: zorga}}\n", "b.yaml")
    assert any("not invertible: 'zorg' → 'zorga' → 'blip'" in e for e in lint_errors(tmp_path))
    with pytest.warns(biasaudit.errors.BiasAuditWarning, match="not invertible"):
        swap = biasaudit.engine("en", "gender", lexicon_paths=[tmp_path]).swap
    assert swap("The zorg left.").text == "The zorga left."
