"""The names of the religions on the religion axis (lexicon entries marked ``referent:
nonperson``): rewritten to each group in every language, left alone where they are not a
religion or are part of a name, and unsafe where the rewrite cannot be written (a branch, a
missing form, another grammatical gender that a word agrees with). See
docs/languages/{english,polish,vietnamese,norwegian}.md, "Identity axes"."""

from __future__ import annotations

from functools import cache

import pytest

from biasaudit import CounterfactualEngine

GROUPS = ("atheist", "buddhist", "christian", "hindu", "jewish", "muslim")


@cache
def engine(lang: str) -> CounterfactualEngine:
    if lang == "pl":
        pytest.importorskip("morfeusz2")
    return CounterfactualEngine(lang, "religion")


def rewrite(lang: str, text: str, group: str):
    e = engine(lang)
    return e.rewrite(text, e.plan(group))


def check(lang: str, text: str, group: str, expected: str) -> None:
    cf = rewrite(lang, text, group)
    if expected == "UNSAFE":
        assert not cf.safe, cf.text
    else:
        assert (cf.text, cf.safe) == (expected, True), cf.unsafe


# every group: one sentence per language, the religion's name after "converted to"
EVERY_GROUP = {
    "en": ("She converted to Islam last year.", "She converted to {} last year.",
           ("atheism", "Buddhism", "Christianity", "Hinduism", "Judaism", "Islam")),
    "pl": ("W zeszłym roku przeszła na islam.", "W zeszłym roku przeszła na {}.",
           ("ateizm", "buddyzm", "chrześcijaństwo", "hinduizm", "judaizm", "islam")),
    "nb": ("Hun konverterte til islam i fjor.", "Hun konverterte til {} i fjor.",
           ("ateismen", "buddhismen", "kristendommen", "hinduismen", "jødedommen", "islam")),
    "nn": ("Ho konverterte til islam i fjor.", "Ho konverterte til {} i fjor.",
           ("ateismen", "buddhismen", "kristendomen", "hinduismen", "jødedomen", "islam")),
    # atheism has no 'đạo X' name: unsafe
    "vi": ("Anh ấy đã cải sang đạo Hồi.", "Anh ấy đã cải sang {}.",
           (None, "đạo Phật", "đạo Cơ Đốc", "đạo Hindu", "đạo Do Thái", "đạo Hồi")),
}


@pytest.mark.parametrize(
    ("lang", "group"), [(lang, g) for lang in EVERY_GROUP for g in GROUPS]
)
def test_name_rewritten_to_every_group(lang: str, group: str) -> None:
    source, pattern, names = EVERY_GROUP[lang]
    name = names[GROUPS.index(group)]
    check(lang, source, group, "UNSAFE" if name is None else pattern.format(name))


@pytest.mark.parametrize(
    ("lang", "text", "group", "expected"),
    [
        # English: proper nouns keep their capital, atheism its lower case; possessives;
        # a sentence start; capitals and chat without capitals
        ("en", "Judaism's emphasis on study shaped him.", "muslim",
         "Islam's emphasis on study shaped him."),
        ("en", "Judaism's emphasis on study shaped him.", "atheist",
         "Atheism's emphasis on study shaped him."),
        ("en", "Atheism's appeal grew.", "christian", "Christianity's appeal grew."),
        ("en", "She rejected atheism.", "hindu", "She rejected Hinduism."),
        ("en", "In Islam, charity is a duty.", "buddhist", "In Buddhism, charity is a duty."),
        ("en", "Early Christianity spread fast.", "muslim", "Early Islam spread fast."),
        ("en", "He wrote a history of early Christianity.", "atheist",
         "He wrote a history of early atheism."),
        ("en", "Muslims practise Islam.", "buddhist", "Buddhists practise Buddhism."),
        ("en", "HE CONVERTED TO ISLAM", "atheist", "HE CONVERTED TO ATHEISM"),
        ("en", "He converted to ISLAM.", "atheist", "He converted to ATHEISM."),
        ("en", "is islam the fastest growing religion?", "jewish",
         "is judaism the fastest growing religion?"),
        # Polish: case forms after prepositions and nouns, same gender
        ("pl", "Napisał książkę o judaizmie.", "muslim", "Napisał książkę o islamie."),
        ("pl", "Wyznawcy islamu modlą się pięć razy dziennie.", "christian",
         "Wyznawcy chrześcijaństwa modlą się pięć razy dziennie."),
        ("pl", "Interesuje się buddyzmem.", "christian", "Interesuje się chrześcijaństwem."),
        ("pl", "Islam dotarł do Indonezji.", "buddhist", "Buddyzm dotarł do Indonezji."),
        ("pl", "Książka o wczesnym islamie.", "hindu", "Książka o wczesnym hinduizmie."),
        # Norwegian: definite by default, indefinite after an adjective, genitive -s
        ("nb", "Islam er en verdensreligion.", "christian", "Kristendommen er en verdensreligion."),
        ("nb", "Moderne islam er mangfoldig.", "christian", "Moderne kristendom er mangfoldig."),
        ("nb", "Boka handler om tidlig kristendom.", "muslim", "Boka handler om tidlig islam."),
        ("nb", "Kristendommens historie er lang.", "muslim", "Islams historie er lang."),
        ("nb", "Islams historie er lang.", "jewish", "Jødedommens historie er lang."),
        ("nn", "Kristendomen kom til Noreg rundt år 1000.", "muslim",
         "Islam kom til Noreg rundt år 1000."),
        # Vietnamese: after a verb of converting or leaving
        ("vi", "Ông ấy từ bỏ đạo Công giáo khi còn trẻ.", "jewish",
         "Ông ấy từ bỏ đạo Do Thái khi còn trẻ."),
        ("vi", "Cô ấy chuyển sang đạo Phật.", "muslim", "Cô ấy chuyển sang đạo Hồi."),
    ],
)
def test_names_in_context(lang: str, text: str, group: str, expected: str) -> None:
    check(lang, text, group, expected)


@pytest.mark.parametrize(
    ("lang", "text", "group"),
    [
        # English: other words, names of things, the religion's own adjectives
        ("en", "Islamabad is the capital of Pakistan.", "christian"),
        ("en", "She subscribes to Christianity Today.", "muslim"),
        ("en", "The Nation of Islam was founded in Detroit.", "christian"),
        ("en", "The Museum of Islamic Art is in Doha.", "jewish"),
        ("en", "Islamist parties won the vote.", "christian"),
        ("en", "the Islamic world", "hindu"),
        # Vietnamese: the religion itself, not a person's (no verb of converting before it)
        ("vi", "Đạo Hồi ra đời ở bán đảo Ả Rập vào thế kỷ thứ bảy.", "buddhist"),
        ("vi", "Chùa Một Cột là biểu tượng của đạo Phật ở Hà Nội.", "muslim"),
        ("vi", "Phật giáo du nhập vào Việt Nam từ rất sớm.", "muslim"),
        # Norwegian: a capital inside a sentence is a name; other words
        ("nb", "Islamabad er hovedstaden i Pakistan.", "christian"),
        ("nb", "Han leste om islamsk kunst.", "christian"),
    ],
)
def test_left_alone(lang: str, text: str, group: str) -> None:
    check(lang, text, group, text)


@pytest.mark.parametrize(
    ("lang", "text", "group"),
    [
        # a branch, or a name: a capitalised word right before the name
        ("en", "She practises Tibetan Buddhism.", "christian"),
        ("en", "Reform Judaism is liberal.", "muslim"),
        ("en", "Yusuf Islam sang it.", "christian"),
        # a compound of two religions
        ("en", "It grew out of Judeo-Christianity.", "muslim"),
        # several groups rewritten to one
        ("en", "She left Judaism for Islam.", "christian"),
        ("pl", "Mówiła o islamie i chrześcijaństwie.", "hindu"),
        # Polish: another gender where a word may agree (the verb, an adjective)
        ("pl", "Islam dotarł do Indonezji.", "christian"),
        ("pl", "Chrześcijaństwo dotarło na ziemie polskie.", "muslim"),
        ("pl", "Książka o wczesnym islamie.", "christian"),
        ("pl", "Przeszedł na islam sunnicki.", "christian"),
        # Norwegian: a compound (a branch)
        ("nb", "Flertallet bekjenner seg til sunni-islam.", "christian"),
        # Vietnamese: atheism has no 'đạo X' name
        ("vi", "Ông ấy từ bỏ đạo Công giáo khi còn trẻ.", "atheist"),
    ],
)
def test_unsafe(lang: str, text: str, group: str) -> None:
    cf = rewrite(lang, text, group)
    assert not cf.safe, cf.text
    if not any("several groups" in u for u in cf.unsafe):
        assert cf.text == text  # no broken text: the name's edit is left out
