"""A corpus of the web's junk, generated on the fly, next to a few good articles.

:func:`write_corpus` fills a folder with one file per kind of bad input (and a few good ones)
and returns what each input must become: ``"ok"`` for an article, else the named
:class:`~newsevents.model.Rejection` reason(s) it may be rejected with. Nothing here is
committed data: every file is built from a few sentences, so CI can regenerate it in seconds.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import re
from pathlib import Path

#: Good English news sentences to build articles from (written for these tests).
SENTENCES = [
    "Russia accused Ukraine of shelling villages in the Donbas on Tuesday.",
    "The United States urged Russia to withdraw its troops from the border.",
    "NATO foreign ministers met in Brussels to discuss security guarantees in Europe.",
    "The Kremlin said it expected written answers from Washington within days.",
    "France and Germany offered to mediate talks between Moscow and Kyiv.",
    "China called on all sides to show restraint and return to negotiations.",
    "The European Union threatened new sanctions against Russian banks.",
    "Ukraine's president thanked Britain for sending anti-tank weapons.",
]


def article(n: int, sentences: int = 6) -> str:
    """A distinct English news article (its first line a title; bodies differ by ``n``)."""
    rng = random.Random(n)
    lines = [f"Talks on the border crisis, day {n}", ""]
    for _ in range(3):
        lines.append(" ".join(rng.choice(SENTENCES) for _ in range(sentences // 3 + 1)))
        lines.append("")
    lines.append(f"Officials said the next round of talks would start on day {n + 1} of the crisis.")
    return "\n".join(lines)


def html_page(body: str, title: str = "Border talks") -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{paras}</article><footer>© Example News</footer></body></html>")


def write_corpus(folder: Path, big: bool = True) -> dict[str, set[str]]:
    """Write the corpus into ``folder``; return ``{input: accepted outcomes}`` where an input is
    a file name or ``name:line`` of a record, and an outcome ``"ok"`` or a rejection reason.

    ``big`` adds the slow ones (a 50 MB text file, a 10,000-token sentence, 100k nested divs,
    5 MB of script): the batch test runs them; the quick checks leave them out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, set[str]] = {}

    def put(name: str, data: bytes | str, *outcomes: str) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = set(outcomes)
        return path

    # --- good articles, in each format -----------------------------------------------------
    put("good-1.txt", article(1), "ok")
    put("good-2.html", html_page(article(2)), "ok")
    put("good-3.txt.gz", gzip.compress(article(3).encode()), "ok")
    put("good-4-cp1252.txt", article(4).replace("Kyiv", "Kyïv café").encode("cp1252"), "ok")  # not UTF-8
    put("good-5-utf16.txt", article(5).encode("utf-16"), "ok")  # with a byte order mark, as Windows writes it
    put("good-6-crlf.txt", article(6).replace("\n", "\r\n"), "ok")

    # --- nothing, or not text ----------------------------------------------------------------
    put("empty.txt", b"", "empty")
    put("blank.txt", " \n\t\r\n  \n", "empty")
    put("bom-only.txt", b"\xef\xbb\xbf", "empty")
    put("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary")
    put("document.txt", b"%PDF-1.7\n" + os.urandom(4000), "binary")
    put("random.bin", random.Random(7).randbytes(20_000), "binary", "undecodable")
    put("nul-bytes.txt", (article(7) + "\x00").encode() * 3, "binary")
    put("controls.txt", "".join(chr(c) for c in range(1, 9)) * 500, "binary")
    put("zip.txt.gz", gzip.compress(b"PK\x03\x04" + os.urandom(3000)), "binary")

    # --- encodings ---------------------------------------------------------------------------
    put("invalid-utf8.txt", article(8).encode() + b"\xff\xfe\xc3(\xa0\xa1 more text after the bad bytes.", "ok")
    put("mixed-encodings.txt", article(9).encode() + "\n\nCafé in Zürich.".encode("latin-1")
        + "\n\nНовости дня.".encode("koi8-r") + "\n\n東京のニュース".encode("shift_jis"), "ok")
    put("zero-width-spam.txt", "\u200b".join(article(10)) + "\u200d" * 5000, "ok")
    put("rtl-override.txt", article(11).replace("Russia", "\u202eRussia\u202c").replace("NATO", "\u200fNATO"), "ok")
    put("emoji-flood.txt", "🔥💥🚀😀" * 25_000, "empty", "ok")
    put("emoji-article.txt", article(12).replace(" ", " 🔥 "), "ok")
    put("combining-marks.txt", article(13) + "\n\nZ" + "\u0301\u0302\u0303" * 3000 + "algo.", "ok")
    put("lone-surrogate-cesu.txt", article(14).encode() + b"\n\nbroken \xed\xa0\x80 surrogate bytes.", "ok")

    # --- other languages and scripts: kept and stored, not coded ------------------------------
    put("french.txt", "La Russie a accusé l'Ukraine de bombarder des villages dans le Donbass mardi. "
        "Les ministres des affaires étrangères de l'OTAN se sont réunis à Bruxelles pour discuter de la sécurité. " * 5,
        "ok")
    put("russian.txt", "Россия обвинила Украину в обстреле деревень в Донбассе во вторник. "
        "Министры иностранных дел НАТО встретились в Брюсселе. " * 5, "ok")
    put("arabic-rtl.txt", "اتهمت روسيا أوكرانيا بقصف قرى في دونباس يوم الثلاثاء. "
        "واجتمع وزراء خارجية حلف شمال الأطلسي في بروكسل. " * 5, "ok")
    put("chinese.txt", "俄罗斯周二指责乌克兰炮击顿巴斯的村庄。北约外长在布鲁塞尔举行会议，讨论欧洲的安全保障问题。" * 5,
        "ok")

    # --- HTML ----------------------------------------------------------------------------------
    put("no-article.html", "<html><head><title>Home</title></head><body><nav><a href='/a'>News</a> <a href='/b'>Sport</a>"
        "</nav><ul><li><a href='/1'>One</a></li><li><a href='/2'>Two</a></li></ul></body></html>", "no-article")
    put("error-page.html", "<html><body><h1>404 Not Found</h1></body></html>", "no-article")
    put("unclosed-tags.html", "<html><body><article><p>" + "<b><i><span>".join(article(15).split("\n\n")) + "<table><tr><td>",
        "ok")
    put("entities.html", "<!DOCTYPE html [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>]>"
        "<html><body><article><p>&b;&b;&b;</p>" + "".join(f"<p>{p}</p>" for p in article(16).split("\n\n"))
        + "</article></body></html>", "ok", "no-article")
    put("only-script.html", "<html><head><script>" + "var x = 1;\n" * 100 + "</script></head><body></body></html>",
        "no-article")

    # --- archives -------------------------------------------------------------------------------
    put("truncated.txt.gz", gzip.compress(article(17).encode() * 20)[:300], "corrupt-archive")
    put("not-gzip.txt.gz", article(18), "corrupt-archive")
    records = "".join(json.dumps({"id": f"t{i}", "text": article(100 + i)}) + "\n" for i in range(40))
    put("truncated.jsonl.gz", gzip.compress(records.encode())[:-200], "corrupt-archive")
    for i in range(40):  # the records before the damage are read; those after it are lost with it
        expect[f"truncated.jsonl.gz:{i + 1}"] = {"ok", "lost-in-archive"}

    # --- JSONL ------------------------------------------------------------------------------------
    lines = [
        (json.dumps({"id": "j1", "title": "Talks", "text": article(20), "published": "2022-01-13"}), "ok"),
        ('{"id": "j2", "text": "Russia accused', "bad-record"),  # cut off
        ("not json at all", "bad-record"),
        (json.dumps({"id": "j4", "headline": "No text here"}), "bad-record"),
        (json.dumps({"id": "j5", "text": 12345}), "bad-record"),
        (json.dumps({"id": "j6", "text": None}), "bad-record"),
        (json.dumps(["a", "list"]), "bad-record"),
        (json.dumps({"id": "j8", "text": article(21).replace("talks", "ta\u0000lks")}), "ok"),  # NUL in a string
        ('{"id": "j9", "text": "' + json.dumps(article(22))[1:-1] + ' \\ud800 lone \\udfff surrogates"}', "ok"),
        (json.dumps({"id": "j10", "text": article(23), "published": "x" * 5000, "title": {"a": [1, 2]}}), "ok"),
        (json.dumps({"id": "j11", "text": article(24), "published": 1e300, "url": 7}), "ok"),
        ("[" * 100_000 + "]" * 100_000, "bad-record"),  # nested past any recursion limit
        (json.dumps({"id": "j13", "text": ""}), "bad-record"),
        (json.dumps({"id": "j14", "text": "   \n  "}), "empty"),
        (json.dumps({"id": "j15", "text": "<html><body><p>Click here</p></body></html>"}), "no-article"),
        ("\xff\xfe{}", "bad-record"),  # not UTF-8 (written as latin-1 below)
        (json.dumps({"id": "j17", "text": article(25)}), "ok"),
    ]
    data = b"".join((line.encode("latin-1") if line.startswith("\xff") else line.encode()) + b"\n"
                    for line, _ in lines)
    put("records.jsonl", data + b"\n   \n", "ok")
    expect.pop("records.jsonl")
    for n, (_, outcome) in enumerate(lines, 1):
        expect[f"records.jsonl:{n}"] = {outcome}
    put("object.json", json.dumps({"text": article(26)}, indent=2), "ok")  # one pretty-printed document
    put("array.json", json.dumps([{"title": "Talks", "text": article(27)}, 5, {"headline": "no text"}], indent=1), "ok")
    expect.pop("array.json")
    expect.update({"array.json:[0]": {"ok"}, "array.json:[1]": {"bad-record"}, "array.json:[2]": {"bad-record"}})

    # --- CSV -----------------------------------------------------------------------------------
    put("no-text-column.csv", "id,headline,date\n1,Talks,2022-01-13\n2,More talks,2022-01-14\n", "bad-record")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "title", "text"])
    w.writerow(["c1", "Talks", article(30)])
    w.writerow(["c2", "Too many", article(31), "extra", "cells"])
    w.writerow(["c3"])  # too few: no text
    w.writerow(["c4", "Fine", article(32)])
    w.writerow(["c5", "https://example.com/c5"])  # too few: the URL would be the text
    w.writerow(["c6", article(33), "https://example.com/c6"])  # shifted: the URL in the text column
    put("rows.csv", buf.getvalue(), "ok")
    expect.pop("rows.csv")
    # a record is named by the line it starts on (an article's cell spans lines)
    starts = [1 + buf.getvalue()[:m.start()].count("\n") for m in re.finditer(r"^c\d", buf.getvalue(), re.M)]
    expect.update({f"rows.csv:{line}": outcome for line, outcome in zip(starts, (
        {"ok"}, {"bad-record"}, {"bad-record"}, {"ok"}, {"bad-record"}, {"bad-record"}))})
    put("nul.csv", "id,text\n1,Russia\x00 accused Ukraine\n", "ok")
    expect.pop("nul.csv")
    expect["nul.csv:2"] = {"ok", "bad-record"}
    put("header-only.csv", "id,text\n", "ok")  # no rows: nothing to report, nothing to fail
    expect.pop("header-only.csv")

    # --- paths that are not files ---------------------------------------------------------------
    (folder / "loop").mkdir()
    os.symlink("..", folder / "loop" / "up")  # a directory symlink loop
    os.symlink("self", folder / "self")  # a symlink to itself
    os.symlink("missing-target", folder / "dangling.txt")
    os.mkfifo(folder / "fifo.txt")
    expect.update({"loop/up": {"unsupported"}, "self": {"unsupported"}, "dangling.txt": {"unsupported"},
                   "fifo.txt": {"unsupported"}})
    (folder / os.fsdecode(b"name-\xff.txt")).write_text(article(28))  # a name that is not UTF-8
    expect["name-\ufffd.txt"] = {"ok"}

    # --- large ------------------------------------------------------------------------------------
    if big:
        para = article(40).split("\n\n", 1)[1]
        put("huge-50mb.txt", (para + "\n\n") * (50_000_000 // (len(para) + 2)), "ok")
        words = [w.strip(".,") for w in " ".join(SENTENCES).split()]
        put("sentence-10k-tokens.txt", "Officials said that " + " and ".join(
            random.Random(3).choice(words) for _ in range(5000)) + ".", "ok")
        put("no-spaces.txt", "Russia " + "a" * 300_000 + " accused Ukraine.", "ok")
        put("nested-divs.html", "<html><body>" + "<div>" * 100_000 + "<p>" + article(41) + "</p>" + "</div>" * 100_000
            + "</body></html>", "ok", "no-article")
        put("script-5mb.html", "<html><head><script>" + ("var data = [" + "1," * 500 + "];\n") * 5000
            + "</script></head><body><article>" + "".join(f"<p>{p}</p>" for p in article(42).split("\n\n"))
            + "</article></body></html>", "ok")
        too_large = folder / "too-large.txt"
        with open(too_large, "wb") as f:  # sparse: over the 100 MB limit without using the disk
            f.truncate(100_000_001)
        expect["too-large.txt"] = {"too-large"}
    return expect
