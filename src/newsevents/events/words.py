"""Words that say who or where: the vocabulary the argument rules (:mod:`.args`) and the span
rules (:mod:`.spans`) read nouns with. Named entities, pronouns and role nouns are actors;
quantities, money and abstractions are things; some nouns are places."""

from __future__ import annotations

from ..vocab import ACTOR_PRONOUNS as PRONOUNS


# heads that are what is given or done, not who it is done to ("gave 5 million euros", "sent troops")
THING_ENTS = {"MONEY", "QUANTITY", "CARDINAL", "PERCENT", "DATE", "TIME", "ORDINAL"}


THING_NOUNS = {
    "aid", "assistance", "money", "fund", "funding", "supply", "equipment",
    "statement", "support", "help", "relief", "food", "medicine", "vaccine", "dose", "loan", "grant", "package",
    "plan", "deal", "agreement", "ceasefire", "truce", "decision", "step", "measure",
    "action", "effort", "role", "position", "concern", "condolence", "sympathy", "hope", "readiness", "commitment",
    "intention", "way", "time", "talk", "meeting", "visit", "negotiation", "discussion", "consultation", "ban",
    "sanction", "restriction", "curfew", "blockade", "embargo", "attack", "strike", "operation", "fire", "pressure",
    "evidence", "information", "intelligence", "data", "datum", "artifact", "antiquity", "document", "record",
    "behalf", "basis", "occasion", "account", "part", "sake", "spite", "light", "wake", "view", "terms",
    "possibility", "option", "idea", "prospect", "chance",
    # money: "earmarked 1.5 million euros"
    "euro", "dollar", "pound", "yen", "yuan", "franc", "rupee", "ruble", "rouble", "shilling", "peso", "riyal",
    "dinar", "dirham", "lira", "naira", "rand", "won", "krona", "krone", "cent", "usd", "eur",
}


# goods in a transfer ("sent troops to Mali"), actors elsewhere ("shelled British forces")
GOODS = {"troop", "soldier", "force", "personnel", "team", "weapon", "arm", "peacekeeper", "platoon", "unit",
         "expert", "doctor", "volunteer", "worker", "inspector", "observer", "artifact", "painting", "fossil",
         "material", "vehicle", "resource", "shipment", "delivery"}


# objects of a verb+object trigger that are who it is done to
PATIENTS = {"ambassador", "civilian", "detainee", "diplomat", "embassy", "journalist", "party", "police", "prisoner",
            "refugee", "suspect", "city", "town", "newspaper", "website", "hostage", "captive", "activist", "protester",
            "demonstrator", "opposition", "leader", "official", "citizen", "national", "migrant", "village", "camp",
            "worker", "member", "fighter", "militant", "people", "person", "student", "rebel", "insurgent",
            "inspector", "observer", "monitor", "envoy", "employee", "correspondent", "reporter"}


# nouns that stand for the actors named after "of": "the leadership of America and NATO"
GROUP_NOUNS = {"leadership", "leader", "government", "representative", "side", "official", "minister", "authority",
               "force", "army", "president", "head", "delegation", "spokesman", "spokesperson", "ambassador"}


# people as a group: recipients of aid though no entity names them ("about 550 households")
HUMANS = {"people", "person", "civilian", "refugee", "child", "family", "household", "resident", "population",
          "victim", "community", "farmer", "worker", "student", "patient", "survivor", "citizen", "migrant",
          "villager", "woman", "man", "girl", "boy", "orphan", "minority", "inhabitant", "displaced", "evacuee"}


# organisations named by a common noun ("a unit of the company", "shipping firms")
BODIES = {"company", "firm", "bank", "unit", "subsidiary", "organization", "organisation", "agency", "business",
          "entity", "association", "union", "party", "group", "institution", "charity", "operator", "airline"}


def human(t) -> bool:
    """People or a body named by a common noun ("households", "the company")."""
    return t.lemma_.lower() in HUMANS or t.lower_ in HUMANS or t.lemma_.lower() in BODIES


def names_who(t) -> bool:
    """An actor, a place, people or a body; "hundreds of prisoners" counts as the prisoners."""
    if t.like_num or t.lemma_.lower() in QUANTITIES:
        of = next((g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                   if g.dep_ == "pobj"), None)
        if of is not None:
            return names_who(of)
    return actor_like(t) or place_like(t) or human(t)


QUANTITIES = {"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "score",
              "scores", "number", "group", "some", "many", "several", "most", "all", "each"}


COUNTERPARTS = {"counterpart", "envoy", "delegation", "leader", "minister", "president", "official", "diplomat",
                "ambassador", "representative", "chancellor", "premier", "secretary", "king", "prince", "emir"}


def actor_like(t) -> bool:
    """A noun that names who, not what: a named entity, a pronoun or a role."""
    lem = t.lemma_.lower()
    if t.ent_type_ in ("DATE", "TIME"):
        return False  # "As of January 20"
    return (t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.pos_ in ("PROPN", "PRON")
            or lem in COUNTERPARTS or lem in GROUP_NOUNS or lem in PATIENTS)


PLACE_NOUNS = {"territory", "region", "area", "province", "city", "town", "village", "zone", "part", "district",
               "state", "country", "capital", "border", "camp", "neighbourhood", "neighborhood", "enclave",
               "republic", "nation", "kingdom"}


def place_like(t) -> bool:
    return t.ent_type_ in ("GPE", "LOC", "FAC") or t.lemma_.lower() in PLACE_NOUNS

