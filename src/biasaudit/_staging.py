"""Write a run's output files all at once, or not at all.

``biasaudit audit`` (its reports) and ``biasaudit scan``/``rebalance`` (flags, the
rebalanced data, the summary) write several files into one folder. Written in place, a
failure or an interrupt halfway would leave new files beside old ones: a new report.json
beside an old report.html, new flags beside an old summary.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_outputs(out_dir: str | Path, *, last: str | None = None) -> Iterator[Path]:
    """A scratch folder inside ``out_dir`` (created if needed) to write the outputs into.

    When the block ends without an error every file in it is moved into ``out_dir``
    (``os.replace``: one rename each, on the same file system), the file named ``last``
    after the others, so that its presence says the rest is there. On an error or an
    interrupt (Ctrl-C) nothing is moved, and the previous outputs stay whole. The scratch
    folder is removed either way; its name starts with a dot, so a scan of ``out_dir``
    never reads it as data.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".writing-", dir=out))
    try:
        yield scratch
        for path in sorted(scratch.iterdir(), key=lambda p: (p.name == last, p.name)):
            os.replace(path, out / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
