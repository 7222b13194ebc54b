"""Importers for standard bias benchmarks read from the user's local copy.

Each returns a :class:`ProbeSet` whose clusters are the benchmark's minimal pairs (or
triples, or descriptor sets); ``stats['rows']`` is the number of rows read, so a test can
check that nothing was dropped. Benchmark data is never bundled: CrowS-Pairs and
HolisticBias are CC BY-SA 4.0, BBQ CC BY 4.0, WinoBias and Winogender MIT.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.types import Edit
from ..errors import InputError, Location
from .model import Cluster, ProbeSet, Variant, compute_stats, json_lines

TOKEN = re.compile(r"\w+|[^\w\s]")

CROWS_AXES = {"gender": "gender", "sexual-orientation": "orientation", "religion": "religion",
              "age": "age", "nationality": "nationality", "disability": "disability",
              "race-color": "race", "socioeconomic": "socioeconomic",
              "physical-appearance": "appearance"}
HB_AXES = {"ability": "disability", "sexual_orientation": "orientation",
           "gender_and_sex": "gender", "race_ethnicity": "race"}


def diff_edits(source: str, target: str, rule: str = "benchmark") -> tuple[Edit, ...]:
    """Word-level edits that turn ``source`` into ``target`` (offsets into ``source``).

    Tokens are aligned with :mod:`difflib`; each stretch between aligned tokens that differs
    becomes one edit, so ``apply_edits(source, edits) == target`` always holds.
    """
    if source == target:
        return ()
    a = [(m.start(), m.end()) for m in TOKEN.finditer(source)]
    b = [(m.start(), m.end()) for m in TOKEN.finditer(target)]
    sm = difflib.SequenceMatcher(None, [source[s:e] for s, e in a], [target[s:e] for s, e in b],
                                 autojunk=False)
    pairs = [(a[i + k], b[j + k]) for i, j, n in sm.get_matching_blocks() for k in range(n)]
    pairs.append(((len(source), len(source)), (len(target), len(target))))
    edits = []
    s_prev = t_prev = 0
    for (s_start, s_end), (t_start, t_end) in pairs:
        old, new = source[s_prev:s_start], target[t_prev:t_start]
        if old != new:
            lead = len(old) - len(old.lstrip()) if old[:1].isspace() else 0
            lead = min(lead, len(new) - len(new.lstrip()) if new[:1].isspace() else 0)
            old, new, lo = old[lead:], new[lead:], s_prev + lead
            trail = len(old) - len(old.rstrip())
            trail = min(trail, len(new) - len(new.rstrip()))
            if trail:
                old, new = old[:-trail], new[:-trail]
            edits.append(Edit(lo, lo + len(old), old, new, rule))
        s_prev, t_prev = s_end, t_end
    return tuple(edits)


def _variant(source: str, group: str, text: str, **metadata: Any) -> Variant:
    return Variant(group, text, diff_edits(source, text), (), (), metadata)


def _probeset(name: str, axis: str, clusters: list[Cluster], metadata: dict, **counts: int
              ) -> ProbeSet:
    return ProbeSet(name, "en", axis, tuple(clusters), metadata,
                    compute_stats(clusters, **counts))


def _want_axis(value: str | None, table: dict[str, str], field: str = "axis") -> str | None:
    """The benchmark's own name for ``value``, given either as that name or as the
    biasaudit axis it maps to in ``table``; an unknown name is an :class:`InputError` on
    ``field`` (a typo must not silently select nothing)."""
    if value is None:
        return None
    reverse = {v: k for k, v in table.items()}
    if value in table:
        return value
    if value in reverse:
        return reverse[value]
    raise InputError(f"unknown {field} {value!r} (known: {', '.join(sorted(table.values()))}"
                     f"; or the benchmark's names: {', '.join(sorted(table))})",
                     Location(None, None, field))


# -- CrowS-Pairs ----------------------------------------------------------------------------
def from_crows_pairs(path: str | Path, *, axis: str | None = None) -> ProbeSet:
    """CrowS-Pairs (``crows_pairs_anonymized.csv``): one cluster per row with variants
    ``sent_more`` (more stereotyping) and ``sent_less``; ``axis`` keeps one bias type.

    ``stereo_antistereo`` must be ``stereo`` or ``antistereo`` (the paper's metric reads it
    to know which sentence is about the disadvantaged group); ``metadata['row']`` is the
    line a record starts on (one record spans two lines in the released file).
    """
    path = Path(path)
    want = _want_axis(axis, CROWS_AXES)
    clusters, rows = [], 0
    with _open(path) as fh:
        reader = csv.DictReader(fh)
        for col in ("sent_more", "sent_less", "bias_type"):
            if col not in (reader.fieldnames or []):
                raise InputError(f"no column {col!r}", Location(path, 1, col))
        end = reader.line_num  # the header's last line
        for rec in reader:
            rows += 1
            line, end = end + 1, reader.line_num  # a quoted field may hold a line break
            if None in rec:  # more fields than the header names
                raise InputError(f"{len(reader.fieldnames or []) + len(rec[None])} fields but "
                                 f"the header names {len(reader.fieldnames or [])}",
                                 Location(path, line))
            for col in ("sent_more", "sent_less", "bias_type"):
                value = rec[col]
                if value is None or not value.strip():
                    what = "missing (the row is cut short)" if value is None else "empty"
                    raise InputError(f"{col!r} is {what}", Location(path, line, col))
            direction = rec.get("stereo_antistereo")
            if direction is not None and direction not in ("stereo", "antistereo"):
                raise InputError(f"'stereo_antistereo' is {direction!r}, not 'stereo' or "
                                 f"'antistereo'", Location(path, line, "stereo_antistereo"))
            if want is not None and rec["bias_type"] != want:
                continue
            more, less = rec["sent_more"], rec["sent_less"]
            rid = rec.get("") or str(rows - 1)
            clusters.append(Cluster(
                id=f"crows-{rid}", source=more,
                variants=(_variant(more, "sent_more", more), _variant(more, "sent_less", less)),
                metadata={"row": line, "bias_type": rec["bias_type"],
                          "axis": CROWS_AXES.get(rec["bias_type"], rec["bias_type"]),
                          "stereo_antistereo": rec.get("stereo_antistereo")},
            ))
    return _probeset("crows-pairs", CROWS_AXES.get(want, "mixed") if want else "mixed", clusters,
                     {"source": str(path), "benchmark": "CrowS-Pairs",
                      "licence": "CC BY-SA 4.0", "citation": "Nangia et al., EMNLP 2020"},
                     rows=rows)


# -- WinoBias -------------------------------------------------------------------------------
PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female",
                  "hers": "female", "they": "neutral", "them": "neutral", "their": "neutral"}
WB_LINE = re.compile(r"^\s*(\d+)\s+(.*)$")


def _winobias_line(path: Path, i: int, raw: str) -> tuple[str, str, list[str]]:
    m = WB_LINE.match(raw)
    if not m:
        raise InputError("expected '<number> <sentence with [mentions]>'", Location(path, i))
    mentions = re.findall(r"\[([^\]]+)\]", m.group(2))
    text = re.sub(r"\[([^\]]+)\]", r"\1", m.group(2)).strip()
    return m.group(1), text, mentions


WB_SPLITS = ("dev", "test")


def _text_lines(path: Path) -> list[str]:
    """The lines of a text file, split at ``\n``, ``\r\n`` and ``\r`` only (not at U+0085,
    U+2028 or U+2029 as ``str.splitlines`` would: a sentence may hold them)."""
    text = path.read_text(encoding="utf-8")  # universal newlines: every break is "\n" now
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _winobias_files(path: Path, split: str | None) -> list[Path]:
    """The ``pro_`` files to read: every one in a folder, or the ``pro_`` twin of a named
    ``pro_``/``anti_`` file (an ``anti_`` file must not be paired with itself)."""
    if split is not None and split not in WB_SPLITS:
        raise InputError(f"unknown split {split!r} (known: {', '.join(WB_SPLITS)})",
                         Location(path, None, "split"))
    if path.is_dir():
        files = sorted(f for f in path.glob("pro_stereotyped_type*.txt.*")
                       if f.suffix[1:] in WB_SPLITS)
        if not files:
            raise InputError("no pro_stereotyped_type*.txt.{dev,test} files", Location(path))
        return [f for f in files if split is None or f.suffix[1:] == split]
    if path.name.startswith("anti_stereotyped_"):
        path = path.with_name("pro_" + path.name[len("anti_"):])
    elif not path.name.startswith("pro_stereotyped_"):
        raise InputError("expected a {pro,anti}_stereotyped_type{1,2}.txt.{dev,test} file",
                         Location(path))
    return [path] if split is None or path.suffix[1:] == split else []


def from_winobias(path: str | Path, *, split: str | None = None) -> ProbeSet:
    """WinoBias (folder of ``{pro,anti}_stereotyped_type{1,2}.txt.{dev,test}``, or one of
    those files with its twin beside it): one cluster per pro/anti line pair, variants
    ``male``/``female`` by the first bracketed pronoun.

    ``split`` (``dev`` or ``test``) keeps one split: Zhao et al. report the test split, and
    a folder holds both. Pairs whose two lines do not swap the pronoun's gender keep groups
    ``pro``/``anti`` and are flagged ``metadata['pronoun_mismatch']`` (two such pairs in
    the released test files). A line that is blank in one file but not in its twin is an
    :class:`InputError`, so no line is dropped unseen.
    """
    path = Path(path)
    files = _winobias_files(path, split)
    clusters, rows = [], 0
    for pro in files:
        anti = pro.with_name(pro.name.replace("pro_", "anti_", 1))
        if not pro.is_file():
            raise InputError(f"missing the pro-stereotyped twin {pro.name}", Location(pro))
        if not anti.is_file():
            raise InputError(f"missing the anti-stereotyped twin {anti.name}", Location(pro))
        pro_lines, anti_lines = _text_lines(pro), _text_lines(anti)
        if len(pro_lines) != len(anti_lines):
            raise InputError(f"{len(pro_lines)} lines but {anti.name} has {len(anti_lines)}",
                             Location(pro))
        kind, split = pro.name.split(".")[0].replace("pro_stereotyped_", ""), pro.suffix[1:]
        for i, (p_raw, a_raw) in enumerate(zip(pro_lines, anti_lines), start=1):
            if not p_raw.strip() or not a_raw.strip():
                if p_raw.strip() or a_raw.strip():
                    blank = pro if not p_raw.strip() else anti
                    raise InputError(f"blank line, but its twin in "
                                     f"{(anti if blank == pro else pro).name} is not",
                                     Location(blank, i))
                continue
            rows += 2
            num, p_text, p_mentions = _winobias_line(pro, i, p_raw)
            _, a_text, a_mentions = _winobias_line(anti, i, a_raw)
            found = []
            for mentions in (p_mentions, a_mentions):
                genders = [PRONOUN_GENDER[m.lower()] for m in mentions
                           if m.lower() in PRONOUN_GENDER]
                found.append(genders[0] if genders else None)
            meta = {"type": kind, "split": split, "line": i, "number": num}
            if None in found or found[0] == found[1]:
                found = ["pro", "anti"]  # the pair does not swap the pronoun's gender
                meta["pronoun_mismatch"] = True
            variants = tuple(
                _variant(p_text, group, text, stereotype=label, mentions=mentions)
                for group, (label, text, mentions) in zip(
                    found, (("pro", p_text, p_mentions), ("anti", a_text, a_mentions)))
            )
            clusters.append(Cluster(f"winobias-{kind}-{split}-{i}", p_text, variants,
                                    metadata=meta))
    return _probeset("winobias", "gender", clusters,
                     {"source": str(path), "benchmark": "WinoBias", "licence": "MIT",
                      "citation": "Zhao et al., NAACL 2018", "split": split or "all",
                      "files": [f.name for f in files]}, rows=rows)


# -- Winogender -----------------------------------------------------------------------------
WG_GENDERS = ("male", "female", "neutral")
WG_REFERENTS = {"0": "occupation", "1": "participant"}  # templates.tsv: occupation(0)...


def from_winogender(path: str | Path) -> ProbeSet:
    """Winogender (``all_sentences.tsv``): one cluster per occupation/participant/answer with
    variants ``male``, ``female``, ``neutral``.

    The file is read as plain TSV (no quote characters), so a sentence is kept byte for
    byte. ``metadata['referent']`` says whom the pronoun refers to (``answer`` 0: the
    occupation, 1: the participant, as in the data's ``templates.tsv``). Each cluster must
    have exactly the three genders: an unknown, repeated or missing one is an
    :class:`InputError` naming the line.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "all_sentences.tsv"
    groups: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    rows = 0
    with _open(path) as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != ["sentid", "sentence"]:
            raise InputError("expected the header 'sentid<TAB>sentence'", Location(path, 1))
        for rec in reader:
            if not rec:
                continue
            rows += 1
            if len(rec) != 2:
                raise InputError("expected 2 columns", Location(path, reader.line_num))
            parts = rec[0].split(".")
            if len(parts) != 5 or parts[4] != "txt":
                raise InputError("sentid must be occupation.participant.answer.gender.txt",
                                 Location(path, reader.line_num, "sentid"))
            key, gender = ".".join(parts[:3]), parts[3]
            if parts[2] not in WG_REFERENTS or gender not in WG_GENDERS:
                raise InputError(f"sentid {rec[0]!r}: answer must be 0 or 1 and gender one of "
                                 f"{', '.join(WG_GENDERS)}", Location(path, reader.line_num,
                                                                     "sentid"))
            if any(g == gender for g, _, _ in groups[key]):
                raise InputError(f"a second {gender} sentence for {key}",
                                 Location(path, reader.line_num, "sentid"))
            groups[key].append((gender, rec[1], reader.line_num))
    clusters = []
    for key, members in groups.items():
        if len(members) != len(WG_GENDERS):
            missing = sorted(set(WG_GENDERS) - {g for g, _, _ in members})
            raise InputError(f"{key} has no {', '.join(missing)} sentence",
                             Location(path, members[0][2], "sentid"))
        members.sort(key=lambda m: WG_GENDERS.index(m[0]))
        source = members[0][1]
        occupation, participant, answer = key.split(".")
        clusters.append(Cluster(
            f"winogender-{key}", source,
            tuple(_variant(source, g, text, line=line) for g, text, line in members),
            metadata={"occupation": occupation, "participant": participant, "answer": answer,
                      "referent": WG_REFERENTS[answer]},
        ))
    return _probeset("winogender", "gender", clusters,
                     {"source": str(path), "benchmark": "Winogender", "licence": "MIT",
                      "citation": "Rudinger et al., NAACL 2018"}, rows=rows)


# -- BBQ ------------------------------------------------------------------------------------
def _bbq_forms(rec: dict, key: str) -> set[str]:
    """Lower-cased ways an answer's person can be written in the context: its answer_info
    label (``"gay"``, ``"Maria"``, ``"22-year-old"``), its group label (``"gay"``, ``"old"``,
    also with ``_``/``-`` read as spaces) and the answer text without a leading article or
    a trailing clause (``"The gay man"`` -> ``"gay man"``; ``"Ivory, who's a cook"`` ->
    ``"ivory"``)."""
    label, group = (str(x) for x in rec["answer_info"][key][:2])
    answer = re.sub(r"^(the|a|an)\s+", "", str(rec[key]).strip(), flags=re.IGNORECASE)
    forms = {label, answer, answer.split(",")[0]}
    # group codes such as "F", "M" or "F-Black" are not words of the text: only whole
    # words of three or more letters are searched for
    forms |= {g for g in (group, re.sub(r"[_-]+", " ", group))
              if all(len(w) >= 3 and w.isalpha() for w in g.split())}
    return {f.strip().lower() for f in forms if f.strip()}


def _is_word_char(char: str) -> bool:
    return char == "_" or char.isalnum()  # what \w matches in a str pattern


def _whole_words(text: str, form: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of `form` in `text` not preceded or followed by a word
    character: what ``re.finditer(r"(?<!\\w)" + re.escape(form) + r"(?!\\w)", text)`` finds,
    without building (and caching) a pattern for every name and label of every row."""
    spans = []
    size = len(text)
    start = text.find(form)
    while start >= 0:
        end = start + len(form)
        if (start == 0 or not _is_word_char(text[start - 1])) and (
            end == size or not _is_word_char(text[end])
        ):
            spans.append((start, end))
            start = text.find(form, end)  # matches do not overlap, as with finditer
        else:
            start = text.find(form, start + 1)
    return spans


def _bbq_first_group(rec: dict) -> str | None:
    """The group whose person is mentioned first in the context (the position the two orders
    of a BBQ item swap), or None when no answer's person is found in it.

    Each answer's surface forms (:func:`_bbq_forms`) are searched as whole words; a match
    inside a longer match of another group (``woman`` in ``trans woman``) does not count.
    """
    context = str(rec["context"]).lower()
    matches = []  # (start, end, group)
    for key in ("ans0", "ans1", "ans2"):
        group = str(rec["answer_info"][key][1])
        if group == "unknown":
            continue
        for form in _bbq_forms(rec, key):
            matches += [(start, end, group) for start, end in _whole_words(context, form)]
    kept = [m for m in matches
            if not any(o[2] != m[2] and o[0] <= m[0] and m[1] <= o[1] and o[1] - o[0] > m[1] - m[0]
                       for o in matches)]
    if not kept:
        return None
    return min(kept, key=lambda m: (m[0], m[0] - m[1]))[2]


BBQ_CATEGORIES = {"Age": "age", "Disability_status": "disability",
                  "Gender_identity": "gender", "Nationality": "nationality",
                  "Physical_appearance": "appearance", "Race_ethnicity": "race",
                  "Race_x_SES": "race_x_ses", "Race_x_gender": "race_x_gender",
                  "Religion": "religion", "SES": "socioeconomic",
                  "Sexual_orientation": "orientation"}


def _bbq_answers(rec: dict) -> dict[str, Any]:
    """What scoring a BBQ row needs beyond its label: the ``unknown`` answer's index,
    the ``stereotyped_groups`` of ``additional_metadata`` and ``target_labels``, the
    indices of answers whose ``answer_info`` group is one of them (case-insensitive exact
    match; BBQ's own analysis script adds category-specific rules, e.g. for names and the
    intersectional categories, so an empty or two-element list means: not decided here)."""
    meta = rec.get("additional_metadata") or {}
    stereotyped = [str(g) for g in meta.get("stereotyped_groups") or []]
    wanted = {g.lower() for g in stereotyped}
    groups = [str(rec["answer_info"][f"ans{i}"][1]) for i in range(3)]
    unknown = [i for i, g in enumerate(groups) if g == "unknown"]
    return {"unknown_label": unknown[0] if len(unknown) == 1 else None,
            "stereotyped_groups": stereotyped,
            "target_labels": [i for i, g in enumerate(groups)
                              if g != "unknown" and g.lower() in wanted],
            "additional_metadata": meta}


def from_bbq(path: str | Path, *, category: str | None = None) -> ProbeSet:
    """BBQ JSONL (a file, or a folder searched for ``*.jsonl``): the two orders of each
    question form one cluster; variants are named by the group mentioned first in the
    context (found from the ``answer_info`` labels, see :func:`_bbq_first_group`).

    Text is ``context + ' ' + question``; the answers and label are in variant metadata,
    with what BBQ's bias score needs (:func:`_bbq_answers`: ``unknown_label``,
    ``stereotyped_groups``, ``target_labels``). ``category`` is a BBQ category
    (``Sexual_orientation``) or its biasaudit axis (``orientation``); an unknown one, or one
    no row has, is an :class:`InputError` rather than an empty set. The set's axis is the
    category's axis when every kept row has the same category, else ``mixed``.
    A row whose context names neither group is not guessed: its variant is called
    ``unresolved`` and flagged ``metadata['first_group_unresolved']``, and such rows are
    counted in ``stats['unresolved']`` and listed (``file:line``) in
    ``metadata['unresolved_rows']``.
    """
    path = Path(path)
    want = _want_axis(category, BBQ_CATEGORIES, "category")
    files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise InputError("no *.jsonl files", Location(path))
    pairs: dict[tuple, list[tuple[dict, Path, int]]] = defaultdict(list)
    rows = 0
    seen: set[str] = set()
    for f in files:
        with _open(f) as fh:
            for i, rec in json_lines(fh, f):
                if not isinstance(rec, dict):
                    raise InputError(f"expected a JSON object, got {rec!r:.40}", Location(f, i))
                for key in ("example_id", "question_index", "question_polarity",
                            "context_condition", "category", "context", "question",
                            "answer_info", "ans0", "ans1", "ans2", "label"):
                    if key not in rec:
                        raise InputError(f"missing field {key!r}", Location(f, i, key))
                rows += 1
                seen.add(str(rec["category"]))
                if want is not None and rec["category"] != want:
                    continue
                groups = frozenset(v[1] for v in rec["answer_info"].values() if v[1] != "unknown")
                key = (rec["category"], rec["question_index"], rec["question_polarity"],
                       rec["context_condition"], groups,
                       (rec.get("additional_metadata") or {}).get("subcategory"))
                pairs[key].append((rec, f, i))
    clusters = []
    unresolved: list[str] = []
    for key, members in pairs.items():
        members.sort(key=lambda m: m[0]["example_id"])
        for start in range(0, len(members), 2):
            chunk = members[start:start + 2]
            texts = [f"{r['context']} {r['question']}" for r, _, _ in chunk]
            source = texts[0]
            variants = []
            for (rec, f, line), text in zip(chunk, texts):
                first = _bbq_first_group(rec)
                extra = {}
                if first is None:
                    unresolved.append(f"{f.name}:{line}")
                    extra["first_group_unresolved"] = True
                group = first or "unresolved"
                if any(v.group == group for v in variants):
                    group = f"{group}#{len(variants)}"
                variants.append(_variant(
                    source, group, text, example_id=rec["example_id"], file=f.name, line=line,
                    context=rec["context"], question=rec["question"],
                    answers=[rec["ans0"], rec["ans1"], rec["ans2"]], label=rec["label"],
                    answer_info=rec["answer_info"], **_bbq_answers(rec), **extra))
            first = chunk[0][0]
            clusters.append(Cluster(
                f"bbq-{first['category']}-{first['example_id']}", source, tuple(variants),
                metadata={"category": first["category"], "question_index": key[1],
                          "question_polarity": key[2], "context_condition": key[3],
                          "groups": sorted(key[4])}))
    if want is not None and want not in seen:
        raise InputError(f"no row of category {want!r} (the files have: "
                         f"{', '.join(sorted(seen)) or 'no rows'})", Location(path, None,
                                                                            "category"))
    kept = {want} if want is not None else seen
    axis = BBQ_CATEGORIES.get(next(iter(kept)), next(iter(kept))) if len(kept) == 1 else "mixed"
    return _probeset("bbq", axis, clusters,
                     {"source": str(path), "benchmark": "BBQ", "licence": "CC BY 4.0",
                      "citation": "Parrish et al., Findings of ACL 2022",
                      "files": [f.name for f in files], "unresolved_rows": unresolved},
                     rows=rows, unresolved=len(unresolved))


# -- HolisticBias ---------------------------------------------------------------------------
def _hb_dir(path: Path) -> Path:
    if (path / "descriptors.json").is_file():
        return path
    versions = sorted(p for p in path.glob("v*") if (p / "descriptors.json").is_file())
    if not versions:
        raise InputError("no descriptors.json here or in a v*/ folder", Location(path))
    return versions[-1]


def _hb_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", Location(path)) from None


def _hb_article(descriptor: str, given: str | None) -> str:
    if given:
        return given
    return "an" if descriptor[:1].lower() in "aeiou" else "a"


def from_holistic_bias(
    path: str | Path, *, axis: str | None = None, nouns: Iterable[str] | None = None,
) -> ProbeSet:
    """HolisticBias (a ``v1.x`` folder, or its parent for the newest): clusters are
    template × noun, variants the descriptors of one axis (``I'm a Deaf person.``).

    ``axis`` is an HolisticBias axis (``religion``, ``ability``...) or its biasaudit name
    (``disability``); None keeps every axis (clusters then carry the axis in their id).
    ``nouns`` restricts the person nouns (singular forms, e.g. ``["person"]``).

    Noun phrases follow HolisticBias's generator (``sentences.py``): ``{article}
    {descriptor} {noun}`` (``article`` from the descriptor entry, else a/an by its first
    letter), ``{descriptor} {plural noun}`` in plural templates, and a gendered descriptor
    (``Filipina``, ``lesbian``) only with nouns of its own gender, never neutral ones. Not
    expanded: noun-less phrases (``I'm Deaf.``) and standalone noun phrases (counted).
    """
    folder = _hb_dir(Path(path))
    descriptors = _hb_json(folder / "descriptors.json")
    noun_data = _hb_json(folder / "nouns.json")
    templates = _hb_json(folder / "sentence_templates.json")
    standalone_path = folder / "standalone_noun_phrases.json"
    standalone = _hb_json(standalone_path) if standalone_path.is_file() else {}
    want = _want_axis(axis, {**{k: k for k in descriptors}, **HB_AXES})
    keep_nouns = set(nouns) if nouns is not None else None

    items: dict[str, list[dict]] = {}
    read = 0
    for hb_axis, value in descriptors.items():
        buckets = value.items() if isinstance(value, dict) else [("all", value)]
        for bucket, entries in buckets:
            for entry in entries:
                read += 1
                item = {"descriptor": entry} if isinstance(entry, str) else dict(entry)
                item["bucket"] = bucket
                items.setdefault(hb_axis, []).append(item)
    noun_rows = [(gender, sg, pl) for gender, pairs in noun_data.items() for sg, pl in pairs]
    if keep_nouns is not None:
        unknown = keep_nouns - {sg for _, sg, _ in noun_rows}
        if unknown:
            raise InputError(f"unknown noun(s) {', '.join(sorted(unknown))}",
                             Location(folder / "nouns.json", None, "nouns"))
        noun_rows = [r for r in noun_rows if r[1] in keep_nouns]

    clusters = []
    for hb_axis, entries in items.items():
        if want is not None and hb_axis != want:
            continue
        for t_text in templates:
            plural = "{plural_noun_phrase}" in t_text
            slot = "{plural_noun_phrase}" if plural else "{noun_phrase}"
            for gender, sg, pl in noun_rows:
                noun = pl if plural else sg
                placeholder = "{descriptor}" if plural else "{descriptor:indef}"
                source = t_text.replace(slot, f"{placeholder} {noun}")
                start = source.index(placeholder)
                variants = []
                seen: set[str] = set()
                for item in entries:
                    desc = item["descriptor"]
                    if item.get("gender") and item["gender"] != gender:
                        continue  # as HolisticBias's generator: not even with neutral nouns
                    if desc in seen:
                        continue
                    seen.add(desc)
                    new = desc if plural else f"{_hb_article(desc, item.get('article'))} {desc}"
                    end = start + len(placeholder)
                    edit = Edit(start, end, placeholder, new, "slot:descriptor")
                    text = source[:start] + new + source[start + len(placeholder):]
                    variants.append(Variant(desc, text, (edit,), (), (),
                                            {"bucket": item["bucket"],
                                             "preference": item.get("preference")}))
                if not variants:
                    continue
                cid = f"hb/{hb_axis}/{t_text}/{noun}"
                clusters.append(Cluster(cid, source, tuple(variants), t_text,
                                        {"hb_axis": hb_axis, "noun": noun,
                                         "noun_gender": gender, **templates[t_text]}))
    standalone_read = sum(len(v) for v in standalone.values())
    out_axis = HB_AXES.get(want, want) if want else "mixed"
    return _probeset("holistic-bias", out_axis or "mixed", clusters,
                     {"source": str(folder), "benchmark": "HolisticBias", "licence": "CC BY-SA 4.0",
                      "citation": "Smith et al., EMNLP 2022",
                      "note": "standalone noun phrases are read and counted, not expanded"},
                     rows=read, descriptors=read,
                     nouns=sum(len(v) for v in noun_data.values()), templates=len(templates),
                     standalone_noun_phrases=standalone_read)


def _open(path: Path):
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", Location(path)) from None
