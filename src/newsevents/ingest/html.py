"""HTML pages through trafilatura: title, date, author, body."""

from __future__ import annotations

import re

import trafilatura

from ..errors import NoArticle

# Extractors return boilerplate-only fragments for pages with no article; fewer characters than
# this in the extracted body is not an article.
MIN_BODY_CHARS = 80


def looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return bool(re.search(r"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>]|<div[\s>]|<p[\s>]", head))


def _without_headline(body: str, title: str | None) -> str:
    """``body`` without the headline that extractors often repeat as its first line (the
    headline is the article's ``title``, not its text)."""
    if not title or not body.startswith(title.strip()):
        return body
    rest = body[len(title.strip()):]
    # a short page may be little more than its headline: keep it whole rather than lose it
    return rest.lstrip() if rest[:1].isspace() and len(rest.strip()) >= MIN_BODY_CHARS else body


def extract_html(html: str, source: str, url: str | None = None) -> dict:
    """Metadata and body text of an HTML page, or NoArticle."""
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            favor_precision=False,
        )
    except (ValueError, RecursionError, TypeError) as exc:  # lxml gives up on some broken pages
        raise NoArticle(source, f"the HTML could not be parsed ({exc.__class__.__name__}); is it a complete page?") from exc
    if doc is None:
        raise NoArticle(source, "no article text was found in this HTML page (a front page, a list or an error page?)")
    data = doc if isinstance(doc, dict) else doc.as_dict()
    body = _without_headline((data.get("text") or "").strip(), data.get("title"))
    if len(body) < MIN_BODY_CHARS:
        raise NoArticle(source, f"the HTML page holds no article (only {len(body)} characters of text were found)")
    return {
        "body": body,
        "title": data.get("title"),
        "published": data.get("date"),
        "author": data.get("author"),
        "url": data.get("url") or url,
        "publisher": data.get("sitename"),
        "tags": [t for t in (data.get("tags") or data.get("categories") or []) if t] if isinstance(data.get("tags"), list) else [],
    }
