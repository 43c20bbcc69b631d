"""``newsevents feeds``: news feeds polled, their new articles fetched, coded and stored.

A feeds file is a plain list of RSS/Atom URLs (one a line, ``#`` comments) or an OPML file.
Each poll asks every feed for what changed (a conditional GET with the ETag and Last-Modified it
answered last time), reads it with ``feedparser``, and fetches each item's page that is not
stored yet, politely: the ``User-Agent`` names the tool, ``robots.txt`` is honoured, one request
at a time with at least ``per_host_delay`` seconds between two to the same host, a timeout, and
a size cap (the body is streamed and the page dropped past ``max_bytes``). Pages are read by
the ingest stage (HTML extraction), coded, and written with their URL (``articles.url``), the
feed (``articles.source``) and the time they were fetched (the state file; ``added_at`` is when
they were stored). An error with one feed or page is logged and the poll goes on; a page that
is not an article (a 404, not English, too large ...) is not asked for again, one that failed
for a passing reason (a timeout, a 5xx) is tried at the next poll.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import httpx

from ..version import __version__
from ..errors import IngestError
from ..ingest import read_text
from ..ingest.decode import decode
from ..model import Article
from ..pipeline import Pipeline
from ..settings import Settings
from ..store import Store
from . import StateFile, Stop, Tally, code_articles

log = logging.getLogger(__name__)

USER_AGENT = f"newsevents/{__version__} (news event coding; polls feeds, honours robots.txt)"


class FeedsFileError(ValueError):
    pass


def read_feeds_file(path: str | Path) -> list[str]:
    """The feed URLs of a plain list or an OPML file, in order, each once."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("<"):
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as exc:
            raise FeedsFileError(f"{path}: not a list of URLs and not valid OPML ({exc})") from None
        urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    else:
        urls = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    bad = [u for u in urls if urlsplit(u).scheme not in ("http", "https")]
    if bad:
        raise FeedsFileError(f"{path}: not an http(s) URL: {bad[0]}")
    if not urls:
        raise FeedsFileError(f"{path}: no feed URLs in it")
    return list(dict.fromkeys(urls))


class TooLarge(Exception):
    pass


@dataclass
class Fetched:
    status: int
    headers: httpx.Headers
    content: bytes


class Fetcher:
    """Polite HTTP: one client, a User-Agent naming the tool, robots.txt, a per-host delay, a
    timeout and a size cap on every body."""

    def __init__(self, timeout: float = 20.0, max_bytes: int = 5_000_000, per_host_delay: float = 1.0,
                 client: httpx.Client | None = None):
        self.max_bytes, self.per_host_delay = max_bytes, per_host_delay
        self.client = client or httpx.Client(timeout=timeout, follow_redirects=True,
                                             headers={"User-Agent": USER_AGENT})
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | None] = {}

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET ``url`` (raises TooLarge past ``max_bytes``, httpx errors on the way)."""
        host = urlsplit(url).netloc
        wait = self._last.get(host, 0.0) + self.per_host_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            with self.client.stream("GET", url, headers=headers or {}) as r:
                length = r.headers.get("content-length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise TooLarge(f"{int(length):,} bytes, over the cap of {self.max_bytes:,}")
                body = bytearray()
                for part in r.iter_bytes():
                    body += part
                    if len(body) > self.max_bytes:
                        raise TooLarge(f"over the cap of {self.max_bytes:,} bytes")
                return Fetched(r.status_code, r.headers, bytes(body))
        finally:
            self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets this tool fetch it (no robots.txt: yes;
        one that cannot be fetched for a server error: not now)."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            try:
                r = self.get(urljoin(site, "/robots.txt"))
            except (httpx.HTTPError, TooLarge) as exc:
                log.warning("robots.txt of %s cannot be fetched (%s): not fetching from it now", site, exc)
                return False
            if r.status >= 500:
                return False  # asked again at the next poll
            rules = RobotFileParser()
            rules.parse(r.content.decode("utf-8", "replace").splitlines() if r.status < 400 else [])
            self._robots[site] = rules
        return self._robots[site].can_fetch(USER_AGENT, url)


class FeedPoller:
    """Polls the feeds of ``feeds`` and codes their new articles into ``store`` (a sharing store)."""

    def __init__(self, feeds: list[str], store: Store, pipeline: Pipeline, settings: Settings | None = None,
                 fetcher: Fetcher | None = None, on_change: Callable[[Tally], None] | None = None):
        self.feeds, self.store, self.pipeline = feeds, store, pipeline
        self.settings = settings or Settings()
        self.fetcher = fetcher or Fetcher()
        self.on_change = on_change or (lambda tally: None)
        self.state_file = StateFile(f"{store.path}.feeds")
        self.state = self.state_file.load()
        self.state.setdefault("feeds", {})
        self.state.setdefault("pages", {})
        self.tally = Tally()

    def poll(self, stop: Stop | None = None) -> Tally:
        """One pass over every feed; returns the running tally."""
        stop = Stop() if stop is None else stop
        for feed in self.feeds:
            if stop:
                break
            try:
                links = self._feed(feed)
            except Exception as exc:  # one feed's trouble never stops the others
                self.tally.failed += 1
                log.error("feed %s: %s", feed, _reason(exc))
                continue
            self._pages(feed, links, stop)
            self.state_file.save(self.state)
            self.on_change(self.tally)
        return self.tally

    def run(self, every: float, stop: Stop | None = None, once: bool = False) -> Tally:
        stop = Stop() if stop is None else stop
        while True:
            started = time.monotonic()
            self.poll(stop)
            if once or stop or stop.wait(max(0.0, every - (time.monotonic() - started))):
                return self.tally

    def _feed(self, feed: str) -> list[tuple[str, str | None]]:
        """The (link, published) of the feed's items, or [] when it has not changed."""
        import feedparser

        known = self.state["feeds"].get(feed, {})
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("modified"):
            headers["If-Modified-Since"] = known["modified"]
        if not self.fetcher.allowed(feed):
            raise PermissionError("robots.txt disallows it")
        r = self.fetcher.get(feed, headers)
        if r.status == 304:
            log.info("feed %s: not modified", feed)
            return []
        if r.status >= 400:
            raise OSError(f"HTTP {r.status}")
        parsed = feedparser.parse(r.content, response_headers=dict(r.headers))
        if parsed.bozo:  # malformed: feedparser reads what it can
            problem = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
            if not any(e.get("link") for e in parsed.entries):
                raise ValueError(f"not a feed ({problem})")
            log.warning("feed %s is malformed (%s); reading the %d items found", feed, problem, len(parsed.entries))
        self.state["feeds"][feed] = {"etag": r.headers.get("etag"), "modified": r.headers.get("last-modified"),
                                     "checked_at": _now()}
        links = []
        for entry in parsed.entries:
            link = entry.get("link")
            if link:
                links.append((urljoin(feed, link), entry.get("published") or entry.get("updated")))
        return links

    def _pages(self, feed: str, links: list[tuple[str, str | None]], stop: Stop) -> None:
        pages = self.state["pages"]
        # the feed's new items, and its pages that failed for a passing reason (even if the feed
        # has not changed since)
        retry = {u: r.get("published") for u, r in pages.items() if r.get("feed") == feed and r.get("done") is False}
        new = [(u, p) for u, p in {**retry, **dict(links)}.items() if pages.get(u, {}).get("done") is not True]
        if not new:
            return
        stored = {r["url"] for r in self.store.sql(
            "SELECT url FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[]))", [[u for u, _ in new]]
        ).to_dict("records")}
        articles: list[Article] = []
        for url, published in new:
            if stop:
                break
            if url in stored:
                pages[url] = {"done": True, "feed": feed, "status": "stored"}
                continue
            article = self._page(feed, url, published)
            if article is not None:
                articles.append(article)
            if len(articles) >= self.settings.batch_size:
                self._write(articles)
                articles = []
        self._write(articles)

    def _page(self, feed: str, url: str, published: str | None) -> Article | None:
        pages = self.state["pages"]
        record = {"feed": feed, "fetched_at": _now(), "published": published}
        try:
            if not self.fetcher.allowed(url):
                pages[url] = {**record, "done": True, "status": "robots.txt disallows it"}
                log.warning("page %s: robots.txt disallows it", url)
                return None
            r = self.fetcher.get(url)
            if r.status >= 400:
                # 4xx: the page is not there for us; 5xx: the server's trouble, try at the next poll
                pages[url] = {**record, "done": r.status < 500, "status": f"HTTP {r.status}"}
                self.tally.failed += 1
                log.error("page %s: HTTP %d", url, r.status)
                return None
            html = "html" in r.headers.get("content-type", "html")
            article = read_text(decode(r.content, url), source=feed, settings=self.settings,
                                fmt="html" if html else "auto", published=published, url=url)
        except TooLarge as exc:
            pages[url] = {**record, "done": True, "status": f"too large: {exc}"}
            self.tally.failed += 1
            log.error("page %s: too large (%s)", url, exc)
            return None
        except IngestError as exc:  # not an article: never asked for again
            pages[url] = {**record, "done": True, "status": f"rejected: {exc.reason}"}
            self.tally.rejected += 1
            log.warning("page %s: %s (%s)", url, exc.message, exc.reason)
            return None
        except Exception as exc:  # a timeout, a reset connection ...: tried again at the next poll
            pages[url] = {**record, "done": False, "status": _reason(exc)}
            self.tally.failed += 1
            log.error("page %s: %s", url, _reason(exc))
            return None
        pages[url] = {**record, "done": True, "status": "fetched", "article_id": article.id}
        return article

    def _write(self, articles: list[Article]) -> None:
        if not articles:
            return
        counts, failures = code_articles(articles, self.pipeline, self.store)
        self.tally.add(counts)
        self.tally.failed += len(failures)
        for f in failures:
            log.error("failed %s: %s", f.source, f.reason)
        self.tally.last = f"{counts.articles} articles at {datetime.now(timezone.utc).strftime('%H:%M:%S')}"
        log.info("%d articles written (%d event mentions), %d already stored", counts.articles, counts.mentions,
                 counts.skipped)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
