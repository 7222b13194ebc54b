"""The command line: the swap stdin contract, lexicon lint/show, exit codes."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from biasaudit.cli import app

runner = CliRunner()


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "biasaudit", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
    )


def test_swap_stdin_writes_one_line_per_input_line_in_order() -> None:
    lines = [
        "He said she would call her mother.",
        "",
        "Nothing to see.",
        "He met her.",
        "  The KING  ",
        "Tschüß, Mr Müller!",
    ]
    proc = run_cli("swap", "--lang", "en", stdin=("\n".join(lines) + "\n").encode())
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode().split("\n")
    assert out[-1] == ""
    assert out[:-1] == [
        "She said he would call his father.",
        "",
        "Nothing to see.",
        "She met him.",
        "  The QUEEN  ",
        "Tschüß, Mrs Müller!",
    ]


def test_swap_stdin_keeps_crlf_and_missing_final_newline() -> None:
    proc = run_cli("swap", stdin=b"he\r\nshe")
    assert proc.stdout == b"she\r\nhe"


def test_swap_unsafe_lines_echo_original_and_are_counted(tmp_path: Path) -> None:
    proc = run_cli("swap", "--to", "female", stdin=b"He met her.\nhe\n")
    assert proc.stdout.decode().splitlines() == ["He met her.", "she"]
    assert "1 unsafe variant(s) left unchanged" in proc.stderr.decode()
    as_json = run_cli("swap", "--to", "female", "--json", stdin=b"He met her.\n")
    assert "1 unsafe variant(s) printed as is; their reasons are in the JSON" \
        in as_json.stderr.decode()
    kept = run_cli("swap", "--to", "female", "--keep-unsafe", stdin=b"He met her.\n")
    assert kept.stdout.decode() == "She met her.\n"


def test_swap_argument_and_json() -> None:
    result = runner.invoke(app, ["swap", "--json", "Her son"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["text"] == "His daughter"
    assert [e["old"] for e in data["edits"]] == ["Her", "son"]


def test_swap_bad_language_exits_2_with_message() -> None:
    proc = run_cli("swap", "--lang", "xx", "hello")
    assert proc.returncode == 2
    assert "no lexicon for language 'xx'" in proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()


def test_swap_invalid_utf8_is_a_clear_error() -> None:
    proc = run_cli("swap", stdin=b"he \xff\n")
    assert proc.returncode == 2
    assert "not valid UTF-8" in proc.stderr.decode()


def test_swap_invalid_utf8_names_the_line_after_writing_the_lines_before() -> None:
    proc = run_cli("swap", stdin=b"he\r\n\nshe \x85 left\nhim\n")
    assert proc.returncode == 2
    assert proc.stdout == b"she\r\n\n"
    assert "line 3: not valid UTF-8 (byte 0x85 at byte 5 of the line)" in proc.stderr.decode()


def test_swap_splits_lines_at_newline_only() -> None:
    """A lone \\r or a Unicode line separator is part of its line, as for wc -l."""
    proc = run_cli("swap", stdin="he\rshe\u2028his book\n".encode())
    assert proc.stdout.decode() == "she\rhe\u2028her book\n"


def test_lexicon_lint_ok_and_failing(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["lexicon", "lint"])
    assert ok.exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: biasaudit-lexicon/1\nlanguage: en\naxis: gender\nversion: '1'\n"
        "groups: [male, female]\nentries:\n  - {forms: {male: he, female: he}}\n",
        encoding="utf-8",
    )
    proc = run_cli("lexicon", "lint", str(bad))
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert f"{bad}, line 7, field 'forms.female'" in err
    assert "1 error(s)" in err
    assert run_cli("lexicon", "lint", str(tmp_path / "nope")).returncode == 2


def test_lexicon_show_lists_entries() -> None:
    result = runner.invoke(
        app, ["lexicon", "show", "en", "--axis", "gender"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    assert "en-gender-pronouns@1.0.0" in result.stdout
    assert "actress" in result.stdout
    assert runner.invoke(app, ["lexicon", "show", "xx"]).exit_code == 2


def test_lexicon_show_reads_aliases_of_a_user_folder(tmp_path: Path) -> None:
    """An alias declared in the user folder's languages.yaml was unknown to ``show``."""
    (tmp_path / "languages.yaml").write_text(
        "format: biasaudit-languages/1\nlanguages:\n  xq: {name: Test, aliases: [xqa]}\n",
        encoding="utf-8",
    )
    (tmp_path / "xq.yaml").write_text(
        "format: biasaudit-lexicon/1\nname: xq-test\nlanguage: xq\naxis: gender\n"
        "version: 0.1.0\ngroups: [male, female]\nswap: {male: female, female: male}\n"
        "source: test\nentries:\n  - {pos: pron, forms: {male: zo, female: za}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["lexicon", "show", "xqa", "--lexicon", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "xq-test@0.1.0" in result.stdout


def test_version_and_help() -> None:
    assert runner.invoke(app, ["--version"]).stdout.startswith("biasaudit ")
    assert "swap" in runner.invoke(app, ["--help"]).stdout


def test_swap_grammar_options_and_unknown_option() -> None:
    proc = run_cli("swap", "--lang", "vi", "-O", "third_person_female=cô ấy", "Anh ấy là bác sĩ.")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().strip() == "Cô ấy là bác sĩ."
    bad = run_cli("swap", "-O", "colour=red", "he")
    assert bad.returncode == 2
    assert "unknown option(s) colour for EnglishGrammar" in bad.stderr.decode()
    assert run_cli("swap", "-O", "novalue", "he").returncode == 2


AUDIT = """\
version: 1
name: cli
model: {spec: unused}
probes:
  - {suite: occupations, lang: en, axis: gender, limit: 6}
metrics:
  - {name: proba}
gates:
  - {name: "gender [/en] [bold]x", max_abs_bound: 0.5}
"""


def _stub_model(monkeypatch) -> None:
    """Replace the configured model by a constant classifier (no model files needed)."""
    from biasaudit.models import CallableModel

    monkeypatch.setattr(
        "biasaudit.models.load_model",
        lambda spec, **options: CallableModel(lambda texts: [0.5] * len(texts), name="const"),
    )


def _audit_config(folder: Path, text: str = AUDIT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "audit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_audit_prints_names_and_paths_with_brackets_verbatim(tmp_path: Path, monkeypatch) -> None:
    _stub_model(monkeypatch)
    cfg = _audit_config(tmp_path / "[draft]")
    result = runner.invoke(app, ["audit", str(cfg), "--out", str(tmp_path / "[out]")])
    assert result.exit_code == 0, result.output
    assert "gate gender [/en] [bold]x: pass" in result.output
    assert "[out]/" in result.output
    bad = _audit_config(tmp_path / "[draft]", AUDIT.replace("max_abs_bound", "max_abs_bnd"))
    result = runner.invoke(app, ["audit", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "[draft]/audit.yaml, line 9" in result.output


def test_audit_lists_the_reports_it_wrote_not_stale_files(tmp_path: Path, monkeypatch) -> None:
    """The closing line names what this run wrote (sidecars included), not the files an
    earlier run left in the folder."""
    from biasaudit.report import write_reports

    _stub_model(monkeypatch)
    cfg = _audit_config(tmp_path)
    out_dir = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(cfg), "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())  # (the console wraps long lines)
    assert words.endswith(
        "(report.html, report.json, records.jsonl, clusters.jsonl, junit.xml, summary.md)"
    )
    monkeypatch.setattr(
        "biasaudit.report.write_reports",
        lambda result, out: {k: v for k, v in write_reports(result, out).items() if k == "html"},
    )
    result = runner.invoke(app, ["audit", str(cfg), "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    assert " ".join(result.output.split()).endswith("(report.html)")  # the rest is stale


def test_audit_input_errors_exit_2_not_1(tmp_path: Path, monkeypatch) -> None:
    _stub_model(monkeypatch)
    cfg = _audit_config(tmp_path)
    # a baseline that is not a report, and one whose clusters sidecar is cut short
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "a"), "--baseline",
                                 str(tmp_path / "list.json")])
    assert result.exit_code == 2 and "not a biasaudit report" in result.output
    assert runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "old")]).exit_code == 0
    sidecar = tmp_path / "old" / "clusters.jsonl"
    sidecar.write_text(sidecar.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    result = runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "b"), "--baseline",
                                 str(tmp_path / "old" / "report.json")])
    assert result.exit_code == 2 and "clusters.jsonl, line" in result.output
    # --out naming an existing file
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "file")])
    assert result.exit_code == 2 and "not a folder" in result.output
    # values the statistics would reject later
    for bad in ("statistics: {confidence: 95}\n", "seed: -1\n"):
        result = runner.invoke(app, ["audit", str(_audit_config(tmp_path, AUDIT + bad)), "-o",
                                     str(tmp_path / "c")])
        assert result.exit_code == 2 and "line 10" in result.output, result.output


def test_audit_internal_error_exits_3_with_traceback(tmp_path: Path, monkeypatch) -> None:
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("biasaudit.audit.run_audit", crash)
    result = runner.invoke(app, ["audit", str(_audit_config(tmp_path)), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "Traceback" in result.output and "RuntimeError: boom" in result.output
    assert "internal error" in result.output


def test_swap_echoes_lines_without_edits_exactly_as_read() -> None:
    decomposed = "Cafe\u0301 menu."  # e + combining acute: NFC would compose it
    proc = run_cli("swap", stdin=f"{decomposed}\nThe Cafe\u0301 owner met her.\n".encode())
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.decode().split("\n")[:2]
    assert first == decomposed  # echoed byte for byte
    assert second == "The Cafe\u0301 owner met him."  # edited: only the edited word differs
    arg = run_cli("swap", decomposed)
    assert arg.stdout.decode() == decomposed + "\n"


def test_swap_into_a_closed_pipe_stops_quietly_with_141() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "biasaudit", "swap"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdout.close()  # the reader goes away, as `| head -1` does
    try:
        proc.stdin.write(b"He met her.\n" * 20_000)
        proc.stdin.close()
    except BrokenPipeError:  # (swap may already have stopped reading)
        pass
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141
    assert err == b""


def test_audit_output_in_a_ci_log_keeps_whole_ids_and_lines(tmp_path: Path, monkeypatch) -> None:
    """Standard output that is not a terminal (a CI log) was drawn 80 columns wide: finding
    ids were cut to 'en/gender/occupations/proba/fe…' and gate lines broken mid-sentence."""
    _stub_model(monkeypatch)
    monkeypatch.setenv("COLUMNS", "80")
    long_name = AUDIT.replace('"gender [/en] [bold]x"', "a-gate-with-a-long-name")
    cfg = _audit_config(tmp_path, long_name)
    result = runner.invoke(app, ["audit", str(cfg), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("en/gender/occupations/proba/female-vs-male" in line for line in lines), lines
    gate = next(line for line in lines if line.startswith("gate a-gate-with-a-long-name"))
    assert gate.endswith("(limit 0.5)"), gate
    assert any(line.startswith("reports in ") and line.endswith("summary.md)") for line in lines)


def test_probes_list_into_a_pipe_shows_whole_names() -> None:
    proc = run_cli("probes", "list", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode()
    assert "occupations" in text and "descriptors" in text and "gender" in text, text


def test_audit_checks_the_out_folder_before_running(tmp_path: Path, monkeypatch) -> None:
    """An --out that cannot be created was found only after the whole audit had run."""

    def must_not_run(*args, **kwargs):
        raise AssertionError("the audit ran before --out was checked")

    monkeypatch.setattr("biasaudit.audit.run_audit", must_not_run)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "report"
    result = runner.invoke(app, ["audit", str(_audit_config(tmp_path)), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "cannot write the reports to" in result.output and "Traceback" not in result.output
    # a config error is still reported first, without creating the folder
    bad = _audit_config(tmp_path / "bad", AUDIT.replace("max_abs_bound", "max_abs_bnd"))
    result = runner.invoke(app, ["audit", str(bad), "-o", str(tmp_path / "new")])
    assert result.exit_code == 2 and "max_abs_bnd" in result.output
    assert not (tmp_path / "new").exists()


def test_probes_and_scan_print_names_with_brackets_verbatim(tmp_path: Path) -> None:
    proc = run_cli("probes", "build", "-l", "en", "-a", "gender", "--suite", "occ[bold]x",
                   "--out", str(tmp_path / "p.jsonl"))
    assert proc.returncode == 2
    assert "'occ[bold]x'" in proc.stderr.decode()
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "He is a nurse."}\n' * 3, encoding="utf-8")
    out = tmp_path / "sc[red]an"
    proc = run_cli("scan", str(data), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"{out}/flags.jsonl" in proc.stdout.decode()
    proc = run_cli("scan", str(tmp_path / "da[bold]ta.jsonl"), "--out", str(out))
    assert proc.returncode == 2 and "da[bold]ta.jsonl" in proc.stderr.decode()


def test_probes_build_out_errors_exit_2_and_folders_are_created(tmp_path: Path) -> None:
    """An --out in a folder that does not exist gave a traceback and exit code 1."""
    args = ("probes", "build", "-l", "en", "-a", "gender", "--suite", "occupations")
    proc = run_cli(*args, "--out", str(tmp_path / "new" / "p.jsonl"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "new" / "p.jsonl").is_file()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    proc = run_cli(*args, "--out", str(tmp_path / "file" / "p.jsonl"))
    assert proc.returncode == 2, proc.stderr
    assert b"Traceback" not in proc.stderr and b"error:" in proc.stderr


def test_help_paragraphs_are_filled_not_broken_at_the_docstring_lines() -> None:
    """Rich markup mode kept the docstrings' line breaks and wrapped again at 80 columns,
    so `swap --help` read "...; lines" / "with" / "nothing to swap ..."."""
    for command in (["swap"], ["audit"], ["rebalance"]):
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0
        text = result.output.split("╭")[0]  # the description, before the option panels
        lines = [line.rstrip() for line in text.splitlines()]
        for line, following in itertools.pairwise(lines):
            if line.strip() and following.strip():  # not the last line of its paragraph
                assert len(line) > 55, (command, line)


def test_audit_rejects_two_gates_of_one_name(tmp_path: Path, monkeypatch) -> None:
    """junit.xml had two test cases named 'g' (one passed, one failed) that CI systems
    cannot tell apart; a duplicate gate name is now a config error."""
    _stub_model(monkeypatch)
    twice = AUDIT + '  - {name: "gender [/en] [bold]x", max_abs_bound: 0.01}\n'
    result = runner.invoke(app, ["audit", str(_audit_config(tmp_path, twice)), "-o",
                                 str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "used twice" in result.output and "line 10" in result.output


def test_swap_writes_utf8_whatever_the_locale() -> None:
    """Input is read as UTF-8, so output is written as UTF-8 too: a cp1252 stdout (Windows
    pipes) must neither crash on *żółw* nor change the bytes of an echoed line."""
    import os

    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    proc = subprocess.run([sys.executable, "-m", "biasaudit", "swap"],
                          input="He met her.\nżółw\n".encode(), capture_output=True,
                          env=env, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "She met him.\nżółw\n".encode()


@pytest.mark.parametrize(("value", "swapped"), [
    ("true", True), ("1", True), ("yes", True), ("false", False), ("0", False), ("no", False),
    (" off ", False),
])
def test_swap_yes_no_options_read_every_spelling(value: str, swapped: bool) -> None:
    result = runner.invoke(app, ["swap", "--lang", "nb", "-O", f"names={value}",
                                 "Ole og kona hans."])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Kari" if swapped else "Ole")


@pytest.mark.parametrize("option", ["names=maybe", "feminine=xx", "male_object=foo"])
def test_swap_bad_option_values_are_usage_errors(option: str) -> None:
    result = runner.invoke(app, ["swap", "--lang", "nb", "-O", option, "Gutten kom."])
    assert result.exit_code == 2
    assert "error:" in result.output and option.split("=")[1] in result.output
    assert "Traceback" not in result.output


def test_lexicon_lint_reads_yml_and_rejects_a_folder_without_lexicons(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["lexicon", "lint", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "no lexicon files" in result.output
    yml = tmp_path / "yml"
    yml.mkdir()
    (yml / "w.yml").write_text(
        "format: biasaudit-lexicon/1\nname: my-yml\nlanguage: en\naxis: gender\n"
        "version: 1.0.0\ngroups: [male, female]\nswap: {male: female, female: male}\n"
        "source: me\nlicence: CC0-1.0\nreviewer: me\n"
        "entries:\n  - {id: pageboy, pos: noun, forms: {male: pageboy, female: flowergirl}}\n",
        encoding="utf-8")
    result = runner.invoke(app, ["lexicon", "lint", str(yml)])
    assert result.exit_code == 0 and "1 lexicon file(s)" in result.output
    swapped = runner.invoke(app, ["swap", "--lexicon", str(yml), "The pageboy left."])
    assert swapped.output == "The flowergirl left.\n"


def test_a_missing_folder_in_the_lexicon_path_variable_is_a_warning() -> None:
    import os

    env = {**os.environ, "BIASAUDIT_LEXICON_PATH": "/no/such/lexicons"}
    proc = subprocess.run([sys.executable, "-m", "biasaudit", "swap", "He left."],
                          capture_output=True, env=env, check=False, timeout=120)
    assert proc.returncode == 0 and proc.stdout == b"She left.\n"
    assert proc.stderr.decode().count("warning: BIASAUDIT_LEXICON_PATH") == 1


def test_a_closed_output_ends_any_command_with_141_not_1(monkeypatch) -> None:
    """Rich's console exits 1 when its output is closed (| head), which for ``audit`` means
    "a gate failed" and for ``scan --fail-on-flags`` "flags found"; the CLI's consoles end
    the command with 141 instead, as ``swap`` does."""
    import os

    import typer

    from biasaudit.cli._console import _Console

    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(os, "dup2", lambda *a: None)  # (leave pytest's own stdout alone)
    console = _Console(file=Closed(), soft_wrap=True)
    with pytest.raises(typer.Exit) as exc:
        console.print("gate gender: pass")
    assert exc.value.exit_code == 141


def test_probes_build_names_a_missing_suite_file_an_unknown_language_and_an_empty_set(
    tmp_path: Path,
) -> None:
    missing = runner.invoke(app, ["probes", "build", "-l", "en", "-a", "religion", "--suite",
                                  str(tmp_path / "nothere.yaml"), "-o", str(tmp_path / "x")])
    assert missing.exit_code == 2 and "no such suite file" in missing.output
    unknown = runner.invoke(app, ["probes", "build", "-l", "xx", "-a", "gender", "--suite",
                                  "occupations", "-o", str(tmp_path / "x")])
    assert unknown.exit_code == 2 and "unknown language 'xx'" in unknown.output
    no_input = runner.invoke(app, ["probes", "build", "-l", "en", "-a", "gender", "--input",
                                   str(tmp_path / "missing.csv"), "-o", str(tmp_path / "x")])
    assert no_input.exit_code == 2 and "pass a list" not in no_input.output
    empty = runner.invoke(app, ["probes", "build", "-l", "en", "-a", "names", "--suite",
                                "descriptors", "-o", str(tmp_path / "e.jsonl")])
    assert empty.exit_code == 0 and "the probe set is empty" in empty.output


def test_a_cluster_whose_variants_are_all_unsafe_counts_as_dropped(tmp_path: Path,
                                                                    monkeypatch) -> None:
    """n_clusters + n_clusters_dropped is the probe set's cluster count, also when every
    variant of a cluster was unsafe (it never reached the statistics)."""
    _stub_model(monkeypatch)
    texts = [f"The nurse said she was tired on day {i}." for i in range(9)]
    texts.append("He told his mother about the salary.")  # both genders: unsafe variants
    (tmp_path / "t.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in texts),
                                      encoding="utf-8")
    cfg = _audit_config(tmp_path, AUDIT.replace(
        "{suite: occupations, lang: en, axis: gender, limit: 6}",
        f"{{input: {tmp_path / 't.jsonl'}, lang: en, axis: gender}}"))
    result = runner.invoke(app, ["audit", str(cfg), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    [finding] = report["findings"]
    n = report["run"]["probe_sets"][finding["probe_set"]]["n_clusters"]
    assert finding["n_clusters"] + finding["n_clusters_dropped"] == n == 10
    assert finding["n_clusters_dropped"] >= 1
