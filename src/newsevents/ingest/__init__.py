"""Ingest: turn what users have (scraped text, HTML pages, JSONL/CSV dumps, folders, .gz files,
stdin) into :class:`~newsevents.model.Article` objects.

:func:`read` streams: it yields one Article or one Rejection (with a named reason) per input
article, never holding the corpus in memory, and never stops a batch for one bad input.

It works in two steps that batch runs split between processes: :func:`units` reads the raw
inputs (a file's bytes, one JSONL/CSV record), which is cheap, and :func:`article_of` turns one
into an Article (decoding, HTML extraction, furniture removal, language detection), which is not,
so worker processes do it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from ..errors import (
    BadRecord,
    CorruptArchive,
    EmptyInput,
    IngestError,
    InputTooLarge,
    UnsupportedInput,
)
from ..model import Article, Rejection
from ..settings import Settings
from .decode import decode, normalise, printable, scrub
from .furniture import clean_text
from .html import extract_html, looks_like_html
from .language import detect_language
from .records import csv_records, jsonl_records, pick

__all__ = ["Unit", "article_id", "article_of", "article_or_rejection", "format_of", "iter_files", "make_article",
           "read", "read_bytes", "read_text", "units"]

_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
}
STDIN = "-"

log = logging.getLogger(__name__)
_LETTER = re.compile(r"[^\W\d_]")


def read(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Article | Rejection]:
    """Every article in ``paths`` (files, folders read recursively, ``-`` for stdin), in order."""
    settings = settings or Settings()
    for unit in units(paths, settings):
        yield unit if isinstance(unit, Rejection) else article_or_rejection(unit, settings)


@dataclass
class Unit:
    """One input article before ingest: the bytes of a text/HTML file, or one JSONL/CSV record."""

    source: str  # the path, or "path:line" for a record
    format: str  # text, html, auto (by content), jsonl or csv
    data: bytes | dict[str, Any]

    @property
    def size(self) -> int:
        """Roughly how many bytes it holds (batch runs bound the bytes in flight)."""
        if isinstance(self.data, bytes):
            return len(self.data)
        return sum(len(v) for v in self.data.values() if isinstance(v, str))


def units(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Unit | Rejection]:
    """The raw inputs under ``paths``, in order, streaming: files are read, records parsed, and
    nothing else is done (a file or line that cannot be read gives a Rejection)."""
    settings = settings or Settings()
    for path in iter_files(paths):
        try:
            fmt = format_of(path, settings)
            document = _json_document(path, settings) if fmt == "jsonl" else None
            if document is not None:
                yield from document
            elif fmt in ("jsonl", "csv"):
                yield from _read_records(path, fmt, settings)
            else:
                yield Unit(path, fmt, _read_bytes(path, settings))
        except IngestError as exc:
            yield Rejection(exc.source, exc.reason, exc.message)


def article_of(unit: Unit, settings: Settings | None = None) -> Article:
    """The Article of one raw input (raises a named IngestError when it is not one)."""
    settings = settings or Settings()
    if isinstance(unit.data, dict):
        return _article_from_record(unit.data, unit.source, unit.format, settings)
    return read_bytes(unit.data, source=unit.source, settings=settings, fmt=unit.format)


def article_or_rejection(unit: Unit, settings: Settings) -> Article | Rejection:
    """:func:`article_of`, with a failure as a Rejection; a record that breaks the reader in an
    unforeseen way is rejected as a bad record rather than stopping the batch."""
    try:
        return article_of(unit, settings)
    except IngestError as exc:
        return Rejection(exc.source, exc.reason, exc.message)
    except Exception as exc:
        if not isinstance(unit.data, dict):
            raise
        return Rejection(unit.source, BadRecord.reason, f"the record cannot be read ({exc.__class__.__name__}: {exc})")


def iter_files(paths: Iterable[str | Path]) -> Iterator[str]:
    """The files under ``paths``: folders recursively in name order, hidden files skipped.

    What a folder holds that is not a file or a folder (a broken or looping symbolic link, a
    link to a folder, which is not followed, a pipe), and a folder that cannot be listed, are
    yielded too, so that reading them says why they are skipped rather than passing over them
    in silence.
    """
    for p in paths:
        p = str(p)
        if p == STDIN:
            yield p
            continue
        path = Path(p)
        if _is_folder(path):
            yield from _folder_files(path)
        else:
            yield p


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:  # cannot be looked at: reading it says why
        return False


def _folder_files(folder: Path) -> Iterator[str]:
    """The files under ``folder`` in name order, depth first; the folder itself when it cannot
    be listed."""
    try:
        children = sorted(folder.iterdir())
    except OSError:
        yield str(folder)
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if _is_folder(child):
            yield from _folder_files(child)
        else:
            yield str(child)


def format_of(path: str, settings: Settings) -> str:
    """The reader for ``path``: ``settings.input_format``, else by its extension (``auto``: by content)."""
    if settings.input_format != "auto":
        return settings.input_format
    name = path[:-3] if path.endswith(".gz") else path
    return _EXTENSIONS.get(Path(name).suffix.lower(), "auto")


def _open(path: str) -> IO[bytes]:
    if path == STDIN:
        return sys.stdin.buffer
    p = Path(path)
    try:
        p.stat()
    except OSError as exc:
        if _is_link(p):
            raise UnsupportedInput(path, "a symbolic link to nothing (its target is missing, or the link loops)") from None
        if isinstance(exc, FileNotFoundError):
            raise UnsupportedInput(path, "no such file or folder") from None
        raise UnsupportedInput(path, f"cannot be read: {exc.strerror or exc}") from None  # no permission to look
    if p.is_dir():
        if not p.is_symlink():
            try:
                next(p.iterdir(), None)
            except OSError as exc:
                raise UnsupportedInput(path, f"a folder that cannot be read ({exc.strerror or exc}): none of its "
                                             "files are read") from None
        raise UnsupportedInput(path, "a symbolic link to a folder, not followed inside a folder (links can loop); "
                                     "give the folder itself as a path")
    if not p.is_file():
        raise UnsupportedInput(path, "not a regular file (a pipe, a socket or a device)")
    try:
        return gzip.open(p, "rb") if path.endswith(".gz") else open(p, "rb")
    except OSError as exc:
        raise UnsupportedInput(path, f"the file cannot be opened: {exc.strerror or exc}") from None


def _is_link(p: Path) -> bool:
    try:
        return p.is_symlink()
    except OSError:
        return False


def _read_bytes(path: str, settings: Settings) -> bytes:
    limit = settings.max_input_bytes
    stream = _open(path)
    if path != STDIN and not path.endswith(".gz") and os.fstat(stream.fileno()).st_size > limit:
        size = os.fstat(stream.fileno()).st_size
        stream.close()
        raise InputTooLarge(path, f"the file is {size:,} bytes, over the limit of {limit:,} (max_input_bytes)")
    try:
        data = stream.read(limit + 1)
    except (EOFError, OSError, zlib.error) as exc:
        raise CorruptArchive(path, f"the compressed file is truncated or corrupt ({exc})") from exc
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if len(data) > limit:
        raise InputTooLarge(path, f"the input is over the limit of {limit:,} bytes (max_input_bytes)")
    return data


def _json_document(path: str, settings: Settings) -> list[Unit | Rejection] | None:
    """The records of a ``.json`` file that holds one JSON document (an object, or an array of
    them, pretty-printed or not) rather than JSON Lines; None for anything else (it is read as
    JSON Lines, line by line, which says what is wrong with each line)."""
    if path == STDIN or not path.lower().removesuffix(".gz").endswith(".json"):
        return None
    try:
        with _open(path) as f:
            first = b""
            while not first.strip():
                first = f.readline(1 << 20)
                if not first:
                    return None
        json.loads(first)
        if first.lstrip().startswith(b"{"):
            return None  # the first line is a whole object: JSON Lines
    except (ValueError, RecursionError):
        pass  # a document spread over lines
    except (OSError, EOFError, zlib.error, IngestError):
        return None  # reading it as JSON Lines says what is wrong
    try:
        data = json.loads(_read_bytes(path, settings))
    except InputTooLarge as exc:
        return [Rejection(path, exc.reason, f"{exc.message}; a JSON document (not JSON Lines) is read whole: "
                                            "write one record per line to stream it")]
    except (ValueError, RecursionError, OSError, EOFError, zlib.error, IngestError):
        return None
    if isinstance(data, dict):
        return [Unit(path, "jsonl", data)]
    if not isinstance(data, list):
        return [Rejection(path, BadRecord.reason, "the JSON document is neither an object nor an array of objects")]
    return [Unit(f"{path}:[{i}]", "jsonl", item) if isinstance(item, dict) else
            Rejection(f"{path}:[{i}]", BadRecord.reason, f"item {i} of the JSON array is not an object")
            for i, item in enumerate(data)]


def _read_records(path: str, fmt: str, settings: Settings) -> Iterator[Unit | Rejection]:
    stream = _open(path)
    try:
        if fmt == "jsonl":
            records = jsonl_records(stream, path, max_line=settings.max_input_bytes)
        else:
            records = csv_records(stream, path, settings)
        for where, record in records:
            if isinstance(record, IngestError):
                yield Rejection(record.source, record.reason, record.message)
            else:
                yield Unit(where, fmt, record)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Rejection(path, CorruptArchive.reason, f"the compressed file is truncated or corrupt ({exc}); the records before the damage were read")
    except Exception as exc:  # csv.Error and the like: the rest of the file cannot be read
        if isinstance(exc, IngestError):
            raise
        yield Rejection(path, BadRecord.reason, f"the file cannot be read further ({exc.__class__.__name__}: {exc})")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _article_from_record(record: dict[str, Any], where: str, fmt: str, settings: Settings) -> Article:
    text = pick(record, settings.text_fields)
    if not isinstance(text, str):
        raise BadRecord(where, _no_text(record, text, settings.text_fields))
    title = _text(pick(record, settings.title_fields))
    url = _text(pick(record, settings.url_fields))
    if _ONLY_URL.match(text):
        raise BadRecord(where, "the text field holds a URL, not an article: are the fields shifted?")
    if url and _SPACED.search(url.strip()):
        raise BadRecord(where, "the URL field holds text with spaces, not a URL: are the fields shifted?")
    text = normalise(text)
    if looks_like_html(text):
        meta = extract_html(text, where, url=url)
    else:
        cleaned = clean_text(text, has_title=title is not None)
        meta = dict(body=cleaned.body, title=cleaned.title, published=cleaned.published, author=cleaned.author,
                    views_total=cleaned.views_total, views_today=cleaned.views_today, dateline=cleaned.dateline,
                    tags=cleaned.tags)
    published = pick(record, settings.date_fields)
    return make_article(
        meta.pop("body"), where, settings, fmt=fmt,
        **{**meta, "title": title or meta.get("title"),
           "published": normalise_date(published) if published is not None else meta.get("published"),
           "url": url or meta.get("url"), "publisher": _text(pick(record, settings.source_fields)) or meta.get("publisher"),
           "external_id": _text(pick(record, settings.id_fields))},
    )


_ONLY_URL = re.compile(r"\s*(?:https?://|www\.)\S*\s*$", re.I)
_SPACED = re.compile(r"\s")


def _text(value: Any) -> str | None:
    """A record's metadata value as text: a number becomes text (an id 7), an object or a list
    is not a title, a URL or an id (None)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _no_text(record: dict[str, Any], value: Any, names: tuple[str, ...]) -> str:
    keys = {str(k).lower(): k for k in record}
    name = next((keys[n.lower()] for n in names if n.lower() in keys), None)
    if name is None:
        fields = ", ".join(sorted(map(str, record))) or "(none)"
        return f"the record has no text field: fields are {fields}; expected one of {', '.join(names)}"
    if value is None:
        return f"the text field {name!r} is empty"
    kinds = {"int": "a number", "float": "a number", "bool": "true or false", "list": "an array", "dict": "an object"}
    return f"the text field {name!r} holds {kinds.get(type(value).__name__, type(value).__name__)}, not text"


def read_bytes(data: bytes, source: str = "<bytes>", settings: Settings | None = None, fmt: str = "auto") -> Article:
    """One article from the bytes of a text or HTML file (raises a named IngestError)."""
    settings = settings or Settings()
    return read_text(decode(data, source), source=source, settings=settings, fmt=fmt)


def read_text(text: str, source: str = "<text>", settings: Settings | None = None, fmt: str = "auto",
              published: str | None = None, url: str | None = None) -> Article:
    """One article from scraped text or an HTML page given as a string (raises a named IngestError)."""
    settings = settings or Settings()
    text = normalise(text)
    if fmt == "html" or (fmt == "auto" and looks_like_html(text)):
        meta = extract_html(text, source, url=url)
        fmt = "html"
    else:
        c = clean_text(text)
        meta = dict(body=c.body, title=c.title, published=c.published, author=c.author, views_total=c.views_total,
                    views_today=c.views_today, dateline=c.dateline, tags=c.tags, url=url)
        fmt = "text"
    if published:
        meta["published"] = normalise_date(published)
    return make_article(meta.pop("body"), source, settings, fmt=fmt, **meta)


def make_article(body: str, source: str, settings: Settings | None = None, fmt: str = "text", **meta: Any) -> Article:
    """An Article from a cleaned body: truncation, language detection and content id applied."""
    settings = settings or Settings()
    body = body.strip()
    if not body:
        raise EmptyInput(source, "no article text is left once page furniture is removed")
    if not _LETTER.search(body):
        raise EmptyInput(source, "the text holds no words (only numbers, symbols or emoji)")
    warnings = []
    if len(body) > settings.max_body_chars:
        body, note = _truncate(body, settings.max_body_chars)
        warnings.append(note)
        log.warning("%s: %s", source, note)
    # Every language is kept: the stages that read English pass an article in another language by
    # (see pipeline.py), so it is stored with its language rather than lost.
    language, probability = detect_language(body) if settings.detect_language else ("en", None)
    probability = round(probability, 3) if probability is not None else None
    # metadata from records and pages: no control characters or lone surrogates either
    meta = {k: scrub(v) if isinstance(v, str) else v for k, v in meta.items() if v is not None}
    meta["tags"] = [scrub(str(t)) for t in meta.get("tags", [])]
    if meta.get("published"):
        meta["published"] = normalise_date(meta["published"])
    return Article(id=article_id(body), body=body, language=language, source=printable(source), format=fmt,
                   warnings=warnings, language_probability=probability, **meta)


def article_id(body: str) -> str:
    """A stable id from the normalised content: the same text ingested twice is one article."""
    key = re.sub(r"\s+", " ", normalise(body)).strip().lower()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def normalise_date(value: Any) -> str | None:
    """ISO 8601 for a date value from a record or a page (None when it cannot be read)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):  # a Unix timestamp
        try:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc).replace(tzinfo=None).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if len(text) > 100:  # not a date (and dateparser is slow on long text)
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.isoformat() if parsed else None


def _truncate(body: str, limit: int) -> tuple[str, str]:
    cut = body.rfind("\n\n", 0, limit)
    if cut < limit // 2:
        cut = max(body.rfind(". ", 0, limit) + 1, 0) or limit
    note = f"body truncated from {len(body):,} to {cut:,} characters (max_body_chars={limit:,})"
    return body[:cut].rstrip(), note
