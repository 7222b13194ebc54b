"""Input files that are missing or not UTF-8: errors name the file, line and byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biasaudit.errors import ConfigError, InputError, not_utf8, read_utf8


def first_bad_line(data: bytes) -> tuple[int, int]:
    """Brute force: decode line by line; (line, byte in line) of the first failure."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return number, exc.start + 1
    raise AssertionError("no bad byte")


@given(
    st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"])), max_size=6),
    st.sampled_from([b"\xff", b"\x85", b"\xc3", b"\xe2\x82"]),
    st.integers(min_value=0),
)
def test_not_utf8_finds_the_line_and_byte_a_line_by_line_decode_finds(
    lines: list[str], bad: bytes, at: int
) -> None:
    good = "\n".join(lines).encode("utf-8")
    cut = at % (len(good) + 1)
    while cut and (good[cut] if cut < len(good) else 0) & 0xC0 == 0x80:
        cut -= 1  # never inside a multi-byte character
    data = good[:cut] + bad + b"\n" + good[cut:]
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("utf-8")
    line, message = not_utf8(data, info.value)
    expected_line, expected_byte = first_bad_line(data)
    assert line == expected_line
    assert f"at byte {expected_byte} of the line" in message


def test_read_utf8_names_file_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"version: 1\nname: \xc3\xa9t\xe9\n")  # a good é, then a Latin-1 one
    with pytest.raises(ConfigError) as info:
        read_utf8(path, "config", ConfigError)
    assert (info.value.location.path, info.value.location.line) == (path, 2)
    assert "not valid UTF-8 (byte 0xe9 at byte 10 of the line)" in str(info.value)


def test_read_utf8_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read suite: .*No such file"):
        read_utf8(tmp_path / "nope.yaml", "suite")
