"""Vietnamese identity axes (nationality, religion, age, disability, orientation, names) on
free text: the review set (tests/languages/data/vi_identity_review.tsv), the held-out set
(tests/languages/data/vi_identity_heldout.tsv) and one unit test per rule of the
identity-axes review and held-out rounds (docs/languages/vietnamese.md § Identity axes; the
rules are in src/biasaudit/languages/vietnamese_identity.py)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from biasaudit import CounterfactualEngine

DATA = Path(__file__).parent / "data" / "vi_identity_review.tsv"
HELDOUT = Path(__file__).parent / "data" / "vi_identity_heldout.tsv"


def _rows(path: Path = DATA) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()
HELDOUT_ROWS = _rows(HELDOUT)


@cache
def engine(axis: str) -> CounterfactualEngine:
    return CounterfactualEngine("vi", axis)


def rewrite(axis: str, text: str, group: str):
    e = engine(axis)
    return e.rewrite(text, e.plan(group))


def right(row: dict[str, str]) -> bool:
    cf = rewrite(row["axis"], row["source"], row["group"])
    if row["gold"] == "UNSAFE":
        return not cf.safe
    return cf.safe and cf.text == row["gold"]


def test_review_set_size() -> None:
    assert len(ROWS) == 216  # 208 of the review round, 8 religion-name rows
    assert len({(r["axis"], r["source"], r["group"]) for r in ROWS}) == 216
    assert sum(r["flag"] == "hard" for r in ROWS) == 4


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{i:03d}-{r['axis']}-{r['group']}" for i, r in enumerate(ROWS)]
)
def test_review_row(row: dict[str, str]) -> None:
    """Every row is right, except the rows flagged hard, which must still be wrong (a
    stale flag is caught)."""
    if row["flag"] == "hard":
        assert not right(row), "a hard row is now right: remove its flag"
    else:
        cf = rewrite(row["axis"], row["source"], row["group"])
        assert right(row), (cf.text, cf.unsafe)


def test_heldout_set_size() -> None:
    assert len(HELDOUT_ROWS) == 190
    assert len({(r["axis"], r["source"], r["group"]) for r in HELDOUT_ROWS}) == 190
    assert sum(r["flag"] == "hard" for r in HELDOUT_ROWS) == 4


@pytest.mark.parametrize(
    "row",
    HELDOUT_ROWS,
    ids=[f"{i:03d}-{r['axis']}-{r['group']}" for i, r in enumerate(HELDOUT_ROWS)],
)
def test_heldout_row(row: dict[str, str]) -> None:
    """Every held-out row is right, except the rows flagged hard, which must still be wrong
    (a stale flag is caught)."""
    if row["flag"] == "hard":
        assert not right(row), "a hard row is now right: remove its flag"
    else:
        cf = rewrite(row["axis"], row["source"], row["group"])
        assert right(row), (cf.text, cf.unsafe)


# -- nationality ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Nhiều phụ nữ Mỹ sinh con muộn.", "french", "Nhiều phụ nữ Pháp sinh con muộn."),
        ("Cô gái Việt ấy rất giỏi.", "polish", "Cô gái Ba Lan ấy rất giỏi."),
        ("Du khách Na Uy thích phở.", "vietnamese", "Du khách Việt Nam thích phở."),
        ("Anh ấy cưới vợ người Đức.", "mexican", "Anh ấy cưới vợ người Mexico."),
        ("Người Việt ở Úc rất đông.", "german", "Người Đức ở Úc rất đông."),
        ("Ông bố Trung Quốc ấy rất vui.", "french", "Ông bố Pháp ấy rất vui."),
    ],
)
def test_nationality_descriptor_after_a_person_noun(text: str, group: str, expected: str) -> None:
    cf = rewrite("nationality", text, group)
    assert (cf.text, cf.safe) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "Tôi học tiếng Pháp ở trường.",  # the language
        "Hàng Trung Quốc rất rẻ.",  # goods
        "Đại sứ quán Mỹ đóng cửa.",  # an institution
        "Sáng nào tôi cũng ăn bánh mì Pháp.",  # food
        "Chúng tôi sang Đức du lịch.",  # the country
        "Anh Đức và chị Mỹ là hàng xóm.",  # given names after a title
        "Ông là người đức độ.",  # đức độ (virtuous): the capital is missing
        "Chị ấy là người Mỹ Tho.",  # a city: another capitalised syllable follows
        "Người Mỹ Latinh rất cởi mở.",  # a region
        "Ngày 20 tháng 10 là ngày Phụ nữ Việt Nam.",  # a capitalised head: a name
        "Ông ấy là người Việt kiều ở Pháp.",  # Việt kiều: one word
    ],
)
def test_nationality_other_senses_are_kept(text: str) -> None:
    for group in engine("nationality").groups:
        cf = rewrite("nationality", text, group)
        assert (cf.text, cf.safe) == (text, True), group


# -- religion -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Một phụ nữ Hồi giáo đi qua.", "buddhist", "Một phụ nữ theo đạo Phật đi qua."),
        ("Khu này có nhiều gia đình Công giáo.", "atheist", "Khu này có nhiều gia đình vô thần."),
        ("Anh ấy là người Hồi giáo.", "hindu", "Anh ấy là người theo đạo Hindu."),
        ("Gia đình tôi theo Công giáo.", "muslim", "Gia đình tôi theo đạo Hồi."),
        ("Họ là người theo đạo Tin Lành.", "buddhist", "Họ là người theo đạo Phật."),
        ("Các tín đồ Hồi giáo đã đến.", "christian", "Các tín đồ Cơ Đốc giáo đã đến."),
        ("Ông ấy là tín đồ Do Thái giáo.", "muslim", "Ông ấy là tín đồ Hồi giáo."),
        ("Ông ấy là tín đồ đạo Phật.", "jewish", "Ông ấy là tín đồ đạo Do Thái."),
        ("Cô ấy là một Phật tử.", "muslim", "Cô ấy là một tín đồ Hồi giáo."),
        ("Bạn tôi là Kitô hữu.", "buddhist", "Bạn tôi là tín đồ Phật giáo."),
    ],
)
def test_religion_names_believers_and_descriptors(text: str, group: str, expected: str) -> None:
    cf = rewrite("religion", text, group)
    assert (cf.text, cf.safe) == (expected, True)


def test_religion_believer_to_atheist_is_unsafe() -> None:
    """*tín đồ* has no atheist counterpart (*các tín đồ* → *các người vô thần* is wrong)."""
    assert not rewrite("religion", "Các tín đồ Hồi giáo đã đến.", "atheist").safe
    assert not rewrite("religion", "Cô ấy là một Phật tử.", "atheist").safe


def test_religion_believer_where_the_text_denies_any_religion_is_unsafe() -> None:
    text = "Tôi không theo tôn giáo nào, nói đúng ra tôi là người vô thần."
    assert not rewrite("religion", text, "muslim").safe
    assert rewrite("religion", "Ông ấy là người vô thần.", "muslim").safe


@pytest.mark.parametrize(
    "text",
    [
        "Phật giáo du nhập vào Việt Nam từ rất sớm.",  # the religion
        "Giáo hội Phật giáo Việt Nam họp.",  # an institution
        "Họ gặp nhau ở nhà thờ Tin Lành.",  # a building
        "Chủ nghĩa vô thần từng phổ biến.",  # the doctrine
        "Nhà nước Do Thái được thành lập năm 1948.",  # a country
        "Đạo Hindu có nhiều vị thần.",
    ],
)
def test_religion_other_senses_are_kept(text: str) -> None:
    for group in engine("religion").groups:
        cf = rewrite("religion", text, group)
        assert (cf.text, cf.safe) == (text, True), group


# -- age ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Cô giáo trẻ ấy rất hiền.", "old", "Cô giáo lớn tuổi ấy rất hiền."),
        ("Một giám đốc trẻ tuổi vừa đến.", "middle_aged", "Một giám đốc trung niên vừa đến."),
        ("Người trẻ tuổi hay đổi việc.", "old", "Người lớn tuổi hay đổi việc."),
        ("Một cặp vợ chồng già sống ở đây.", "young", "Một cặp vợ chồng trẻ sống ở đây."),
        ("Giới trẻ rất thích trà sữa.", "old", "Người lớn tuổi rất thích trà sữa."),
        ("Các bà mẹ trẻ hay lên mạng.", "old", "Các bà mẹ lớn tuổi hay lên mạng."),
    ],
)
def test_age_adjectives_after_a_person_noun(text: str, group: str, expected: str) -> None:
    cf = rewrite("age", text, group)
    assert (cf.text, cf.safe) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "Trẻ em được miễn vé.",  # children
        "Trẻ con thích kẹo.",
        "Đứa trẻ đang ngủ.",
        "Bà ấy mở nhà trẻ.",  # a nursery
        "Bà ấy nhận trông trẻ.",  # babysitting
        "Tuổi trẻ chỉ đến một lần.",  # youth
        "Lúc còn trẻ, ông ấy làm thủy thủ.",
        "Ba tôi hồi trẻ là thủy thủ.",
        "Căn phòng trông rất trẻ trung.",
        "Công ty đang trẻ hóa bộ máy.",
        "Đội bóng trẻ vừa vô địch.",
        "Ở tuổi trung niên, ai cũng lo cho sức khỏe.",
        "Báo Người Cao Tuổi đăng bài này.",  # a newspaper
        "Hội Người cao tuổi họp hôm qua.",  # an association
    ],
)
def test_age_other_senses_are_kept(text: str) -> None:
    for group in engine("age").groups:
        cf = rewrite("age", text, group)
        assert (cf.text, cf.safe) == (text, True), group


def test_age_word_before_a_superlative_or_comparative_is_kept() -> None:
    """*trẻ tuổi nhất* (the youngest), *già hơn* (older than) compare people; no age group."""
    for text in (
        "Nữ doanh nhân trẻ tuổi nhất trong danh sách là người Việt.",
        "Những người già nhất làng vẫn khỏe.",
        "Ông ấy già hơn tôi.",
    ):
        for group in engine("age").groups:
            cf = rewrite("age", text, group)
            assert (cf.text, cf.safe) == (text, True), group
    assert rewrite("age", "Cô giáo trẻ dạy giỏi.", "old").text == "Cô giáo lớn tuổi dạy giỏi."


def test_age_with_an_explicit_age_is_unsafe() -> None:
    cf = rewrite("age", "Người già 92 tuổi ấy vẫn đạp xe.", "young")
    assert cf.text == "Người trẻ 92 tuổi ấy vẫn đạp xe." and not cf.safe
    assert not rewrite("age", "Anh ấy là người trẻ 28 tuổi.", "old").safe
    assert rewrite("age", "Người già ấy vẫn đạp xe.", "young").safe


# -- disability -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Một người mù đang hát.", "deaf", "Một người khiếm thính đang hát."),
        ("Người điếc vẫn lái xe được.", "blind", "Người khiếm thị vẫn lái xe được."),
        ("Ông ấy bị mù từ nhỏ.", "deaf", "Ông ấy bị khiếm thính từ nhỏ."),
        ("Cháu bị điếc bẩm sinh.", "autistic", "Cháu bị tự kỷ bẩm sinh."),
        ("Một người khuyết tật vận động bán vé số.", "blind", "Một người khiếm thị bán vé số."),
        ("Cháu bé bị khiếm thị.", "nondisabled", "Cháu bé không bị khuyết tật."),
    ],
)
def test_disability_blunt_forms_and_kinds_are_read(text: str, group: str, expected: str) -> None:
    cf = rewrite("disability", text, group)
    assert (cf.text, cf.safe) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "Anh ấy bị mù màu.",  # colour blindness
        "Bà cụ bị mù chữ.",  # illiterate
        "Họ bị mù quáng vì tiền.",  # figurative
        "Nhạc to quá, tôi bị điếc tai.",
        "Anh ấy mắc chứng tự kỷ ám thị.",  # autosuggestion
        "Sản phẩm có khuyết tật được đổi miễn phí.",  # a defect
        "Mối hàn bị khuyết tật.",
        "Hàng khuyết tật bị trả lại.",
    ],
)
def test_disability_other_senses_are_kept(text: str) -> None:
    for group in engine("disability").groups:
        cf = rewrite("disability", text, group)
        assert (cf.text, cf.safe) == (text, True), group


# -- orientation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Cừu Dolly được nhân bản vô tính.",
        "Khoai tây sinh sản vô tính.",
        "Cây được nhân giống vô tính.",
        "Đồng tính luyến ái không phải là bệnh.",
    ],
)
def test_orientation_other_senses_are_kept(text: str) -> None:
    for group in engine("orientation").groups:
        cf = rewrite("orientation", text, group)
        assert (cf.text, cf.safe) == (text, True), group


def test_orientation_with_nam_or_nu_keeps_the_marker() -> None:
    """*nam*/*nữ* after an orientation says the person's sex, which every group keeps."""
    cf = rewrite("orientation", "Anh ấy là người đồng tính nam.", "straight")
    assert (cf.text, cf.safe) == ("Anh ấy là người dị tính nam.", True)
    cf = rewrite("orientation", "Chị ấy là người đồng tính nữ.", "bisexual")
    assert (cf.text, cf.safe) == ("Chị ấy là người song tính nữ.", True)


# -- names ----------------------------------------------------------------------------------


def test_names_second_given_syllable_that_stays_is_unsafe() -> None:
    cf = rewrite("names", "Nguyễn Thị Thu Hương là hiệu trưởng.", "male")
    assert cf.text == "Nguyễn Văn Thu Dũng là hiệu trưởng." and not cf.safe
    ok = rewrite("names", "Nguyễn Thị Hương là hiệu trưởng.", "male")
    assert (ok.text, ok.safe) == ("Nguyễn Văn Dũng là hiệu trưởng.", True)


@pytest.mark.parametrize(
    ("text", "group", "title"),
    [
        ("Hôm nay anh Hùng đến.", "female", "anh"),
        ("Chị Nguyễn Thị Hương dạy văn.", "male", "Chị"),
        ("Thầy Quang chủ nhiệm lớp tôi.", "female", "Thầy"),
        ("Cô giáo Lan dạy toán.", "male", "Cô giáo"),
    ],
)
def test_names_after_a_gendered_title_are_unsafe(text: str, group: str, title: str) -> None:
    """The names axis keeps titles, so a swapped name after one would carry the other
    gender's title (*chị Nguyễn Văn Dũng*); the gender axis with names=True swaps both."""
    cf = rewrite("names", text, group)
    assert not cf.safe
    assert any(repr(title) in why for why in cf.unsafe), cf.unsafe


def test_names_after_a_neutral_title_stay_safe() -> None:
    cf = rewrite("names", "Bác sĩ Phạm Văn Long khám rất kỹ.", "female")
    assert (cf.text, cf.safe) == ("Bác sĩ Phạm Thị Nga khám rất kỹ.", True)
    cf = rewrite("names", "Sáng nay Lê Văn Thắng đến muộn. Thắng xin lỗi.", "female")
    assert (cf.text, cf.safe) == ("Sáng nay Lê Thị Thảo đến muộn. Thảo xin lỗi.", True)


# -- held-out round -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        # sport, job ads, traffic: more nouns for people (PERSON_HEADS)
        ("nationality", "Thủ môn Ba Lan bắt rất hay.", "french", "Thủ môn Pháp bắt rất hay."),
        (
            "nationality",
            "Hai tuyển thủ Nigeria bị treo giò.",
            "german",
            "Hai tuyển thủ Đức bị treo giò.",
        ),
        (
            "nationality",
            "Anh bạn Mỹ của tôi thích phở.",
            "polish",
            "Anh bạn Ba Lan của tôi thích phở.",
        ),
        ("religion", "Đồng bào Công giáo đi lễ.", "buddhist", "Đồng bào theo đạo Phật đi lễ."),
        ("age", "Ưu tiên ứng viên trẻ.", "old", "Ưu tiên ứng viên lớn tuổi."),
        ("age", "Tài xế trẻ chạy quá tốc độ.", "middle_aged", "Tài xế trung niên chạy quá tốc độ."),
        ("age", "Hậu vệ trẻ ghi bàn.", "old", "Hậu vệ lớn tuổi ghi bàn."),
    ],
)
def test_more_nouns_for_people(axis: str, text: str, group: str, expected: str) -> None:
    cf = rewrite(axis, text, group)
    assert (cf.text, cf.safe) == (expected, True)


def test_nationality_after_quoc_tich() -> None:
    """*quốc tịch X* (citizenship) says the person's nationality."""
    cf = rewrite("nationality", "Ông ấy mang quốc tịch Na Uy.", "mexican")
    assert (cf.text, cf.safe) == ("Ông ấy mang quốc tịch Mexico.", True)


def test_nationality_descent_after_a_person_noun() -> None:
    """*gốc X* right after a noun for people is read; after a nationality it qualifies it and
    stays; *nguồn gốc X* (goods) is kept."""
    cf = rewrite("nationality", "Anh là người gốc Việt.", "german")
    assert (cf.text, cf.safe) == ("Anh là người gốc Đức.", True)
    cf = rewrite("nationality", "Cầu thủ gốc Ba Lan ấy rất nhanh.", "french")
    assert (cf.text, cf.safe) == ("Cầu thủ gốc Pháp ấy rất nhanh.", True)
    cf = rewrite("nationality", "Chị là người Pháp gốc Việt.", "german")
    assert (cf.text, cf.safe) == ("Chị là người Đức gốc Việt.", True)
    for group in engine("nationality").groups:
        text = "Sản phẩm có nguồn gốc Trung Quốc."
        assert rewrite("nationality", text, group).text == text


def test_religion_theo_tin_lanh_is_read() -> None:
    cf = rewrite("religion", "Chị ấy theo Tin Lành.", "muslim")
    assert (cf.text, cf.safe) == ("Chị ấy theo đạo Hồi.", True)


@pytest.mark.parametrize(
    "text",
    [
        "Họ phê phán lối sống vô thần.",  # an idea, not a person
        "Chế độ vô thần ấy sụp đổ.",
        "Đó là quan điểm theo đạo Phật.",
    ],
)
def test_religion_after_a_noun_for_an_idea_is_kept(text: str) -> None:
    for group in engine("religion").groups:
        cf = rewrite("religion", text, group)
        assert (cf.text, cf.safe) == (text, True), group


@pytest.mark.parametrize(
    "text",
    [
        "Cô gái trẻ trung ấy rất duyên.",  # youthful
        "Anh là một kỹ sư già dặn.",  # mature, experienced
        "Bà ấy là người già đời trong nghề.",  # seasoned
        "Ông chồng già mồm lắm.",  # argumentative
    ],
)
def test_age_words_of_another_sense_are_kept(text: str) -> None:
    for group in engine("age").groups:
        cf = rewrite("age", text, group)
        assert (cf.text, cf.safe) == (text, True), group


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Người già cả cần được chăm sóc.", "young", "Người trẻ cần được chăm sóc."),
        ("Những bà mẹ già nua ngồi chờ.", "middle_aged", "Những bà mẹ trung niên ngồi chờ."),
        ("Một bạn trẻ hỏi tôi đường.", "old", "Một người lớn tuổi hỏi tôi đường."),
    ],
)
def test_age_compounds_read_whole(text: str, group: str, expected: str) -> None:
    cf = rewrite("age", text, group)
    assert (cf.text, cf.safe) == (expected, True)


def test_cac_before_a_written_nguoi_is_unsafe() -> None:
    """*các bạn trẻ* → *các người lớn tuổi*: *các người* is rude ("you lot")."""
    cf = rewrite("age", "Các bạn trẻ thích cà phê.", "old")
    assert not cf.safe and any("các người" in why for why in cf.unsafe), cf.unsafe


def test_age_category_of_sport_is_an_explicit_age() -> None:
    cf = rewrite("age", "Tuyển U19 có nhiều cầu thủ trẻ.", "old")
    assert not cf.safe


def test_age_after_a_head_that_says_old_is_unsafe() -> None:
    cf = rewrite("age", "Một cụ bà già ngồi bán nước.", "young")
    assert not cf.safe and any("cụ bà" in why for why in cf.unsafe), cf.unsafe


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Trường dạy trẻ câm điếc.", "blind", "Trường dạy trẻ khiếm thị."),
        ("Anh ấy là người câm điếc.", "autistic", "Anh ấy là người tự kỷ."),
        ("Cô bé bị câm điếc từ nhỏ.", "blind", "Cô bé bị khiếm thị từ nhỏ."),
    ],
)
def test_disability_cam_diec_is_read_as_deaf(text: str, group: str, expected: str) -> None:
    cf = rewrite("disability", text, group)
    assert (cf.text, cf.safe) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "Tôi bị mù đường nên hay lạc.",  # no sense of direction
        "Anh ấy là người mù đường.",
        "Xóa tình trạng người mù chữ ở vùng cao.",  # illiterate
        "Người mù màu khó phân biệt đỏ và xanh.",  # colour blind
        "Áo sơ mi bị khuyết tật đường may.",  # a defect of a thing
        "Bo mạch có khuyết tật.",
    ],
)
def test_disability_other_senses_of_the_held_out_round_are_kept(text: str) -> None:
    for group in engine("disability").groups:
        cf = rewrite("disability", text, group)
        assert (cf.text, cf.safe) == (text, True), group


def test_disability_of_one_eye_or_ear_is_unsafe() -> None:
    cf = rewrite("disability", "Bà bị điếc một bên tai.", "blind")
    assert not cf.safe
    cf = rewrite("disability", "Anh ấy bị mù hai mắt.", "deaf")
    assert not cf.safe


def test_disability_bare_tu_ky_is_unsafe() -> None:
    """Slang *tự kỷ* (to shut oneself away) stands where the adjective does."""
    cf = rewrite("disability", "Thi trượt xong nó tự kỷ mấy ngày.", "blind")
    assert not cf.safe
    cf = rewrite("disability", "Con tôi bị tự kỷ.", "blind")
    assert (cf.text, cf.safe) == ("Con tôi bị khiếm thị.", True)


@pytest.mark.parametrize(
    "text",
    [
        "Cây được nhân giống bằng phương pháp vô tính.",  # biology
        "Trồng cao su dòng vô tính.",
        "Đây là bản sao vô tính của con cừu.",
        "Xét môi trường đồng tính.",  # physics: homogeneous
        "Đồng tính không phải là một căn bệnh.",  # the orientation itself
    ],
)
def test_orientation_other_senses_of_the_held_out_round_are_kept(text: str) -> None:
    for group in engine("orientation").groups:
        cf = rewrite("orientation", text, group)
        assert (cf.text, cf.safe) == (text, True), group


@pytest.mark.parametrize(
    ("text", "group", "title"),
    [
        ("Hoa hậu Nguyễn Thị Mai đến thăm trường.", "male", "Hoa hậu"),
        ("Thầy hiệu trưởng Lê Văn Hùng phát biểu.", "female", "Thầy"),
        ("Cô giáo chủ nhiệm Trần Thị Lan rất hiền.", "male", "Cô giáo"),
    ],
)
def test_names_after_a_one_sex_title_or_a_title_and_a_role_are_unsafe(
    text: str, group: str, title: str
) -> None:
    cf = rewrite("names", text, group)
    assert not cf.safe
    assert any(repr(title) in why for why in cf.unsafe), cf.unsafe


def test_one_sex_title_before_a_name_swapped_on_the_gender_axis_is_unsafe() -> None:
    """*Hoa hậu* (a beauty queen) has no counterpart the gender axis writes: with
    names=True the name is swapped and the title stays, so the variant is unsafe."""
    e = CounterfactualEngine("vi", "gender", options={"names": True})
    cf = e.swap("Hoa hậu Đỗ Thị Hà đến dự.")
    assert not cf.safe and any("'Hoa hậu'" in why for why in cf.unsafe)
    assert e.swap("Chị Nguyễn Thị Hương dạy văn.").safe
