"""Word lists and word-level helpers shared by the Vietnamese gender rules
(:mod:`biasaudit.languages.vietnamese`) and identity rules
(:mod:`biasaudit.languages.vietnamese_identity`): the common family names, the gendered
titles that stand before a name, and the words just before and after a position in a text.
"""

from __future__ import annotations

import re


def is_title_case(word: str) -> bool:
    """Whether ``word`` is written with a capital first letter and is not ALL-CAPS."""
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")


def word_before(text: str, pos: int) -> re.Match[str] | None:
    """The word just before ``pos`` (on the same line), looked for in the 20 characters
    before it."""
    return _WORD_BEFORE.search(text, max(0, pos - 20), pos)


# The word just after a position (after one or more spaces or tabs): .match(text, pos).
WORD_AFTER = re.compile(r"[ \t]+(\w+)")

# Common Vietnamese family names (public knowledge; about 90% of the population).
SURNAMES = frozenset(
    """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Đinh
Lâm Mai Trịnh Trương Lương Cao Hà Tạ Tô Thái Châu Văn Quách Kiều Lưu Triệu Vương Tăng
Lại Phùng Từ Chu Khúc Mạc Cù Doãn Kim La Thân Vi Tống Nghiêm Hứa Diệp Ông Giang Mạch
Tôn Âu Thạch Lục Hồng Bạch Nông Ninh Đồng Quan Hàn Lò Lạc Khổng
""".split()
)

# Kinship titles that stand before a name (anh Hùng, bà Nguyễn Thị Lan) and are swapped:
# the name after them is not (unless names are on), so such a swap is marked unsafe.
GENDERED_TITLES = frozenset(
    """
anh chị ông bà cô chú cậu dì mợ thím thầy chàng nàng thằng gã ả lão mụ
""".split()
) | {"cô giáo", "thầy giáo", "quý ông", "quý bà"}
