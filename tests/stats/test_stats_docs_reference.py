"""The reference pages name what they cite: every error class a statistics or metrics page
mentions has an entry in docs/reference/api.md."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from biasaudit import errors

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["docs/reference/metrics.md", "docs/statistics.md", "docs/probes.md"]
ERRORS = {
    name for name, obj in vars(errors).items()
    if inspect.isclass(obj) and issubclass(obj, (errors.BiasAuditError, errors.BiasAuditWarning))
}


@pytest.mark.parametrize("page", PAGES)
def test_cited_errors_are_in_the_api_reference(page: str) -> None:
    api = (ROOT / "docs/reference/api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: biasaudit(?:\.\w+)*\.(\w+)\s*$", api, re.MULTILINE))
    cited = set(re.findall(r"`(\w+)`", (ROOT / page).read_text(encoding="utf-8"))) & ERRORS
    assert cited, page
    assert cited <= documented, f"{page} cites {sorted(cited - documented)}, not in api.md"


def test_api_reference_error_entries_resolve() -> None:
    import importlib

    api = (ROOT / "docs/reference/api.md").read_text(encoding="utf-8")
    for target in re.findall(r"^::: (biasaudit\.errors\.\w+|biasaudit\.\w+Error)\s*$", api,
                             re.MULTILINE):
        module, _, name = target.rpartition(".")
        assert hasattr(importlib.import_module(module), name), target
