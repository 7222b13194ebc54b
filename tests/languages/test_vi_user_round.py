"""Vietnamese: a native speaker's acceptance round (gender axis) found outputs that were
wrong but marked safe. Each is now right, or unsafe with a reason."""

from __future__ import annotations

from functools import cache

import pytest

from biasaudit import CounterfactualEngine


@cache
def engine() -> CounterfactualEngine:
    return CounterfactualEngine("vi", "gender")


# right after the swap
RIGHT = [
    # sữa mẹ (breast milk) is a fixed term
    ("Sữa mẹ là nguồn dinh dưỡng tốt nhất.", "Sữa mẹ là nguồn dinh dưỡng tốt nhất."),
    # quý cô (a lady) → quý ông, not *quý anh
    ("Cô ấy là một quý cô thanh lịch.", "Anh ấy là một quý ông thanh lịch."),
    ("Cả lớp quý cô lắm.", "Cả lớp quý thầy lắm."),  # quý: to be fond of
    # chú tiểu (a novice monk) is kept
    ("Chú tiểu quét sân chùa.", "Chú tiểu quét sân chùa."),
]

# swapped text that may be wrong: must be marked unsafe, with a reason naming the cue
UNSAFE = [
    ("Chị ấy vừa sinh con được hai tuần.", "sinh con"),
    ("Cô ấy sinh đôi hai bé gái.", "sinh đôi"),
    ("Bà ấy sinh được ba người con.", "sinh được"),
    ("Chị gái tôi vừa sinh em bé.", "sinh em bé"),
    ("Cô ấy mới đẻ được một tháng.", "đẻ"),
    ("Chị ấy cho con bú.", "cho con bú"),
    ("Anh ấy đang điều trị ung thư tinh hoàn.", "tinh hoàn"),
    ("Ông ấy bị phì đại tuyến tiền liệt.", "tuyến tiền liệt"),
    ("Vua Quang Trung đại phá quân Thanh.", "Quang"),
    ("Nữ hoàng Anh Elizabeth II qua đời năm 2022.", "Anh"),
    ("Hoàng tử William đến thăm Việt Nam.", "William"),
    ("Hai Bà Trưng là những nữ anh hùng dân tộc.", "Bà"),
]

# đẻ in fixed words about no one's giving birth: no flag
NOT_BIOLOGY = [
    "Anh ấy nói tiếng mẹ đẻ rất hay.",
    "Mẹ đẻ của chị ấy sống ở quê.",
]


@pytest.mark.parametrize(("source", "expected"), RIGHT)
def test_right(source: str, expected: str) -> None:
    result = engine().swap(source)
    assert result.text == expected


@pytest.mark.parametrize(("source", "cue"), UNSAFE)
def test_unsafe_with_reason(source: str, cue: str) -> None:
    result = engine().swap(source)
    assert result.text != source
    assert not result.safe
    assert any(cue in reason for reason in result.unsafe), result.unsafe


@pytest.mark.parametrize("source", NOT_BIOLOGY)
def test_de_in_fixed_words_is_not_birth(source: str) -> None:
    result = engine().swap(source)
    assert not any("said of" in reason for reason in result.unsafe), result.unsafe
