"""newsevents.actors.build_petrarch: reading the TABARI dictionaries into the Phoenix layer."""

from __future__ import annotations

import gzip
import json

from newsevents.actors import build_petrarch as bp
from newsevents.actors.dictionary import parse_code

COUNTRIES = """\
# a comment line
FREEDONIA_  [FRD]
+FREEDONIAN_
+THE_FREEDONIA_
+FREEDONIA_CITY

RUFUS_FIREFLY_  # CountryInfo.txt
+FIREFLY_
+PRESIDENT_RUFUS_FIREFLY
+FIREFLY_ADMINISTRATION
\t[FRDELI 300101-330101]
\t[FRDGOV 330101-350630]
\t[FRDELI]
TRENTINO_AMBASSADOR_
+TRENTINO
\t[SYLGOV >330101]
FREEDONIAN_ARMY_
+ARMY_
\t[FRDMIL]
"""
GROUPS = """\
SYLVANIAN_LIBERATION_FRONT_ [SYLREB] #  comment
+SLF_
+TRENTINO
"""
AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
ARMY {} [~MIL]
GOVERNMENT_SPOKES!PERSON! [~GOV]
CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
AMBASSADOR_TO {} [~GOV]
PRESIDENT [~GOV]
ADMINISTRATION [~GOV]
OBSERVERS_IN [IGO~]
"""


def _write(tmp_path):
    (tmp_path / "Phoenix.Countries.actors.txt").write_text(COUNTRIES)
    (tmp_path / "Phoenix.International.actors.txt").write_text("")
    (tmp_path / "Phoenix.MilNonState.actors.txt").write_text(GROUPS)
    (tmp_path / "Phoenix.agents.txt").write_text(AGENTS)
    (tmp_path / "LICENSE").write_text("MIT test licence")
    return tmp_path


def test_dated_codes_and_synonyms(tmp_path):
    blocks = {b.name: b for b in bp.read_actors(_write(tmp_path) / "Phoenix.Countries.actors.txt")}
    firefly = blocks["RUFUS FIREFLY"]
    assert firefly.codes == [("FRDELI", "1930-01-01", "1933-01-01"), ("FRDGOV", "1933-01-01", "1935-06-30"),
                             ("FRDELI", None, None)]
    assert "FIREFLY" in firefly.synonyms
    assert blocks["TRENTINO AMBASSADOR"].codes == [("SYLGOV", "1933-01-01", None)]  # ">330101": from that day


def test_agents_expand_macros_plurals_and_drop_patterns(tmp_path):
    agents = {p: (sector, person) for p, sector, person in bp.read_agents(_write(tmp_path) / "Phoenix.agents.txt")}
    assert agents["government spokesman"] == ("GOV", True) and agents["government spokeswomen"] == ("GOV", True)
    assert agents["chambers of commerce"] == ("BUS", False)
    assert agents["army"] == ("MIL", False)
    assert "ambassador to" not in agents  # a parser pattern ending in a preposition, not a noun
    assert not any(p.startswith("observers") for p in agents)  # an IGO's own agents ("[IGO~]")


def test_build_drops_titles_agent_synonyms_and_ambiguous_names(tmp_path):
    data = bp.build(_write(tmp_path))
    actors = {a[0]: a for a in data["actors"]}
    firefly = actors["Rufus Firefly"]
    assert firefly[1] == "person"
    assert firefly[4] == ["rufus firefly", "firefly"]  # no "president rufus firefly", no "firefly administration"
    assert [c[0] for c in firefly[3]] == ["FRDELI", "FRDELI", "FRDGOV"]  # undated default first, then by start
    # a country's names are one actor each, all with its code ("Freedonia City" is not named "Freedonia")
    country = [a for a in data["actors"] if a[1] == "country"]
    assert [a[0] for a in country] == ["Freedonia", "Freedonian", "Freedonia City"]  # "THE_FREEDONIA" is "FREEDONIA"
    assert all(a[3] == [["FRD", None, None]] for a in country)
    assert "army" not in actors["Freedonian Army"][4]  # an agent noun is no name
    # "TRENTINO" names both a diplomat and a group with other codes: dropped from both
    assert all("trentino" not in a[4] for a in data["actors"])


def test_main_writes_data_and_licence(tmp_path, monkeypatch):
    src = _write(tmp_path)
    out = tmp_path / "out.json.gz"
    monkeypatch.setattr(bp, "OUT", out)
    monkeypatch.setattr(bp, "LICENSE_OUT", tmp_path / "out.LICENSE")
    assert bp.main([str(src)]) == 0
    data = json.loads(gzip.decompress(out.read_bytes()))
    assert data["licence"].startswith("MIT") and data["actors"]
    assert "MIT test licence" in (tmp_path / "out.LICENSE").read_text()


def test_main_names_missing_files(tmp_path, capsys):
    assert bp.main([str(tmp_path)]) == 2
    assert "Phoenix.agents.txt" in capsys.readouterr().err


def test_parse_code():
    countries = {"RUS": 1, "USA": 1, "TLS": 1}
    assert parse_code("RUSGOV", countries) == ("RUS", "GOV")
    assert parse_code("USAGOVLEG", countries) == ("USA", "GOV")
    assert parse_code("MNCUSA", countries) == ("USA", "BUS")
    assert parse_code("IGOUNO", countries) == (None, "IGO")
    assert parse_code("IMGMUSALQ", countries) == (None, "REL")
    assert parse_code("IMG", countries) == (None, "UAF")
    assert parse_code("TMPREB", countries) == ("TLS", "REB")  # an older CAMEO code for East Timor
    assert parse_code("ELI", countries) == (None, "ELI")
