"""The actors stage: dictionary coding, dated roles, metonyms, resolve_span on noun phrases."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pycountry
import pytest
import yaml

from newsevents.actors import actor_phrase, dictionary, resolve_span
from newsevents.actors.dictionary import role_at
from newsevents.errors import SettingsError
from newsevents.model import Article
from newsevents.pipeline import STAGE_FACTORIES, Pipeline
from newsevents.settings import Settings

DATA = Path(dictionary.__file__).resolve().parents[1] / "data" / "actors"


@lru_cache(maxsize=4)
def _pipeline(actors_files: tuple[str, ...] = ()) -> Pipeline:
    return Pipeline(Settings(stages=("parse", "actors"), actors_files=actors_files), keep_parse=True)


def run(text: str, published: str | None = None, actors_files: tuple[str, ...] = ()):
    return _pipeline(actors_files)(Article(id="t", body=text, published=published, language="en"))


def span(doc, text: str, nth: int = 0):
    """Offsets of the ``nth`` whole-word occurrence of ``text`` in the body."""
    found = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(text) + r"(?!\w)", doc.article.body)]
    return found[nth], found[nth] + len(text)


def code_of(doc, text: str, nth: int = 0):
    ref = resolve_span(doc, *span(doc, text, nth))
    return ref.country, ref.sector, ref.code


def mention(doc, text: str, nth: int = 0):
    start, end = span(doc, text, nth)
    found = [m for m in doc.actors if m.start == start and m.end == end]
    assert found, f"no mention {text!r} in {[m.text for m in doc.actors]}"
    return found[0]


def test_stage_is_registered():
    assert STAGE_FACTORIES["actors"] == "newsevents.actors:ActorStage"


def test_sample_actors_done_when(sample_text):
    from newsevents.ingest import read_text

    article = read_text(sample_text, source="kremlin-2022-01-13.txt")
    doc = _pipeline()(article)
    body = doc.article.body
    peskov = mention(doc, "Dmitry Peskov")
    assert (peskov.country, peskov.sector, peskov.role) == ("RUS", "GOV", "spokesperson")
    for text in ("Kremlin", "The Russian leadership", "Russia", "Russian Federation"):
        m = mention(doc, text)
        assert (m.country, m.sector) == ("RUS", "GOV"), text
    # "he" in both quote attributions and the long description are Peskov
    for cue in ('- he said', '- he stated'):
        he = next(m for m in doc.actors if m.start == body.index(cue) + 2)
        assert he.entity == peskov.entity, cue
    assert mention(doc, "the speaker of the President of the Russian Federation").entity == peskov.entity
    usa = mention(doc, "USA")
    assert usa.country == "USA" and mention(doc, "America").entity == usa.entity
    assert mention(doc, "The American side").entity == usa.entity
    nato = mention(doc, "NATO")
    assert nato.code == "IGOWSTNAT" and mention(doc, "the Alliance").entity == nato.entity
    assert mention(doc, "Ukraine").country == "UKR"
    assert mention(doc, "Georgia").country == "GEO"
    assert not [m for m in doc.actors if m.text in ("Geneva", "Brussels")]
    # entities: one per real-world actor
    names = {e.name for e in doc.entities}
    assert {"Dmitry Peskov", "NATO", "Russia", "Ukraine", "Georgia"} <= names
    assert all(body[m.start:m.end] == m.text for m in doc.actors)


@pytest.mark.parametrize("text, phrase, expected", [
    ("Meanwhile, a Swiss court rejected the request.", "a Swiss court", ("CHE", "JUD", "CHEJUD")),
    ("A Swiss court rejected the Croatian government's request.", "the Croatian government", ("HRV", "GOV", "HRVGOV")),
    ("Protesters clashed with police in the capital.", "Protesters", (None, "OPP", "OPP")),
    ("Protesters clashed with police in the capital.", "police", (None, "COP", "COP")),
    ("Iraqi troops launched an assault on the town.", "Iraqi troops", ("IRQ", "MIL", "IRQMIL")),
    ("The Nigerian Air Force (NAF) says it has killed several fighters.", "The Nigerian Air Force", ("NGA", "MIL", "NGAMIL")),
    ("The Taliban spokesman rejected the claim.", "The Taliban spokesman", ("AFG", "INS", "AFGINSTAL")),
    ("Iran's parliament approved the bill.", "Iran's parliament", ("IRN", "LEG", "IRNLEG")),
    ("A court in Argentina sentenced him.", "A court in Argentina", ("ARG", "JUD", "ARGJUD")),
    ("The UN Security Council condemned the attack.", "The UN Security Council", (None, "IGO", "IGOUNO")),
])
def test_resolve_span_codes_noun_phrases(text, phrase, expected):
    doc = run(text)
    assert code_of(doc, phrase) == expected


def test_resolve_span_title_and_person():
    doc = run("Kremlin spokesman Dmitry Peskov said talks would go on. He called them useful.", "2022-01-13")
    assert code_of(doc, "Kremlin spokesman Dmitry Peskov") == ("RUS", "GOV", "RUSGOV")
    ref = resolve_span(doc, *span(doc, "He"))
    assert ref.code == "RUSGOV" and ref.entity == mention(doc, "Dmitry Peskov").entity


def test_unknown_person_coded_from_title():
    doc = run("Russian Foreign Minister Ivan Petrovsky met the delegation.")
    assert code_of(doc, "Russian Foreign Minister Ivan Petrovsky") == ("RUS", "GOV", "RUSGOV")


def test_resolve_span_without_code_gives_none():
    doc = run("The weather was cold on Tuesday.")
    ref = resolve_span(doc, *span(doc, "The weather"))
    assert ref.code is None and ref.text == "The weather"


@pytest.mark.parametrize("date, expected", [
    ("2015-06-01", ("USA", "GOV", "vice president")),
    ("2022-03-01", ("USA", "GOV", "president")),
    ("2025-06-01", ("USA", "ELI", "former president")),
    ("1960-01-01", None),
])
def test_dated_roles(date, expected):
    biden = dictionary.load().names["Joe Biden"][0]
    role = role_at(biden, date)
    assert (None if role is None else (role.country, role.sector, role.role)) == expected


def test_dated_role_in_text_depends_on_article_date():
    as_vp = run("Joe Biden visited Kyiv.", "2015-06-01")
    as_president = run("Joe Biden visited Kyiv.", "2023-02-20")
    assert mention(as_vp, "Joe Biden").role == "vice president"
    assert mention(as_president, "Joe Biden").role == "president"
    trump = [run("Donald Trump said so.", d) for d in ("2019-05-01", "2022-05-01", "2025-05-01")]
    assert [mention(t, "Donald Trump").sector for t in trump] == ["GOV", "OPP", "GOV"]


def test_person_role_at_igo():
    doc = run("Jens Stoltenberg said the alliance would respond.", "2020-05-01")
    m = mention(doc, "Jens Stoltenberg")
    assert (m.code, m.sector) == ("IGOWSTNAT", "IGO")


@pytest.mark.parametrize("text, name, is_actor", [
    ("Moscow said the talks were useful.", "Moscow", True),
    ("Washington rejected the demands.", "Washington", True),
    ("The delegations held talks in Moscow on Monday.", "Moscow", False),
    ("Security talks in Geneva and Brussels ended.", "Geneva", False),
])
def test_capital_metonyms_versus_places(text, name, is_actor):
    doc = run(text)
    start, end = span(doc, name)
    found = [m for m in doc.actors if m.start == start and m.end == end]
    assert bool(found) == is_actor
    if is_actor:
        assert found[0].kind == "metonym" and found[0].sector == "GOV"


def test_country_acting_is_its_government():
    doc = run("Russia put forward a tough ultimatum to the USA.")
    assert (mention(doc, "Russia").country, mention(doc, "Russia").sector) == ("RUS", "GOV")
    assert (mention(doc, "USA").country, mention(doc, "USA").sector) == ("USA", None)


def test_user_actor_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({
        "organisations": [{"name": "Northern Front", "aliases": ["NF"], "code": "XYZREB", "sector": "REB"}],
        "people": [{"name": "Ana Example", "gender": "f", "roles": [["CHL", "GOV", "minister", "2020-01-01", None]]}],
    }))
    doc = run("The Northern Front attacked a base. Ana Example condemned it.", "2021-01-01", (str(path),))
    assert mention(doc, "Northern Front").code == "XYZREB"
    assert mention(doc, "Ana Example").code == "CHLGOV"


def test_bad_user_actor_file_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("actors: [1, 2]\n")
    with pytest.raises(SettingsError, match="bad.yaml"):
        dictionary.load((str(path),))


def test_shipped_codes_are_real_countries():
    countries = yaml.safe_load((DATA / "countries.yaml").read_text(encoding="utf-8"))["countries"]
    assert all(pycountry.countries.get(alpha_3=code) for code in countries)
    people = yaml.safe_load((DATA / "people.yaml").read_text(encoding="utf-8"))["people"]
    for person in people:
        for country, *_ in person["roles"]:
            assert country.startswith("IGO") or pycountry.countries.get(alpha_3=country), (person["name"], country)
    for org in yaml.safe_load((DATA / "organisations.yaml").read_text(encoding="utf-8"))["organisations"]:
        assert org.get("country") is None or pycountry.countries.get(alpha_3=org["country"]), org["name"]


def test_dated_roles_are_ordered_and_valid():
    for person in yaml.safe_load((DATA / "people.yaml").read_text(encoding="utf-8"))["people"]:
        for _country, _sector, _role, start, end in person["roles"]:
            assert end is None or str(start) <= str(end), person["name"]


def test_actor_phrase_extent():
    doc = run("Meanwhile, a Swiss court rejected the Croatian government's request.")
    body = doc.article.body
    s, e = actor_phrase(doc, body.index("court"))
    assert body[s:e] == "a Swiss court"
