"""The core import stays light and the lexicons are found without the source tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import biasaudit

ROOT = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_import_does_not_load_heavy_backends() -> None:
    code = (
        "import sys, biasaudit; biasaudit.swap('he');"
        "heavy = [m for m in ('torch', 'transformers', 'boto3', 'morfeusz2', 'dask', 'pandas',"
        " 'matplotlib', 'fairlearn', 'scipy') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_builtin_lexicons_resolve() -> None:
    from biasaudit.lexicons import builtin_lexicon_dir

    folder = builtin_lexicon_dir()
    assert (folder / "languages.yaml").is_file()
    assert any(folder.glob("en/*.yaml"))


def test_installed_package_ships_every_lexicon_and_suite_file() -> None:
    """CI installs the wheel (``pip install .``): its lexicons and suites are the repository's,
    byte for byte. (From a source checkout the package reads the repository's own files.)"""
    from biasaudit.lexicons import builtin_lexicon_dir
    from biasaudit.probes.fillers import SUITES_DIR

    package = Path(biasaudit.__file__).resolve().parent
    installed = ROOT / "src" not in package.parents
    folder = builtin_lexicon_dir()
    assert folder == (package / "_lexicons" if installed else ROOT / "lexicons")
    assert _files(folder) == _files(ROOT / "lexicons")
    assert _files(SUITES_DIR) == _files(ROOT / "src/biasaudit/probes/suites")
