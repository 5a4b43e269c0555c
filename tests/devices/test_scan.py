"""Scanner text handling: framing, AIM prefixes, garbage and limits."""

from __future__ import annotations

import pytest

from devices.scan import MAX_SCAN_CHARS, LineFramer, clean_scan, strip_aim


@pytest.mark.parametrize(("raw", "expected"), [
    ("]Q1CP1.ABC", "CP1.ABC"),  # QR with a symbology identifier
    ("]E04710088410012", "4710088410012"),  # EAN-13
    ("]C0ORDER-7", "ORDER-7"),  # Code 128
    ("CP1.ABC", "CP1.ABC"),  # no prefix: untouched
    ("]", "]"),  # not a whole identifier
])
def test_aim_symbology_prefixes_are_stripped(raw, expected):
    assert strip_aim(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "A\x00B", "\x1b[2J", "x" * (MAX_SCAN_CHARS + 1)])
def test_unusable_scans_are_dropped(raw):
    assert clean_scan(raw) is None


@pytest.mark.parametrize(("suffix", "end"), [("CR", b"\r"), ("LF", b"\n"), ("CRLF", b"\r\n")])
def test_lines_split_on_the_configured_suffix_across_split_writes(suffix, end):
    framer = LineFramer(suffix)
    assert framer.feed(b"]Q1CP1.AB") == []
    assert framer.feed(b"C" + end + b"4710088") == ["CP1.ABC"]
    assert framer.feed(b"410012" + end) == ["4710088410012"]


def test_non_utf8_and_over_long_input_is_dropped_and_the_next_scan_still_reads():
    framer = LineFramer("CR", limit=64)
    assert framer.feed(b"\xff\xfe\xfd\r") == []
    assert framer.feed(b"Z" * 100) == []  # no end in sight: dropped, not buffered forever
    assert framer.feed(b"ZZZ\rCP1.OK\r") == ["CP1.OK"]  # the tail of the long line too


def test_an_unknown_suffix_is_a_clear_error():
    with pytest.raises(ValueError, match="CR, LF, CRLF"):
        LineFramer("TAB")
