"""Ingest: each reader, the furniture rules, and each kind of bad input."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys

import pytest

from newsevents import errors
from newsevents.ingest import article_id, normalise_date, read, read_bytes, read_text
from newsevents.ingest.furniture import clean_text
from newsevents.model import Article, Rejection
from newsevents.settings import Settings

ENGLISH = (
    "Russia said on Thursday it would hold talks with Ukraine next week in Geneva. "
    "The foreign ministry added that the meeting would focus on security guarantees in Europe."
)


def one(paths, settings=None):
    items = list(read([str(p) for p in paths], settings))
    assert len(items) == 1, items
    return items[0]


# --- the canonical sample -------------------------------------------------------------------


def test_sample_metadata_and_clean_body(sample_text):
    a = read_text(sample_text, source="kremlin.txt")
    assert a.title == 'Kremlin is waiting for written statements from USA and NATO on results of "negative" negotiations'
    assert a.published == "2022-01-13T15:39:32"
    assert (a.views_total, a.views_today) == (726, 0)
    assert a.body.startswith("The Russian leadership expects")
    assert a.body.endswith("in Geneva and Brussels.")
    for furniture in ("Total views", "Views today", "15:39:32", "01/13/2022"):
        assert furniture not in a.body
    assert a.language == "en"


def test_same_article_twice_is_one_id(sample_text):
    a = read_text(sample_text)
    b = read_text(sample_text.replace("\n\n", "\n\n\n") + "\n  ")
    assert a.id == b.id == article_id(a.body)
    assert read_text(sample_text.replace("Peskov", "Lavrov")).id != a.id


# --- furniture --------------------------------------------------------------------------------


def test_furniture_lines_become_metadata():
    raw = (
        "Russia and Ukraine to hold talks\n"
        "By John Smith | Reuters\n"
        "Published: January 13, 2022 10:30 AM\n"
        "12 comments | Share\n\n"
        "MOSCOW, Jan 13 (Reuters) - " + ENGLISH + "\n\n"
        "Read more: Ukraine crisis deepens\n\n"
        "Officials said the talks had drawn 300 views of the public, a sign of interest.\n"
        "Tags: Russia, Ukraine, NATO\n"
        "© 2022 Reuters. All rights reserved.\n"
        "Reporting by Jane Doe; Editing by Bob Roe\n"
    )
    c = clean_text(raw)
    assert c.title == "Russia and Ukraine to hold talks"
    assert c.author == "John Smith"
    assert c.published == "2022-01-13T10:30:00"
    assert c.dateline == "MOSCOW, Jan 13 (Reuters)"
    assert c.tags == ["Russia", "Ukraine", "NATO"]
    assert c.body.startswith("Russia said on Thursday")
    # a real sentence that mentions views stays; furniture lines go
    assert "300 views of the public" in c.body
    for gone in ("Read more", "Reuters. All rights", "Editing by", "Tags:", "comments"):
        assert gone not in c.body


def test_real_sentences_are_not_eaten():
    raw = "Copyright law was changed by parliament on Tuesday after a long debate over the rights of authors.\n\n" + ENGLISH
    c = clean_text(raw)
    assert c.body.startswith("Copyright law was changed")
    assert c.title is None


@pytest.mark.parametrize(
    "stamp, iso",
    [("13/01/2022 15:39", "2022-01-13T15:39:00"), ("2022-01-13T15:39:32", "2022-01-13T15:39:32"),
     ("January 13, 2022", "2022-01-13")],
)
def test_headline_glued_to_timestamps(stamp, iso):
    c = clean_text(f"Talks end without a deal {stamp}. Total views 10.\n\n{ENGLISH}")
    assert c.title == "Talks end without a deal"
    assert c.published == iso
    assert c.views_total == 10


# --- readers ----------------------------------------------------------------------------------


def test_text_file_and_gzip(tmp_path, sample_text):
    plain = tmp_path / "a.txt"
    plain.write_text(sample_text, encoding="utf-8")
    packed = tmp_path / "b.txt.gz"
    packed.write_bytes(gzip.compress(sample_text.encode("utf-8")))
    a, b = list(read([plain, packed]))
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.id == b.id and b.source.endswith("b.txt.gz")


def test_html_page(tmp_path):
    html = (
        "<html><head><title>Talks in Geneva | World News</title>"
        '<meta property="article:published_time" content="2022-01-13T15:39:32Z">'
        '<meta name="author" content="Jane Doe"></head><body><nav>Home | World | Sport</nav>'
        f"<article><h1>Talks in Geneva</h1><p>{ENGLISH}</p><p>{ENGLISH.replace('Russia', 'Moscow')}</p></article>"
        "<footer>© 2022 World News</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    a = one([path])
    assert isinstance(a, Article), a
    assert a.format == "html"
    assert a.title.startswith("Talks in Geneva")
    assert a.published.startswith("2022-01-13")
    assert "Russia said on Thursday" in a.body and "Home | World" not in a.body


def test_jsonl_with_custom_field_names(tmp_path):
    path = tmp_path / "dump.jsonl"
    rows = [{"doc_id": 7, "headline": "Talks", "maintext": ENGLISH, "date": "2022-01-13", "url": "http://x/1"},
            {"id": "b", "title": "Other", "text": ENGLISH + " Both sides agreed."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    a, b = list(read([path]))
    assert (a.title, a.published, a.external_id, a.url, a.source) == ("Talks", "2022-01-13", "7", "http://x/1", f"{path}:1")
    assert b.source == f"{path}:2"
    s = Settings(text_fields=("story",))
    path.write_text(json.dumps({"story": ENGLISH}) + "\n", encoding="utf-8")
    assert isinstance(one([path], s), Article)


def test_csv_dump(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text(f'id,title,text\n1,Talks,"{ENGLISH}"\n2,More,"{ENGLISH} Again."\n', encoding="utf-8")
    items = list(read([path]))
    assert [i.title for i in items] == ["Talks", "More"]


def test_folder_is_read_recursively_in_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(ENGLISH + " B.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(ENGLISH + " A.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ENGLISH, encoding="utf-8")
    items = list(read([tmp_path]))
    assert [i.source.rsplit("/", 1)[-1] for i in items] == ["a.txt", "b.txt"]


def test_stdin(monkeypatch, sample_text):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(sample_text.encode("utf-8"))))
    a = one(["-"])
    assert a.views_total == 726 and a.source == "-"


def test_legacy_encoding_is_detected():
    text = "Le président français a rencontré à Genève le ministre allemand. " * 3
    english = ENGLISH + " The café owner in Genève said the naïve plan was déjà vu."
    a = read_bytes(english.encode("cp1252"), source="old.txt")
    assert "café" in a.body and "Genève" in a.body
    assert text  # (French is rejected separately below)


def test_unicode_is_normalised():
    decomposed = ENGLISH + " The Cafe\u0301 in Gene\u0300ve\u00a0closed."
    a = read_text(decomposed)
    assert "Caf\u00e9" in a.body and "\u00a0" not in a.body


def test_long_body_is_truncated_with_a_warning():
    body = "\n\n".join([ENGLISH] * 200)
    a = read_text(body, settings=Settings(max_body_chars=5000))
    assert len(a.body) <= 5000 and a.warnings and "truncated" in a.warnings[0]


# --- bad input: a named reason per input, the batch goes on -----------------------------------


def test_bad_inputs_are_rejected_with_reasons_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    cases = {
        "empty.txt": (b"   \n\n", "empty"),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),
        "nul.txt": (b"abc\x00\x01\x02\x03" * 500, "binary"),
        "broken.txt.gz": (gzip.compress(ENGLISH.encode() * 50)[:60], "corrupt-archive"),
        "nav.html": (b"<html><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav></body></html>", "no-article"),
        "furniture.txt": ("Total views 726. Views today — 0.\n\nShare\n".encode(), "empty"),
    }
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
    paths = [good, *(tmp_path / n for n in cases), tmp_path / "missing.txt"]
    items = list(read(paths))
    assert isinstance(items[0], Article)
    rejected = {r.source.rsplit("/", 1)[-1]: r for r in items if isinstance(r, Rejection)}
    for name, (_, reason) in cases.items():
        assert rejected[name].reason == reason, (name, rejected[name])
        assert rejected[name].message
    assert rejected["missing.txt"].reason == "unsupported"


def test_invalid_utf8_mixed_encodings_decode_with_replacement():
    data = ENGLISH.encode("utf-8") + " caf\xe9 ".encode("latin-1") + " naïve déjà".encode("utf-8")
    a = read_bytes(data, source="mixed.txt")
    assert a.body.startswith("Russia said")


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(ENGLISH * 100, encoding="utf-8")
    r = one([path], Settings(max_input_bytes=1000))
    assert isinstance(r, Rejection) and r.reason == "too-large" and "1,000" in r.message


def test_jsonl_broken_lines_and_missing_fields(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(
        json.dumps({"text": ENGLISH}) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n[1, 2]\n"
        + json.dumps({"text": ENGLISH + " Second."}) + "\n", encoding="utf-8",
    )
    items = list(read([path]))
    assert [type(i).__name__ for i in items] == ["Article", "Rejection", "Rejection", "Rejection", "Article"]
    assert items[1].source == f"{path}:2" and "not valid JSON" in items[1].message
    assert "no text field" in items[2].message and "title" in items[2].message


def test_csv_with_wrong_columns(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text("name,value\na,1\n", encoding="utf-8")
    r = one([path])
    assert isinstance(r, Rejection) and r.reason == "bad-record" and "no text column" in r.message


def test_truncated_gzip_jsonl_keeps_records_before_the_damage(tmp_path):
    lines = "".join(json.dumps({"text": f"{ENGLISH} Number {i}."}) + "\n" for i in range(200)).encode()
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(lines)[:-200])
    items = list(read([path]))
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], Rejection) and items[-1].reason == "corrupt-archive"


def test_errors_name_the_file():
    with pytest.raises(errors.EmptyInput) as e:
        read_bytes(b"", source="/data/empty.txt")
    assert "/data/empty.txt" in str(e.value)


# --- what the web throws (tests/test_reliability.py runs a whole corpus of it) ------------------


def test_utf16_with_a_byte_order_mark_is_text_not_binary():
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        data = ENGLISH.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        assert read_bytes(data, source="windows.txt").body == ENGLISH


def test_lone_surrogates_and_control_characters_never_reach_the_article(tmp_path):
    path = tmp_path / "dump.jsonl"
    # JSON may escape a lone surrogate; no UTF-8 writer (stdout, the store) accepts one
    path.write_text('{"title": "Talks \\ud800", "text": "' + ENGLISH + ' \\udfff Bye\\u0000.", "source": "A\\u0007"}\n'
                    + json.dumps({"text": ENGLISH + " After."}) + "\n", encoding="utf-8")
    a, b = list(read([path]))
    assert isinstance(a, Article) and isinstance(b, Article)
    assert "\ufffd Bye." in a.body and a.title == "Talks \ufffd" and a.publisher == "A"
    json.dumps(a.__dict__, ensure_ascii=False).encode("utf-8")  # strict: raises on a surrogate


def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(tmp_path):
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_text(ENGLISH, encoding="utf-8")
    a = one([tmp_path])
    assert a.source.endswith("caf\ufffd.txt")
    a.source.encode("utf-8")


def test_json_nested_past_the_recursion_limit_is_one_bad_record(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"text": ENGLISH}) + "\n", encoding="utf-8")
    bad, good = list(read([path]))
    assert bad.reason == "bad-record" and "nested too deeply" in bad.message and isinstance(good, Article)


def test_a_line_longer_than_the_input_limit_is_skipped_unread(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"text": ENGLISH * 40}) + "\n" + json.dumps({"text": ENGLISH}) + "\n", encoding="utf-8")
    bad, good = list(read([path], Settings(max_input_bytes=5000)))
    assert bad.reason == "bad-record" and "longer than 5,000 bytes" in bad.message and isinstance(good, Article)


def test_a_text_field_that_is_not_text_says_so(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text('{"text": 12}\n{"body": null}\n{"Text": ["a"]}\n', encoding="utf-8")
    messages = [r.message for r in read([path])]
    assert messages == ["the text field 'text' holds a number, not text", "the text field 'body' is empty",
                        "the text field 'Text' holds an array, not text"]


def test_a_json_file_holding_one_document_or_an_array(tmp_path):
    one_doc = tmp_path / "one.json"
    one_doc.write_text(json.dumps({"title": "Talks", "text": ENGLISH}, indent=2), encoding="utf-8")
    array = tmp_path / "many.json"
    array.write_text(json.dumps([{"text": ENGLISH}, "x", {"text": ENGLISH + " More."}], indent=1), encoding="utf-8")
    lines = tmp_path / "lines.json"  # JSON Lines under a .json name still streams line by line
    lines.write_text(json.dumps({"text": ENGLISH}) + "\n{broken\n", encoding="utf-8")
    items = list(read([one_doc, array, lines]))
    assert [(type(i).__name__, i.source.rsplit("/", 1)[-1]) for i in items] == [
        ("Article", "one.json"), ("Article", "many.json:[0]"), ("Rejection", "many.json:[1]"),
        ("Article", "many.json:[2]"), ("Article", "lines.json:1"), ("Rejection", "lines.json:2")]
    assert items[0].title == "Talks"
    big = one([one_doc], Settings(max_input_bytes=100))
    assert big.reason == "too-large" and "one record per line" in big.message


def test_what_a_folder_holds_that_is_not_a_file_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")  # a loop, if it were followed
    os.symlink("itself", tmp_path / "itself")
    os.symlink("nowhere", tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    items = list(read([tmp_path]))
    assert isinstance(items[0], Article)
    reasons = {r.source.rsplit("/", 1)[-1]: r.message for r in items[1:]}
    assert {r.reason for r in items[1:]} == {"unsupported"}
    assert "not followed" in reasons["up"] and "link to nothing" in reasons["itself"]
    assert "link to nothing" in reasons["gone.txt"] and "pipe" in reasons["pipe.txt"]


def test_an_unreadable_file_is_a_reason_not_a_crash(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file: refuse it as the system would refuse a user
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr("newsevents.ingest.open", refuse, raising=False)
    r = one([path])
    assert r.reason == "unsupported" and "cannot be opened" in r.message


def test_a_date_field_holding_a_long_text_is_no_date():
    assert normalise_date("x" * 10_000) is None and normalise_date("13 January 2022") == "2022-01-13T00:00:00"


def test_record_metadata_of_other_types_becomes_text_or_nothing(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"id": 12, "url": 7, "title": {"a": [1]}, "source": ["x"], "text": ENGLISH}) + "\n",
                    encoding="utf-8")
    a = one([path])
    assert (a.external_id, a.url, a.title, a.publisher) == ("12", "7", None, None)
