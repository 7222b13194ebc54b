"""Vietnamese: kinship pronouns by seniority, proper-name vetoes, tone-mark placement, an
optional word segmenter, and family + middle + given names.

Vietnamese writes syllables, not words, between spaces; the lexicon lists whole words
(*con trai*, *đàn ông*) and the matcher takes the longest one first. What the lexicon
cannot say, this module decides:

* **Seniority.** Kinship terms are the pronouns (*anh* = elder brother / you / he). A swap
  keeps the seniority (*anh* ↔ *chị*, *ông* ↔ *bà*, *chú* ↔ *cô*, *cậu* ↔ *dì*). Two
  choices are options: ``third_person_female`` (*anh ấy* → *chị ấy*, the default, same
  seniority; or *cô ấy*, the usual "she" of news and translated text) and
  ``maternal_uncle_female`` (*cậu* → *dì*, default, the mother's sister; or *mợ*).
* **False hits.** A term written with a capital letter inside a sentence is part of a
  proper name (*nước Anh*, *Bà Rịa*, *Tuấn Anh*) and is left alone; fixed expressions
  (*tiếng Anh*, *cô đơn*, *bà con*, *chú ý*) are exclusions in the lexicon; one gives way
  to a following name (*anh Hùng*) or to a word its last syllable starts (*anh tài xế*,
  not *anh tài*). Southern *ba* / *má* are a parent only in context (*ba tôi*, *má ơi*;
  not *ba con gà*, three hens, or *hai má*, the cheeks). With
  ``segmenter="pyvi"`` (or ``"underthesea"``) a match must also start and end on word
  boundaries of the segmenter (*anh_hùng*, *cô_đơn* are one word each).
* **Noun phrases.** *đàn ông* takes the classifier *người* after a numeral or quantifier
  (*một phụ nữ* → *một người đàn ông*); *người góa vợ* drops *người* after a title (*bà
  góa phụ* → *ông góa vợ*). In ALL-CAPS text a bare *ANH* is read from the word before it
  (*THỦ TƯỚNG ANH* is England), and a swapped title before a name that is not swapped
  (*Bà Nguyễn Thị Lan* → *Ông Nguyễn Thị Lan*, names off) is marked unsafe, unless the
  name is a birth-order name given to either sex (*Ông Ba* → *Bà Ba*).
* **Tone marks.** *hòa* / *hoà*, *thủy* / *thuỷ*: both placements are accepted on input,
  and replacements are written in the placement the input text uses.
* **Names** (axis ``names``): *Văn* ↔ *Thị* and one-gender given names are swapped only
  inside a full name (family name + middle + given), after a kinship title (*anh Hùng*),
  or where the same given name was already swapped in the text, so one person keeps one
  name and place names (*Long An*, *Hà Nội*) are never touched.

The rules of the identity axes (nationality, religion, age, disability, orientation, and the
unsafe checks of the names axis) are in :mod:`biasaudit.languages.vietnamese_identity`; the
family names, gendered titles and word helpers both use are in
:mod:`biasaudit.languages.vietnamese_words`.

No tagger is needed by default, so the module runs offline at well over 20,000
sentences per second on one core; the segmenter is optional and imported lazily.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from ..core.casing import transfer_case
from ..core.grammar import Decision, Grammar, Rewrite, SwapPlan, at_sentence_start
from ..core.matcher import normalize_key
from ..core.types import Candidate, Match
from ..errors import ConfigError, MissingExtraError
from ..lexicons.registry import LexiconSet
from .names import Word, add_names, mark_titles_before_names, names_swapper
from .vietnamese_identity import VietnameseIdentityRules
from .vietnamese_words import GENDERED_TITLES, SURNAMES, WORD_AFTER, is_title_case, word_before

# -- tone-mark placement ----------------------------------------------------------------
# A syllable ending in the vowel pair oa, oe or uy (not qu + y) with no final consonant
# carries its tone mark on the first vowel in the traditional ("old") style (hòa, thủy)
# and on the second in the reformed ("new") style (hoà, thuỷ).
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_END = r"(?![\w\u0300-\u036f])"
_NFD_OLD = re.compile(
    rf"(?<![qQ])([oO])([{_TONES}])([aAeE]){_END}|(?<![qQ])([uU])([{_TONES}])([yY]){_END}"
)
_NFD_NEW = re.compile(rf"([oO])([aAeE])([{_TONES}]){_END}|(?<![qQ])([uU])([yY])([{_TONES}]){_END}")
_NFC_OLD = re.compile(r"(?<![qQ])[òóỏõọÒÓỎÕỌ][aeAE](?!\w)|(?<![qQ])[ùúủũụÙÚỦŨỤ][yY](?!\w)")
_NFC_NEW = re.compile(r"[oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ](?!\w)|(?<![qQ])[uU][ỳýỷỹỵỲÝỶỸỴ](?!\w)")

OLD, NEW = "old", "new"


def _old_to_new(m: re.Match[str]) -> str:
    # o + tone + a  →  o + a + tone
    a, t, b = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
    return a + b + t


def _new_to_old(m: re.Match[str]) -> str:
    # o + a + tone  →  o + tone + a
    a, b, t = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
    return a + t + b


def restyle_tones(text: str, style: str) -> str:
    """Write every oa/oe/uy syllable of ``text`` in tone-mark ``style`` (``old``/``new``).

    >>> restyle_tones("hòa thủy", "new")
    'hoà thuỷ'
    """
    nfd = unicodedata.normalize("NFD", text)
    pattern, fix = (_NFD_OLD, _old_to_new) if style == NEW else (_NFD_NEW, _new_to_old)
    return unicodedata.normalize("NFC", pattern.sub(fix, nfd))


def tone_style(text: str) -> str | None:
    """The tone-mark placement ``text`` uses (the first variable syllable), or None."""
    old = _NFC_OLD.search(text)
    new = _NFC_NEW.search(text)
    if old and new:
        return OLD if old.start() < new.start() else NEW
    return OLD if old else NEW if new else None


# -- sentence and name context ------------------------------------------------------------


_SYLLABLE = re.compile(r"\w+")
_DEGREE_WORDS = frozenset("rất khá thật hơi trông nhìn quá cực thì là".split())

# Words that stand before a given name as a title (anh Hùng, bà Lan, em Mai).
NAME_TITLES = frozenset(
    """
anh chị em ông bà cô chú bác cậu dì mợ thím cụ thầy bạn bé cháu con chàng nàng giáo
""".split()
)

# Words after a kinship term that show it is a kinship noun (cô tôi = my aunt), not "she".
KIN_FOLLOWERS = frozenset(
    """
tôi mình em anh chị nó của ấy ta ruột họ út cả giáo hai ba bé nhỏ
""".split()
)

# Words after a bare cô that show she is a teacher (→ thầy, not chú).
TEACHER_FOLLOWERS = frozenset("dạy giảng hiệu chủ chấm giám".split())
# ... and phrases anywhere in the text that show a classroom, where a bare cô that is not
# followed by a possessor (cô tôi) is the teacher too: Cô nhắc lại lần cuối: cả lớp ...
_CLASSROOM = re.compile(
    r"(?<!\w)(?:cả lớp|bài cũ|bài tập|bài kiểm tra|kiểm tra bài|mở sách|sách giáo khoa|"
    r"vở bài|vở ghi|quyển vở|cuốn vở|lên bảng|trả bài|chấm bài|tiết học|giờ học|"
    r"nộp bài|làm bài|học bài|bài văn|chính tả|giờ ra chơi|bục giảng|"
    r"lớp \d+[a-z]\d*)(?!\w)"
)
# Occupations after a bare cô that make it a young woman named by her job (cô lễ tân, cô y
# tá): the man is anh (anh lễ tân), not the aunt's chú.
YOUNG_JOBS = frozenset(
    w.replace("_", " ")
    for w in """
lễ_tân y_tá điều_dưỡng tiếp_viên nhân_viên thư_ký phục_vụ thu_ngân hướng_dẫn phóng_viên
người_mẫu ca_sĩ diễn_viên kế_toán dược_sĩ bác_sĩ trợ_lý thực_tập biên_tập tư_vấn
shipper
""".split()
)
# Titles of a young person before which a later bare cậu in the text is the same boy or
# young man (Cậu bé kể rằng mẹ cậu ...: cậu = he → cô), not the mother's brother.
_YOUNG_CAU = frozenset(
    "cau-ay cau-ta cau-be cau-nhoc cau-con-trai cau-ban cau-ban-trai cau-em-trai "
    "cau-sinh-vien cau-hoc-sinh cau-hoc-tro".split()
)
# tớ (I, between young friends) makes a bare cậu the friend ("you", either sex), not the
# mother's brother: Tớ bảo cậu rồi mà. (cậu tớ, cậu tôi: still the uncle)
_PEER_I = re.compile(r"(?<!\w)tớ(?!\w)", re.IGNORECASE)

# An exclusion that starts with a term gives way when its last syllable and the next one
# form a word: anh tài (talent) in anh tài xế (the driver), anh đào (cherry) in anh đào
# tạo (he trains), chú thích (a note) in chú thích uống trà (uncle likes tea), cha ông
# (forefathers) in cha ông ấy (his father; but cha ông ta: our forefathers). The title is
# then matched on its own.
RUN_ON_WORDS = frozenset(
    w.replace("_", " ")
    for w in """
tài_xế tài_giỏi tài_trợ tài_khoản tài_liệu tài_chính tài_sản đào_tạo đào_thải dũng_cảm
hùng_hổ hùng_hồn hào_hứng hào_phóng hào_hoa minh_bạch minh_họa minh_chứng minh_mẫn
minh_oan linh_hoạt linh_tinh linh_động linh_cảm thư_giãn thư_ký thư_viện thư_thái kiệt_sức
kiệt_quệ túc_trực đơn_giản đơn_thuần độc_thân lập_tức lập_trình lập_gia lập_nghiệp lập_kế
lập_công đặc_biệt đặc_sản hồn_nhiên hồn_hậu thích_ăn thích_uống thích_đi thích_xem
thích_nghe thích_chơi thích_đọc thích_nhất thích_gì giải_thích giải_quyết tâm_sự cố_gắng
cố_ý cố_tình bầu_cử ông_ấy
""".split()
)

# Birth-order names (Southern thứ: Hai is the eldest, then Ba, Tư ...; Út the youngest;
# Northern Cả the eldest): given to either sex, so any title fits them (ông Ba ↔ bà Ba).
BIRTH_ORDER_NAMES = frozenset("Cả Hai Ba Tư Năm Sáu Bảy Bẩy Tám Chín Mười Út".split())


def _name_after(text: str, end: int) -> Word | None:
    """The title-case word after a title that ends at ``end`` and one space or tab (*Bà
    Lan*, *anh Hùng*): a name, which the gender axis does not swap. An ALL-CAPS word is not
    taken for a name (*ANH ĐI*), nor a birth-order name on its own (*chú Tư*, but *chị Út
    Lan* has a given name after it)."""
    # cheap test first: a space and a capital letter follow
    if end + 1 >= len(text) or not text[end + 1].isupper() or text[end] not in " \t":
        return None
    after = WORD_AFTER.match(text, end)
    if after is None or not is_title_case(after.group(1)):
        return None
    name = after.group(1)
    if name in BIRTH_ORDER_NAMES:
        nxt = WORD_AFTER.match(text, after.end())
        if nxt is None or not is_title_case(nxt.group(1)):
            return None
    return name, after.start(1)


def _names_a_place(text: str, surname: re.Match[str] | None) -> bool:
    """Whether the full name starting with ``surname`` follows a word that makes it the
    name of a place (PLACE_WORDS: *đường Nguyễn Văn Cừ*)."""
    before = word_before(text, surname.start(1)) if surname else None
    return bool(before and before.group(1).casefold() in PLACE_WORDS)


def _middle_name_note(text: str, name: Word) -> str | None:
    """For a full name whose middle name marks a gender (*Nguyễn Thị Lan*), say so: after
    the swap the middle name marks the other gender than the new title."""
    if name[0] not in SURNAMES:
        return None
    nxt = WORD_AFTER.match(text, name[1] + len(name[0]))
    middle = nxt.group(1) if nxt else ""
    if middle not in ("Thị", "Văn"):
        return None
    return (
        f"the name {name[0]} {middle} ..., whose middle name {middle} marks the other "
        "gender: names are not swapped (option names=True)"
    )


# Words before a full name that make it the name of a place (Đường Nguyễn Văn Cừ, trường
# Nguyễn Thị Minh Khai): a street or a school keeps its name on the names axis.
PLACE_WORDS = frozenset(
    "đường phố ngõ hẻm ngách kiệt lộ trường thpt thcs cầu phường xã quận huyện chợ lăng đền "
    "tượng bến".split()
)

# Southern ba (father; also the number three) and má (mother; also the cheek) name a
# parent only in these contexts (_names_a_parent): before a vocative, a possessor or a
# verb (Ba ơi, ba tôi, má chồng, ba con đi làm, má kêu), or at the end of a phrase after
# a word that addresses or governs a person (Con thưa ba, ...; Con nhớ má lắm).
_PARENT_CALL = frozenset("ơi ới à ạ nè".split())
_PERSONAL_OWNER = frozenset("tôi tui tao mày nó của".split())
_PARENT_OWNER = _PERSONAL_OWNER | frozenset("mình chồng vợ ruột nuôi đẻ dượng họ".split())
# possessors that are also counted nouns: ba con đi làm (your dad), ba con gà (three hens)
_PARENT_OWNER_NOUN = frozenset("con em anh chị cháu cô chú cậu dì bác".split())
_PARENT_VERB = frozenset(
    "đang đã sẽ vừa mới không chưa chẳng chả có là cũng vẫn đi về nói bảo kêu dặn hỏi làm "
    "ở đâu rất luôn thường biết muốn cần".split()
)
_PARENT_GOVERNOR = frozenset(
    "thưa chào lạy mời cho với của giúp nhớ thương gọi hỏi theo giống bên cạnh yêu".split()
)
_PHRASE_END = frozenset("lắm quá nhiều nhé nha ạ à".split())
# before ba: a numeral's context (thứ ba, lớp ba, hai ba, cả ba) or a title (anh ba: the
# third child); verbs of having or counting (có ba vợ: three wives)
_NUMBER_BEFORE = frozenset(
    "thứ lớp tháng tầng hạng số phần giải chương bài phòng mùng mồng khối tập kỳ quý một hai "
    "mười mươi trăm nghìn ngàn vạn triệu tỷ tỉ lần đợt vòng cấp ngày hàng dăm vài cả "
    "anh chị ông bà cô chú bác cậu dì mợ thím thằng".split()
)
_COUNT_VERBS = frozenset("có lấy cưới gồm sinh đẻ nuôi mua bán mất còn".split())
# around má: the cheek (hai má, gò má, hôn lên má; má cô ấy ửng hồng)
_CHEEK_BEFORE = frozenset("hai đôi gò cặp xương bầu hôn thơm véo nựng tát lên vào".split())
_CHEEK_AFTER = frozenset("hồng ửng đỏ lúm phính phúng hóp nóng bừng núng căng".split())
# A capitalised Nam at the start of a sentence before a verb is the given name (Nam học lớp
# 10), not the adjective "male" (Nam ca sĩ ...).
_NAME_NAM_NEXT = _PARENT_VERB | frozenset("học cười nhìn thích ơi".split())
# the surfaces _context_readings looks at (ba / má / cậu / ck, as written in text)
_CONTEXT_SURFACES = frozenset(
    v for w in ("ba", "má", "cậu", "ck") for v in (w, w.capitalize(), w.upper())
)
# Chat ck is the husband (chồng) only before a call or a possessor that a number or a
# transfer word does not follow (ck ơi, ck e đi công tác, nhà ck), not chuyển khoản (ck cho
# e, ck e 500k, đã ck).
_VK = re.compile(r"(?<!\w)[vV]k(?!\w)")
_CK_CALL = frozenset("ơi ới yêu à ạ".split())
_CK_OWNER = frozenset("e em t tôi tớ mình c chị tao m mày nó bạn b".split())
_CK_BEFORE = frozenset("vk nhà của với vs và bên".split())
_CK_NOT_AFTER_OWNER = frozenset("tiền khoản qua lại trước sau số stk".split())
# nam / nữ joined to each other (Nam/Nữ, cả nam lẫn nữ, nam và nữ): both sexes, kept
_NAM_NU_PAIR = re.compile(
    r"(?<!\w)(nam|nữ)[ \t]*(?:/|-|–|&|\+|\b(?:và|lẫn|hay|hoặc|hoặc là|với|cũng như)\b)[ \t]*"
    r"(nam|nữ)(?!\w)",
    re.IGNORECASE,
)
# Female biology that a man cannot share: a swap in a text that has it reads "a pregnant
# man" (phụ nữ có thai → đàn ông có thai), so the result is marked unsafe.
_FEMALE_BIOLOGY = re.compile(
    r"(?<!\w)(?:có thai|mang thai|có bầu|mang bầu|có mang|thai phụ|thai kỳ|thai nhi|"
    r"cho con bú|sảy thai|phá thai|kinh nguyệt|hành kinh|mãn kinh|sinh nở|"
    r"chuyển dạ|đẻ mổ|sinh mổ|ở cữ|thai sản|sữa mẹ)(?!\w)",
    re.IGNORECASE,
)
# Giving birth (sinh con, sinh đôi, sinh được ba người con; đẻ after an aspect word or a
# person: vừa đẻ, chị ấy đẻ). The word before sinh must not make it another word (học
# sinh, vệ sinh em bé, hy sinh con), and đẻ is not the birth mother, the mother tongue or
# laying eggs (mẹ đẻ, tiếng mẹ đẻ, cha đẻ, nơi đẻ, đẻ trứng, đẻ ra: to give rise to).
_BIRTH = re.compile(
    r"(?<!\w)(?:(\w+)[ \t]+)?(sinh[ \t]+(?:con|em bé|đôi|ba|tư|non|"
    r"được(?=[ \t]+(?:\d|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mấy|vài|con|đứa|bé|cháu))"
    r")|đẻ)(?!\w)(?![ \t]+(?:trứng|ra|non ra)(?!\w))",
    re.IGNORECASE,
)
_NOT_BIRTH_SINH = frozenset(
    "học phát nảy hy hi vệ giáng sản tái hồi ký kí cộng sơ song sát phóng tiên thư chúng "
    "môn nữ nam thí trọ dưỡng lưu tân hậu tiền nghiên sư hộ mong muốn ước".split()
)
_BIRTH_DE_AFTER = frozenset(
    "vừa mới đã sắp sẽ đang chưa không ấy ta nó vợ chị cô bà mụ mợ thím dì em".split()
)
# Male biology that a woman cannot share: a swap to the female reads "her prostate".
_MALE_BIOLOGY = re.compile(
    r"(?<!\w)(?:tuyến tiền liệt|tinh hoàn|dương vật|cương dương|xuất tinh|tinh trùng)(?!\w)",
    re.IGNORECASE,
)


# syllables one of the two patterns above needs (a cheap test of the lower-cased text first)
_BIOLOGY_SYLLABLES = re.compile("thai|bầu|mang|bú|kinh|sinh|dạ|đẻ|cữ|sữa")


def _female_biology(text: str) -> str | None:
    """The words of ``text`` that say something only a woman can do or have, or None."""
    if not _BIOLOGY_SYLLABLES.search(text.lower()):
        return None
    found = _FEMALE_BIOLOGY.search(text)
    if found:
        return found.group()
    for m in _BIRTH.finditer(text):
        before = (m.group(1) or "").casefold()
        if m.group(2) and m.group(2)[:4].casefold() == "sinh":
            if before not in _NOT_BIRTH_SINH:
                return m.group(2)
        elif before in _BIRTH_DE_AFTER:
            return m.group(2)
    return None


# Words before quý cô that make it the noun "a lady" (not quý + cô: to be fond of her)
_LADY_BEFORE = frozenset("một những các vị mấy hai ba nàng là này".split())
# Royal titles before a name (Vua Quang Trung, Nữ hoàng Elizabeth): swapped without the
# name, so checked like the kinship titles (only here: the identity axes keep theirs).
ROYAL_TITLES = frozenset(
    {"vua", "nhà vua", "nữ hoàng", "hoàng hậu", "hoàng đế", "nữ hoàng đế", "hoàng tử",
     "công chúa", "quý cô"}
)
_CHECKED_TITLES = GENDERED_TITLES | ROYAL_TITLES
# A capitalised title inside a sentence before a name (Hai Bà Trưng, Bà Triệu, Vua Hùng)
# is kept as part of the name; another swapped word may be about the same person (những
# nữ anh hùng → nam anh hùng), so such a swap is marked unsafe. Place names (chợ Bà Chiểu,
# cầu Ông Lãnh) are skipped by the word before them.
_KEPT_TITLE = re.compile(
    r"(Bà|Ông|Cô|Chú|Cậu|Dì|Thầy|Chị|Bác|Vua|Nữ hoàng|Hoàng hậu|Công chúa|"
    r"Hoàng tử)[ \t]+(\w+)"
)  # (after a space or a tab: checked on each match, cheaper than a lookbehind)


# The last word before an opening quotation mark that makes the quote the title of a work
# (bài hát “Cô gái vót chông”, phim “Bố già”, truyện “Vợ nhặt”): its words are kept.
WORK_NOUNS = frozenset(
    "bài hát khúc thơ phim truyện ngắn thuyết cuốn sách phẩm vở kịch album báo chí tranh "
    "game show mv trình ký tập tựa đề".split()
)
_WORD_BEFORE_QUOTE = re.compile(r"(\w+)[ \t]*$")
_CURLY_OPEN = "“«„‘"
_CURLY_CLOSE = "”»’"
_STRAIGHT_QUOTES = "\"'"
_OPEN_QUOTES = _CURLY_OPEN + _STRAIGHT_QUOTES


def _next_words(text: str, pos: int, n: int) -> list[str]:
    """Up to ``n`` words after ``pos`` (case-folded), up to the next punctuation mark."""
    words: list[str] = []
    for _ in range(n):
        after = WORD_AFTER.match(text, pos)
        if after is None:
            break
        words.append(after.group(1).casefold())
        pos = after.end()
    return words


def _names_a_husband(text: str, match: Match) -> bool:
    """Whether chat *ck* is the husband here, not *chuyển khoản* (a bank transfer)."""
    if match.text not in ("ck", "Ck"):
        return False
    before = word_before(text, match.start)
    if before and before.group(1).casefold() in _CK_BEFORE:
        return True
    if _VK.search(text):
        return True  # vk ơi, tối nay ck về muộn: the couple's chat
    nxt = _next_words(text, match.end, 2)
    if not nxt:
        return False
    if nxt[0] in _CK_CALL:
        return True
    if nxt[0] in _CK_OWNER:
        return len(nxt) > 1 and not nxt[1][:1].isdigit() and nxt[1] not in _CK_NOT_AFTER_OWNER
    return False


def _names_a_parent(text: str, match: Match, father: bool) -> bool:
    """Whether southern *ba* (``father``) or *má* names a parent here, not the number three
    or the cheek (see the word lists above)."""
    before = word_before(text, match.start)
    prev = before.group(1).casefold() if before else ""
    if prev in (_NUMBER_BEFORE if father else _CHEEK_BEFORE):
        return False
    nxt = _next_words(text, match.end, 4)
    first = nxt[0] if nxt else ""
    if first in _PARENT_CALL or first in _PARENT_VERB:
        return True
    if first in _PARENT_OWNER or first in _PARENT_OWNER_NOUN:
        if father and prev in _COUNT_VERBS and first not in _PERSONAL_OWNER:
            return False  # có ba vợ, nuôi ba con: three
        if not father and any(w in _CHEEK_AFTER for w in nxt[1:]):
            return False  # má cô ấy ửng hồng: her cheeks
        if first in _PARENT_OWNER:
            return True
        rest = nxt[1:]
        if rest and rest[0] in ("ấy", "ta"):
            rest = rest[1:]
        return bool(rest) and rest[0] in _PARENT_VERB
    return (not nxt or first in _PHRASE_END) and prev in _PARENT_GOVERNOR


# Numerals and quantifiers after which a person noun needs the classifier người: một phụ
# nữ → một người đàn ông (*một đàn ông is ungrammatical; phụ nữ takes them directly).
QUANTIFIERS = frozenset(
    """
một hai ba bốn năm sáu bảy bẩy tám chín mười mươi trăm nghìn ngàn vạn triệu tỷ tỉ
những các mấy mỗi vài từng mọi bao nhiêu
""".split()
)
_CLASSIFIED = {"đàn ông": "người đàn ông"}
# male forms written differently by context: đàn ông (classifier), người góa vợ (title)
_NEEDS_CONTEXT = frozenset({"đàn ông", "người góa vợ"})

# Words before a bare ANH in ALL-CAPS text that make it England (the capital is lost):
# THỦ TƯỚNG ANH, NỮ HOÀNG ANH, NƯỚC ANH, NGOẠI HẠNG ANH.
ENGLAND_BEFORE = frozenset(
    """
nước tiếng vua tuyển hạng phủ vương gia sứ trưởng tướng hoàng bảng quân xứ
""".split()
)
# ... and a word that leaves it open (NGƯỜI ANH: an Englishman or the elder brother).
ENGLAND_OPEN = frozenset("người".split())
# Sentence-initial Anh followed by these is the country: Anh là một quốc gia ở châu Âu.
_COUNTRY_AFTER = re.compile(
    r"[ \t]+(?:là[ \t]+(?:một[ \t]+(?:trong[ \t]+những[ \t]+)?)?"
    r"(?:quốc[ \t]+gia|nước|đất[ \t]+nước|vương[ \t]+quốc|cường[ \t]+quốc|xứ[ \t]+sở)"
    r"|nằm[ \t]+ở[ \t]+(?:châu[ \t]+âu|tây[ \t]+âu|tây[ \t]+bắc[ \t]+châu[ \t]+âu))"
    r"(?!\w)",
    re.IGNORECASE,
)

_SEGMENTERS = ("pyvi", "underthesea")


@lru_cache(maxsize=1)
def _pyvi_tokenize() -> Callable[[str], str]:
    try:
        from pyvi import ViTokenizer
    except ImportError as exc:
        raise MissingExtraError("pyvi", "vi", "Vietnamese word segmentation") from exc
    return ViTokenizer.tokenize


@lru_cache(maxsize=1)
def _underthesea_tokenize() -> Callable[[str], list[str]]:
    try:
        from underthesea import word_tokenize
    except ImportError as exc:
        raise ImportError(
            "segmenter='underthesea' needs the package 'underthesea' (pip install "
            "underthesea; it imports torch, so it is not part of an extra). "
            "segmenter='pyvi' (pip install 'biasaudit[vi]') is lighter."
        ) from exc
    return word_tokenize


def word_spans(text: str, segmenter: str) -> list[tuple[int, int]]:
    """Character spans of the words ``segmenter`` finds in ``text`` (syllables joined)."""
    if segmenter == "pyvi":
        words = [w.replace("_", " ") for w in _pyvi_tokenize()(text).split()]
    else:
        words = list(_underthesea_tokenize()(text))
    spans: list[tuple[int, int]] = []
    pos = 0
    for word in words:
        syllables = word.split()
        if not syllables:
            continue
        first = text.find(syllables[0], pos)
        if first < 0:
            continue
        end = first + len(syllables[0])
        for syl in syllables[1:]:
            nxt = text.find(syl, end)
            if nxt < 0 or text[end:nxt].strip():
                break
            end = nxt + len(syl)
        spans.append((first, end))
        pos = end
    return spans


# RUN_ON_WORDS in both tone-mark placements (minh họa / minh hoạ)
_RUN_ON_SPELLINGS = RUN_ON_WORDS | {restyle_tones(w, NEW) for w in RUN_ON_WORDS}


class VietnameseGrammar(Grammar):
    """Vietnamese rules on top of the lexicon (see the module docstring).

    Options (``CounterfactualEngine("vi", options={...})``):

    * ``third_person_female``: ``"chị ấy"`` (default) or ``"cô ấy"``: what *anh ấy* /
      *anh ta* (and, with ``"cô ấy"``, a bare *anh*) become.
    * ``maternal_uncle_female``: ``"dì"`` (default) or ``"mợ"``: what *cậu* becomes.
    * ``segmenter``: ``None`` (default: lexicon and exclusions only), ``"pyvi"`` or
      ``"underthesea"``: also require matches to be whole words of the segmenter.
    * ``names``: ``False`` (default) or ``True``: on the gender axis, also swap names with
      the ``names`` lexicon in the same pass (*anh Hùng* → *chị Lan*).
    """

    language = "vi"

    def __init__(
        self,
        lexicons: LexiconSet,
        *,
        third_person_female: str = "chị ấy",
        maternal_uncle_female: str = "dì",
        segmenter: str | None = None,
        names: bool = False,
    ) -> None:
        super().__init__(lexicons)
        if third_person_female not in ("chị ấy", "cô ấy"):
            raise ConfigError("option third_person_female must be 'chị ấy' or 'cô ấy', "
                              f"not {third_person_female!r}")
        if maternal_uncle_female not in ("dì", "mợ"):
            raise ConfigError("option maternal_uncle_female must be 'dì' or 'mợ', "
                              f"not {maternal_uncle_female!r}")
        if segmenter is not None and segmenter not in _SEGMENTERS:
            raise ConfigError(f"option segmenter must be none or one of "
                              f"{', '.join(_SEGMENTERS)}, not {segmenter!r}")
        self.female_title = third_person_female.split()[0]  # "chị" or "cô"
        self.maternal_uncle_female = maternal_uncle_female
        self.segmenter = segmenter
        if segmenter == "pyvi":
            _pyvi_tokenize()  # fail now, not on the first text
        elif segmenter == "underthesea":
            _underthesea_tokenize()
        self._vi_order = {e.id: i for i, e in enumerate(lexicons.entries)}
        # the other axes (nationality, religion, age, disability, orientation, names) have
        # their own rules
        self._identity: VietnameseIdentityRules | None = None
        if lexicons.axis != "gender":
            self._identity = VietnameseIdentityRules(lexicons, self.spellings)
        self._name_swapper = names_swapper(self) if names and lexicons.axis == "gender" else None
        if self._name_swapper is not None:
            # on the names axis alone, a title before a swapped name stays and would mark the
            # other gender; inside the gender axis (names=True) the gender pass swaps it
            self._name_swapper[0]._identity.titles_stay = False
        self._vi_exclusions = {normalize_key(x.text): x.text for x in lexicons.exclusions}
        self._vi_exclusion_keys = frozenset(
            normalize_key(s) for x in lexicons.exclusions for s in self.spellings(x.text)
        )
        self._gender_axis = lexicons.axis == "gender"
        # a swapped title before an unswapped name is unsafe (with names on, names swap)
        self._check_titles = self._gender_axis and self._name_swapper is None
        terms: dict[str, tuple[Candidate, ...]] = {}
        for entry in lexicons.entries:
            for group, forms in entry.forms.items():
                if lexicons.matched(entry, group):
                    for form in forms:
                        for spelling in self.spellings(form):
                            key = normalize_key(spelling)
                            terms[key] = (*terms.get(key, ()), Candidate(entry, group))
        self._vi_terms = terms

    # -- text conventions -----------------------------------------------------------------
    def wants(self, text: str) -> bool:
        """With ``names=True``, a text with no gender term may still hold a name to swap
        (*Tôi gặp Nguyễn Văn Hùng.*)."""
        return self._name_swapper is not None

    def spellings(self, form: str) -> tuple[str, ...]:
        """Accept both tone-mark placements (hòa / hoà) of every lexicon form."""
        variants = dict.fromkeys((form, restyle_tones(form, OLD), restyle_tones(form, NEW)))
        return tuple(variants)

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        """Names need a capital letter; any other term written with a capital letter inside
        a sentence belongs to a proper name (*nước Anh*, *Bà Rịa*, *Tuấn Anh*). The
        capital-letter rule is for the gender axis only; the other axes have their own
        (``VietnameseIdentityRules.accept`` in :mod:`.vietnamese_identity`)."""
        if all(c.entry.pos == "name" for c in candidates):
            return text[start].isupper()
        if self._identity is not None:
            return self._identity.accept(text, start, end, candidates)
        if text[start].isupper():
            surface = text[start:end]
            if is_title_case(surface):
                if not at_sentence_start(text, start):
                    return False
                if surface in ("Nam", "Nữ"):
                    after = WORD_AFTER.match(text, end)
                    if after and is_title_case(after.group(1)):
                        return False  # Nam Định, Nam Cao: part of a proper name
                if surface == "Nam":  # Nam học lớp 10: the given name before a verb
                    return not self._given_name_nam(text, end)
                # Anh là một quốc gia ...: sentence-initial Anh is England here
                return surface != "Anh" or not _COUNTRY_AFTER.match(text, end)
            if surface == "ANH":  # ALL CAPS: the capital cue is gone; the context decides
                if _COUNTRY_AFTER.match(text, end):
                    return False
                before = word_before(text, start)
                return not (before and before.group(1).casefold() in ENGLAND_BEFORE)
        return True

    @staticmethod
    def _aunt_in_text(text: str, matches: list[Match]) -> bool:
        """Whether a *cô* of the text is followed by a possessor (*cô tôi*: my aunt)."""
        for m in matches:
            if m.text.casefold() == "cô":
                nxt = _next_words(text, m.end, 1)
                if nxt and nxt[0] in KIN_FOLLOWERS:
                    return True
        return False

    @staticmethod
    def _given_name_nam(text: str, end: int) -> bool:
        """A sentence-initial *Nam* is the given name before a verb (*Nam học lớp 10*) or
        a comma that is not followed by *nữ* (*Nam, 25 tuổi, ...*, but *Nam, nữ đều ...*)."""
        nxt = _next_words(text, end, 1)
        if nxt:
            return nxt[0] in _NAME_NAM_NEXT
        if text[end : end + 1] == ",":
            return _next_words(text, end + 1, 1) != ["nữ"]
        return False

    # -- decisions ------------------------------------------------------------------------
    def choose(self, text: str, match: Match, plan: SwapPlan, matches: list[Match]) -> Decision:
        """Resolve shared forms: *cô* after *cô ấy* is "she" (→ *anh*), before *dạy*,
        *hiệu trưởng* ... a teacher (→ *thầy*), otherwise by lexicon order the aunt (→ *chú*).
        Then apply the options for the female forms of *anh ấy*, *anh ta*, *anh*, *cậu*."""
        cands = match.candidates
        folded = match.text.casefold()
        if (
            folded == "cậu"
            and plan.target_of("male") == "female"
            and self._refers_to_young_cau(text, match, matches)
        ):
            # cậu bé ... mẹ cậu: the same boy → cô
            return Decision(transfer_case(match.text, "cô"), cands[0], "vi.coreference")
        if folded == "cô" and len(cands) > 1 and self._job_after(text, match.end):
            anh = self._vi_terms.get("anh", ())
            if anh and plan.target_of("female") == "male":
                return Decision(transfer_case(match.text, "anh"), anh[0], "vi.young_job")
        if match.text.casefold() == "cô" and self._refers_to_co_ay(text, match, matches):
            anh = self._vi_terms.get("anh", ())
            if anh and plan.target_of("female") == "male":
                return Decision(transfer_case(match.text, "anh"), anh[0], "vi.coreference")
        if len({c.entry.id for c in cands}) > 1:
            teacher = [c for c in cands if c.entry.id == "thay"]
            after = next_word = WORD_AFTER.match(text, match.end)
            if after and is_title_case(after.group(1)):  # cô Lan dạy toán: skip the name
                after = WORD_AFTER.match(text, after.end())
            if teacher and (
                (after and after.group(1).casefold() in TEACHER_FOLLOWERS)
                # in a classroom, unless the text has the aunt (cô tôi)
                or (
                    not (next_word and next_word.group(1).casefold() in KIN_FOLLOWERS)
                    and _CLASSROOM.search(text.casefold()) is not None
                    and not self._aunt_in_text(text, matches)
                )
            ):
                cands = (teacher[0],)  # cô dạy toán, cô hiệu trưởng: the teacher → thầy
            first = min(cands, key=lambda c: self._vi_order.get(c.entry.id, 1 << 30))
            cands = (first,)
            match = Match(match.start, match.end, match.text, cands)
        decision = super().choose(text, match, plan, matches)
        cand = decision.candidate
        if decision.new is None or cand is None:
            return decision
        target = plan.target_of(cand.group)
        if target == "male" and cand.group != "male":
            if decision.new in _NEEDS_CONTEXT:
                return self._male_noun_phrase(text, match, decision)
            return decision
        if target != "female" or cand.group == "female":
            return decision
        entry_id = cand.entry.id
        if self.female_title == "cô" and entry_id in ("anh-ay", "anh-ta", "anh"):
            new = "cô" + decision.new[len("chị") :]
            return Decision(new, cand, "vi.option.third_person_female")
        if entry_id == "cau" and self.maternal_uncle_female != decision.new:
            return Decision(self.maternal_uncle_female, cand, "vi.option.maternal_uncle")
        return decision

    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        """Filter matches (segmenter, name context), decide them, then write every
        replacement in the tone-mark placement of the input text."""
        # one cheap pass says which of the filters below have anything to do
        excluded = contextual = False
        if self._gender_axis:
            for m in matches:
                if not m.candidates:
                    excluded = True
                elif m.text in _CONTEXT_SURFACES:
                    contextual = True
        if excluded and self._vi_exclusions:
            matches = self._revised_exclusions(text, matches)
            contextual = any(m.text in _CONTEXT_SURFACES for m in matches)
        if self._gender_axis and ("quý" in text or "Quý" in text):
            matches = self._quy_co_as_verb(text, matches)
        if self.segmenter is not None and self.lexicons.axis != "names":
            # (segmenters join a full name into one word; names have their own context rule)
            matches = self._whole_words(text, matches)
        if self.lexicons.axis == "names":
            matches = self._names_in_context(text, matches)
        if self._gender_axis and matches:
            if any(q in text for q in _OPEN_QUOTES):
                matches = [m for m in matches if not self._in_work_title(text, m.start)]
            if "nam" in text or "Nam" in text or "NAM" in text:
                matches = self._drop_nam_nu_pairs(text, matches)
        if self._gender_axis:
            if "xinh" in text or "Xinh" in text or "XINH" in text:
                matches = self._xinh_dep_of_a_person(text, matches)
            if contextual:
                matches = self._context_readings(text, matches)
        capitals = self._gender_axis and "ANH" in text  # ALL-CAPS ANH: England?
        kept: list[str] = []
        if capitals:
            matches = self._england_in_capitals(text, matches, kept)
        result = super().rewrite(text, matches, plan)
        if self._identity is not None and result.edits:
            self._identity.mark_unsafe(text, matches, plan, result)
        add_names(self._name_swapper, text, matches, plan, result)
        if self._check_titles and result.edits:
            mark_titles_before_names(text, result, _CHECKED_TITLES, _name_after, _middle_name_note)
            self._kept_titles_unsafe(text, result)
        if capitals:
            self._capitals_unsafe(text, matches, result, kept)
        if self._gender_axis and result.edits and plan.target_of("female") == "male":
            biology = _female_biology(text)
            if biology and any(e.new != e.old for e in result.edits):
                result.unsafe.append(
                    f"'{biology}' is said of women only: the swapped text may say it of a man"
                )
        if self._gender_axis and result.edits and plan.target_of("male") == "female":
            male = _MALE_BIOLOGY.search(text)
            if male and any(e.new != e.old for e in result.edits):
                result.unsafe.append(
                    f"'{male.group()}' is said of men only: the swapped text may say it of a "
                    "woman"
                )
        style = tone_style(text) if result.edits else None
        if style is not None:
            result.edits = [
                replace(e, new=restyle_tones(e.new, style)) if e.new != e.old else e
                for e in result.edits
            ]
        return result

    @staticmethod
    def _male_noun_phrase(text: str, match: Match, decision: Decision) -> Decision:
        """*đàn ông* needs the classifier *người* after a numeral or quantifier (*một phụ
        nữ* → *một người đàn ông*); *người góa vợ* drops its *người* after a title or
        *người* (*bà góa phụ* → *ông góa vợ*, not *ông người góa vợ*)."""
        new = decision.new or ""
        before = word_before(text, match.start)
        prev = before.group(1).casefold() if before else ""
        if new in _CLASSIFIED:
            if prev in QUANTIFIERS or prev.isdigit():
                return Decision(_CLASSIFIED[new], decision.candidate, "vi.classifier")
        elif prev in GENDERED_TITLES or prev == "người":
            return Decision(new[len("người ") :], decision.candidate, "vi.title_noun")
        return decision

    @staticmethod
    def _kept_titles_unsafe(text: str, result: Rewrite) -> None:
        """A capitalised title inside a sentence before a name (*Hai Bà Trưng*) is kept as
        part of the name; a swap elsewhere in the text may be about the same person."""
        if not any(e.new != e.old for e in result.edits):
            return
        for m in _KEPT_TITLE.finditer(text):
            if text[m.start() - 1 : m.start()] not in (" ", "\t"):
                continue
            if not is_title_case(m.group(2)) or at_sentence_start(text, m.start()):
                continue
            before = word_before(text, m.start())
            if before and before.group(1).casefold() in PLACE_WORDS:
                continue
            result.unsafe.append(
                f"'{m.group(1)} {m.group(2)}' is kept as a name; a swapped word may be about "
                "the same person"
            )
            return

    @staticmethod
    def _capitals_unsafe(text: str, matches: list[Match], result: Rewrite, kept: list[str]) -> None:
        """A bare *ANH* swapped inside ALL-CAPS text may be England (the capital cue is
        gone); one kept after *NGƯỜI* is reported too."""
        for m in matches:
            if m.text == "ANH" and not at_sentence_start(text, m.start):
                result.unsafe.append(
                    "ALL-CAPS 'ANH' may be England (Anh); the capital letter that tells "
                    "them apart is lost"
                )
                break
        result.unsafe.extend(kept)

    # -- helpers --------------------------------------------------------------------------
    @staticmethod
    def _england_in_capitals(text: str, matches: list[Match], unsafe: list[str]) -> list[Match]:
        """In ALL-CAPS text, keep a bare *ANH* after *NGƯỜI* (an Englishman or the elder
        brother: the capital letter that told them apart is gone) and say so."""
        out: list[Match] = []
        for m in matches:
            if m.text == "ANH":
                before = word_before(text, m.start)
                if before and before.group(1).casefold() in ENGLAND_OPEN:
                    unsafe.append(
                        f"ALL-CAPS '{before.group(1)} ANH' may be an Englishman or the elder "
                        "brother; kept"
                    )
                    continue
            out.append(m)
        return out

    @staticmethod
    def _context_readings(text: str, matches: list[Match]) -> list[Match]:
        """Drop the matches whose gendered reading the context rules out: southern *ba* /
        *má* that are not a parent (the number three, the cheek), and a bare *cậu* in a
        text where *tớ* says it is the friend's "you" (used by either sex)."""
        peer: bool | None = None
        out: list[Match] = []
        for m in matches:
            ids = [c.entry.id for c in m.candidates]
            if ids == ["ba"] and not _names_a_parent(text, m, m.text.casefold() == "ba"):
                continue
            if ids == ["ck"] and m.text.casefold() == "ck" and not _names_a_husband(text, m):
                continue
            if ids == ["cau"] and m.text.casefold() == "cậu":
                if peer is None:
                    peer = _PEER_I.search(text) is not None
                if peer:
                    nxt = _next_words(text, m.end, 1)
                    if not (nxt and (nxt[0] in KIN_FOLLOWERS or nxt[0] == "tớ")):
                        continue  # tớ bảo cậu rồi: the friend (cậu tớ: my uncle)
            out.append(m)
        return out

    @staticmethod
    def _xinh_dep_of_a_person(text: str, matches: list[Match]) -> list[Match]:
        """*xinh đẹp* (pretty) is also said of places and things (*Hà Nội rất xinh đẹp*):
        it becomes *đẹp trai* only after a gendered person term in the same sentence."""
        if not any(normalize_key(m.text) == "xinh đẹp" for m in matches):
            return matches
        out: list[Match] = []
        person = False
        prev_end = prev_end_person = 0
        for m in matches:
            if any(ch in ".!?…\n" for ch in text[prev_end : m.start]):
                person = False
            prev_end = m.end
            if normalize_key(m.text) == "xinh đẹp" and not m.excluded:
                # said of the person: after the person term or a degree word (*cô ấy rất
                # xinh đẹp*), not after a noun (*một ngôi nhà xinh đẹp*)
                before = text[max(0, m.start - 8) : m.start].split()
                if person and (
                    prev_end_person == m.start or (before and before[-1].lower() in _DEGREE_WORDS)
                ):
                    out.append(m)
                continue
            if not m.excluded:
                person = True
                prev_end_person = m.end + (1 if text[m.end : m.end + 1] == " " else 0)
            out.append(m)
        return out

    @staticmethod
    def _job_after(text: str, end: int) -> bool:
        """Whether an occupation of a young person follows (*cô lễ tân*, *cô y tá*)."""
        nxt = _next_words(text, end, 2)
        return bool(nxt) and (nxt[0] in YOUNG_JOBS or " ".join(nxt) in YOUNG_JOBS)

    @staticmethod
    def _refers_to_young_cau(text: str, match: Match, matches: list[Match]) -> bool:
        """A bare *cậu* after *cậu bé*, *cậu ấy*, *cậu con trai* ... in the same text, not
        followed by a possessor (*cậu tôi*, my uncle) or a name (*Cậu Tư*, *cậu Hoa*: a title),
        is the same young man: → *cô*."""
        if not any(
            m.start < match.start and any(c.entry.id in _YOUNG_CAU for c in m.candidates)
            for m in matches
        ):
            return False
        after = WORD_AFTER.match(text, match.end)
        return not (
            after
            and (after.group(1).casefold() in KIN_FOLLOWERS or is_title_case(after.group(1)))
        )

    @staticmethod
    def _in_work_title(text: str, pos: int) -> bool:
        """Whether ``pos`` is inside a quotation that follows a word for a work (*bài hát
        “Cô gái vót chông”*, *phim “Bố già”*): the title of a song, film or book."""
        start = max(0, pos - 80)
        for i in range(pos - 1, start - 1, -1):
            ch = text[i]
            if ch in "\n":
                return False
            if ch in _CURLY_CLOSE:
                return False
            if ch in _OPEN_QUOTES:
                if ch in _STRAIGHT_QUOTES and text.count(ch, 0, i) % 2:
                    return False  # a closing straight quote
                before = word_before(text, i) or _WORD_BEFORE_QUOTE.search(text, max(0, i - 20), i)
                return bool(before and before.group(1).casefold() in WORK_NOUNS)
        return False

    @staticmethod
    def _drop_nam_nu_pairs(text: str, matches: list[Match]) -> list[Match]:
        """*nam* and *nữ* joined to each other (*Nam/Nữ*, *cả nam lẫn nữ*) name both sexes:
        both stay."""
        spans = [
            (p.start(1), p.end(2))
            for p in _NAM_NU_PAIR.finditer(text)
            if p.group(1).casefold() != p.group(2).casefold()
        ]
        if not spans:
            return matches
        return [m for m in matches if not any(m.start < b and a < m.end for a, b in spans)]

    @staticmethod
    def _refers_to_co_ay(text: str, match: Match, matches: list[Match]) -> bool:
        """A bare *cô* after *cô ấy* / *cô ta* in the same text, used as a pronoun (not
        followed by a possessor such as *cô tôi*, my aunt), is the same woman: → *anh*."""
        if not any(
            m.start < match.start and normalize_key(m.text) in ("cô ấy", "cô ta") for m in matches
        ):
            return False
        after = WORD_AFTER.match(text, match.end)
        return not (after and after.group(1).casefold() in KIN_FOLLOWERS)

    def _revised_exclusions(self, text: str, matches: list[Match]) -> list[Match]:
        """Void an exclusion that the text shows is not one, and match its span again.

        * A syllable the lexicon writes in lower case is capitalised in the text: *anh
          hùng* is "hero", but *anh Hùng* is "brother Hùng" (a name follows). Only a title
          gives way (*Nam Bộ*, *Đất Mẹ* stay excluded); its leading term is matched.
        * Its last syllable and the next one form a word (RUN_ON_WORDS): *anh tài* (talent)
          in *anh tài xế* (the driver), *cha ông* (forefathers) in *cha ông ấy* (his
          father). Its syllables are matched again, the first without the exclusion.
        """
        out: list[Match] = []
        for i, m in enumerate(matches):
            if not m.excluded:
                out.append(m)
                continue
            after = WORD_AFTER.match(text, m.end)
            if after is not None and m.text.split(None, 1)[0].casefold() in self._vi_terms:
                last = m.text.rsplit(None, 1)[-1]
                if f"{last} {after.group(1)}".casefold() in _RUN_ON_SPELLINGS:
                    limit = matches[i + 1].start if i + 1 < len(matches) else len(text)
                    out.extend(self._match_again(text, m.start, m.end, limit))
                    continue
            phrase = self._vi_exclusions.get(normalize_key(m.text))
            if phrase is None or m.text.islower():
                out.append(m)
                continue
            sylls = list(_SYLLABLE.finditer(m.text))
            # only a title gives way to a name (anh Hùng); Nam Bộ, Đất Mẹ stay excluded
            if sylls[0].group().casefold() not in NAME_TITLES or not any(
                is_title_case(s.group()) and p[:1].islower()
                for s, p in zip(sylls[1:], phrase.split()[1:])
            ):
                out.append(m)
                continue
            for k in range(len(sylls) - 1, 0, -1):
                surface = m.text[: sylls[k - 1].end()]
                cands = self._vi_terms.get(normalize_key(surface))
                if cands:
                    end = m.start + len(surface)
                    if self.accept(text, m.start, end, cands):
                        out.append(Match(m.start, end, surface, cands))
                    break
        return out

    def _quy_co_as_verb(self, text: str, matches: list[Match]) -> list[Match]:
        """*quý cô* is the noun "a lady" after a determiner or at the start of a sentence
        (*một quý cô*, *các quý cô*, *Quý cô Lan*); elsewhere *quý* is the verb "to be
        fond of" (*cả lớp quý cô lắm*), and *cô* is matched on its own."""
        out: list[Match] = []
        skip_to = -1
        for m in matches:
            if m.start < skip_to:
                continue
            if normalize_key(m.text) != "quý cô" or at_sentence_start(text, m.start):
                out.append(m)
                continue
            before = word_before(text, m.start)
            if before and before.group(1).casefold() in _LADY_BEFORE:
                out.append(m)
                continue
            again = self._match_again(text, m.start, m.end, len(text))
            again = [a for a in again if a.start < m.end]
            out.extend(again)
            skip_to = max([m.end, *(a.end for a in again)])
        return out

    def _match_again(self, text: str, start: int, end: int, limit: int) -> list[Match]:
        """Terms and exclusions, longest first, in the syllables that start between
        ``start`` and ``end`` (a voided exclusion), ending before ``limit``; the first
        syllable may not start the voided exclusion again."""
        sylls = list(_SYLLABLE.finditer(text, start, limit))
        voided = normalize_key(text[start:end])
        out: list[Match] = []
        k = 0
        while k < len(sylls) and sylls[k].start() < end:
            for n in range(min(5, len(sylls) - k), 0, -1):
                last = sylls[k + n - 1]
                gaps = (text[a.end() : b.start()] for a, b in zip(sylls[k:], sylls[k + 1 : k + n]))
                if any(g.strip() or not g for g in gaps):
                    continue  # syllables of one word are separated by spaces only
                surface = text[sylls[k].start() : last.end()]
                key = normalize_key(surface)
                if key == voided:
                    continue
                cands = self._vi_terms.get(key)
                if cands is None and key not in self._vi_exclusion_keys:
                    continue
                s0 = sylls[k].start()
                if cands and not self.accept(text, s0, last.end(), cands):
                    continue
                out.append(Match(s0, last.end(), surface, cands or ()))
                k += n
                break
            else:
                k += 1
        return out

    def _whole_words(self, text: str, matches: list[Match]) -> list[Match]:
        """Drop matches that start or end inside a word of the segmenter."""
        spans = word_spans(text, self.segmenter or "pyvi")
        starts = {s for s, _ in spans}
        ends = {e for _, e in spans}
        return [m for m in matches if m.excluded or (m.start in starts and m.end in ends)]

    def _names_in_context(self, text: str, matches: list[Match]) -> list[Match]:
        """Keep name matches inside a full name, after a title, or already swapped."""
        by_start = {m.start: m for m in matches}
        kept: list[Match] = []
        known: set[str] = set()
        for m in matches:
            if self._name_context(text, m, by_start):
                kept.append(m)
                known.add(m.text.casefold())
        kept_ids = {id(m) for m in kept}
        for m in matches:  # later (or earlier) mentions of a name swapped above
            if id(m) in kept_ids or m.text.casefold() not in known:
                continue
            if any(c.entry.id == "middle-van" for c in m.candidates):
                continue
            after = WORD_AFTER.match(text, m.end)
            if after and after.group(1)[:1].isupper():
                continue  # part of a longer capitalised run (Hùng Vương)
            kept.append(m)
        kept.sort(key=lambda m: m.start)
        return kept

    def _name_context(self, text: str, m: Match, by_start: dict[int, Match]) -> bool:
        before = word_before(text, m.start)
        prev = before.group(1) if before else ""
        after = WORD_AFTER.match(text, m.end)
        nxt = after.group(1) if after else ""
        if any(c.entry.id == "middle-van" for c in m.candidates):
            return prev in SURNAMES and nxt[:1].isupper() and not _names_a_place(text, before)
        # a given name: after a middle-name marker, possibly as the second given syllable
        pos = before.start(1) if before else -1
        for _ in range(2):
            if not before or not prev[:1].isupper():
                break
            marker = by_start.get(pos)
            if marker and any(c.entry.id == "middle-van" for c in marker.candidates):
                mb = word_before(text, pos)
                return bool(mb and mb.group(1) in SURNAMES) and not _names_a_place(text, mb)
            if prev in ("Văn", "Thị"):
                return False
            before = word_before(text, pos)
            prev = before.group(1) if before else ""
            pos = before.start(1) if before else -1
        title = word_before(text, m.start)
        return bool(title and title.group(1).casefold() in NAME_TITLES and not nxt[:1].isupper())


__all__ = ["VietnameseGrammar", "restyle_tones", "tone_style", "word_spans"]
