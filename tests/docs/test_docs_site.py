"""The documentation site: the CLI reference is generated and current, the site builds
offline with warnings as errors, and every page is in the navigation."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import biasaudit

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _gen_cli():
    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_generated_from_the_cli() -> None:
    """docs/reference/cli.md must equal what docs/gen_cli.py writes now."""
    gen = _gen_cli()
    committed = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    assert committed == gen.render(), (
        "docs/reference/cli.md is stale: run `PYTHONPATH=src python docs/gen_cli.py`"
    )


def test_cli_reference_covers_every_command() -> None:
    import typer.main

    from biasaudit.cli import app

    text = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")

    def walk(command, ctx, path):
        yield path
        for name in getattr(command, "list_commands", lambda _c: [])(ctx):
            sub = command.get_command(ctx, name)
            yield from walk(sub, sub.context_class(sub, info_name=name, parent=ctx), [*path, name])

    root = typer.main.get_command(app)
    for path in walk(root, root.context_class(root, info_name="biasaudit"), ["biasaudit"]):
        assert f"`{' '.join(path)}`" in text


def _nav_files(nav: list) -> set[str]:
    files: set[str] = set()
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                files |= _nav_files(value)
            else:
                files.add(value)
    return files


def test_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_files(config["nav"])
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert not (nav - pages), f"nav names missing pages: {sorted(nav - pages)}"
    assert not (pages - nav), f"pages not in mkdocs.yml nav: {sorted(pages - nav)}"


def test_site_builds_offline_with_no_warnings(tmp_path: Path) -> None:
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        try:
            found = importlib.util.find_spec(module)
        except ModuleNotFoundError:
            found = None
        if found is None:
            pytest.skip(f"{module} is not installed (the `docs` extra)")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]
    assert not {"social", "privacy", "optimize"} & set(plugins), "plugins that need network"
    package_root = str(Path(biasaudit.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site" / "reference" / "cli.html").is_file()
    api = (tmp_path / "site" / "reference" / "api.html").read_text(encoding="utf-8")
    assert "biasaudit.audit.run_audit" in api  # mkdocstrings rendered the docstrings
