"""Counterfactual swap throughput and correctness, side by side with the naive approach.

Usage: python benchmarks/swap_throughput.py [--n 50000] [--langs en,pl,vi,nb,nn]

For each language: sentences/s of biasaudit's engine on one core, and of the naive
approach other tools use (one regex per term pair, applied in a loop, one replacement at
a time), each with its exact-match accuracy on a gold set of sentences with known swaps
(the naive loop undoes its own swaps on sentences that mention both genders).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import biasaudit

# English gold: (source, expected) built from templates whose swaps are known.
EN_TEMPLATES = [
    ("He said she would call her mother.", "She said he would call his father."),
    ("The actress thanked her agent.", "The actor thanked his agent."),
    ("I met his brother at the theater.", "I met her sister at the theater."),
    ("Heather gave him the keys and left.", "Heather gave her the keys and left."),
    ("The king and the queen waved.", "The queen and the king waved."),
    ("My uncle is a policeman.", "My aunt is a policewoman."),
    ("Nobody knew the answer to the question.", "Nobody knew the answer to the question."),
    ("The shepherd counted the sheep twice.", "The shepherd counted the sheep twice."),
    ("She told him that the book was hers.", "He told her that the book was his."),
    ("Her son and his daughter are friends.", "His daughter and her son are friends."),
    ("The weather was fine all week.", "The weather was fine all week."),
    ("He blamed himself for the loss.", "She blamed herself for the loss."),
]
FILLER = ["Yesterday,", "In the morning", "As expected,", "Later that year", "Meanwhile"]


def english_corpus(n: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        src, gold = rng.choice(EN_TEMPLATES)
        lead = rng.choice(FILLER)
        out.append((f"{lead} {src[0].lower()}{src[1:]}", f"{lead} {gold[0].lower()}{gold[1:]}"))
    return out


NAIVE_EN_PAIRS = [
    ("he", "she"),
    ("him", "her"),
    ("his", "her"),
    ("himself", "herself"),
    ("man", "woman"),
    ("men", "women"),
    ("boy", "girl"),
    ("father", "mother"),
    ("son", "daughter"),
    ("brother", "sister"),
    ("uncle", "aunt"),
    ("husband", "wife"),
    ("king", "queen"),
    ("actor", "actress"),
    ("policeman", "policewoman"),
    ("mr", "mrs"),
    ("sir", "madam"),
    ("nephew", "niece"),
    ("grandfather", "grandmother"),
    ("boyfriend", "girlfriend"),
    ("prince", "princess"),
    ("waiter", "waitress"),
    ("groom", "bride"),
    ("dad", "mom"),
]


def naive_swapper(pairs: list[tuple[str, str]]) -> Callable[[str], str]:
    """What peer tools do: a regex per term, applied one after another."""
    rules = []
    for a, b in pairs:
        rules.append((re.compile(rf"\b{re.escape(a)}\b", re.IGNORECASE), b))
        rules.append((re.compile(rf"\b{re.escape(b)}\b", re.IGNORECASE), a))

    def swap(text: str) -> str:
        for rx, repl in rules:
            text = rx.sub(repl, text)
        return text

    return swap


# 19 more pairs: the 43-pair list of a typical naive swapper.
NAIVE_EN_PAIRS += [
    ("mom", "dad"), ("husbands", "wives"), ("kings", "queens"), ("actors", "actresses"),
    ("boys", "girls"), ("fathers", "mothers"), ("sons", "daughters"), ("brothers", "sisters"),
    ("uncles", "aunts"), ("nephews", "nieces"), ("gentleman", "lady"), ("gentlemen", "ladies"),
    ("male", "female"), ("males", "females"), ("duke", "duchess"), ("emperor", "empress"),
    ("lord", "lady"), ("monk", "nun"), ("hero", "heroine"),
]

MT_GENEVAL = Path(__file__).resolve().parents[1].parent / "shared/data/mt_geneval/sentences"


def mt_geneval_corpus(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """Real Wikipedia sentences with human rewrites (MT-GenEval dev+test, en_de, both
    directions), repeated to ``n``: the accuracy column is the exact-match rate."""
    pairs: list[tuple[str, str]] = []
    for split in ("dev", "test"):
        base = MT_GENEVAL / split
        masc = (base / f"geneval-sentences-masculine-{split}.en_de.en").read_text().splitlines()
        fem = (base / f"geneval-sentences-feminine-{split}.en_de.en").read_text().splitlines()
        pairs += list(zip(masc, fem)) + list(zip(fem, masc))
    return [pairs[i % len(pairs)] for i in range(max(n, len(pairs)))]


CORPORA: dict[str, Callable[[int], list[tuple[str, str]]]] = {"en": english_corpus}
NAIVE: dict[str, list[tuple[str, str]]] = {"en": NAIVE_EN_PAIRS}
if MT_GENEVAL.is_dir():
    CORPORA["en-wiki"] = mt_geneval_corpus
    NAIVE["en-wiki"] = NAIVE_EN_PAIRS


# Vietnamese and Norwegian: the hand-checked gender pairs of tests/languages/data.
def gold_corpus(lang: str) -> Callable[[int], list[tuple[str, str]]]:
    """A corpus of ``n`` pairs drawn from the gold file of ``lang`` (vi, nb or nn)."""

    def corpus(n: int, seed: int = 0) -> list[tuple[str, str]]:
        import csv
        from pathlib import Path

        name = "vi_gold.tsv" if lang == "vi" else "no_gold.tsv"
        path = Path(__file__).resolve().parent.parent / "tests" / "languages" / "data" / name
        with path.open(encoding="utf-8") as f:
            rows = [(r["source"], r["expected"]) for r in csv.DictReader(f, delimiter="\t")
                    if r["lang"] == lang and r["category"] != "names"]
        rng = random.Random(seed)
        return [rng.choice(rows) for _ in range(n)]

    return corpus


NAIVE_VI_PAIRS = [
    ("anh", "chị"), ("ông", "bà"), ("chú", "cô"), ("con trai", "con gái"), ("bố", "mẹ"),
    ("đàn ông", "phụ nữ"), ("chồng", "vợ"), ("em trai", "em gái"), ("anh trai", "chị gái"),
    ("nam", "nữ"), ("cậu bé", "cô bé"), ("thầy giáo", "cô giáo"), ("bạn trai", "bạn gái"),
]
NAIVE_NB_PAIRS = [
    ("han", "hun"), ("ham", "henne"), ("hans", "hennes"), ("mann", "kvinne"),
    ("mannen", "kvinnen"), ("gutt", "jente"), ("gutten", "jenta"), ("far", "mor"),
    ("faren", "moren"), ("bror", "søster"), ("sønn", "datter"), ("kongen", "dronningen"),
]
NAIVE_NN_PAIRS = [
    ("han", "ho"), ("hans", "hennar"), ("mann", "kvinne"), ("gut", "jente"), ("guten", "jenta"),
    ("far", "mor"), ("faren", "mora"), ("bror", "syster"), ("son", "dotter"),
    ("kongen", "dronninga"),
]
CORPORA.update({lang: gold_corpus(lang) for lang in ("vi", "nb", "nn")})
NAIVE.update({"vi": NAIVE_VI_PAIRS, "nb": NAIVE_NB_PAIRS, "nn": NAIVE_NN_PAIRS})



# Polish: the hand-checked pairs of tests/languages/data/pl_gold.tsv (needs morfeusz2).
def polish_corpus(n: int, seed: int = 0) -> list[tuple[str, str]]:
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tests" / "languages" / "data" / "pl_gold.tsv"
    with path.open(encoding="utf-8") as f:
        lines = [ln.rstrip("\n").split("\t") for ln in f if not ln.startswith("#")]
    rows = [(c[0], c[1]) for c in lines[1:]]
    rng = random.Random(seed)
    return [rng.choice(rows) for _ in range(n)]


NAIVE_PL_PAIRS = [
    ("on", "ona"), ("jego", "jej"), ("go", "ją"), ("mu", "jej"), ("nim", "nią"),
    ("brat", "siostra"), ("ojciec", "matka"), ("syn", "córka"), ("mąż", "żona"),
    ("pan", "pani"), ("lekarz", "lekarka"), ("nauczyciel", "nauczycielka"), ("był", "była"),
]
CORPORA["pl"] = polish_corpus
NAIVE["pl"] = NAIVE_PL_PAIRS


def measure(fn: Callable[[str], str], corpus: list[tuple[str, str]]) -> tuple[float, float]:
    texts = [s for s, _ in corpus]
    start = time.perf_counter()
    outs = [fn(t) for t in texts]
    elapsed = time.perf_counter() - start
    correct = sum(o == g for o, (_, g) in zip(outs, corpus)) / len(corpus)
    return len(texts) / elapsed, correct


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--langs", default=",".join(CORPORA))
    args = ap.parse_args()
    print(f"{'lang':<7} {'approach':<28} {'sentences/s':>12} {'exact match':>12}")
    for lang in args.langs.split(","):
        corpus = CORPORA[lang](args.n)
        engine = biasaudit.engine(lang.split("-")[0], "gender")
        engine.swap(corpus[0][0])  # warm up caches
        rate, acc = measure(lambda t, e=engine: e.swap(t).text, corpus)
        print(f"{lang:<7} {'biasaudit engine':<28} {rate:>12,.0f} {acc:>12.1%}")
        if lang in NAIVE:
            rate, acc = measure(naive_swapper(NAIVE[lang]), corpus)
            label = f"naive regex loop ({len(NAIVE[lang])} pairs)"
            print(f"{lang:<7} {label:<28} {rate:>12,.0f} {acc:>12.1%}")


if __name__ == "__main__":
    main()
