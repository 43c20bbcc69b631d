"""Coreference rules (newsevents.nlp.coref), one test per rule, through the actors stage."""

from __future__ import annotations

import re
from functools import lru_cache

from newsevents.model import Article
from newsevents.nlp.coref import normalise_role, quote_regions
from newsevents.pipeline import Pipeline
from newsevents.settings import Settings


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    return Pipeline(Settings(stages=("parse", "actors")), keep_parse=True)


def run(text: str, published: str = "2022-01-13"):
    return _pipeline()(Article(id="t", body=text, published=published, language="en"))


def m(doc, text: str, nth: int = 0):
    starts = [x.start() for x in re.finditer(r"(?<!\w)" + re.escape(text) + r"(?!\w)", doc.article.body)]
    start = starts[nth]
    found = [x for x in doc.actors if x.start == start and x.end == start + len(text)]
    assert found, f"no mention {text!r} in {[x.text for x in doc.actors]}"
    return found[0]


def test_same_actor():
    doc = run("NATO warned of consequences. Later NATO said talks could resume.")
    assert m(doc, "NATO").entity == m(doc, "NATO", 1).entity
    assert "same-actor" in m(doc, "NATO", 1).rule


def test_surname():
    doc = run("Ivan Petrovsky arrived on Monday. Petrovsky said the talks had failed.")
    later = m(doc, "Petrovsky", 1)
    assert later.entity == m(doc, "Ivan Petrovsky").entity and "surname" in later.rule


def test_acronym():
    doc = run("The Democratic Liberation Front attacked the town. The DLF later denied any role.")
    assert m(doc, "DLF").entity == m(doc, "Democratic Liberation Front").entity
    assert "acronym" in m(doc, "DLF").rule


def test_apposition_gives_country_and_role():
    doc = run("Ivan Petrovsky, a Russian diplomat, said the talks had failed.")
    person = m(doc, "Ivan Petrovsky")
    assert (person.country, person.sector) == ("RUS", "GOV")
    assert m(doc, "a Russian diplomat").entity == person.entity


def test_role_description():
    doc = run("Kremlin spokesman Dmitry Peskov spoke on Monday. The spokesman added that talks would go on.")
    desc = m(doc, "The spokesman")
    assert desc.entity == m(doc, "Dmitry Peskov").entity and "role-description" in desc.rule
    assert normalise_role("speaker") == normalise_role("spokesman") == "spokesperson"


def test_definite_description_of_an_organisation():
    doc = run("NATO rejected the demands. The Alliance said its door stays open.")
    assert m(doc, "The Alliance").entity == m(doc, "NATO").entity


def test_state_government():
    doc = run("The Kremlin rejected the plan. The talks with Russia stalled.")
    russia = m(doc, "Russia")
    assert russia.entity == m(doc, "Kremlin").entity and "state-government" in russia.rule
    assert russia.sector == "GOV"


def test_pronoun_gender_agreement():
    doc = run("Angela Merkel met Vladimir Putin in Berlin. She said the meeting was useful. He did not comment.",
              "2015-05-01")
    assert m(doc, "She").entity == m(doc, "Angela Merkel").entity
    assert m(doc, "He").entity == m(doc, "Vladimir Putin").entity


def test_pronoun_attributing_a_quote_looks_before_it():
    doc = run('Ivan Petrovsky spoke to reporters. "John Smith cannot be trusted. We will not accept this", - he said.')
    assert m(doc, "he").entity == m(doc, "Ivan Petrovsky").entity
    assert quote_regions(doc.parse)


def test_pronoun_it_and_they():
    doc = run("The Nigerian Air Force says it has killed several fighters.")
    assert m(doc, "it").entity == m(doc, "The Nigerian Air Force").entity
    doc = run("Protesters gathered outside parliament. They demanded new elections.")
    they = m(doc, "They")
    assert they.entity == m(doc, "Protesters").entity and they.sector == "OPP"


def test_unresolved_pronoun_is_not_an_actor():
    doc = run("It was raining in the morning.")
    assert not [x for x in doc.actors if x.text == "It"]


def test_expletive_it_is_no_actor():
    doc = run("NATO met on Monday. It is vital that the talks continue.")
    assert not [x for x in doc.actors if x.text == "It"]


def test_it_needs_a_nearby_acting_antecedent():
    doc = run("The delegates spoke about the people of Iraq. It only underscores the risk.")
    assert not [x for x in doc.actors if x.text == "It"]


def test_definite_description_takes_the_nearby_actor_of_its_sector():
    doc = run("Syria's army shelled the town on Monday. The army said it had targeted militants.")
    army = m(doc, "The army")
    assert army.entity == m(doc, "Syria's army").entity and "definite-description" in army.rule
    assert (army.country, army.sector) == ("SYR", "MIL") and army.confidence < 1
    doc = run("The Democratic Liberation Front attacked the town. The group later denied any role.")
    assert m(doc, "The group").entity == m(doc, "Democratic Liberation Front").entity


def test_unresolved_anaphor_is_not_an_actor():
    doc = run("The group met on Monday.")
    assert not doc.actors


def test_definite_description_is_not_its_own_clause_subject():
    doc = run("The UK stands with the government of the region. The UK condemned the attack on the government.")
    gov = [x for x in doc.actors if x.text == "the government"]
    assert all(x.country != "GBR" for x in gov)
