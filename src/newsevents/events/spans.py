"""The character span of an actor: the noun phrase around a head token, as the development gold
reads it (full noun phrases with determiners, prepositional modifiers and appositions, "a Swiss
court", "Saudi Arabia's ambassador to the UN Abdallah al-Mouallimi"; relative and longer
clauses, times and descriptions cut), and the coordinated actors a head stands for ("the USA and
NATO" are two)."""

from __future__ import annotations

import re

from .lexicon import lemma
from .rules import noun_entry
from .words import COUNTERPARTS, GROUP_NOUNS, PRONOUNS, names_who

CUT_DEPS = {"relcl", "acl", "conj", "cc", "punct", "advcl", "dep", "parataxis"}


def np_bounds(head, cut_time: bool = False, cut_inner_conj: bool = False, target: bool = False) -> tuple[int, int]:
    """Token bounds [start, end) of the noun phrase headed by ``head`` (gold conventions).

    Kept: determiners, modifiers, possessors, prepositional phrases, appositions, bracketed
    acronyms and participles of a few words ("the missiles fired by the army"). Cut: relative
    and longer participial clauses, coordinated nouns (they are actors of their own), what a
    thing of someone's is about ("Trump's comments on X"), a description after the name of a
    place or body, or after a person's name in a ``target`` ("Haifa, Israel's third largest
    city") and, with ``cut_time``, phrases of time ("the Foreign Office during a weekly briefing
    on Thursday").
    """
    start, end = head.i, head.i + 1
    for c in head.lefts:
        if _time_before(c):
            continue  # "Hours earlier Maduro", "Yesterday the ministry": when, not who
        if c.dep_ not in ("punct", "cc", "preconj") or c.i > start:
            start = min(start, c.left_edge.i)
            break
    end = _right_end(head, cut_time, cut_inner_conj, target=target)
    doc = head.doc
    # pre-tokenized text ("Japan ’ s government", "1 , 100 employees"): rejoin what the spaces split
    for _ in range(3):
        if start >= 2 and doc[start].lower_ == "s" and doc[start - 1].text in APOSTROPHES:
            start = doc[start - 2].left_edge.i
        elif _split_possessive(doc, start - 2):  # "Iran ’ s Supreme Leader": the parser left the possessor out
            start = _noun_run_start(doc, start - 3)
        elif start >= 2 and doc[start - 1].text == "," and doc[start].like_num and doc[start - 2].like_num:
            start = doc[start - 2].left_edge.i
        else:
            break
    if _split_possessive(doc, end):  # "Theresa May ’ s offer": a possessor takes what it possesses
        end = _noun_run_end(doc, end + 2)
    # initials and titles split from their full stop ("Mr . Erdogan", "John R . Bass", "the U . K")
    while start >= 2 and doc[start - 1].text == "." and ABBREVIATION.fullmatch(doc[start - 2].text):
        start = _noun_run_start(doc, start - 2)
    while end + 1 < len(doc) and doc[end].text == "." and ABBREVIATION.fullmatch(doc[end - 1].text) \
            and doc[end + 1].text[:1].isupper():
        end = max(end + 2, _noun_run_end(doc, end + 1))
    # words joined by hyphens that the tokenizer (or a pre-tokenized input) split: "Hezb - e - Islami"
    while start >= 2 and doc[start - 1].text in HYPHENS and (doc[start - 2].is_alpha or doc[start - 2].like_num):
        start -= 2
    while end + 1 < len(doc) and doc[end].text in HYPHENS and doc[end + 1].is_alpha and (
            not doc[end - 1].whitespace_ or doc[end + 1].dep_ in ("compound", "amod", "pobj", "appos", "dep")):
        end += 2  # "UK-France co-operation", "Hezb - e - Islami"
    while end - 1 > start and doc[end - 1].is_punct and doc[end - 1].text not in (")", "]"):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].dep_ == "cc" or (
            doc[start].lower_ in PRECONJ and doc[start + 1].tag_ in ("NNP", "NN", "DT"))):
        start += 1  # "both India and Pakistan" (a singular: "both" is a conjunction), unlike "both ministers"
    # keep brackets balanced: "Nigerian Air Force (NAF"
    opened = sum(1 for t in doc[start:end] if t.text == "(") - sum(1 for t in doc[start:end] if t.text == ")")
    if opened > 0 and end < len(doc) and doc[end].text == ")":
        end += 1
    return start, end


APOSTROPHES = ("’", "'", "`")


ABBREVIATION = re.compile(r"[A-Z]|Mr|Mrs|Ms|Dr|Sen|Gen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|St|Jr|Sr|Maj|Adm|Rev|Hon")


_NP_POS = ("PROPN", "NOUN", "ADJ", "NUM")


def _split_possessive(doc, i: int) -> bool:
    """True when tokens i, i+1 are a possessive "’ s" split by spaces (pre-tokenized text) after a
    noun, not a contraction ("it ’ s")."""
    return (1 <= i and i + 2 < len(doc) and doc[i].text in APOSTROPHES and doc[i + 1].lower_ == "s"
            and doc[i - 1].pos_ in ("PROPN", "NOUN") and doc[i + 2].pos_ in (*_NP_POS, "DET", "VERB"))


def _noun_run_start(doc, j: int) -> int:
    """Start of the noun phrase ending at token j, read from the words (the parse is broken there)."""
    while j > 0 and (doc[j - 1].pos_ in (*_NP_POS, "DET") and doc[j - 1].lower_ not in ("that", "which")):
        j -= 1
    return j


def _noun_run_end(doc, i: int) -> int:
    """End of the noun phrase starting at token i: "’ s [southern and eastern governorates]"."""
    end = i
    while end < len(doc) and doc[end].ent_type_ not in ("DATE", "TIME") and (
            doc[end].pos_ in (*_NP_POS, "PART") or doc[end].tag_ == "VBN" or (
            doc[end].text in HYPHENS and end + 1 < len(doc) and doc[end + 1].pos_ in _NP_POS)
            or (doc[end].lower_ == "and" and end + 1 < len(doc) and doc[end + 1].pos_ == "ADJ")):
        end += 1
    while end > i and doc[end - 1].pos_ not in ("PROPN", "NOUN", "NUM"):
        end -= 1
    return max(end, i)


def _right_end(tok, cut_time: bool = False, cut_inner_conj: bool = False, depth: int = 0, target: bool = False) -> int:
    """End of ``tok``'s phrase: its right dependents up to the first clause, and up to the
    first coordination at the head ("the USA and NATO" are two actors) but not inside it ("the
    leadership of America and NATO", "talks in Geneva and Brussels")."""
    end = tok.i + 1
    rights = list(tok.rights)
    for k, c in enumerate(rights):
        if c.dep_ == "punct" and c.text in ("(", ")"):
            end = max(end, c.i + 1)
            continue
        if c.dep_ == "punct" and c.text == "," and k + 1 < len(rights) and rights[k + 1].dep_ == "appos" \
                and rights[k + 1] != _listed(tok) and not (depth == 0 and _description(tok, rights[k + 1], target)) \
                and not _restated_event(rights[k + 1]):
            continue  # "the Palestinian president, Mahmoud Abbas"
        if c.dep_ == "appos" and (depth == 0 and _description(tok, c, target) or _restated_event(c)):
            break
        if c == _listed(tok):
            break  # a list, not an apposition: "The United States, India, Israel and Pakistan"
        if c.dep_ in ("cc", "conj") and any(_shares_determiner(tok, g) for g in rights[k:] if g.dep_ == "conj"):
            end = max(end, _right_end(c, False, cut_inner_conj, depth + 1) if c.dep_ == "conj" else c.i + 1)
            continue  # "a Cuban physician and nurse": one group
        if depth > 0 and not cut_inner_conj and c.dep_ in ("cc", "conj") and tok.dep_ == "pobj":
            end = max(end, _right_end(c, False, cut_inner_conj, depth + 1) if c.dep_ == "conj" else c.i + 1)
            continue
        if _short_participle(c):  # "the missiles fired by the Israeli military", "PKK targets stationed in Iraq"
            end = max(end, c.right_edge.i + 1)
            continue
        if c.dep_ in CUT_DEPS or (c.dep_ == "prep" and (c.lower_ == "as" or (cut_time and _temporal(c)))):
            break
        if depth == 0 and c.dep_ == "prep" and c.lower_ in ("to", "into") and tok.dep_ == "dobj" \
                and lemma(tok.head) in MOVING:
            break  # "deported 2,374 migrants to Honduras": where they were sent is no part of who
        if depth == 0 and c.dep_ == "prep" and c.lower_ == "of" and _charged(tok) and not any(
                g.dep_ == "pobj" and g.pos_ != "VERB" and names_who(g) for g in c.children):
            break  # but "accusations by the government of Sierra Leone"
        if cut_time and c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME"):
            break  # "airstrikes this month"
        if depth == 0 and c.dep_ == "prep" and c.lower_ != "of" and _owned_thing(tok):
            # "Trump's comments on farm seizures", "US strategy in Syria", "an Afghan army base in
            # Kandahar province" (where a thing of someone's is, is cut as for a person)
            break
        if c.dep_ == "prep" and c.lower_ in ("in", "at") and _where_was(tok, c):
            break  # where a person or a country was ("Trump in Washington"), unlike "the Embassy in Athens"
        end = max(end, _right_end(c, False, cut_inner_conj, depth + 1) if depth < 12 else c.right_edge.i + 1)
    return end


HYPHENS = {"-", "–"}


PRECONJ = {"both", "either", "neither"}


# verbs whose object's "of" phrase is the charge, not part of who is charged ("accused the
# Nigerian military of mass slaughter", "convicted him of fraud")
CHARGING = {"accuse", "suspect", "convict", "acquit", "clear", "charge", "indict", "absolve", "warn"}


TIME_PREPS = {"during", "after", "before", "since", "until", "following", "amid", "ahead"}


def _owned_thing(tok) -> bool:
    """A thing said to be someone's ("*Trump's* comments", "the *JIA* demand", "*US* strategy"): it
    stands for its owner, and what it is about or for is no part of the actor's phrase."""
    if tok.pos_ != "NOUN" or names_who(tok) or any(c.dep_ == "appos" for c in tok.children):
        return False
    return any(c.dep_ == "poss" and c.lower_ not in PRONOUNS or (
        c.dep_ in ("compound", "amod", "nmod") and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")) for c in tok.lefts)


CHARGES = {"accusation", "allegation", "charge", "claim", "complaint"}


# verbs that move people somewhere: their object is who, the "to" phrase where
MOVING = {"deport", "expel", "extradite", "repatriate", "return", "release", "free", "hand", "transfer", "evacuate",
          "relocate", "resettle", "send"}


def _charged(tok) -> bool:
    """Whoever is accused, or accuses ("accused the army *of torture*", "accusations by the US *of
    genocide*"): the "of" phrase after them is the charge."""
    if tok.dep_ == "dobj" and lemma(tok.head) in CHARGING:
        return True
    by = tok.head if tok.dep_ == "pobj" else None
    return by is not None and by.lower_ == "by" and by.head.lemma_.lower() in CHARGES


def _restated_event(appos) -> bool:
    """"the town of Goma, an attack condemned by the UN": the event named again, not the actor."""
    return appos.pos_ == "NOUN" and bool(noun_entry(appos))


def _description(name, appos, target: bool) -> bool:
    """"Haifa, Israel's third largest city", "Gul Rahman, a suspected militant": a description
    after a name, not part of the actor's name; a person acting keeps the office that says for whom
    ("Alice Wells, a senior US state department official, met ...")."""
    if appos.pos_ == "NUM" or appos.like_num:
        return True  # "Niger's Maradi region, some 7,660 (of them)"
    if name.pos_ != "PROPN" or appos.pos_ != "NOUN" or (name.ent_type_ == "PERSON" and not target):
        return False
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") or c.dep_ == "poss" for c in appos.children)


def _where_was(tok, prep) -> bool:
    """True when ``prep`` ("in", "at") says where a person or a country was: after a person's or a
    country's name, or after an office held by a person and naming a place ("the Irish premier Leo
    Varadkar at Downing Street")."""
    if tok.pos_ == "PROPN" and tok.ent_type_ in ("PERSON", "GPE"):
        return True
    person = tok.lemma_.lower() in COUNTERPARTS or any(c.dep_ == "appos" and c.ent_type_ == "PERSON"
                                                        for c in tok.children)
    return person and any(g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC", "FAC") for g in prep.children)


def _short_participle(c) -> bool:
    """A past participle of a few words that says which ones ("the reforms taken by the Egyptian
    government"): part of the phrase, unlike a relative clause or a longer participial one. Six
    words at most: keeping every relative and participial clause lost 0.035 of target F1 on
    the first 600 sentences of the development gold; limits of 4 to 14 words scored within 0.003
    of each other on the whole file."""
    if c.dep_ != "acl" or c.tag_ != "VBN" or c.i < c.head.i:
        return False
    sub = list(c.subtree)
    return len(sub) <= 6 and not any(t.ent_type_ in ("DATE", "TIME") or t.lower_ == "ago" or t.dep_ == "punct"
                                     for t in sub)


def _time_before(c) -> bool:
    """A phrase of time the parser hung before a noun: "Hours earlier", "Yesterday", "On Friday"."""
    if c.i >= c.head.i:
        return False
    if c.dep_ == "prep":
        return _temporal(c)
    sub = list(c.subtree)
    if c.dep_ == "npadvmod":
        return all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in sub)
    return c.dep_ in ("advmod", "amod") and c.lower_ in ("earlier", "later") and any(t.dep_ == "npadvmod" for t in sub)


def _temporal(prep) -> bool:
    if prep.lower_ in TIME_PREPS:
        return True
    return any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children)


def split(head) -> list:
    """``head`` and its coordinated nouns: "the USA and NATO" -> [USA, NATO]; also "the
    leadership of America and NATO" -> [leadership (of America), NATO]."""
    out = [head]
    listed = _listed(head)
    if listed is not None:  # "The United States, India, Israel and other governments"
        out.append(listed)
        out.extend(c for c in listed.conjuncts if c.i > listed.i and c.pos_ in ("NOUN", "PROPN"))
        return out
    for c in head.conjuncts:
        if c.i > head.i and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X") and not _shares_determiner(head, c):
            out.append(c)
    if len(out) == 1 and head.lemma_.lower() in GROUP_NOUNS:
        for p in head.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for g in p.children:
                    if g.dep_ == "pobj":
                        out.extend(c for c in g.conjuncts if c.i > g.i and c.pos_ in ("NOUN", "PROPN"))
    return out


LIST_ENTS = ("GPE", "ORG", "NORP")


def _shares_determiner(head, conj) -> bool:
    """"a Cuban physician and nurse", "15 executives and suppliers of the firm": a bare common noun
    coordinated with a determined one shares its determiner, and the phrase names one group."""
    if head.pos_ != "NOUN" or conj.pos_ != "NOUN" or conj.head != head:
        return False
    if not any(c.dep_ in ("det", "nummod", "poss") for c in head.children):
        return False
    if any(c.dep_ in ("det", "poss", "nummod", "amod", "compound", "conj", "relcl", "acl") for c in conj.children):
        return False
    # but "The American side and representatives of the Alliance" name two sides
    return not _named_side(conj) or _named_side(conj) == _named_side(head)


def _listed(head):
    """The second item of a list the parser read as an apposition: in "The United States, India,
    Israel and Pakistan", India hangs on the United States as ``appos`` and the rest on India.
    Two names of states or organisations, the second coordinated further, are a list."""
    if head.pos_ != "PROPN" or head.ent_type_ not in LIST_ENTS:
        return None
    for c in head.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ in LIST_ENTS and any(
                g.dep_ == "conj" for g in c.children):
            return c
    return None


def inner_split(heads) -> bool:
    """True when ``split`` divided a group noun's "of" phrase (the first head then stops at its conjunction)."""
    return len(heads) > 1 and heads[1].head != heads[0] and not any(c == heads[1] for c in heads[0].conjuncts)


def _named_side(h) -> frozenset:
    """The names that say whose a common noun is ("*Yemeni* army", "representatives of *NATO*")."""
    words = set()
    for c in h.children:
        if c.dep_ in ("conj", "cc", "appos", "relcl", "acl"):
            continue
        words.update(t.lower_ for t in c.subtree if t.ent_type_ in ("NORP", "GPE", "ORG"))
    return frozenset(words)

