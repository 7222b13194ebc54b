"""``biasaudit probes build`` and ``biasaudit probes list``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from biasaudit import probes
from biasaudit.cli.probes import probes_app

runner = CliRunner()


def app() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(probes_app, name="probes")
    return root


def test_build_suite_writes_loadable_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    result = runner.invoke(app(), ["probes", "build", "--lang", "pl", "--axis", "nationality",
                                   "--suite", "neutral", "--out", str(out), "--seed", "2"])
    assert result.exit_code == 0, result.output
    ps = probes.load(out)
    assert ps.lang == "pl" and ps.axis == "nationality" and len(ps) == 18
    assert ps.content_hash() == probes.build(lang="pl", axis="nationality", suite="neutral",
                                             seed=2).content_hash()


def test_build_input_reports_no_mention(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(json.dumps({"t": "Muslims pray."}) + "\n" + json.dumps({"t": "Hi."}) + "\n",
                   encoding="utf-8")
    out = tmp_path / "p.jsonl"
    result = runner.invoke(app(), ["probes", "build", "-l", "en", "-a", "religion", "--input",
                                   str(src), "--text-field", "t", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 text(s) mention no religion group" in result.output
    assert probes.load(out).stats["no_mention"] == 1


def test_build_errors_exit_2(tmp_path: Path) -> None:
    out = str(tmp_path / "p.jsonl")
    result = runner.invoke(app(), ["probes", "build", "-l", "en", "-a", "religion", "--out", out])
    assert result.exit_code == 2 and "exactly one" in result.output
    result = runner.invoke(app(), ["probes", "build", "-l", "en", "-a", "religion", "--suite",
                                   "nope", "--out", out])
    assert result.exit_code == 2 and "no suite 'nope'" in result.output
    bad = tmp_path / "t.jsonl"
    bad.write_text('{"x": 1}\n', encoding="utf-8")
    result = runner.invoke(app(), ["probes", "build", "-l", "en", "-a", "religion", "--input",
                                   str(bad), "--out", out])
    assert result.exit_code == 2 and "line 1" in result.output


def test_list_shows_suites_per_language() -> None:
    result = runner.invoke(app(), ["probes", "list", "--lang", "vi"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "occupations" in result.output and "descriptors" in result.output
    assert "vi" in result.output


def test_wired_into_main_cli() -> None:
    from biasaudit.cli.app import app as main_app

    result = runner.invoke(main_app, ["probes", "list", "--lang", "nn"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "nn" in result.output
