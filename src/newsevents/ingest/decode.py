"""Bytes to clean Unicode text: binary detection, encoding detection, normalisation."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from ..errors import BinaryInput, DecodeFailure, EmptyInput

# Control characters other than tab/newline/carriage return/form feed: more than a few of these
# in a text means it is binary (an image, a PDF, an executable) or badly broken.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What is removed from text once decoded: every control character but tab, newline and carriage
# return (ESC too: it is kept above only because ISO-2022 encodings use it), DEL, C1 controls.
_STRIP = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BREAKS = re.compile("[\x0b\x0c\x85]")  # vertical tab, form feed, next line: a line break in the source
# zero-width, BOM, soft hyphen, and the bidirectional controls (embeddings, overrides, isolates):
# they change how text displays, not what it says, and an override can make a title read backwards
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF", b"MZ")


def decode(data: bytes, source: str) -> str:
    """Decode ``data`` to normalised text, or raise a named IngestError naming ``source``.

    UTF-8 (with or without BOM) is tried first since nearly all news is UTF-8; otherwise
    charset-normalizer guesses the encoding from the bytes.
    """
    if not data.strip():
        raise EmptyInput(source, "the input is empty (nothing but whitespace)")
    head = data[:8192]
    # Windows tools write UTF-16 with a byte order mark: its NUL bytes are not binary
    bom = next((name for mark, name in _BOMS if head.startswith(mark)), None)
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head and not bom:
        raise BinaryInput(source, "the input is binary (not text): is it an image, a PDF or an archive?")
    if bom:
        text = data.decode(bom, errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _guess(data, source)
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > 0.01 * len(sample) + 4:
        raise BinaryInput(source, "the input is mostly control characters, not text")
    return normalise(text)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _guess(data: bytes, source: str) -> str:
    # Mostly-ASCII bytes that are not UTF-8 are, in news, nearly always windows-1252 (browsers
    # read latin-1 as it too), or UTF-8 with some windows-1252 pasted in. Guessing among single-
    # byte encodings from a few accented letters is unreliable, so for such text we keep the valid
    # UTF-8 and read each invalid byte as windows-1252; charset-normalizer decides the rest.
    sample = data[:1_000_000]
    non_ascii = len(sample.translate(None, bytes(range(128))))
    if non_ascii <= 0.1 * len(sample):
        return data.decode("utf-8", errors="newsevents-cp1252")
    best = from_bytes(sample).best()
    if best is None:
        raise DecodeFailure(source, "the text encoding could not be detected; convert the file to UTF-8")
    try:
        return data.decode(best.encoding, errors="replace")
    except LookupError as exc:  # an encoding name Python does not know
        raise DecodeFailure(source, f"unknown text encoding {best.encoding!r}; convert the file to UTF-8") from exc


def _cp1252_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    bad = exc.object[exc.start:exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error("newsevents-cp1252", _cp1252_fallback)


def scrub(text: str) -> str:
    """``text`` without control or invisible characters (a line break for those that are one),
    and with U+FFFD for each lone surrogate (JSON may escape one, "\\ud800"): neither is text,
    and UTF-8 cannot write a surrogate."""
    return _INVISIBLE.sub("", _BREAKS.sub("\n", _STRIP.sub("", replace_surrogates(text))))


def replace_surrogates(text: str) -> str:
    """``text`` with U+FFFD for each lone surrogate (spaCy cannot tokenise one); the same
    length, so offsets into it stay valid."""
    return _SURROGATE.sub("\ufffd", text)


def printable(name: str) -> str:
    """A path that can be printed and stored: the undecodable bytes Python keeps in a file name
    (as lone surrogates) become U+FFFD."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return _SURROGATE.sub("\ufffd", name)


def normalise(text: str) -> str:
    """NFC, one kind of newline and space, no invisible or control characters, no lone surrogates."""
    text = unicodedata.normalize("NFC", scrub(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _ODD_SPACES.sub(" ", text)
