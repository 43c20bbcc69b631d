"""Places: every toponym of the article resolved to a place, and each event's places.

The ``places`` stage (after ``events``) finds toponyms in the parse (:mod:`.mentions`), picks
one place for each from the offline gazetteer using the article's context (:mod:`.resolve`),
writes them to ``doc.locations`` and gives each event the places its sentence attaches to it
(:mod:`.attach`). Everything runs offline from ``data/geo/gazetteer.tsv.gz`` (GeoNames data,
CC BY 4.0), loaded once per process on first use. See docs/places.md.

    from newsevents.geo import locate
    for loc in locate(body, nlp(body)):
        print(loc.text, loc.name, loc.country, loc.lat, loc.lon)
"""

from __future__ import annotations

import math

from ..model import Document, Location
from ..settings import Settings
from .attach import locate_events
from .countries import find_countries
from .gazetteer import FEATURES, Q_DEM, Gazetteer, load, norm
from .mentions import Toponym, dateline_mention, extract
from .rank import Ranker, choose, load_ranker, name_groups
from .resolve import resolve

MODEL_ID = "gazetteer-v2"


def locate(body: str, parse, gaz: Gazetteer | None = None, context: bool = True,
           ranker: Ranker | None = None, dateline: str | None = None) -> list[Location]:
    """The places named in ``body`` (a spaCy Doc ``parse`` over it), in text order.

    ``ranker``: the candidate ranker (default: the shipped one); ``context=False`` resolves each
    name from its prior alone (population and feature) and uses no ranker. ``dateline``: the
    article's dateline when ingest took it out of the body ("MOSCOW, Jan 13 (Reuters)"); its place
    counts as context and comes first, as a zero-width location at offset 0 with the rule
    ``.../dateline``."""
    gaz = gaz or load()
    found = extract(gaz, body, parse)
    head = dateline_mention(gaz, dateline) if dateline else None
    mentions = resolve(gaz, body, [head, *found] if head else found, context=context)
    if context:
        choose(gaz, name_groups(gaz, body, mentions), ranker or load_ranker())
    return locations(gaz, mentions)


def locations(gaz: Gazetteer, mentions: list[Toponym]) -> list[Location]:
    """The resolved ``mentions`` as :class:`Location` records."""
    out = []
    for m in mentions:
        i = m.choice
        code = gaz.code(i)
        a1 = gaz.admin1_of(i)
        rule = f"{MODEL_ID}/{m.label.lower()}" + ("/demonym" if m.quality == Q_DEM else "") + \
            ("/weak" if m.weak else "")
        lat, lon = float(gaz.lat[i]), float(gaz.lon[i])
        out.append(Location(
            text=m.text, start=m.start, end=m.end, name=gaz.name(i), country=gaz.iso3(i) or None,
            lat=None if math.isnan(lat) else round(lat, 5), lon=None if math.isnan(lon) else round(lon, 5),
            geonameid=int(gaz.gid[i]) or None, feature=FEATURES[code], feature_code=code,
            admin1=gaz.name(a1) if a1 >= 0 else None, rule=rule, confidence=m.confidence,
        ))
    return out


class PlaceStage:
    """Fills ``doc.locations`` (the toponyms of the body) and each event's ``location``/``locations``."""

    name = "places"
    requires = ("parse",)
    assigns = ("locations", "events.location", "events.locations")

    def __init__(self, settings: Settings):
        self.settings = settings

    def __call__(self, doc: Document) -> Document:
        if doc.parse is None:
            if doc.stages_skipped.get("parse"):  # an article in another language: its countries
                doc.locations = find_countries(doc.article.body)
            return doc
        found = locate(doc.article.body, doc.parse, dateline=doc.article.dateline)
        dateline = found[0] if found and found[0].rule.endswith("/dateline") else None
        doc.locations = found[1:] if dateline else found
        locate_events(doc, dateline)
        return doc


__all__ = ["PlaceStage", "find_countries", "locate", "locations", "locate_events", "load", "norm", "MODEL_ID"]
