"""Vietnamese: gold sentence pairs, seniority swaps, false hits, tone marks, names, options,
the optional segmenter, and properties (text outside edits kept; double swap = identity)."""

from __future__ import annotations

import csv
import importlib.util
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit import CounterfactualEngine, MissingExtraError
from biasaudit.languages.vietnamese import restyle_tones, tone_style

DATA = Path(__file__).parent / "data"
GOLD = DATA / "vi_gold.tsv"
HELDOUT = DATA / "vi_heldout.tsv"  # written after the first tuning round, scored once
# third review round: written before running the engine, kept where right after its fixes
REVIEW3 = DATA / "vi_review3.tsv"
# fourth review round, the same way (all 189 kept, the three still wrong too: see
# docs/languages/vietnamese.md); its header comment gives the first-run rate
REVIEW4 = DATA / "vi_review4.tsv"
# fifth review round (other genres: sports, job ads, medical and legal text, recipes, chat,
# headlines, lyrics ...), written the same way; a fifth column flags the rows still wrong
# ("hard"), and expected UNSAFE a reference no swap can render (the result must be unsafe)
REVIEW5 = DATA / "vi_review5.tsv"


@cache
def engine(axis: str = "gender", **options: object) -> CounterfactualEngine:
    return CounterfactualEngine("vi", axis, options=dict(options))


def swap(text: str, axis: str = "gender", **options: object) -> str:
    return engine(axis, **options).swap(text).text


# -- gold ---------------------------------------------------------------------------------
def read_pairs(path: Path) -> list[dict[str, str]]:
    """The rows of a gold file, less its header comment (lines starting with #)."""
    lines = [line for line in path.open(encoding="utf-8") if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.mark.parametrize(
    "path", [GOLD, HELDOUT, REVIEW3, REVIEW4], ids=["gold", "heldout", "review3", "review4"]
)
def test_gold_pairs_exact_match_at_least_95_percent(path: Path) -> None:
    rows = read_pairs(path)
    assert len(rows) >= (100 if path == GOLD else 40)
    failures = []
    for row in rows:
        assert row["lang"] == "vi"
        axis = "names" if row["category"] == "names" else "gender"
        got = swap(row["source"], axis)
        if got != row["expected"]:
            failures.append(f"[{row['category']}] {row['source']!r}: got {got!r}, "
                            f"expected {row['expected']!r}")
    accuracy = 1 - len(failures) / len(rows)
    assert accuracy >= 0.95, f"{accuracy:.1%} exact:\n" + "\n".join(failures)


def review5_right(row: dict[str, str], **options: object) -> bool:
    """A row of vi_review5.tsv is right when (expected is UNSAFE and the result is unsafe)
    or the output text equals expected (names rows run on the names axis)."""
    axis = "names" if row["category"] == "names" else "gender"
    cf = engine(axis, **options).swap(row["source"])
    if row["expected"] == "UNSAFE":
        return not cf.safe
    return cf.text == row["expected"]


REVIEW5_ROWS = read_pairs(REVIEW5)


def test_review5_size_and_flags() -> None:
    assert len(REVIEW5_ROWS) == 208
    assert all(r["lang"] == "vi" and r["flag"] in ("", "hard") for r in REVIEW5_ROWS)
    assert sum(r["flag"] == "hard" for r in REVIEW5_ROWS) == 5
    right = sum(review5_right(r) for r in REVIEW5_ROWS)
    assert right / len(REVIEW5_ROWS) >= 0.95


@pytest.mark.parametrize("row", REVIEW5_ROWS, ids=lambda r: r["source"][:40])
def test_review5_rows(row: dict[str, str]) -> None:
    """Every row is right, except the rows flagged hard, which must still be wrong (a
    stale flag is caught)."""
    if row["flag"] == "hard":
        assert not review5_right(row), "a hard row is now right: remove its flag"
    else:
        assert review5_right(row), swap(row["source"])


def test_gold_has_unchanged_sentences() -> None:
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8"), delimiter="\t"))
    assert sum(r["source"] == r["expected"] for r in rows) >= 25


# -- seniority ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Anh đi đâu?", "Chị đi đâu?"),
        ("Ông đi đâu?", "Bà đi đâu?"),
        ("Chú đi đâu?", "Cô đi đâu?"),
        ("Cậu tôi đi đâu?", "Dì tôi đi đâu?"),
        ("Mợ tôi đi đâu?", "Cậu tôi đi đâu?"),
        ("Thím tôi đi đâu?", "Chú tôi đi đâu?"),
        ("Anh ấy đi đâu?", "Chị ấy đi đâu?"),
        ("Cô ấy đi đâu?", "Anh ấy đi đâu?"),
        ("Cậu ấy đi đâu?", "Cô ấy đi đâu?"),
        ("Bác đi đâu?", "Bác đi đâu?"),  # bác: a parent's elder sibling of either sex
        ("Em đi đâu?", "Em đi đâu?"),  # em: younger, either sex
    ],
)
def test_kinship_pronouns_keep_seniority(source: str, expected: str) -> None:
    assert swap(source) == expected


def test_option_third_person_female() -> None:
    assert swap("Anh ấy nói anh sẽ đến.") == "Chị ấy nói chị sẽ đến."
    assert swap("Anh ấy nói anh sẽ đến.", third_person_female="cô ấy") == "Cô ấy nói cô sẽ đến."
    assert swap("Anh ta đến.", third_person_female="cô ấy") == "Cô ta đến."
    assert swap("Cô ấy đến.", third_person_female="cô ấy") == "Anh ấy đến."
    assert swap("Anh trai tôi đến.", third_person_female="cô ấy") == "Chị gái tôi đến."


def test_bare_co_after_co_ay_is_the_same_woman() -> None:
    assert swap("Cô ấy nói cô mệt.") == "Anh ấy nói anh mệt."
    assert swap("Cô ấy gặp cô tôi.") == "Anh ấy gặp chú tôi."  # cô tôi: my aunt
    assert swap("Cô đến muộn.") == "Chú đến muộn."


def test_bare_co_as_teacher() -> None:
    assert swap("Cô dạy toán rất hay.") == "Thầy dạy toán rất hay."
    assert swap("Cô hiệu trưởng phát biểu.") == "Thầy hiệu trưởng phát biểu."
    assert swap("Thầy dạy toán rất hay.") == "Cô dạy toán rất hay."


def test_option_maternal_uncle() -> None:
    assert swap("Cậu tôi đến.", maternal_uncle_female="mợ") == "Mợ tôi đến."


def test_bad_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="third_person_female"):
        CounterfactualEngine("vi", options={"third_person_female": "bà ấy"})
    with pytest.raises(ValueError, match="segmenter"):
        CounterfactualEngine("vi", options={"segmenter": "spacy"})


# -- multi-syllable words -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("con trai", "con gái"), ("đàn ông", "phụ nữ"), ("em trai", "em gái"),
        ("anh trai", "chị gái"), ("ông nội", "bà nội"), ("nam sinh", "nữ sinh"),
        ("cậu bé", "cô bé"), ("bố", "mẹ"), ("chồng", "vợ"), ("chàng trai", "cô gái"),
        ("cô dâu", "chú rể"), ("con rể", "con dâu"), ("thầy giáo", "cô giáo"),
    ],
)
def test_multi_syllable_terms_swap_as_units(source: str, expected: str) -> None:
    cf = engine().swap(f"Tôi gặp {source} hôm qua.")
    assert cf.text == f"Tôi gặp {expected} hôm qua."
    assert len(cf.edits) == 1 and cf.edits[0].old == source


# -- false hits ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Tôi học tiếng Anh.", "Người Anh uống trà.", "Anh Quốc rất đẹp.", "Tôi sống ở nước Anh.",
        "Vương quốc Anh.", "Bà con đến chơi.", "Ông bà tôi khỏe.", "Tôi thấy cô đơn.",
        "Họ cô lập anh hùng.", "Anh chị em về quê.", "Hãy chú ý!", "Chú chó sủa.",
        "Việt Nam", "Tuấn Anh đến.", "Lan Anh đến.", "Ông bầu đội bóng.", "Hoa anh đào nở.",
        "Vợ chồng họ vui.", "Bố mẹ tôi khỏe.", "Về Bà Rịa chơi.", "Họ công bố kết quả.",
        "Bố trí lại phòng.", "Bọn khủng bố bị bắt.", "Đó là thầy thuốc giỏi.",
    ],
)
def test_no_false_hits(text: str) -> None:
    assert swap(text) == text


def test_capital_letter_inside_a_sentence_marks_a_proper_name() -> None:
    assert swap("Thủ tướng Anh gặp ông ấy.") == "Thủ tướng Anh gặp bà ấy."
    assert swap("ANH ẤY ĐẾN.") == "CHỊ ẤY ĐẾN."  # all capitals: not a name


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("«Anh ấy là bác sĩ.» Anh ấy là y tá.", "«Chị ấy là bác sĩ.» Chị ấy là y tá."),
        ("Anh ấy về rồi.» (Chồng chị ấy là y tá.", "Chị ấy về rồi.» (Vợ anh ấy là y tá."),
    ],
)
def test_capital_after_a_closing_guillemet_starts_a_sentence(source: str, expected: str) -> None:
    """« » quotes close before the next sentence as in Norwegian (the second *Anh* was kept
    as a name)."""
    assert engine().swap(source).text == expected


def test_exclusion_yields_to_a_following_name() -> None:
    # anh hùng = hero, but anh Hùng = brother Hùng
    assert swap("Anh hùng đã đến.") == "Anh hùng đã đến."
    assert swap("Hôm nay anh Hùng đến.") == "Hôm nay chị Hùng đến."


# -- fixed phrases, classifiers, titles, ALL CAPS (regressions) ----------------------------
SAFE, UNSAFE = True, False


@pytest.mark.parametrize(
    ("source", "expected", "safe"),
    [
        # figurative mẹ is kept; the real mother still swaps
        ("Tiếng mẹ đẻ của tôi là tiếng Việt.", "Tiếng mẹ đẻ của tôi là tiếng Việt.", SAFE),
        ("Công ty mẹ đặt trụ sở ở Hà Nội.", "Công ty mẹ đặt trụ sở ở Hà Nội.", SAFE),
        ("Thất bại là mẹ thành công.", "Thất bại là mẹ thành công.", SAFE),
        ("Mẹ thiên nhiên rất hào phóng.", "Mẹ thiên nhiên rất hào phóng.", SAFE),
        ("Tàu mẹ đã trở về.", "Tàu mẹ đã trở về.", SAFE),
        ("Đất mẹ gọi tên con.", "Đất mẹ gọi tên con.", SAFE),
        ("Đất Mẹ gọi tên con.", "Đất Mẹ gọi tên con.", SAFE),
        ("Các bà mẹ Việt Nam anh hùng.", "Các bà mẹ Việt Nam anh hùng.", SAFE),
        ("Mẹ đẻ của anh ấy sống ở quê.", "Bố đẻ của chị ấy sống ở quê.", SAFE),
        ("Mẹ tôi là giáo viên.", "Bố tôi là giáo viên.", SAFE),
        ("Mẹ của anh ấy đến.", "Bố của chị ấy đến.", SAFE),
        ("Chồng tôi đi làm.", "Vợ tôi đi làm.", SAFE),
        ("Bà ấy đi chợ.", "Ông ấy đi chợ.", SAFE),
        # đàn ông takes the classifier người after a numeral or quantifier
        ("Bà ấy là một phụ nữ thành đạt.", "Ông ấy là một người đàn ông thành đạt.", SAFE),
        ("Ông ấy là một người đàn ông thành đạt.", "Bà ấy là một người phụ nữ thành đạt.", SAFE),
        ("Có hai phụ nữ và những đàn ông.", "Có hai người đàn ông và những phụ nữ.", SAFE),
        ("Có 2 đàn bà.", "Có 2 người đàn ông.", SAFE),
        ("Người phụ nữ ấy đến.", "Người đàn ông ấy đến.", SAFE),
        ("Người đàn ông ấy đến.", "Người phụ nữ ấy đến.", SAFE),
        ("Phụ nữ cần được tôn trọng.", "Đàn ông cần được tôn trọng.", SAFE),
        # góa phụ after a title or người: góa vợ, not người góa vợ
        ("Bà góa phụ sống cùng con gái.", "Ông góa vợ sống cùng con trai.", SAFE),
        ("Bà goá phụ sống cùng con gái.", "Ông goá vợ sống cùng con trai.", SAFE),
        ("Người góa phụ khóc.", "Người góa vợ khóc.", SAFE),
        ("Bà ấy là một góa phụ.", "Ông ấy là một người góa vợ.", SAFE),
        # nữ / nam inside fixed words
        ("Thiếu nữ ngồi bên cửa sổ.", "Chàng trai ngồi bên cửa sổ.", SAFE),
        ("Nam mô A Di Đà Phật.", "Nam mô A Di Đà Phật.", SAFE),
        ("Bà tụng kinh nam mô.", "Ông tụng kinh nam mô.", SAFE),
        ("Họ đi về phương Nam.", "Họ đi về phương Nam.", SAFE),
        ("Miền Nam rất nóng.", "Miền Nam rất nóng.", SAFE),
        ("Nam Bộ có nhiều sông.", "Nam Bộ có nhiều sông.", SAFE),
        ("NAM BỘ MƯA TO.", "NAM BỘ MƯA TO.", SAFE),
        ("Nam Cực rất lạnh.", "Nam Cực rất lạnh.", SAFE),
        ("Việt Nam đẹp.", "Việt Nam đẹp.", SAFE),
        ("Nam châm hút sắt.", "Nam châm hút sắt.", SAFE),
        ("Hà Nam là một tỉnh.", "Hà Nam là một tỉnh.", SAFE),
        ("Học sinh nam đứng lên.", "Học sinh nữ đứng lên.", SAFE),
        # homonyms and idioms of kinship words
        ("Một chồng sách cao trên bàn.", "Một chồng sách cao trên bàn.", SAFE),
        ("Cô ấy có một chồng và hai con.", "Anh ấy có một vợ và hai con.", SAFE),
        ("Bố láo!", "Bố láo!", SAFE),
        # a pregnant woman has no male form (not ông bầu, the impresario): unsafe, kept
        ("Bà bầu nên ăn nhiều rau xanh.", "Bà bầu nên ăn nhiều rau xanh.", UNSAFE),
        ("Sản phụ được theo dõi sau sinh.", "Sản phụ được theo dõi sau sinh.", UNSAFE),
        ("Ông bầu của đội bóng rất giàu.", "Ông bầu của đội bóng rất giàu.", SAFE),
        ("Ông nói gà bà nói vịt, chẳng ai hiểu ai.", "Ông nói gà bà nói vịt, chẳng ai hiểu ai.",
         SAFE),
        # cậu / cô before a young person: cậu ↔ cô (not chú / dì)
        ("Cô ấy mong sinh được một cậu con trai.", "Anh ấy mong sinh được một cô con gái.", SAFE),
        ("Chị ấy có một cô con gái rất xinh.", "Anh ấy có một cậu con trai rất xinh.", SAFE),
        ("Cậu bạn cùng phòng của tôi rất bừa bộn.", "Cô bạn cùng phòng của tôi rất bừa bộn.",
         SAFE),
        ("Cô bạn thân của tôi sắp cưới.", "Cậu bạn thân của tôi sắp cưới.", SAFE),
        ("Một cậu sinh viên đến.", "Một cô sinh viên đến.", SAFE),
        ("Một cô sinh viên đến.", "Một cậu sinh viên đến.", SAFE),
        ("Cô em gái của anh ấy đến.", "Cậu em trai của chị ấy đến.", SAFE),
        ("Tôi có hai cô con gái.", "Tôi có hai cậu con trai.", SAFE),
        ("Cậu học sinh chăm chỉ.", "Cô học sinh chăm chỉ.", SAFE),
        # step-parents and clergy
        ("Cha dượng anh ấy rất tốt.", "Mẹ kế chị ấy rất tốt.", SAFE),
        ("Sư cô tụng kinh trong chùa.", "Sư thầy tụng kinh trong chùa.", SAFE),
        ("Sư thầy tụng kinh trong chùa.", "Sư cô tụng kinh trong chùa.", SAFE),
        # one-sex adjectives of looks; xinh đẹp of a place is kept
        ("Chú rể rất đẹp trai.", "Cô dâu rất xinh đẹp.", SAFE),
        ("Anh ấy rất đẹp trai.", "Chị ấy rất xinh đẹp.", SAFE),
        ("Chị ấy rất xinh đẹp.", "Anh ấy rất đẹp trai.", SAFE),
        ("Cô ấy xinh gái quá.", "Anh ấy đẹp trai quá.", SAFE),
        ("Hà Nội rất xinh đẹp.", "Hà Nội rất xinh đẹp.", SAFE),
        # a swapped title before a name that is not swapped (names are off)
        ("Bà Nguyễn Thị Lan là giám đốc.", "Ông Nguyễn Thị Lan là giám đốc.", UNSAFE),
        ("Ông Nguyễn Văn Hải là giám đốc.", "Bà Nguyễn Văn Hải là giám đốc.", UNSAFE),
        ("Cô Lan dạy toán ở trường.", "Thầy Lan dạy toán ở trường.", UNSAFE),
        ("Hôm nay anh Hùng đến.", "Hôm nay chị Hùng đến.", UNSAFE),
        # sentence-initial Anh that is England
        ("Anh là một quốc gia ở châu Âu.", "Anh là một quốc gia ở châu Âu.", SAFE),
        ("Anh là một nước ở châu Âu.", "Anh là một nước ở châu Âu.", SAFE),
        ("Anh là bạn tốt.", "Chị là bạn tốt.", SAFE),
        # ALL CAPS: the capital letter no longer tells England from the pronoun
        ("THỦ TƯỚNG ANH TỪ CHỨC", "THỦ TƯỚNG ANH TỪ CHỨC", SAFE),
        ("NỮ HOÀNG ANH QUA ĐỜI", "VUA ANH QUA ĐỜI", SAFE),
        ("ĐỘI TUYỂN ANH THẮNG.", "ĐỘI TUYỂN ANH THẮNG.", SAFE),
        ("ANH LÀ MỘT QUỐC GIA Ở CHÂU ÂU.", "ANH LÀ MỘT QUỐC GIA Ở CHÂU ÂU.", SAFE),
        ("TRẦN HƯNG ĐẠO LÀ MỘT ANH HÙNG.", "TRẦN HƯNG ĐẠO LÀ MỘT ANH HÙNG.", SAFE),
        ("ANH ẤY ĐẾN.", "CHỊ ẤY ĐẾN.", SAFE),
        ("ANH ĐI ĐÂU?", "CHỊ ĐI ĐÂU?", SAFE),
        ("TÔI YÊU ANH.", "TÔI YÊU CHỊ.", UNSAFE),
        ("NGƯỜI ANH UỐNG TRÀ.", "NGƯỜI ANH UỐNG TRÀ.", UNSAFE),
    ],
)
def test_fixed_phrases_classifiers_titles_and_capitals(
    source: str, expected: str, safe: bool
) -> None:
    cf = engine().swap(source)
    assert (cf.text, cf.safe) == (expected, safe), cf.unsafe


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Bà Nguyễn Thị Lan là giám đốc.", "Ông Nguyễn Văn Hùng là giám đốc."),
        ("Ông Nguyễn Văn Hải là giám đốc.", "Bà Nguyễn Thị Hải là giám đốc."),
        ("Cô Lan dạy toán ở trường.", "Thầy Hùng dạy toán ở trường."),
        ("Cô giáo Lan dạy văn.", "Thầy giáo Hùng dạy văn."),
    ],
)
def test_title_before_a_name_is_safe_when_names_swap(source: str, expected: str) -> None:
    cf = engine(names=True).swap(source)
    assert (cf.text, cf.safe) == (expected, True), cf.unsafe


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Ông Ba bán bánh mì đầu hẻm.", "Bà Ba bán bánh mì đầu hẻm."),
        ("Chú Tư chở tôi ra bến xe.", "Cô Tư chở tôi ra bến xe."),
        ("Thím Ba là vợ chú Ba.", "Chú Ba là chồng cô Ba."),
        ("Chị Hai với anh Út đều đi làm xa.", "Anh Hai với chị Út đều đi làm xa."),
        ("Bác Năm và cô Sáu đã về.", "Bác Năm và chú Sáu đã về."),
    ],
)
def test_title_before_a_birth_order_name_is_safe(source: str, expected: str) -> None:
    """*Ông Ba*, *chú Tư*: a birth-order name (Hai, Ba, Tư ... Út) is given to either sex,
    so the swapped title fits it."""
    cf = engine().swap(source)
    assert (cf.text, cf.safe) == (expected, True), cf.unsafe


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a parent
        ("Ba ơi, mai ba có đi họp không?", "Má ơi, mai má có đi họp không?"),
        ("Ba tôi làm thợ hồ, má tôi bán cá.", "Má tôi làm thợ hồ, ba tôi bán cá."),
        ("Má chồng tôi thương tôi lắm.", "Ba vợ tôi thương tôi lắm."),
        ("Ba con đi làm chưa về.", "Má con đi làm chưa về."),
        ("Má kêu con về ăn cơm.", "Ba kêu con về ăn cơm."),
        ("Con thương ba lắm.", "Con thương má lắm."),
        # the number three
        ("Ba con gà mái đẻ trứng.", "Ba con gà mái đẻ trứng."),
        ("Nhà có ba anh em, anh ấy là út.", "Nhà có ba chị em, chị ấy là út."),
        ("Ông ấy có ba vợ.", "Bà ấy có ba chồng."),
        ("Thứ ba tôi đi học.", "Thứ ba tôi đi học."),
        ("Cháu gái tôi học lớp ba.", "Cháu trai tôi học lớp ba."),
        ("Cả ba đều đi vắng.", "Cả ba đều đi vắng."),
        ("Anh ba đi làm ở Sài Gòn.", "Chị ba đi làm ở Sài Gòn."),  # the third child
        ("Ba phải quá thì ai tin.", "Ba phải quá thì ai tin."),
        # the cheek, and the pair
        ("Má cô ấy ửng hồng.", "Má anh ấy ửng hồng."),
        ("Cô ấy có đôi má lúm đồng tiền.", "Anh ấy có đôi má lúm đồng tiền."),
        ("Hai má cô ấy đỏ ửng.", "Hai má anh ấy đỏ ửng."),
        ("Ba má tôi là người Bến Tre.", "Ba má tôi là người Bến Tre."),
    ],
)
def test_southern_ba_and_ma_only_as_parents(source: str, expected: str) -> None:
    """*ba* is also three and *má* the cheek: they swap only where they name a parent."""
    assert swap(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Gã bặm môi bước vào quán.", "Ả bặm môi bước vào quán."),
        ("Ả ta nói năng chua ngoa.", "Gã ta nói năng chua ngoa."),
        ("Gã đàn ông lạ đứng trước cổng.", "Ả đàn bà lạ đứng trước cổng."),
        ("Lão keo kiệt lắm.", "Mụ keo kiệt lắm."),
        ("Mụ chủ nhà đòi tiền.", "Lão chủ nhà đòi tiền."),
        ("Ổng nói ổng bận.", "Bả nói bả bận."),
        ("Thằng Tí trốn học.", "Con Tí trốn học."),
        ("Thằng bạn tôi mới cưới vợ.", "Con bạn tôi mới cưới chồng."),
        ("Thằng con tôi lên lớp một.", "Đứa con gái tôi lên lớp một."),
        ("Nhà tôi có ba anh em trai.", "Nhà tôi có ba chị em gái."),
        # kept: compounds and names
        ("Viện dưỡng lão ở gần nhà.", "Viện dưỡng lão ở gần nhà."),
        ("Quá trình lão hoá diễn ra chậm.", "Quá trình lão hoá diễn ra chậm."),
        ("Gã khổng lồ công nghệ ra mắt điện thoại.", "Gã khổng lồ công nghệ ra mắt điện thoại."),
        ("Ả Rập Xê Út giàu dầu mỏ.", "Ả Rập Xê Út giàu dầu mỏ."),
        ("Đầu óc tôi mụ mị.", "Đầu óc tôi mụ mị."),
        ("Tôi bị đau bả vai.", "Tôi bị đau bả vai."),
        ("Ổng bả đi chợ rồi.", "Ổng bả đi chợ rồi."),
    ],
)
def test_pronouns_of_disdain_southern_contractions_and_thang(source: str, expected: str) -> None:
    assert swap(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Anh tài xế trả lại chiếc ví.", "Chị tài xế trả lại chiếc ví."),
        ("Những anh tài của đội tuyển đã về.", "Những anh tài của đội tuyển đã về."),
        ("Chị ấy nhờ anh đào tạo nhân viên.", "Anh ấy nhờ chị đào tạo nhân viên."),
        ("Hoa anh đào tạo nên mùa xuân.", "Hoa anh đào tạo nên mùa xuân."),
        ("Chú thích uống trà hay cà phê ạ?", "Cô thích uống trà hay cà phê ạ?"),
        ("Chú thích ảnh: một góc phố cổ.", "Chú thích ảnh: một góc phố cổ."),
        ("Cha ông ấy là bác sĩ.", "Mẹ bà ấy là bác sĩ."),
        ("Cha ông ta để lại nhiều bài học.", "Cha ông ta để lại nhiều bài học."),
        ("Anh dũng cảm lắm.", "Chị dũng cảm lắm."),
        ("Họ chiến đấu anh dũng.", "Họ chiến đấu anh dũng."),
        ("Anh Dũng cảm ơn chị.", "Chị Dũng cảm ơn anh."),  # a name, then cảm ơn
    ],
)
def test_an_exclusion_gives_way_to_a_word_that_runs_on(source: str, expected: str) -> None:
    """*anh tài* (talent) but *anh tài xế* (the driver): the exclusion's last syllable
    starts a longer word."""
    assert swap(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Cô nhắc lại: cả lớp giữ trật tự!", "Thầy nhắc lại: cả lớp giữ trật tự!"),
        ("Em thưa cô, em quên vở bài tập ạ.", "Em thưa thầy, em quên vở bài tập ạ."),
        ("Cô ơi, hôm nay cháu được nghỉ.", "Chú ơi, hôm nay cháu được nghỉ."),  # no classroom
        ("Cô tôi dạy ở trường làng, cả lớp quý cô lắm.",
         "Chú tôi dạy ở trường làng, cả lớp quý chú lắm."),  # the aunt, named as such
        # tớ: cậu is the friend's "you"
        ("Tớ bảo cậu rồi mà.", "Tớ bảo cậu rồi mà."),
        ("Tớ với cậu tớ đi câu cá.", "Tớ với dì tớ đi câu cá."),  # cậu tớ: my uncle
        ("Cậu tôi về quê.", "Dì tôi về quê."),
        # Nam at a sentence start
        ("Nam học lớp 10.", "Nam học lớp 10."),
        ("Nam, 25 tuổi, bị bắt.", "Nam, 25 tuổi, bị bắt."),
        ("Nam ca sĩ ra MV mới.", "Nữ ca sĩ ra MV mới."),
        ("Nam, nữ đều được tham gia.", "Nữ, nam đều được tham gia."),
    ],
)
def test_classroom_co_peer_cau_and_the_name_nam(source: str, expected: str) -> None:
    assert swap(source) == expected


def test_a_street_keeps_the_name_it_is_named_after() -> None:
    assert swap("Tôi sống ở đường Nguyễn Văn Cừ.", "names") == "Tôi sống ở đường Nguyễn Văn Cừ."
    assert (swap("Trường Nguyễn Thị Minh Khai gần phố Huế.", "names")
            == "Trường Nguyễn Thị Minh Khai gần phố Huế.")
    assert swap("Gặp Nguyễn Văn Hùng ở phố Huế.", "names") == "Gặp Nguyễn Thị Lan ở phố Huế."


def test_names_option_swaps_a_name_without_a_gender_term() -> None:
    assert swap("Tôi gặp Nguyễn Văn Hùng.", names=True) == "Tôi gặp Nguyễn Thị Lan."


def test_title_before_a_given_name_after_a_birth_order_word_stays_unsafe() -> None:
    cf = engine().swap("Chị Út Lan về quê.")
    assert cf.text == "Anh Út Lan về quê." and not cf.safe


def test_unsafe_reasons_name_the_cause() -> None:
    (reason,) = engine().swap("Bà Nguyễn Thị Lan là giám đốc.").unsafe
    assert "Thị" in reason and "names=True" in reason
    (reason,) = engine().swap("TÔI YÊU ANH.").unsafe
    assert "England" in reason


# -- tone marks and Unicode ---------------------------------------------------------------
def test_restyle_and_detect_tone_style() -> None:
    assert restyle_tones("hòa thủy khỏe quý", "new") == "hoà thuỷ khoẻ quý"
    assert restyle_tones("hoà thuỷ khoẻ quý", "old") == "hòa thủy khỏe quý"
    assert restyle_tones("hoàng thuyền", "new") == "hoàng thuyền"  # final consonant: fixed
    assert tone_style("sống hòa thuận") == "old"
    assert tone_style("sống hoà thuận") == "new"
    assert tone_style("không có") is None


def test_both_tone_placements_match_and_output_follows_input() -> None:
    assert swap("Bà ấy là góa phụ.") == "Ông ấy là người góa vợ."
    assert swap("Bà ấy là goá phụ.") == "Ông ấy là người goá vợ."
    # no variable syllable in the swapped word: the lexicon's (old) style, or the text's
    assert swap("Ông ấy là người goá vợ.") == "Bà ấy là goá phụ."
    assert swap("Bà ấy sống hoà thuận, là góa phụ.") == "Ông ấy sống hoà thuận, là người goá vợ."


def test_decomposed_input_is_matched_and_stays_decomposed() -> None:
    nfd = unicodedata.normalize("NFD", "Anh ấy là bác sĩ.")
    assert swap(nfd) == unicodedata.normalize("NFD", "Chị ấy là bác sĩ.")


# -- names --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Nguyễn Văn Hùng đến.", "Nguyễn Thị Lan đến."),
        ("Trần Thị Mai đến.", "Trần Văn Cường đến."),
        ("Nguyễn Văn An đến.", "Nguyễn Thị An đến."),  # unisex given name kept
        ("Phạm Thị Thuý đến.", "Phạm Văn Tài đến."),  # new-style tone mark accepted
        ("Lê Văn Tuấn đến. Tuấn cười.", "Lê Thị Hằng đến. Hằng cười."),  # consistent
        ("Tuấn cười. Lê Văn Tuấn đến.", "Hằng cười. Lê Thị Hằng đến."),
        ("Tôi gặp anh Hùng.", "Tôi gặp anh Lan."),  # after a title
        ("Văn học rất hay.", "Văn học rất hay."),
        ("Thị trường tăng.", "Thị trường tăng."),
        ("Long An và Hà Nội.", "Long An và Hà Nội."),
        ("Thành phố Vinh.", "Thành phố Vinh."),
        ("Hùng đến.", "Hùng đến."),  # no context: could be anything
    ],
)
def test_names_axis(source: str, expected: str) -> None:
    assert swap(source, "names") == expected


def test_names_option_swaps_names_with_the_gender_axis() -> None:
    assert swap("Hôm nay anh Hùng đến.", names=True) == "Hôm nay chị Lan đến."
    assert (swap("Nguyễn Văn Hùng là kỹ sư. Anh ấy giỏi.", names=True)
            == "Nguyễn Thị Lan là kỹ sư. Chị ấy giỏi.")
    neutral = engine(names=True).counterfactuals("Anh Hùng đến.", ["neutral"])[0]
    assert "Hùng" in neutral.text  # names have no neutral form: kept


# -- fifth review round -------------------------------------------------------------------
def test_nam_nu_joined_name_both_sexes_and_stay() -> None:
    for text in (
        "Yêu cầu: Nam/Nữ, tuổi từ 22 đến 30.",
        "Kem chống nắng này dùng được cho cả nam lẫn nữ.",
        "Học sinh nam và nữ xếp hàng riêng.",
        "Có cả nam và nữ sinh viên.",
    ):
        assert swap(text) == text
    assert swap("Học sinh nam xếp hàng trước.") == "Học sinh nữ xếp hàng trước."


def test_female_biology_makes_the_male_swap_unsafe() -> None:
    text = "Thuốc này chống chỉ định cho phụ nữ có thai."
    cf = engine().swap(text)
    assert not cf.safe and "có thai" in cf.unsafe[0]
    neutral = engine().counterfactuals(text, ["neutral"])[0]
    assert neutral.safe  # người có thai
    assert engine().swap("Phụ nữ có quyền bầu cử.").safe


def test_titles_of_works_in_quotes_are_kept() -> None:
    for text in (
        "Tối qua tôi nghe lại bài “Người con gái Việt Nam da vàng” của Trịnh Công Sơn.",
        "Phim “Người đàn bà mộng du” gây sốt.",
    ):
        assert swap(text) == text
    # a quotation after a verb of saying is speech: swapped
    assert swap("Anh ấy nói: “Tôi yêu cô ấy.”") == "Chị ấy nói: “Tôi yêu anh ấy.”"


def test_co_before_a_young_persons_job_is_anh() -> None:
    assert swap("Cô lễ tân rất nhiệt tình.") == "Anh lễ tân rất nhiệt tình."
    assert swap("Cô y tá tiêm cho anh ấy.") == "Anh y tá tiêm cho chị ấy."
    assert swap("Cô tôi là y tá.") == "Chú tôi là y tá."  # the aunt


def test_more_classroom_phrases_make_co_the_teacher() -> None:
    assert swap("Cô ơi, em nộp bài muộn một hôm được không ạ?") == (
        "Thầy ơi, em nộp bài muộn một hôm được không ạ?"
    )
    assert swap("Em viết sai chính tả, cô nhắc em sửa.") == (
        "Em viết sai chính tả, thầy nhắc em sửa."
    )


def test_bare_cau_after_a_young_cau_is_the_same_boy() -> None:
    assert swap("Cậu bé kể rằng mẹ cậu đi làm xa.") == "Cô bé kể rằng bố cô đi làm xa."
    assert swap("Cô bé và cậu bạn đi chơi, cậu mua kem.") == (
        "Cậu bé và cô bạn đi chơi, cô mua kem."
    )
    assert swap("Cậu ấy nói cậu tôi sắp về.") == "Cô ấy nói dì tôi sắp về."  # my uncle
    # a cậu before a name is a title (the uncle Tư), not the boy
    assert swap("Cậu bé ấy rất ngoan. Cậu Tư bán hủ tiếu.") == (
        "Cô bé ấy rất ngoan. Dì Tư bán hủ tiếu."
    )
    assert swap("Cậu đến muộn.") == "Dì đến muộn."


def test_chat_ck_and_vk() -> None:
    assert swap("ck e đi công tác r") == "vk e đi công tác r"
    assert swap("vk ơi tối nay ck về muộn nhé") == "ck ơi tối nay vk về muộn nhé"
    assert swap("nhà ck e ở Huế") == "nhà vk e ở Huế"
    assert swap("e gái t đỗ đh rồi") == "e trai t đỗ đh rồi"
    for text in ("ck cho e 500k nhé", "ck e 200k trước nha", "đã ck rồi ạ"):
        assert swap(text) == text  # chuyển khoản: a bank transfer


def test_fifth_round_lexicon_entries() -> None:
    assert swap("Mẹ chồng dạy mình từ hồi mới về làm dâu.") == (
        "Bố vợ dạy mình từ hồi mới về làm rể."
    )
    assert swap("Dì ghẻ thường là kẻ độc ác.") == "Bố dượng thường là kẻ độc ác."
    assert swap("đi chơi với hội chị em bạn dì") == "đi chơi với hội anh em bạn dì"
    assert swap("Thầy khen cô học trò nhỏ.") == "Cô khen cậu học trò nhỏ."
    for text in ("Ông Địa và Thần Tài được thờ ở góc nhà.", "Ông già Noel phát quà."):
        cf = engine().swap(text)
        assert cf.text == text and cf.safe


def test_sentence_initial_nam_before_a_capital_is_a_name() -> None:
    assert swap("Nam Định là quê hương của nhiều nhà khoa bảng.") == (
        "Nam Định là quê hương của nhiều nhà khoa bảng."
    )
    assert swap("Nam ca sĩ bị tố hát nhép.") == "Nữ ca sĩ bị tố hát nhép."


# -- segmenter ----------------------------------------------------------------------------
@pytest.mark.skipif(importlib.util.find_spec("pyvi") is None, reason="pyvi not installed")
def test_segmenter_mode_rejects_matches_inside_words() -> None:
    text = "Cậu ấm nhà ấy rất lười."  # cậu ấm (spoilt rich boy) is not in the exclusions
    assert swap(text) == "Dì ấm nhà ấy rất lười."  # the lexicon-only mode misses it
    assert swap(text, segmenter="pyvi") == text
    assert swap("Anh ấy là con trai tôi.", segmenter="pyvi") == "Chị ấy là con gái tôi."


@pytest.mark.skipif(importlib.util.find_spec("pyvi") is None, reason="pyvi not installed")
@pytest.mark.parametrize(
    "path", [GOLD, HELDOUT, REVIEW3, REVIEW4], ids=["gold", "heldout", "review3", "review4"]
)
def test_segmenter_mode_keeps_the_gold_sets(path: Path) -> None:
    """The figures in docs/languages/vietnamese.md: the segmenter joins *Cha anh ấy*,
    *Thầy giáo chủ nhiệm* and *Anh Minh* (a title and a name), and full names (one pyvi
    word) still swap on the names axis."""
    rows = read_pairs(path)
    missed = [
        row["source"]
        for row in rows
        if swap(row["source"], "names" if row["category"] == "names" else "gender",
                segmenter="pyvi") != row["expected"]
    ]
    expected = {
        GOLD: ["Cha anh ấy là bộ đội."],
        HELDOUT: [],
        REVIEW3: [
            "Thầy giáo chủ nhiệm gọi điện cho bố tôi.",
            "Anh Minh và chị Hoa sắp cưới nhau.",
            "Cha anh ấy mất khi anh ấy mới mười tuổi.",
        ],
        REVIEW4: [  # pyvi words: chú_thích, cô_giáo, nữ_sinh_viên, Thầy_Quang, Dì_Tư ...
            "Chú thích uống trà hay cà phê ạ?",
            "Cô giáo chủ nhiệm gọi điện cho ba tôi.",
            "Nhiều nữ sinh viên chọn ngành công nghệ thông tin.",
            "Nam thanh niên 22 tuổi bị bắt vì trộm xe máy.",
            "Cô mở cửa, thấy mẹ đang ngồi khóc một mình.",  # also wrong without pyvi
            "Con nhớ Mẹ nhiều lắm, Mẹ ơi.",  # also wrong without pyvi
            "Thầy Quang chủ nhiệm lớp tôi năm lớp mười.",
            "Dì Tư bán hủ tiếu ở chợ Bà Chiểu.",
            "Anh vẫn là điểm đến yêu thích của du học sinh Việt Nam.",  # also without
        ],
    }
    assert missed == expected[path]


@pytest.mark.skipif(importlib.util.find_spec("pyvi") is None, reason="pyvi not installed")
def test_segmenter_mode_on_review5() -> None:
    """pyvi joins cô_giáo, Gã_ta, Nam_thanh_niên, Cha_như ... into one word each."""
    missed = [r["source"] for r in REVIEW5_ROWS if not review5_right(r, segmenter="pyvi")]
    assert missed == [
        "Giám đốc nhân sự cho biết cô sẽ phỏng vấn từng người vào thứ Hai.",  # also without
        "Người mẹ được trực tiếp nuôi con dưới 36 tháng tuổi.",  # also without
        "Cô giáo chủ nhiệm lớp em tên là Nguyễn Thị Mai.",
        "a ơi tối nay a có về ăn cơm ko",  # also without
        "Nam thanh niên nhảy cầu cứu cô gái bị đuối nước",
        "Công cha như núi Thái Sơn, nghĩa mẹ như nước trong nguồn chảy ra",  # also without
        "Bà Hòa cho biết: “Chồng tôi mất đã mười năm, tôi ở với con trai.”",
        "Chúc mừng sinh nhật chồng yêu, mãi bên nhau anh nhé ❤️",  # also without
        "Gã ta lảng vảng trước cổng trường suốt buổi chiều.",
    ]


def test_missing_segmenter_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from biasaudit.languages import vietnamese

    vietnamese._pyvi_tokenize.cache_clear()
    monkeypatch.setitem(sys.modules, "pyvi", None)
    with pytest.raises(MissingExtraError, match=r"biasaudit\[vi\]"):
        CounterfactualEngine("vi", options={"segmenter": "pyvi"})
    vietnamese._pyvi_tokenize.cache_clear()


# -- properties ---------------------------------------------------------------------------
FILLERS = ["tôi", "rất", "vui", "và", "đã", "đi", "làm", "ở", "đây", "nói", "với", "hôm nay"]


@cache
def invertible_forms() -> list[str]:
    forms = []
    for e in engine().lexicons.entries:
        if e.invertible and e.pos != "name":
            forms += [e.output("male"), e.output("female")]
    return [f for f in forms if f]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_swapping_twice_restores_invertible_text(data: st.DataObject) -> None:
    terms = data.draw(st.lists(st.sampled_from(invertible_forms()), min_size=1, max_size=5))
    words: list[str] = []
    for term in terms:
        words += [data.draw(st.sampled_from(FILLERS)), term]
    text = " ".join(words) + "."
    once = swap(text)
    assert once != text
    assert swap(once) == text


MIXED = [*FILLERS, "Anh", "anh ấy", "cô đơn", "bà con", "con gái", "tiếng Anh", ",", "Ông",
         "goá phụ"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(MIXED), max_size=12))
def test_text_outside_edits_is_unchanged(words: list[str]) -> None:
    text = " ".join(words)
    cf = engine().swap(text)
    pos = 0
    out = 0
    for e in cf.edits:
        assert cf.source[e.start : e.end] == e.old
        keep = cf.source[pos : e.start]
        assert cf.text[out : out + len(keep)] == keep
        out += len(keep) + len(e.new)
        pos = e.end
    assert cf.text[out:] == cf.source[pos:]
