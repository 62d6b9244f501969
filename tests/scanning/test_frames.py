"""Serial frame decoding: terminators, prefix, AIM identifiers, split and joined reads, noise."""

from __future__ import annotations

import pytest

from posapp.scanning.frames import (
    FrameDecoder,
    FrameSettings,
    Rejected,
    RejectReason,
    Scan,
)


def feed_all(decoder: FrameDecoder, *reads: bytes, at: float = 0.0) -> list[object]:
    frames: list[object] = []
    for read in reads:
        frames.extend(decoder.feed(read, at))
    return frames


@pytest.mark.parametrize("terminator", [b"\r", b"\n", b"\r\n"])
def test_each_terminator_ends_a_frame(terminator: bytes) -> None:
    frames = feed_all(FrameDecoder(), b"2000000000015" + terminator + b"ABC1" + terminator)
    assert frames == [Scan("2000000000015"), Scan("ABC1")]


def test_configured_suffix_ends_a_frame_and_a_following_crlf_adds_nothing() -> None:
    decoder = FrameDecoder(FrameSettings(suffix=b"#"))
    assert feed_all(decoder, b"1234#5678#\r\n") == [Scan("1234"), Scan("5678")]


def test_prefix_is_stripped_and_aim_identifier_kept_as_symbology() -> None:
    decoder = FrameDecoder(FrameSettings(prefix=b"\x02", suffix=b"\x03"))
    frames = feed_all(decoder, b"\x02]E02000000000015\x03\x02]Q1hello world\x03")
    assert frames == [Scan("2000000000015", "]E0"), Scan("hello world", "]Q1")]


def test_frame_split_across_reads_is_joined() -> None:
    decoder = FrameDecoder(FrameSettings(suffix=b"<END>"))
    assert feed_all(decoder, b"]C0ABC", b"DEF<E", b"ND>", b"XY") == [Scan("ABCDEF", "]C0")]
    assert decoder.waiting
    assert feed_all(decoder, b"Z\r") == [Scan("XYZ")]


def test_crlf_split_between_reads_gives_one_scan() -> None:
    assert feed_all(FrameDecoder(), b"1234\r", b"\n5678\r", b"\n") == [Scan("1234"), Scan("5678")]


def test_many_frames_in_one_read_come_out_in_order() -> None:
    codes = [f"{n:013d}" for n in range(100)]
    data = b"".join(code.encode() + b"\r\n" for code in codes)
    assert [frame.code for frame in feed_all(FrameDecoder(), data)] == codes  # type: ignore[attr-defined]


def test_wrong_baud_noise_is_rejected_and_the_next_scan_still_reads() -> None:
    frames = feed_all(FrameDecoder(), b"\xf0\x8c\x00\xfe\x1e\r", b"1234\r")
    assert frames[0] == Rejected(RejectReason.NOT_PRINTABLE, b"\xf0\x8c\x00\xfe\x1e")
    assert frames[1] == Scan("1234")
    assert "baud" in frames[0].message  # type: ignore[attr-defined]


def test_control_character_inside_a_frame_is_rejected() -> None:
    [frame] = feed_all(FrameDecoder(), b"12\x0734\r")
    assert isinstance(frame, Rejected) and frame.reason is RejectReason.NOT_PRINTABLE


def test_frame_over_128_characters_is_rejected_even_without_terminator() -> None:
    decoder = FrameDecoder()
    frames = feed_all(decoder, b"9" * 100, b"9" * 100)
    assert [f.reason for f in frames] == [RejectReason.TOO_LONG]  # type: ignore[attr-defined]
    # the rest of the long frame is dropped up to its terminator, then reading goes on
    assert feed_all(decoder, b"9" * 300, b"99\r1234\r") == [Scan("1234")]


def test_128_characters_is_still_a_scan() -> None:
    assert feed_all(FrameDecoder(), b"A" * 128 + b"\r") == [Scan("A" * 128)]
    [too_long] = feed_all(FrameDecoder(), b"A" * 129 + b"\r")
    assert isinstance(too_long, Rejected) and too_long.reason is RejectReason.TOO_LONG


def test_partial_frame_without_terminator_is_rejected_after_the_timeout() -> None:
    decoder = FrameDecoder(FrameSettings(timeout_s=0.2))
    assert decoder.feed(b"12345", 10.0) == []
    assert decoder.expire(10.1) == []
    assert decoder.expire(10.25) == [Rejected(RejectReason.NO_TERMINATOR, b"12345")]
    assert not decoder.waiting
    assert decoder.feed(b"678\r", 11.0) == [Scan("678")]


def test_blank_lines_and_bare_prefixes_are_not_scans() -> None:
    decoder = FrameDecoder(FrameSettings(prefix=b"@"))
    assert feed_all(decoder, b"\r\n\r\n  \r@\r@ABC1\r") == [Scan("ABC1")]
