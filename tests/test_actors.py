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
    # no date: the latest status (Afghanistan's government since 2021; test_actors_layers checks 2020)
    ("The Taliban spokesman rejected the claim.", "The Taliban spokesman", ("AFG", "GOV", "AFGGOV")),
    ("Iran's parliament approved the bill.", "Iran's parliament", ("IRN", "LEG", "IRNLEG")),
    ("A court in Argentina sentenced him.", "A court in Argentina", ("ARG", "JUD", "ARGJUD")),
    ("The UN Security Council condemned the attack.", "The UN Security Council", (None, "IGO", "IGOUNO")),
    ("Israeli military spokesman Jonathan Conricus said so.", "Israeli military spokesman Jonathan Conricus",
     ("ISR", "MIL", "ISRMIL")),
    ("Opposition supporters marched.", "Opposition supporters", (None, "OPP", "OPP")),
    ("U.S. military chief General John Doe arrived.", "U.S. military chief General John Doe", ("USA", "MIL", "USAMIL")),
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
    # ISO codes, or a place without one that names itself (Kosovo, XKX)
    assert all(pycountry.countries.get(alpha_3=code) or fields.get("name") for code, fields in countries.items())
    assert pycountry.countries.get(alpha_3="XKX") is None
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


def test_resolve_span_place_asked_as_actor_gives_its_country():
    doc = run("France sent troops to Mali.")
    assert code_of(doc, "Mali") == ("MLI", None, "MLI")


def test_members_of_an_international_body_keep_its_code():
    doc = run("NATO troops patrolled the border.")
    assert code_of(doc, "NATO troops") == (None, "MIL", "IGOWSTNATMIL")


def test_shared_demonym_goes_to_the_main_country():
    # countryinfo gives "French" to France and to French overseas territories alike
    doc = run("The French government protested.")
    assert code_of(doc, "The French government") == ("FRA", "GOV", "FRAGOV")


def test_surname_without_article_particle():
    doc = run("Assad said the war would go on.", "2016-05-01")
    assert mention(doc, "Assad").name == "Bashar al-Assad"


def test_actor_modifying_a_thing_codes_the_phrase():
    doc = run("Turkish demands were rejected by the council.")
    assert code_of(doc, "Turkish demands")[0] == "TUR"


def test_docs_example_actor_file_loads(tmp_path):
    docs = Path(__file__).resolve().parents[1] / "docs" / "actors.md"
    block = docs.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    d = dictionary.load((str(path),))
    assert d.names["NLF"][0].code == "XYZREBNLF"
    assert d.names["Uncle Sam"][0].code == "USA" and d.names["America"][0].code == "USA"
    assert role_at(d.names["Ana Example"][0], "2024-01-01").country == "IGOUNO"
    assert d.roles["magistrate"].sector == "JUD" and d.names["Sahel"][0].code == "SAH"


def test_office_holder_title_names_the_person():
    doc = run("The President of the Russian Federation spoke on Monday.", "2022-01-13")
    m = mention(doc, "The President of the Russian Federation")
    assert m.name == "Vladimir Putin" and doc.entities[m.entity].name == "Vladimir Putin"


def test_entity_and_mention_indexes_agree():
    doc = run("Kremlin spokesman Dmitry Peskov spoke. He said Russia would wait. Peskov left.", "2022-01-13")
    for k, ent in enumerate(doc.entities):
        assert ent.id == k and ent.mentions
        assert all(doc.actors[i].entity == k for i in ent.mentions)
    assert sorted(i for e in doc.entities for i in e.mentions) == list(range(len(doc.actors)))


def test_resolve_span_odd_spans():
    doc = run("NATO met.")
    assert resolve_span(doc, 0, 0).code is None
    assert resolve_span(doc, 0, 4).code == "IGOWSTNAT"
    assert actor_phrase(doc, 0, 0) == (0, 0)


def test_names_of_other_people_and_places_are_not_dictionary_matches():
    doc = run("Former Florida Gov. Jeb Bush said he is ending his campaign.", "2016-02-20")
    assert all(m.name != "George W. Bush" for m in doc.actors)
    doc = run("Bernie Sanders won in Michigan. Sanders thanked voters.", "2016-03-09")
    assert all(m.name != "Sarah Sanders" for m in doc.actors)
    doc = run("New Jersey Gov. Chris Christie spoke.", "2016-03-09")
    assert all(m.country != "JEY" for m in doc.actors)


def test_resolve_span_without_the_stage_says_so():
    # coding with the shipped dictionary instead would silently drop a user's --actors file
    from newsevents.errors import StageOrderError
    from newsevents.model import Document
    from newsevents.nlp import load

    body = "A Swiss court rejected the appeal."
    doc = Document(article=Article(id="x", body=body, source="x.txt"), parse=load()(body))
    with pytest.raises(StageOrderError, match="x.txt: .*run the 'actors' stage before"):
        resolve_span(doc, 0, len("A Swiss court"))
    coded = run(body)
    assert resolve_span(coded, 0, len("A Swiss court")).code == "CHEJUD"
    coded.parse = load()(body)  # another parse than the one the stage analysed
    with pytest.raises(StageOrderError):
        resolve_span(coded, 0, len("A Swiss court"))


def test_regions_and_places_without_iso_codes():
    doc = run("Various African countries condemned the coup. Kosovo rejected the plan.")
    assert code_of(doc, "Various African countries")[2] == "AFRGOV"
    assert mention(doc, "Kosovo").country == "XKX"


def test_mentions_are_looked_up_by_offset_once_per_parse(sample_doc):
    # resolve_span runs once per phrase the other stages code: the actors sorted by offset and the
    # check that the parse is of the body are made once per parse, not per call (they made a
    # 200k-character article quadratic)
    from newsevents.actors import mentions_in

    doc = run(sample_doc.article.body, sample_doc.article.published)
    analysis = doc.analysis["actors"]
    for s in doc.sentences:
        assert mentions_in(doc, s.start, s.end) == [m for m in doc.actors if m.start >= s.start and m.end <= s.end]
    lookup = analysis.lookup
    resolve_span(doc, doc.sentences[0].start, doc.sentences[0].end)
    assert analysis.lookup is lookup
    doc.actors = doc.actors[:3]  # another list of actors: looked up afresh
    assert mentions_in(doc, 0, len(doc.article.body)) == doc.actors and analysis.lookup is not lookup
