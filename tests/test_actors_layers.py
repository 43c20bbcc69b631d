"""The actor dictionary's layers: Phoenix (2014) < our curated files (changes since 2014) < the
user's, and the March 2025 actors they code. Sentences written for these tests."""

from __future__ import annotations

from functools import lru_cache

import pytest
from typer.testing import CliRunner

from newsevents.actors import dictionary, resolve_span
from newsevents.actors.lookup import lookup
from newsevents.cli import app
from newsevents.model import Article
from newsevents.pipeline import Pipeline
from newsevents.settings import Settings

MARCH_2025 = "2025-03-13"


@lru_cache(maxsize=2)
def _pipeline(actors_files: tuple[str, ...] = ()) -> Pipeline:
    return Pipeline(Settings(stages=("parse", "actors"), actors_files=actors_files), keep_parse=True)


def run(text: str, published: str | None = MARCH_2025, actors_files: tuple[str, ...] = ()):
    return _pipeline(actors_files)(Article(id="t", body=text, published=published, language="en"))


def mention(doc, text: str):
    found = [m for m in doc.actors if m.text == text]
    assert found, f"no mention {text!r} in {[m.text for m in doc.actors]}"
    return found[0]


def coded(doc, text: str):
    m = mention(doc, text)
    return m.country, m.sector, m.code


def test_phoenix_layer_is_loaded_from_the_built_file():
    d = dictionary.load()
    assert len(d.lower_names) > 25_000 and len(d.roles) > 3_000
    assert d.lower_names["kandahar"][0].source == "phoenix:Phoenix.Countries.actors.txt"
    assert d.names["Kevin Hassett"][0].source == "curated:since2014.yaml"


@pytest.mark.parametrize("text, name, expected", [
    # heads of state and government, ministers, envoys in March 2025 (curated since2014.yaml / people.yaml)
    ("Japanese Foreign Minister Takeshi Iwaya met his counterparts in Quebec.", "Takeshi Iwaya",
     ("JPN", "GOV", "foreign minister")),
    ("Kevin Hassett said the tariffs would stay in place.", "Kevin Hassett",
     ("USA", "GOV", "director of the National Economic Council")),
    ("U.S. special envoy Steve Witkoff met Vladimir Putin in Moscow.", "Steve Witkoff", ("USA", "GOV", "special envoy")),
    ("U.S. special envoy Steve Witkoff met Vladimir Putin in Moscow.", "Vladimir Putin", ("RUS", "GOV", "president")),
    ("Lieutenant General Ahmed Sharif Chaudhry said the operation was over.", "Ahmed Sharif Chaudhry",
     ("PAK", "MIL", "director general of ISPR")),
    ("Somali President Hassan Sheikh Mohamud called for calm.", "Hassan Sheikh Mohamud", ("SOM", "GOV", "president")),
    ("Syria's defense minister, Murhaf Abu Qasra, visited Ankara.", "Murhaf Abu Qasra", ("SYR", "GOV", "defence minister")),
    ("UNICEF Executive Director Catherine Russell briefed the council.", "Catherine Russell",
     (None, "IGO", "UNICEF executive director")),
    ("Hezbollah leader Naim Qassem said the group would respond.", "Naim Qassem",
     ("LBN", "INS", "Hezbollah secretary-general")),
])
def test_march_2025_office_holders(text, name, expected):
    m = mention(run(text), name)
    assert (m.country, m.sector, m.role) == expected


def test_armed_groups_and_changed_status():
    doc = run("JNIM claimed the attack, and the Baloch Liberation Army denied any role.")
    assert coded(doc, "JNIM") == (None, "INS", "IMGMOSJNM")
    assert coded(doc, "Baloch Liberation Army")[:2] == ("PAK", "SEP")
    # the Taliban: insurgents before 15 August 2021, Afghanistan's government after
    assert coded(run("The Taliban closed the schools.", "2020-03-10"), "Taliban")[:2] == ("AFG", "INS")
    assert coded(run("The Taliban closed the schools.", MARCH_2025), "Taliban")[:2] == ("AFG", "GOV")


def test_curated_person_replaces_phoenix_entry():
    # Phoenix (2014) has Obama as USA GOV from 2009 with no end; people.yaml ends the presidency in 2017
    assert coded(run("Barack Obama spoke at the summit.", "2025-03-01"), "Barack Obama")[:2] == ("USA", "ELI")
    assert coded(run("Barack Obama spoke at the summit.", "2012-03-01"), "Barack Obama")[:2] == ("USA", "GOV")
    found = lookup(dictionary.load(), "Barack Obama", "2025-03-01")
    assert found[0].layer == "curated" and found[0].code == "USAELI" and "replaces Phoenix" in found[0].why


def test_phoenix_dated_codes_follow_the_article_date():
    # Rodrigo Arias is only in Phoenix: CRI GOV from 2006-07-01 to 2010-05-31
    assert coded(run("Rodrigo Arias met the delegation.", "2008-03-12"), "Rodrigo Arias")[:2] == ("CRI", "GOV")
    assert coded(run("Rodrigo Arias met the delegation.", "2012-03-12"), "Rodrigo Arias")[:2] == ("CRI", "ELI")


def test_phoenix_names_only_where_written_as_names():
    assert not run("They cooked turkey for dinner.").actors
    doc = run("Iraqi police arrested two men near Mosul.")
    assert "Mosul" not in [m.text for m in doc.actors]  # a city, though Phoenix has a person called that


def test_agents_with_the_country_of_a_modifier_or_the_context():
    assert coded(run("Iraqi police arrested two men."), "Iraqi police") == ("IRQ", "COP", "IRQCOP")
    assert coded(run("Nigerian herdsmen attacked the village."), "Nigerian herdsmen")[:2] == ("NGA", "AGR")
    doc = run("Kenyan authorities detained the men. Authorities said they were armed.")
    assert coded(doc, "Authorities") == ("KEN", "GOV", "KENGOV")
    assert "context" in mention(doc, "Authorities").rule


def test_title_and_name_take_the_country_of_an_of_phrase():
    doc = run("Prime Minister Jan Novak of Slovakia said the talks had failed.")
    assert coded(doc, "Jan Novak") == ("SVK", "GOV", "SVKGOV")
    assert mention(doc, "Jan Novak").role == "prime minister"


def test_conjoined_countries_are_one_actor_each():
    doc = run("Russia and China blocked the resolution on Tuesday.")
    assert coded(doc, "Russia")[:2] == ("RUS", "GOV") and coded(doc, "China")[:2] == ("CHN", "GOV")
    start = doc.article.body.index("Russia and China")
    whole = resolve_span(doc, start, start + len("Russia and China"))
    assert whole.country == "RUS"  # a span over both resolves to its head; each conjunct is its own mention


def test_user_file_wins_over_curated(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("people:\n  - {name: Kevin Hassett, roles: [[USA, BUS, economist, 2025-01-01, null]]}\n")
    doc = run("Kevin Hassett said the tariffs would stay in place.", actors_files=(str(path),))
    assert coded(doc, "Kevin Hassett")[:2] == ("USA", "BUS")
    assert lookup(dictionary.load((str(path),)), "Kevin Hassett", MARCH_2025)[0].layer == "user"


def test_cli_lookup_says_which_layer_and_why():
    result = CliRunner().invoke(app, ["actors", "lookup", "Taliban", "--date", "2020-01-01"])
    assert result.exit_code == 0, result.output
    assert "since2014.yaml" in result.output and "AFGINSTAL" in result.output and "phoenix" in result.output
    result = CliRunner().invoke(app, ["actors", "lookup", "Qwxyzzy Nobody"])
    assert result.exit_code == 1 and "not in the actor dictionary" in result.output
