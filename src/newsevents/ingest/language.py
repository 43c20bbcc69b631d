"""Language identification with py3langid (its model ships inside the package)."""

from __future__ import annotations

from functools import lru_cache

# Shorter texts are too short to identify reliably: we trust the default (English) for them.
MIN_CHARS = 40


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """``(ISO 639-1 code, probability)`` for ``text`` (its first 5,000 characters)."""
    sample = text[:5000]
    if len(sample.strip()) < MIN_CHARS:
        return "en", 0.0
    lang, prob = _identifier().classify(sample)
    return lang, float(prob)
