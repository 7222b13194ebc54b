"""Every code example in the docs runs: Python blocks, doctests and shell transcripts.

What is run, per Markdown file (docs/**/*.md and README.md), in document order, in a
fresh working directory that links to the repository's ``examples/``, ``lexicons/`` and
``tests/``:

* ```` ```python ```` blocks: executed in one namespace per file; blocks of ``>>>``
  examples are run as doctests (their output is compared).
* ```` ```console ```` blocks: each ``$ COMMAND`` line that calls ``biasaudit`` or
  ``python examples/...`` is run with bash; the lines after it, up to the next ``$``,
  are its expected output (stdout and stderr together; with none, only the exit code is
  checked). A line ``...`` matches any number of lines. Other ``$`` lines are shown only.
* ```` ```bash ```` blocks run only when marked ``<!-- test -->``.

Markers, on the line before a block (visible in the Markdown source):

* ``<!-- skip: REASON -->``: not run; the reason is required.
* ``<!-- requires: module[, module] -->``: skipped when a module is not importable.
* ``<!-- test: exit=N -->``: console commands in the block must exit with N (default 0).

YAML blocks must parse; those that are audit configs must pass ``parse_config`` and those
that are lexicon files must lint without errors.

Blocks that only include a file (``--8<-- "examples/..."``) are run by
test_docs_examples.py. Blocks in other authors' files that cannot run (signatures, or
models and data that are not there) are listed in ``EXTERNAL_SKIPS`` with their reason.
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FILES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]

FENCE = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,})\s*(?P<lang>[\w+-]*)(?P<rest>.*)$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>skip|requires|test)\s*(?::\s*(?P<arg>.*?))?\s*-->\s*$")
RUNNABLE = re.compile(r"(^|[|;&]\s*)(biasaudit(\s|$)|python3? examples/)")

# Blocks in files owned by others that cannot run as they stand:
# (file relative to the repository, first line of the block) -> reason.
EXTERNAL_SKIPS: dict[tuple[str, str], str] = {
    ("docs/models.md", "from biasaudit.models import load_model, require_capability, Capability"):
        "needs a local model folder ./models/sentiment",
    ("docs/models.md", 'load_model("hf:./models/bert-mlm", task="masked-lm")'):
        "needs model folders, the Hugging Face hub, remote servers and AWS",
    ("docs/models.md", "from biasaudit.models import load_model"):
        "uses pytest's tmp_path and trains models (covered by tests/models)",
    ("docs/statistics.md", "m = cluster_matrix(cluster, group, value, *, groups=None, levels=None)  # -> ClusterMatrix"):  # noqa: E501
        "a signature, not code",
    ("docs/statistics.md", 'paired_contrast(matrix, group, reference, *, n_resamples=2000, confidence=0.95, seed=0,'):  # noqa: E501
        "a signature, not code",
    ("docs/statistics.md", 'null_calibrated(cluster, group, value, *, statistic="mean_abs_diff" | "wasserstein" | "range",'):  # noqa: E501
        "a signature, not code",
    ("docs/statistics.md", "group_metrics(y_true, y_pred, sensitive_features, *, confidence=0.95) -> GroupMetricsResult"):  # noqa: E501
        "a signature, not code",
    ("docs/data-scanner.md", "from biasaudit.data import DaskRunner, LocalRunner, ScanConfig, ScanThresholds, scan, scan_to_dir"):  # noqa: E501
        "needs the user's train.jsonl",
    ("docs/probes.md", "from biasaudit import probes"):
        "needs the user's reviews.jsonl and a CrowS-Pairs download",
    ("docs/probes.md", "$ biasaudit probes list"):
        "its last command needs the user's texts.csv",
    ("docs/probes.md", "ProbeSet(name: str, lang: str, axis: str, clusters: tuple[Cluster, ...],"):
        "a signature, not code",
}  # fmt: skip


@dataclass
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    body: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def first_line(self) -> str:
        return next((ln.strip() for ln in self.body.splitlines() if ln.strip()), "")


def parse_blocks(path: Path) -> list[Block]:
    """Fenced code blocks of a Markdown file with the marker comments just before them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks = m["indent"], m["ticks"]
        markers: dict[str, str] = {}
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        while j >= 0 and (mm := MARKER.match(lines[j])):
            markers[mm["kind"]] = (mm["arg"] or "").strip()
            j -= 1
        body: list[str] = []
        k = i + 1
        while k < len(lines) and not (
            lines[k].strip().startswith(ticks) and lines[k].strip().strip("`") == ""
        ):
            body.append(lines[k][len(indent) :] if lines[k].startswith(indent) else lines[k])
            k += 1
        blocks.append(Block(path, i + 1, m["lang"].lower(), "\n".join(body), markers))
        i = k + 1
    return blocks


def _only_includes(block: Block) -> bool:
    lines = [ln for ln in block.body.splitlines() if ln.strip()]
    return bool(lines) and all(ln.strip().startswith("--8<--") for ln in lines)


def skip_reason(block: Block) -> str | None:
    """Why a block is not run, or None."""
    if "skip" in block.markers:
        return block.markers["skip"] or "MISSING REASON"
    rel = str(block.path.relative_to(ROOT))
    if (rel, block.first_line) in EXTERNAL_SKIPS:
        return EXTERNAL_SKIPS[(rel, block.first_line)]
    if _only_includes(block):
        return "includes a file run by test_docs_examples.py"
    for module in filter(None, re.split(r"[,\s]+", block.markers.get("requires", ""))):
        if importlib.util.find_spec(module) is None:
            return f"needs {module}"
    return None


def runnable(block: Block) -> bool:
    if block.lang in ("python", "py", "pycon"):
        return True
    if block.lang == "console":
        return any(
            ln.startswith("$ ") and RUNNABLE.search(ln[2:]) for ln in block.body.splitlines()
        )
    if block.lang in ("bash", "sh", "shell"):
        return "test" in block.markers
    return False


def _shims(tmp: Path) -> dict[str, str]:
    """An environment whose ``biasaudit`` and ``python`` run this interpreter and checkout."""
    import biasaudit

    bin_dir = tmp / ".bin"
    bin_dir.mkdir(exist_ok=True)
    for name, args in (("biasaudit", "-m biasaudit"), ("python", ""), ("python3", "")):
        shim = bin_dir / name
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" {args} "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    package_root = str(Path(biasaudit.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    env["COLUMNS"] = "100"
    env.pop("BIASAUDIT_LEXICON_PATH", None)
    return env


def _matches(expected: list[str], got: list[str]) -> bool:
    """Line-by-line equality where an expected ``...`` line matches any lines."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(_matches(expected[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and expected[0] == got[0] and _matches(expected[1:], got[1:])


def run_console(block: Block, cwd: Path, env: dict[str, str]) -> list[str]:
    failures = []
    exit_code = int(block.markers.get("test", "exit=0").partition("=")[2] or 0)
    commands: list[tuple[str, list[str]]] = []
    for ln in block.body.splitlines():
        if ln.startswith("$ "):
            commands.append((ln[2:], []))
        elif commands:
            commands[-1][1].append(ln.rstrip())
    for command, expected in commands:
        if not RUNNABLE.search(command):
            continue
        proc = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command + " 2>&1"],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        got = [ln.rstrip() for ln in proc.stdout.splitlines()]
        while expected and not expected[-1]:
            expected.pop()
        if proc.returncode != exit_code or (expected and not _matches(expected, got)):
            failures.append(
                f"{block.where}: $ {command}\n  exit {proc.returncode} (want {exit_code})\n"
                + "  expected:\n"
                + textwrap.indent("\n".join(expected), "    | ")
                + "\n  got:\n"
                + textwrap.indent("\n".join(got), "    | ")
            )
    return failures


def run_python(block: Block, namespace: dict) -> list[str]:
    source = block.body
    if source.lstrip().startswith(">>>"):
        parser = doctest.DocTestParser()
        test = parser.get_doctest(source, namespace, block.where, str(block.path), block.line)
        out: list[str] = []
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, out=out.append, clear_globs=False)
        namespace.update(test.globs)  # names a doctest defines are seen by later blocks
        return [f"{block.where}: doctest failed\n" + "".join(out)] if runner.failures else []
    try:
        code = compile(source, block.where, "exec")
        exec(code, namespace)
    except Exception as exc:
        return [f"{block.where}: {type(exc).__name__}: {exc}"]
    return []


def run_bash(block: Block, cwd: Path, env: dict[str, str]) -> list[str]:
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.body],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if proc.returncode != 0:
        return [f"{block.where}: bash exited {proc.returncode}\n{proc.stdout}{proc.stderr}"]
    return []


def _ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _files_with_code() -> list[Path]:
    return [f for f in FILES if f.is_file() and any(runnable(b) for b in parse_blocks(f))]


@pytest.mark.parametrize("path", _files_with_code(), ids=_ids)
def test_code_blocks_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("examples", "lexicons", "tests"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    env = _shims(tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    failures: list[str] = []
    ran = 0
    for block in parse_blocks(path):
        if not runnable(block) or skip_reason(block) is not None:
            continue
        ran += 1
        if block.lang == "console":
            failures += run_console(block, tmp_path, env)
        elif block.lang in ("bash", "sh", "shell"):
            failures += run_bash(block, tmp_path, env)
        else:
            failures += run_python(block, namespace)
    if not ran:
        pytest.skip("every code block here is skipped (see skip_reason)")
    assert not failures, "\n\n".join(failures)


def test_skips_are_explained() -> None:
    """Every skipped block names its reason; the list is printed with ``pytest -s``."""
    missing = []
    for path in FILES:
        if not path.is_file():
            continue
        for block in parse_blocks(path):
            if not runnable(block):
                continue
            reason = skip_reason(block)
            if reason == "MISSING REASON":
                missing.append(block.where)
            elif reason:
                print(f"skipped {block.where}: {reason}")
    assert not missing, f"<!-- skip: ... --> without a reason at {missing}"


def test_external_skips_still_match() -> None:
    """An EXTERNAL_SKIPS entry whose block is gone would silently skip nothing: remove it."""
    firsts = {
        (str(p.relative_to(ROOT)), b.first_line)
        for p in FILES
        if p.is_file()
        for b in parse_blocks(p)
    }
    stale = [key for key in EXTERNAL_SKIPS if key not in firsts]
    assert not stale, f"EXTERNAL_SKIPS entries match no block: {stale}"


def test_parser_and_matcher() -> None:
    assert _matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert _matches(["...", "d"], ["d"])
    assert not _matches(["a", "d"], ["a", "b", "d"])
    assert RUNNABLE.search("printf 'x\\n' | biasaudit swap")
    assert RUNNABLE.search("python examples/ci_release_gate.py")
    assert not RUNNABLE.search("pip install biasaudit")
    assert not RUNNABLE.search('pip install "biasaudit[hf]"')


def test_yaml_examples_are_valid(tmp_path: Path) -> None:
    """YAML blocks parse; audit configs pass the config checks; lexicons lint clean."""
    import yaml

    from biasaudit.audit import parse_config
    from biasaudit.lexicons.lint import lint_paths

    failures = []
    checked = 0
    for path in FILES:
        if not path.is_file():
            continue
        for n, block in enumerate(parse_blocks(path)):
            if block.lang not in ("yaml", "yml") or _only_includes(block):
                continue
            if "skip" in block.markers:
                continue
            checked += 1
            try:
                data = yaml.safe_load(block.body)
                if isinstance(data, dict) and {"version", "model", "probes"} <= set(data):
                    parse_config(block.body)
                elif isinstance(data, dict) and data.get("format") == "biasaudit-lexicon/1":
                    folder = tmp_path / f"lexicon-{n}-{path.stem}"
                    folder.mkdir()
                    (folder / "example.yaml").write_text(block.body, encoding="utf-8")
                    problems, _ = lint_paths([folder])
                    errors = [p for p in problems if p.severity == "error"]
                    assert not errors, [f"{p.location}: {p.message}" for p in errors]
            except Exception as exc:  # report every bad block, not only the first
                failures.append(f"{block.where}: {type(exc).__name__}: {exc}")
    assert checked
    assert not failures, "\n".join(failures)
