"""The core import stays light and the lexicons are found without the source tree."""

from __future__ import annotations

import subprocess
import sys


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
