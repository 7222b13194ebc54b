"""docs/probes.md: what its examples use can be imported from where the page says."""

from __future__ import annotations

import re
from pathlib import Path

from biasaudit import probes

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "probes.md").read_text(encoding="utf-8")


def test_apply_edits_says_where_it_comes_from() -> None:
    assert "apply_edits" in PAGE
    imports = re.findall(r"from (biasaudit[\w.]*) import [^\n`]*\bapply_edits\b", PAGE)
    assert imports, "docs/probes.md uses apply_edits without saying where to import it from"
    for module in imports:
        namespace: dict = {}
        exec(f"from {module} import apply_edits", namespace)
        ps = probes.build(lang="en", axis="gender", suite="neutral")
        c = ps.clusters[0]
        assert all(namespace["apply_edits"](c.source, v.edits) == v.text for v in c.variants)


def test_probes_page_states_the_new_errors() -> None:
    text = " ".join(PAGE.split())
    assert "list_suites" in text and "UnsupportedError" in text
    assert "no built-in suites" in text or "unknown language" in text
    assert "more names than" in text
