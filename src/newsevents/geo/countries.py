"""Country names in any language, for the articles the English stages do not read.

An article in Russian, Arabic or Chinese gets no parse, so :mod:`.mentions` cannot find its
toponyms; it still names countries, and the maintained multilingual list of the ``countrynames``
package (MIT: ~27,000 names and spellings in many languages and scripts) finds them. Each match
becomes a country-level :class:`~newsevents.model.Location` at the gazetteer's point for that
country. Towns and regions of such articles are not found (the gazetteer's names are Latin-script).
"""

from __future__ import annotations

import math
import threading
import unicodedata

import ahocorasick

from ..model import Location
from .gazetteer import FEATURES, Gazetteer, load

RULE = "countrynames/multilingual"
# Shorter Latin, Cyrillic ... names are mostly codes and abbreviations ("UK", "RF"), too often
# words too; scripts without spaces between words (Chinese, Japanese) name countries in 2 characters.
MIN_CHARS, MIN_CHARS_NO_SPACES = 4, 2
# Russian, Ukrainian ... decline names ("Россия", "России", "Россией"): a name ending in a vowel
# or й also matches its stem followed by at most this many letters.
_INFLECTION = 3
_VOWELS = frozenset("аеёиоуыэюяійєї")

_LOCK = threading.Lock()
_AUTOMATON: ahocorasick.Automaton | None = None


def _spaceless(ch: str) -> bool:
    """Whether ``ch`` is of a script written without spaces between words (CJK, kana, Thai ...)."""
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"))


def _automaton() -> ahocorasick.Automaton:
    global _AUTOMATON
    with _LOCK:
        if _AUTOMATON is None:
            from countrynames.data import DATA

            auto = ahocorasick.Automaton()
            for iso2, names in DATA.items():
                if len(iso2) != 2:  # "FAIL": words that name no country
                    continue
                for name in names:
                    key = name.lower()
                    spaceless = any(_spaceless(c) for c in key)
                    if len(key) < (MIN_CHARS_NO_SPACES if spaceless else MIN_CHARS):
                        continue
                    _add(auto, key, (iso2, len(key), spaceless, False))
                    if not spaceless and key[-1] in _VOWELS and len(key) >= 5:
                        _add(auto, key[:-1], (iso2, len(key) - 1, False, True))
            auto.make_automaton()
            _AUTOMATON = auto
        return _AUTOMATON


def _add(auto: ahocorasick.Automaton, key: str, value: tuple) -> None:
    old = auto.get(key, None)
    if old is None or (old[3] and not value[3]):  # a whole name wins over a stem
        auto.add_word(key, value)


def _end(text: str, end: int, stem: bool) -> int | None:
    """Where the word ending at ``end`` ends (None when the match is inside a longer word)."""
    if stem:
        extra = 0
        while end + extra < len(text) and text[end + extra].isalpha() and extra <= _INFLECTION:
            extra += 1
        return None if extra > _INFLECTION else end + extra
    return None if end < len(text) and text[end].isalpha() else end


def find_countries(body: str, gaz: Gazetteer | None = None) -> list[Location]:
    """The countries ``body`` names, in any language, in text order (longest match first)."""
    gaz = gaz or load()
    text = body.lower()
    if len(text) != len(body):  # lower-casing changed lengths (rare letters): keep the offsets right
        text = body
    found: list[tuple[int, int, str]] = []
    for last, (iso2, length, spaceless, stem) in _automaton().iter(text):
        start, end = last + 1 - length, last + 1
        if not spaceless:
            if start > 0 and text[start - 1].isalpha():
                continue
            end = _end(text, end, stem)
            if end is None:
                continue
        found.append((start, end, iso2))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out, taken = [], -1
    for start, end, iso2 in found:
        row = gaz.country_row.get(iso2)
        if start < taken or row is None:
            continue
        taken = end
        lat, lon = float(gaz.lat[row]), float(gaz.lon[row])
        out.append(Location(
            text=body[start:end], start=start, end=end, name=gaz.name(row), country=gaz.iso3(row) or None,
            lat=None if math.isnan(lat) else round(lat, 5), lon=None if math.isnan(lon) else round(lon, 5),
            geonameid=int(gaz.gid[row]) or None, feature=FEATURES["PCLI"], feature_code="PCLI", rule=RULE,
            confidence=0.8,
        ))
    return out
