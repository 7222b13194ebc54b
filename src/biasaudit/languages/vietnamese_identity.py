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
  A descent right after a noun for people (*người gốc Việt*) is read like a descriptor; a
  religion after a noun for an idea (:data:`IDEA_NOUNS`: *lối sống vô thần*) is the idea; an
  orientation opening a sentence (*Đồng tính không phải là bệnh*) is the orientation itself.
* **A religion's name** (*đạo Hồi*, ``referent: nonperson``) is a person's religion only
  right after a verb of converting or leaving (:data:`CONVERT_VERBS`: *cải sang đạo Hồi*,
  *từ bỏ đạo Phật*); elsewhere it names the religion or an institution and is left alone.
* **Unsafe rather than wrong**: an explicit age (or a sport's age category, *U23*) next to a
  rewritten age group, another age group after a head that says old (*cụ ông*), a believer
  in a text that says the person follows no religion, a blindness or deafness of one eye or
  ear, a bare *tự kỷ* (slang: to shut oneself away), a written *người ...* after *các*, and
  on the names axis a name swapped after a gendered or one-sex title (which that axis keeps,
  also with a role between: *Thầy hiệu trưởng Đỗ Văn Long*) or after another given syllable
  that stays.

:class:`VietnameseIdentityRules` holds these rules for one
:class:`~biasaudit.languages.vietnamese.VietnameseGrammar` of an axis other than gender. The
gender rules, and the names-in-context filter the gender axis also runs with
``names=True``, stay in :mod:`biasaudit.languages.vietnamese`; the family names, gendered
titles and word helpers both use are in :mod:`biasaudit.languages.vietnamese_words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..core.grammar import Rewrite, SwapPlan, at_sentence_start
from ..core.matcher import normalize_key
from ..core.types import Candidate, Match
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
thủ_môn tiền_đạo tiền_vệ hậu_vệ trung_vệ tuyển_thủ huấn_luyện_viên hlv võ_sĩ tay_vợt kỳ_thủ
ứng_viên tài_xế đồng_bào ông_bạn anh_bạn cô_bạn cậu_bạn cụ cụ_ông cụ_bà ông_cụ bà_cụ
nhân_viên_bán_hàng nhân_viên_văn_phòng nhân_viên_kinh_doanh nhân_viên_phục_vụ quốc_tịch
""".split()
)


def _ending_in(words: Iterable[str], after: str = "") -> re.Pattern[str]:
    """A pattern for text that ends in one of ``words`` (longest first; spaces or tabs
    between their syllables), then ``after`` (a regex) and a space; :func:`_just_before`
    looks for it in the text just before a match."""
    alternatives = sorted(
        (re.escape(w).replace("\\ ", "[ \t]+") for w in words), key=len, reverse=True
    )
    return re.compile(
        r"(?:^|(?<=[^\w]))(?:" + "|".join(alternatives) + ")" + after + r"[ \t]+$",
        re.IGNORECASE,
    )


def _just_before(
    pattern: re.Pattern[str], text: str, pos: int, window: int = 40
) -> re.Match[str] | None:
    """``pattern`` (made by :func:`_ending_in`) in the ``window`` characters before ``pos``."""
    return pattern.search(text, max(0, pos - window), pos)


_HEAD_BEFORE = _ending_in(PERSON_HEADS)
# descent: gốc right after a noun for people (người gốc Việt, cầu thủ gốc Việt) is a head
# too. After a nationality (người Mỹ gốc Việt) the descent qualifies that nationality and
# stays (người Đức gốc Việt); nguồn gốc Trung Quốc (goods of Chinese origin) has no noun for
# people and is left alone.
_DESCENT_BEFORE = _ending_in(PERSON_HEADS, r"[ \t]+gốc")
# heads that say the person is old themselves (cụ ông, bà cụ): another age group after them
# contradicts the head (một cụ ông lớn tuổi -> *một cụ ông trẻ)
OLD_HEADS = frozenset({"cụ", "cụ ông", "cụ bà", "ông cụ", "bà cụ"})
# a religion named after a noun for an idea, not a person, describes the idea (lối sống vô
# thần, chế độ vô thần, quan điểm vô thần)
IDEA_NOUNS = frozenset(
    w.replace("_", " ")
    for w in """
lối_sống chế_độ quan_điểm quan_niệm tư_tưởng nhà_nước chính_quyền xã_hội nền_giáo_dục
thế_giới_quan học_thuyết phong_trào lập_trường văn_hóa văn_hoá tinh_thần triết_học
khuynh_hướng chủ_trương lập_luận
""".split()
)
_IDEA_BEFORE = _ending_in(IDEA_NOUNS)
# a religion's name (đạo Hồi, đạo Phật: referent nonperson) is a person's religion right
# after a verb of converting or leaving (cải sang đạo Hồi, từ bỏ đạo Công giáo); elsewhere
# it names the religion itself or an institution (Đạo Phật du nhập vào Việt Nam, biểu tượng
# của đạo Phật) and is left alone, as a bare X giáo is
CONVERT_VERBS = frozenset(
    w.replace("_", " ")
    for w in """
cải_sang chuyển_sang đổi_sang quay_sang cải_đạo_sang gia_nhập bỏ từ_bỏ rời_bỏ bỏ_theo
""".split()
)
_CONVERT_BEFORE = _ending_in(CONVERT_VERBS)
# a blindness or deafness of one eye or ear (bị mù một mắt, điếc tai trái): the organ stays,
# so another disability would not fit it (*bị khiếm thính một mắt)
_ORGAN_AFTER = re.compile(
    r"[ \t]+(?:(?:một|hai|cả)[ \t]+)?(?:bên[ \t]+)?(?:mắt|tai)(?!\w)", re.IGNORECASE
)
# lexicon entries whose forms are age adjectives (need a head noun like the descriptors)
_HEADED_ENTRIES = frozenset({"age-adj"})
# a superlative or comparative after an age word (trẻ tuổi nhất, già hơn) compares people:
# no age group is named
_COMPARED_AFTER = re.compile(r"[ \t]+(?:nhất|hơn)(?!\w)", re.IGNORECASE)
# an explicit age (92 tuổi, năm mươi tuổi) contradicts a rewritten age group
# an age category of sport (U23, U19: under 23) too
_EXPLICIT_AGE = re.compile(
    r"(?<!\w)(?:(?:\d+|mười|mươi|một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín|lăm|tư|mốt)"
    r"[ \t]+tuổi(?!\w)|U[ \t-]?\d{2}(?!\w))",
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
áo quần sơ_mi giày bo_mạch vi_mạch tấm bề_mặt lô phôi mối_nối vật_đúc
""".split()
)
_THING_BEFORE = _ending_in(THING_NOUNS, r"(?:[ \t]+(?:bị|có|mắc|những|các))*")


# Titles of one sex that the gender axis does not swap (a beauty queen's title), which mark a
# name after them as much as chị or ông do: a swapped name after them is unsafe, on the
# names axis and with names=True on the gender axis (Hoa hậu Đỗ Thị Hà -> *Hoa hậu Đỗ Văn Hà).
ONE_SEX_TITLES = frozenset({"hoa hậu", "á hậu", "nam vương", "người đẹp"})
# Roles that may stand between a gendered title and the name (Thầy hiệu trưởng Đỗ Văn Long,
# cô giáo chủ nhiệm Nguyễn Thị Mai, ông chủ tịch xã Lê Văn Hùng): skipped when looking for
# the title.
ROLE_WORDS = frozenset(
    w.replace("_", " ")
    for w in """
hiệu_trưởng hiệu_phó chủ_nhiệm chủ_tịch phó_chủ_tịch giám_đốc phó_giám_đốc trưởng_phòng
trưởng_khoa trưởng_thôn trưởng_ban bí_thư tổng_giám_đốc chủ_tịch_xã
""".split()
)


def _title_in(words: list[str]) -> str | None:
    """The gendered title the list of words (read back from the name) ends with, if any."""
    if len(words) >= 2:
        two = f"{words[1]} {words[0]}"
        if two.casefold() in GENDERED_TITLES or two.casefold() in ONE_SEX_TITLES:
            return two
    if words and words[0].casefold() in GENDERED_TITLES:
        return words[0]
    return None


def _title_before_name(text: str, start: int, edited: set[int]) -> str | None:
    """The gendered title (*chị*, *ông*, *cô giáo*, *Hoa hậu*) before the full name that
    contains the swapped name starting at ``start``: the words before it that belong to the
    name (*Văn* / *Thị*, other swapped names, then one family name) are skipped, and then one
    role (*Thầy hiệu trưởng Đỗ Văn Long*: ROLE_WORDS). A family name can be a title too (*Ông
    Đặng Văn Lực*: *Ông* is the title), so only one is skipped."""
    before = word_before(text, start)
    while before is not None and (before.group(1) in ("Văn", "Thị") or before.start(1) in edited):
        before = word_before(text, before.start(1))
    if before is not None and before.group(1) in SURNAMES:
        before = word_before(text, before.start(1))
    words: list[str] = []
    while before is not None and len(words) < 5:
        words.append(before.group(1))
        before = word_before(text, before.start(1))
    title = _title_in(words)
    if title is not None:
        return title
    for n in (3, 2, 1):  # one role between the title and the name
        role = " ".join(reversed(words[:n])).casefold()
        if len(words) > n and role in ROLE_WORDS:
            return _title_in(words[n:])
    return None


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
        if self.axis == "age" and _COMPARED_AFTER.match(text, end):
            return False  # trẻ tuổi nhất, già hơn: a comparison of people, not an age group
        if not any(c.entry.names_person for c in candidates):
            # a religion's name: a person's religion only after cải sang, từ bỏ ...
            return _just_before(_CONVERT_BEFORE, text, start) is not None
        headed = any(
            c.entry.id in _HEADED_ENTRIES or (c.entry.pos == "adj" and form[:1].isupper())
            for c in candidates
        )
        if headed:
            head = _just_before(_HEAD_BEFORE, text, start)
            if head is None:
                head = self._descent_head(text, start)
            if head is None:
                return False
            # a capitalised head inside a sentence is part of a name (ngày Phụ nữ Việt Nam)
            if is_title_case(head.group()) and not at_sentence_start(text, head.start()):
                return False
        # lối sống vô thần, chế độ vô thần: an idea, not a person
        if (
            self.axis == "religion"
            and any(c.entry.id == "rel-adj" for c in candidates)
            and _just_before(_IDEA_BEFORE, text, start)
        ):
            return False
        # Đồng tính không phải là bệnh: an orientation opening a sentence with no noun for
        # people before it is the orientation itself
        if (
            self.axis == "orientation"
            and all(c.entry.pos == "adj" for c in candidates)
            and at_sentence_start(text, start)
        ):
            return False
        # sản phẩm có khuyết tật: a defect of a thing
        return not (
            self.axis == "disability"
            and "khuyết" in surface.casefold()
            and _just_before(_THING_BEFORE, text, start)
        )

    @staticmethod
    def _descent_head(text: str, start: int) -> re.Match[str] | None:
        """*gốc* right after a noun for people (*người gốc Việt*, *cầu thủ gốc Việt*): a
        descent, read like a descriptor. After a nationality (*người Mỹ gốc Việt*) the
        descent qualifies it and stays; *nguồn gốc Trung Quốc* (goods of Chinese origin) has
        no noun for people and is left alone."""
        return _just_before(_DESCENT_BEFORE, text, start, 50)

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
            self._old_head(text, result)
        elif self.axis == "religion":
            self._no_religion(text, plan, result)
        elif self.axis == "disability":
            self._organ_after(text, result)
            self._bare_tu_ky(text, result)
        elif self.axis == "names":
            self._name_next_to_what_stays(text, matches, result)
        self._cac_nguoi(text, result)

    @staticmethod
    def _cac_nguoi(text: str, result: Rewrite) -> None:
        """A rewrite that writes *người ...* after *các* where the source had another noun
        (*các bạn trẻ* → *các người lớn tuổi*): *các người* is "you lot", rude."""
        for e in result.edits:
            if e.new.casefold().startswith("người") and not e.old.casefold().startswith("người"):
                before = word_before(text, e.start)
                if before is not None and before.group(1).casefold() == "các":
                    result.unsafe.append(
                        f"'các' before the written {e.new!r}: 'các người' is rude (you lot)"
                    )
                    return

    @staticmethod
    def _old_head(text: str, result: Rewrite) -> None:
        """Another age group after a head that says the person is old itself (*một cụ ông
        lớn tuổi* → *một cụ ông trẻ*): the head contradicts it."""
        for e in result.edits:
            head = _just_before(_HEAD_BEFORE, text, e.start)
            if (
                head is not None
                and " ".join(head.group().split()).casefold() in OLD_HEADS
                and e.new.casefold() not in ("lớn tuổi", "già", "cao tuổi")
            ):
                result.unsafe.append(
                    f"{head.group().strip()!r} says the person is old, which the rewritten "
                    "age group contradicts"
                )
                return

    @staticmethod
    def _bare_tu_ky(text: str, result: Rewrite) -> None:
        """A bare *tự kỷ* with no noun for people just before it: slang uses it as a verb,
        to shut oneself away (*nó tự kỷ cả tuần* → *nó khuyết tật cả tuần*), in the same
        place as the adjective (*con tôi tự kỷ*), so the rewrite is unsafe. *người tự kỷ*,
        *bị tự kỷ*, *trẻ tự kỷ* are read as usual."""
        for e in result.edits:
            if e.old.casefold() == "tự kỷ" and not _just_before(_HEAD_BEFORE, text, e.start):
                result.unsafe.append(
                    "bare 'tự kỷ' with no noun for people before it: slang uses it as a verb "
                    "(to shut oneself away)"
                )
                return

    @staticmethod
    def _organ_after(text: str, result: Rewrite) -> None:
        """A blindness or deafness of one eye or ear (*bị mù một mắt*): the organ stays, so
        another disability does not fit it (*bị khiếm thính một mắt*)."""
        for e in result.edits:
            if _ORGAN_AFTER.match(text, e.end):
                result.unsafe.append(
                    f"{e.old!r} is followed by the eye or ear it concerns, which the rewritten "
                    "disability may not fit"
                )
                return

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
        Dũng*; only while :attr:`titles_stay`) or after a title of one sex that no axis swaps
        (*Hoa hậu Đỗ Thị Hà*; also with ``names=True`` on the gender axis), and a given name
        swapped after another given syllable that stays (*Nguyễn Thị Thu Hương* → *Nguyễn
        Văn Thu Dũng*: *Thu* is a woman's name). The first such name is reported."""
        edited = {e.start for e in result.edits}
        for m in matches:
            if m.start not in edited:
                continue
            title = _title_before_name(text, m.start, edited)
            if title is not None and title.casefold() in ONE_SEX_TITLES:
                result.unsafe.append(
                    f"title {title!r} before the swapped name {m.text!r}: a title of one sex "
                    "that no axis swaps"
                )
                return
            if title is not None and self.titles_stay:
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


__all__ = ["CONVERT_VERBS", "PERSON_HEADS", "THING_NOUNS", "VietnameseIdentityRules"]
