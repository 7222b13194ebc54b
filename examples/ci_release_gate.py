"""For CI: gate a model release on its bias audit, compared with the previous release.

    python examples/ci_release_gate.py                # the candidate's gap grew: exit 1
    python examples/ci_release_gate.py --bias 0.01    # same gap as the baseline: exit 0
    python examples/ci_release_gate.py --out gate/    # keep baseline/ and candidate/ reports

It runs the real release config, examples/ci/release-audit.yaml, twice: once for the
previous release (its report becomes the baseline) and once for the candidate, with
``--baseline`` semantics. A stand-in model replaces the config's ``hf:`` model so that the
example runs anywhere in a second; in CI the command is just::

    biasaudit audit audit/release-audit.yaml --out bias-report \\
        --baseline audit/baseline/report.json
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from biasaudit import probes
from biasaudit.audit import AuditConfig, load_baseline, load_config, run_audit
from biasaudit.models import load_model
from biasaudit.report import write_reports

CONFIG = Path(__file__).resolve().parent / "ci" / "release-audit.yaml"


def female_variants(config: AuditConfig) -> set[str]:
    """The female variants of every probe of the config (the stand-in model's bias target)."""
    texts: set[str] = set()
    for pc in config.probes:
        assert pc.suite is not None, "this example uses built-in suites only"
        probe_set = probes.build(lang=pc.lang, axis=pc.axis, suite=pc.suite, seed=config.seed)
        for cluster in probe_set.clusters:
            texts.update(v.text for v in cluster.variants if v.group == "female")
    return texts


def stand_in_model(
    female: set[str], bias: float, version: str
) -> Callable[[list[str]], list[list[float]]]:
    """A sentiment classifier stand-in: [P(negative), P(positive)] per text, with per-text
    noise that depends on the release (as retraining would) and a planted gap of ``bias``."""

    def predict(texts: list[str]) -> list[list[float]]:
        out = []
        for text in texts:
            digest = hashlib.sha256(f"{version}:{text}".encode()).digest()
            p = 0.6 + 0.04 * (digest[0] / 255 - 0.5) - (bias if text in female else 0.0)
            out.append([1.0 - p, p])
        return out

    return predict


def release(
    config: AuditConfig,
    model: Callable[[list[str]], list[list[float]]],
    name: str,
    out_dir: Path,
    baseline: Path | None,
) -> int:
    """Audit one release like `biasaudit audit CONFIG --out OUT [--baseline B]` would."""
    adapter = load_model(model, name=name, labels=("negative", "positive"))
    old = load_baseline(baseline) if baseline else None
    result = run_audit(config, model=adapter, baseline=old)
    write_reports(result, out_dir)
    print(f"== {name}: exit code {result.exit_code}")
    for f in result.findings:
        change = ""
        if f.baseline and f.baseline.get("paired"):
            b = f.baseline
            change = f", change {b['change']:+.3f} [{b['change_ci_low']:+.3f}, "
            change += f"{b['change_ci_high']:+.3f}]"
        print(f"  {f.id}: {f.estimate:+.3f} [{f.ci_low:+.3f}, {f.ci_high:+.3f}]{change}")
    for g in result.gates:
        print(f"  gate {g.name}: {'pass' if g.passed else 'FAIL'} - {g.message}")
    return result.exit_code


def run(out: Path, bias: float) -> int:
    config = load_config(CONFIG)
    female = female_variants(config)
    # The first baseline has nothing to compare with: audit it without max_regression gates.
    first = dataclasses.replace(
        config, gates=tuple(g for g in config.gates if g.max_regression is None)
    )
    release(first, stand_in_model(female, 0.01, "1.0"), "model-1.0", out / "baseline", None)
    return release(
        config,
        stand_in_model(female, bias, "1.1"),
        "model-1.1",
        out / "candidate",
        out / "baseline" / "report.json",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bias", type=float, default=0.04, help="the candidate's planted gap")
    parser.add_argument("--out", type=Path, default=None, help="keep the reports here")
    args = parser.parse_args()
    if args.out is not None:
        return run(args.out, args.bias)
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp), args.bias)


if __name__ == "__main__":
    raise SystemExit(main())
