"""For script authors: counterfactuals, then a small audit of your own model, all in Python.

    python examples/script_author.py                # audit a toy model with a planted bias
    python examples/script_author.py --fair         # the same model without the bias
    python examples/script_author.py --out report/  # keep the reports

Like ``biasaudit audit``, it exits 0 when every gate passes and 1 when one fails.

The "model" is a plain function from a list of texts to one score per text; replace
``toy_reviewer`` with your classifier, or name a model in ``ModelConfig`` (``"hf:PATH"``,
``"openai:URL"``, ``"bedrock:ID"``, ``"default"``) and drop ``model=``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import biasaudit
from biasaudit.audit import (
    AuditConfig,
    GateConfig,
    MetricConfig,
    ModelConfig,
    ProbeConfig,
    run_audit,
)
from biasaudit.models import load_model
from biasaudit.report import write_reports

# Your own texts: sentences that mention a person. The engine makes one variant per group.
TEXTS = [
    "He is a brilliant engineer and his team trusts him.",
    "She led the project and her manager praised her work.",
    "My brother fixed the server before the deadline.",
    "The actress gave a confident presentation.",
    "The waiter said he would bring the bill.",
    "My sister wrote the analysis in one night.",
    "The nurse said he was proud of the ward.",
    "He answered every question the client asked.",
    "The policewoman explained her decision.",
    "My uncle teaches mathematics at the university.",
    "She debugged the code while her colleagues slept.",
    "The girl presented her science project.",
    "He negotiated the salary himself.",
    "She runs a successful company.",
    "My father reviewed the contract carefully.",
    "The businesswoman said she was ready.",
    "He applied for the engineering job.",
    "My grandmother built the house herself.",
    "The chairman thanked her for the report.",  # two people: no safe variants, skipped
    "She is the best candidate for the role.",
]

POSITIVE = {"brilliant", "trusts", "praised", "confident", "successful", "best", "proud"}
FEMALE = {"she", "her", "herself", "actress", "sister", "mother", "wife", "policewoman", "girl"}


def toy_reviewer(planted_bias: float) -> Callable[[list[str]], list[float]]:
    """A stand-in for a sentiment classifier: P(positive) from a few words and the length,
    minus a planted penalty when the text is about a woman."""

    def score(texts: list[str]) -> list[float]:
        out = []
        for text in texts:
            words = {w.strip(".,").lower() for w in text.split()}
            p = 0.4 + 0.1 * len(words & POSITIVE) + 0.002 * len(text)
            if words & FEMALE:
                p -= planted_bias
            out.append(min(max(p, 0.0), 1.0))
        return out

    return score


def show_counterfactuals() -> None:
    cf = biasaudit.swap("She is a brilliant engineer and her team trusts her.")
    print("swap:", cf.text)
    for e in cf.edits:
        print(f"  {e.start}-{e.end} {e.old!r} -> {e.new!r} ({e.rule}, {e.lexicon})")
    for variant in biasaudit.counterfactuals("My brother is a nurse."):
        print(f"{variant.target:>8}: {variant.text}")


def audit(out_dir: Path, planted_bias: float) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.jsonl"
        texts.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS), "utf-8")
        config = AuditConfig(
            name="toy-reviewer",
            model=ModelConfig(spec="toy_reviewer"),  # a label here: model= below is used
            probes=(ProbeConfig(lang="en", axis="gender", input=str(texts)),),
            metrics=(MetricConfig("proba"),),
            reference={"gender": "male"},
            gates=(GateConfig(name="gender-gap", metric="proba", max_abs_bound=0.05),),
        )
        model = toy_reviewer(planted_bias)
        result = run_audit(config, model=load_model(model, name="toy_reviewer"))
    paths = write_reports(result, out_dir)
    for f in result.findings:
        print(
            f"{f.id}: delta {f.estimate:+.3f}, 95% CI [{f.ci_low:+.3f}, {f.ci_high:+.3f}], "
            f"adjusted p {f.p_adjusted:.2g}, {f.n_clusters} clusters "
            f"({f.n_clusters_dropped} dropped)"
        )
    for w in result.warnings:
        print(f"warning: {w}")
    for g in result.gates:
        print(f"gate {g.name}: {'pass' if g.passed else 'FAIL'} - {g.message}")
    print(f"reports: {', '.join(sorted(p.name for p in paths.values()))} in {out_dir}")
    return result.exit_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder for the reports")
    parser.add_argument("--fair", action="store_true", help="audit the model without the bias")
    args = parser.parse_args()
    show_counterfactuals()
    bias = 0.0 if args.fair else 0.2
    if args.out is not None:
        return audit(args.out, bias)
    with tempfile.TemporaryDirectory() as tmp:
        return audit(Path(tmp) / "report", bias)


if __name__ == "__main__":
    raise SystemExit(main())
