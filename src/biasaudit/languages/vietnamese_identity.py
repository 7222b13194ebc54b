"""Vietnamese identity axes (nationality, religion, age, disability, orientation, names): which
matches refer to a person, and which rewrites the context makes unsafe.

Vietnamese does not inflect, so the work is in telling a reference to a person from the
other senses of the same words (docs/languages/vietnamese.md § Identity axes):

* **Capitals.** A lexicon form's capitals must be there (*người đức độ*, a virtuous person,
  is not *người Đức*); a lower-case form written with a capital inside a sentence, or a form
  followed by another capitalised syllable, is part of a name (*Hội Người cao tuổi*,
  *người Mỹ Tho*).
* **A head noun for people.** A bare country or religion name (*Mỹ*, *Hồi giáo*) and an age
  adjective (*trẻ*, *già*) describe a person only right after a noun for people
  (:data:`PERSON_HEADS`: *phụ nữ Mỹ*, *cô giáo trẻ*); elsewhere they name the country, the
  religion or a thing (*tiếng Pháp*, *trẻ em*). *khuyết tật* after a noun for things
  (:data:`THING_NOUNS`: *sản phẩm có khuyết tật*) is a defect.
* **Unsafe rather than wrong**: an explicit age next to a rewritten age group, a believer in
  a text that says the person follows no religion, and on the names axis a name swapped
  after a gendered title (which that axis keeps) or after another given syllable that stays.

:class:`VietnameseIdentityRules` holds these rules for one
:class:`~biasaudit.languages.vietnamese.VietnameseGrammar` of an axis other than gender. The
gender rules, and the names-in-context filter the gender axis also runs with
``names=True``, stay in :mod:`biasaudit.languages.vietnamese`; the family names, gendered
titles and word helpers both use are in :mod:`biasaudit.languages.vietnamese_words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..engine.grammar import Rewrite, SwapPlan, at_sentence_start
from ..engine.matcher import normalize_key
from ..engine.types import Candidate, Match
from ..lexicons.registry import LexiconSet
from .vietnamese_words import GENDERED_TITLES, SURNAMES, WORD_AFTER, is_title_case, word_before

# A bare descriptor (a country or religion name the lexicon writes with a capital: Mỹ, Hồi
# giáo; or an age adjective: trẻ, già, trung niên) describes a person only right after a
# noun for people (phụ nữ Mỹ, sinh viên Hồi giáo, cô giáo trẻ); elsewhere it names the
# country, the religion or a thing (tiếng Pháp, hàng Trung Quốc, Phật giáo du nhập, trẻ em,
# nhà trẻ, tuổi trẻ, đội bóng trẻ).
PERSON_HEADS = frozenset(
    w.replace("_", " ")
    for w in """
người người_dân dân người_bạn bạn_trai bạn_gái người_yêu vợ chồng vợ_chồng cặp_vợ_chồng
gia_đình cộng_đồng phụ_nữ đàn_ông đàn_bà cô_gái chàng_trai thiếu_nữ thanh_niên nam_sinh
nữ_sinh sinh_viên du_học_sinh học_sinh học_viên du_khách khách khách_du_lịch trẻ cháu_bé
em_bé cầu_thủ vận_động_viên kỹ_sư bác_sĩ y_tá nhà_văn nhà_thơ nhà_báo phóng_viên
nhà_khoa_học nhà_nghiên_cứu nghệ_sĩ ca_sĩ diễn_viên nhạc_sĩ doanh_nhân công_dân lao_động
công_nhân nhân_viên chuyên_gia giáo_viên giảng_viên cô_giáo thầy_giáo giáo_sư giám_đốc
lính binh_sĩ quân_nhân thủy_thủ tù_nhân nạn_nhân cổ_động_viên người_hâm_mộ cô_dâu chú_rể
đồng_nghiệp tín_đồ bệnh_nhân bố mẹ cha ông_bố bà_mẹ góa_phụ goá_phụ
""".split()
)
_HEAD_BEFORE = re.compile(
    r"(?:^|(?<=[^\w]))(?:"
    + "|".join(
        sorted((re.escape(h).replace("\\ ", "[ \t]+") for h in PERSON_HEADS), key=len, reverse=True)
    )
    + r")[ \t]+$",
    re.IGNORECASE,
)
# lexicon entries whose forms are age adjectives (need a head noun like the descriptors)
_HEADED_ENTRIES = frozenset({"age-adj"})
# an explicit age (92 tuổi, năm mươi tuổi) contradicts a rewritten age group
_EXPLICIT_AGE = re.compile(
    r"(?<!\w)(?:\d+|mười|mươi|một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín|lăm|tư|mốt)"
    r"[ \t]+tuổi(?!\w)",
    re.IGNORECASE,
)
# a text that says someone follows no religion (không theo tôn giáo nào) contradicts an
# atheist rewritten to a believer (... tôi là người theo đạo Hồi)
_NO_RELIGION = re.compile(
    r"(?<!\w)không[ \t]+(?:theo|có|tin)[ \t]+(?:tôn[ \t]+giáo|đạo)(?!\w)", re.IGNORECASE
)
# khuyết tật is also a defect of a thing (sản phẩm có khuyết tật, mối hàn bị khuyết tật)
THING_NOUNS = frozenset(
    w.replace("_", " ")
    for w in """
sản_phẩm hàng hàng_hóa lô_hàng mối_hàn vật_liệu đường_ống máy máy_móc thiết_bị chi_tiết
linh_kiện bê_tông công_trình xe vải kính gỗ thép tường ống
""".split()
)
_THING_BEFORE = re.compile(
    r"(?:^|(?<=[^\w]))(?:"
    + "|".join(
        sorted((re.escape(h).replace("\\ ", "[ \t]+") for h in THING_NOUNS), key=len, reverse=True)
    )
    + r")(?:[ \t]+(?:bị|có|mắc|những|các))*[ \t]+$",
    re.IGNORECASE,
)


def _title_before_name(text: str, start: int, edited: set[int]) -> str | None:
    """The gendered title (*chị*, *ông*, *cô giáo*) before the full name that contains the
    swapped name starting at ``start``: the words before it that belong to the name (*Văn*
    / *Thị*, other swapped names, then one family name) are skipped. A family name can be a
    title too (*Ông Đặng Văn Lực*: *Ông* is the title), so only one is skipped."""
    before = word_before(text, start)
    while before is not None and (before.group(1) in ("Văn", "Thị") or before.start(1) in edited):
        before = word_before(text, before.start(1))
    if before is not None and before.group(1) in SURNAMES:
        before = word_before(text, before.start(1))
    if before is None:
        return None
    word = before.group(1)
    two = word_before(text, before.start(1))
    if two is not None and f"{two.group(1)} {word}".casefold() in GENDERED_TITLES:
        return f"{two.group(1)} {word}"
    return word if word.casefold() in GENDERED_TITLES else None


class VietnameseIdentityRules:
    """The identity-axis rules of one Vietnamese grammar (any axis but gender).

    Built once per grammar; the grammar calls :meth:`accept` for every lexicon match and
    :meth:`mark_unsafe` on every rewrite that has edits.

    Parameters
    ----------
    lexicons:
        The grammar's lexicons (their ``axis`` selects the rules).
    spellings:
        The grammar's accepted spellings of a lexicon form (both tone-mark placements).

    Attributes
    ----------
    titles_stay:
        Whether a gendered title before a swapped name stays, so the swap is unsafe: true on
        the names axis on its own; the gender axis with ``names=True``, which swaps the
        title too, turns it off on its names grammar.
    """

    def __init__(self, lexicons: LexiconSet, spellings: Callable[[str], tuple[str, ...]]) -> None:
        self.axis = lexicons.axis
        self.spellings = spellings
        self.titles_stay = lexicons.axis == "names"

    # -- which matches refer to a person --------------------------------------------------
    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        """Identity axes: capitals and the word before decide (see PERSON_HEADS).

        * The capitals of the lexicon form must be there (*người đức độ*, a virtuous
          person, is not *người Đức*), and a lower-case form written with a capital inside
          a sentence is part of a name (*báo Người Cao Tuổi*, *Hội Người cao tuổi*). ALL
          CAPS text has lost the cue and is accepted.
        * A form ending in a capitalised syllable and followed by another one is part of a
          longer name (*người Mỹ Tho*, *người Đức Thọ*, *người Mỹ Latinh*).
        * A bare capitalised descriptor (*Mỹ*, *Hồi giáo*) or an age adjective (*trẻ*,
          *già*) needs a noun for people just before it (*phụ nữ Mỹ*, *cô giáo trẻ*).
        * On the disability axis, *khuyết tật* after a noun for things (THING_NOUNS: *sản
          phẩm có khuyết tật*) is a defect.
        """
        surface = text[start:end]
        form = self._lexicon_form(surface, candidates)
        if form is None:
            return True
        if not surface.isupper():
            sylls = surface.split()
            lexical = form.split()
            if len(sylls) != len(lexical):
                return True
            for i, (got, want) in enumerate(zip(sylls, lexical)):
                if want[:1].isupper() and not got[:1].isupper():
                    return False
                if (
                    want[:1].islower()
                    and got[:1].isupper()
                    and (i > 0 or not at_sentence_start(text, start))
                ):
                    return False
            if lexical[-1][:1].isupper():
                after = WORD_AFTER.match(text, end)
                if after is not None and is_title_case(after.group(1)):
                    return False
        headed = any(
            c.entry.id in _HEADED_ENTRIES or (c.entry.pos == "adj" and form[:1].isupper())
            for c in candidates
        )
        if headed:
            head = _HEAD_BEFORE.search(text, max(0, start - 40), start)
            if head is None:
                return False
            # a capitalised head inside a sentence is part of a name (ngày Phụ nữ Việt Nam)
            if is_title_case(head.group()) and not at_sentence_start(text, head.start()):
                return False
        # sản phẩm có khuyết tật: a defect of a thing
        return not (
            self.axis == "disability"
            and "khuyết" in surface.casefold()
            and _THING_BEFORE.search(text, max(0, start - 40), start)
        )

    def _lexicon_form(self, surface: str, candidates: tuple[Candidate, ...]) -> str | None:
        """The lexicon form (one of its spellings) that ``surface`` is written as."""
        key = normalize_key(surface)
        for c in candidates:
            for form in c.entry.forms.get(c.group, ()):
                for spelling in self.spellings(form):
                    if normalize_key(spelling) == key:
                        return spelling
        return None

    # -- rewrites the context makes unsafe ------------------------------------------------
    def mark_unsafe(self, text: str, matches: list[Match], plan: SwapPlan, result: Rewrite) -> None:
        """Add to ``result.unsafe`` the identity-axis rewrites the context contradicts or
        cannot carry: on the age axis an explicit age, on the religion axis a text that
        denies any religion, on the names axis a gendered title or a given syllable that
        stays next to a swapped name (see the methods below)."""
        if self.axis == "age":
            self._explicit_age(text, result)
        elif self.axis == "religion":
            self._no_religion(text, plan, result)
        elif self.axis == "names":
            self._name_next_to_what_stays(text, matches, result)

    @staticmethod
    def _explicit_age(text: str, result: Rewrite) -> None:
        """An explicit age next to a rewritten age group (*người già 92 tuổi* → *người trẻ
        92 tuổi*) may contradict it."""
        if _EXPLICIT_AGE.search(text):
            result.unsafe.append(
                "the text gives an explicit age, which the rewritten age group may contradict"
            )

    @staticmethod
    def _no_religion(text: str, plan: SwapPlan, result: Rewrite) -> None:
        """A believer in a text that says the person follows no religion (*không theo tôn
        giáo nào*) contradicts it."""
        if plan.target != "atheist" and _NO_RELIGION.search(text):
            result.unsafe.append(
                "the text says someone follows no religion, which a rewritten believer contradicts"
            )

    def _name_next_to_what_stays(self, text: str, matches: list[Match], result: Rewrite) -> None:
        """A swapped name after a gendered title the names axis keeps (*chị Hương* → *chị
        Dũng*; only while :attr:`titles_stay`), and a given name swapped after another given
        syllable that stays (*Nguyễn Thị Thu Hương* → *Nguyễn Văn Thu Dũng*: *Thu* is a
        woman's name). The first such name is reported."""
        edited = {e.start for e in result.edits}
        for m in matches:
            if m.start not in edited:
                continue
            title = _title_before_name(text, m.start, edited) if self.titles_stay else None
            if title is not None:
                result.unsafe.append(
                    f"title {title!r} before the swapped name {m.text!r}: the names axis "
                    "keeps titles, so it would mark the other gender (the gender axis with "
                    "names=True swaps both)"
                )
                return
            if not any(c.entry.id == "middle-van" for c in m.candidates):
                before = word_before(text, m.start)
                prev = before.group(1) if before else ""
                if (
                    is_title_case(prev)
                    and prev not in SURNAMES
                    and prev not in ("Văn", "Thị")
                    and before.start(1) not in edited
                ):
                    mb = word_before(text, before.start(1))
                    if mb and is_title_case(mb.group(1)):  # Thị Thu Hương, not anh Hùng
                        result.unsafe.append(
                            f"given name {prev} {m.text}: only {m.text!r} is swapped, "
                            f"{prev!r} may mark the other gender"
                        )
                        return


__all__ = ["PERSON_HEADS", "THING_NOUNS", "VietnameseIdentityRules"]
