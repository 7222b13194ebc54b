"""For linguists: add an identity axis from a user lexicon folder, lint it, swap with it.

    python examples/linguist_new_axis/run.py

The folder ``lexicon/`` holds a ``languages.yaml`` declaring the new axis
(``socioeconomic``) and one lexicon file for English. Nothing in the package changes. The
same checks from the shell::

    biasaudit lexicon lint examples/linguist_new_axis/lexicon
    biasaudit swap --axis socioeconomic --lexicon examples/linguist_new_axis/lexicon \\
        "A working-class family moved next to a wealthy lawyer."

Exits 1 when the lexicon has lint errors or a gold pair below does not come out as
expected, so it can serve as the test of a new lexicon.
"""

from __future__ import annotations

from pathlib import Path

import biasaudit
from biasaudit import probes
from biasaudit.lexicons.lint import lint_paths

LEXICON = Path(__file__).resolve().parent / "lexicon"
AXIS = "socioeconomic"

# Gold pairs: (source, expected swap). Identical columns mean the text must not change.
GOLD = [
    ("A working-class family moved next to a wealthy lawyer.",
     "An upper-class family moved next to a poor lawyer."),
    ("She grew up in a low-income neighbourhood.",
     "She grew up in a high-income neighbourhood."),
    ("The blue-collar workers met the white-collar managers.",
     "The white-collar workers met the blue-collar managers."),
    ("The report was of poor quality.", "The report was of poor quality."),
    ("He edits rich text all day.", "He edits rich text all day."),
    ("The rich heir lost his fortune.", "The poor heir lost his fortune."),
]  # fmt: skip


def lint() -> int:
    """Lint the folder the way `biasaudit lexicon lint` does; the number of errors."""
    problems, lexicons = lint_paths([LEXICON])
    for p in problems:
        print(f"{p.location}: {p.severity}: {p.message}")
    errors = sum(p.severity == "error" for p in problems)
    entries = sum(len(lx.entries) for lx in lexicons)
    print(f"lint: {len(lexicons)} lexicon file(s), {entries} entries, {errors} error(s)")
    return errors


def check_gold() -> int:
    """Swap every gold source; the number of mismatches."""
    failures = 0
    for source, expected in GOLD:
        cf = biasaudit.swap(source, axis=AXIS, lexicon_paths=[LEXICON])
        ok = cf.text == expected and cf.safe
        failures += not ok
        print(f"{'ok ' if ok else 'BAD'} {source}\n    -> {cf.text}")
        for e in cf.edits:
            print(f"       {e.old!r} -> {e.new!r} ({e.entry}, {e.lexicon})")
    print(f"gold: {len(GOLD) - failures}/{len(GOLD)} exact")
    return failures


def show_probes() -> None:
    """The axis is usable everywhere an axis is: here, probes from the user's texts."""
    texts = ["My neighbour is a low-income single parent.", "The wealthy donor spoke first."]
    probe_set = probes.from_texts(texts, lang="en", axis=AXIS, lexicon_paths=[LEXICON])
    for cluster in probe_set.clusters:
        variants = " | ".join(f"{v.group}: {v.text}" for v in cluster.variants)
        print(f"cluster {cluster.id}: {variants}")


def main() -> int:
    errors = lint()
    failures = check_gold()
    show_probes()
    return 1 if errors or failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
