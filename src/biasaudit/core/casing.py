"""Carry the case pattern of a replaced word over to its replacement."""

from __future__ import annotations


def transfer_case(template: str, word: str) -> str:
    """Write ``word`` in the case pattern of ``template`` (``He``→``She``, ``HE``→``SHE``).

    Patterns: all upper (two letters or more), title case per word, first letter upper,
    otherwise the lexicon's own spelling (which keeps proper names capitalised).
    """
    if not template or not word:
        return word
    if template.islower() and word.islower():
        return word
    letters = [c for c in template if c.isalpha()]
    if len(letters) > 1 and template.isupper():
        return word.upper()
    if template[0].isupper():
        tparts = template.split()
        wparts = word.split(" ")
        if len(tparts) > 1 and all(p[:1].isupper() for p in tparts):
            return " ".join(p[:1].upper() + p[1:] for p in wparts)
        return word[0].upper() + word[1:]
    if template.islower() and word[:1].isupper() and not word.isupper():
        # the lexicon writes a proper form (Mr, Lord); a lower-case source keeps lower case
        return word[0].lower() + word[1:] if word[1:].islower() else word
    return word
