"""Event coding: who did what to whom (CAMEO and PLOVER), with negation and modality.

The ``events`` stage reads each sentence's dependency parse, finds its principal event with
the trigger lexicon and the codebook (:mod:`.rules`), reads the source and target noun phrases
from the parse (:mod:`.args`; their spans :mod:`.spans`), codes them with :func:`newsevents.actors.resolve_span` and
writes :class:`~newsevents.model.Event` objects plus each sentence's ``quad_class``.

Reported speech gives two events: the reported one (``modality="reported"``, with the
``reporter``) and the speech act itself (CAMEO 010, not principal). Compound actors give one
event per source/target pair, sharing ``group`` with ``compound=True``.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from ..actors import mentions_in, resolve_span
from ..actors.dictionary import load as load_dictionary
from ..model import ActorRef, Document, Event, Span, span_of
from ..errors import ModelError
from ..settings import Settings
from ..vocab import FIRST_PLURAL, SPEAKING_SECTORS
from .args import Arguments, arguments, source_of
from .spans import inner_split, np_bounds, split
from .words import actor_like, human
from .codebook import ROOT_QUAD, lookup
from . import spantagger, typemodel
from .quadmodel import FALLBACK_BELOW, features, load_model
from .typemodel import load_type_model
from .lexicon import lemma, lexicon
from .rules import (ROLE_MODALITY, SEIZING, VERB_OBJECT_HEADS, Match, analyze, code_sentence, negated, noun_entry,
                    participle_of, weapons_phrase)

# Words that mark a sentence as sport, not politics ("United beat Chelsea", "a strike on goal").
SPORT_WORDS = {
    "league", "championship", "tournament", "striker", "midfielder", "goalkeeper", "olympic", "olympics",
    "semi-final", "semifinal", "innings", "wicket", "playoff", "playoffs", "nba", "nfl", "fifa", "uefa", "rugby",
    "cricket", "football", "soccer", "tennis", "baseball", "basketball",
}
# words sport shares with politics ("the final rebel-held city", "a penalty", "the ruling party's
# goal"): two of them together are sport
SPORT_SHARED = {"match", "goal", "goals", "cup", "season", "coach", "medal", "final", "club", "fixture", "derby",
                "stadium", "penalty", "scored", "score", "premier", "team", "win", "beat", "striker", "champion"}
# Sources that are weather or nature, not actors ("a storm hit", "floods killed").
NATURE = {
    "storm", "hurricane", "typhoon", "cyclone", "earthquake", "quake", "flood", "flooding", "rain", "snow", "wind",
    "winds", "wildfire", "fire", "heatwave", "tornado", "tsunami", "drought", "avalanche", "landslide", "weather",
    "temperature", "virus", "lightning", "blizzard", "eruption", "volcano", "spell", "shower", "cloud",
    "sunshine", "fog", "frost", "heat", "forecast", "gust", "hail", "monsoon", "sleet",
}
MODEL_ID = "rules-v1"
MODEL_BATCH = 64  # unsure sentences (or Documents) held back to ask the embedding fallback at once
log = logging.getLogger(__name__)


class EventStage:
    """Fills ``doc.events`` and each ``Sentence.quad_class``.

    With the event type model (:mod:`.typemodel`, shipped) the rules propose and the model
    decides each event's type and its sentence's class; without it (``events_model`` pointing at
    a folder of the older quad-class model) that model classes sentences and the rules' codes stand.
    """

    name = "events"
    language_bound = True  # reads English (see pipeline.py)
    requires = ("parse", "sentences", "actors", "entities", "analysis.actors")
    # quotes are optional (events inside one are linked to it), but then come first
    assigns = ("events", "sentences.quad_class", "quotes.events")

    def __init__(self, settings: Settings, collect: bool = False):
        self.settings = settings
        self.types = self.model = None
        path = "" if settings.events_model == "shipped" else settings.events_model
        if path == "none":
            pass
        elif type_model_present(path):
            self.types = load_type_model(path)
        else:
            self.model = load_model(path)
        # candidates are built where a type model will read them (or a trainer asked for them)
        self.collect = collect or self.types is not None
        # the learned span tagger moves the rules' sources and targets before the type model reads them
        self.spans = None
        if settings.event_spans != "none":
            spans_path = "" if settings.event_spans == "shipped" else settings.event_spans
            if not spantagger.present(spans_path or None):
                raise ModelError(f"no span tagger in {spantagger.model_dir(spans_path or None)} "
                                 f"({spantagger.MODEL_FILE}); build it with `newsevents train spans`")
            self.spans = spantagger.load_tagger(spans_path)

    def __call__(self, doc: Document) -> Document:
        ask = self.code_rules(doc)
        if ask:
            self.decide(ask)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Like calling the stage on each Document, with the model asked once for the candidates
        of several Documents: the encoder runs faster on batches of similar lengths."""
        held: list[Document] = []
        ask: list = []
        for doc in docs:
            held.append(doc)
            ask.extend(self.code_rules(doc))
            if len(ask) >= MODEL_BATCH or len(held) >= MODEL_BATCH:
                yield from self._flush(held, ask)
                held, ask = [], []
        yield from self._flush(held, ask)

    def _flush(self, held: list[Document], ask: list) -> Iterator[Document]:
        if ask:
            self.decide(ask)
        yield from held

    def decide(self, ask: list) -> None:
        if self.types is not None:
            for cand, p in zip(ask, self.types.probabilities(ask)):
                typemodel.apply(cand, p)
        elif self.model is not None:
            self.ask_fallback(ask)

    def code_rules(self, doc: Document) -> list:
        """Code ``doc`` with the rules (events, sentence classes, quote links); returns what is
        left to a model: the type model's candidates, or the (sentence, principal, feature model's
        class) triples for the quad-class model's embedding fallback."""
        if doc.parse is None or not doc.sentences:
            return []
        doc.events = []
        ask = []
        arrays = None  # the parse's token attributes, read once where the span tagger needs them
        for sentence in doc.sentences:
            sent = doc.parse.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if sent is None or len(sent) > self.settings.max_sentence_tokens:
                continue
            try:
                m = sentence_match(sent)
                events = code_match(doc, sent, m, sentence.index, len(doc.events))
                if self.spans is not None and events:
                    arrays = arrays or spantagger.token_arrays(doc.parse)
                    spantagger.apply(self.spans, doc, sent, [e for e in events if kept(e)], arrays)
            except Exception:  # one odd parse must not cost a corpus run its article
                log.warning("events: sentence %d of %s not coded", sentence.index, doc.article.source, exc_info=True)
                continue
            principal = next((e for e in events if e.principal), None)
            if principal is not None:
                sentence.quad_class = 0 if principal.negated else principal.quad_class
            if self.collect and (principal is not None or names_an_actor(sent)):
                ask.extend(candidates(doc, sentence, sent, m, events))
            elif self.model is not None and (principal is not None or names_an_actor(sent)):
                self.classify(sentence, sent, m, principal, ask)
            events = [e for e in events if kept(e)]
            if events and not any(e.principal for e in events):
                events[0].principal = True
            for k, e in enumerate(events):
                e.id = f"e{len(doc.events) + k + 1}"
            doc.events.extend(events)
        link_quotes(doc)
        return ask

    def classify(self, sentence, sent, m: Match | None, principal: Event | None, ask: list) -> None:
        """The sentence's quad class is the model's estimate; where the rules were unsure and so
        is the model, the embedding fallback (if installed) is asked, in batches (see :meth:`pipe`).
        A negated act classes its sentence neutral by rule: the gold has no negated event to learn
        that from."""
        if principal is not None and principal.negated:
            return
        quad, p = self.model.classify(features(sent, m))
        if self.model.fallback is not None and p < FALLBACK_BELOW and unsure(principal):
            ask.append((sentence, principal, quad))
        else:
            settle(sentence, principal, quad)

    def ask_fallback(self, ask: list) -> None:
        probs = self.model.fallback.predict([s.text for s, _, _ in ask])
        for (sentence, principal, quad), p in zip(ask, probs):
            best = max(range(len(p)), key=p.__getitem__)
            settle(sentence, principal, best if p[best] >= 0.5 else quad)


HAPPENINGS = {"14", "17", "18", "19", "20"}
HAPPENING_CODES = {"057", "0871"}  # an agreement signed, a ceasefire declared


def happening(e: Event) -> bool:
    """A protest, coercion, violence or agreement that happened, whoever's it was ("the peace
    agreement was signed in the capital")."""
    return (e.cameo_root in HAPPENINGS or e.cameo in HAPPENING_CODES) and not e.negated


def kept(e: Event) -> bool:
    """Who did what to whom: an act with neither source nor target names no one and is not
    emitted; it still classes the sentence ("... not the main goal of the consultations"). A
    protest or violence is news without them ("protests erupted in several cities"), and so is
    an act reported beside the principal one."""
    return e.source is not None or e.target is not None or happening(e) or "/also:" in e.rule


def candidates(doc: Document, sentence, sent, m: Match | None, events: list[Event]) -> list[typemodel.Candidate]:
    """What the type model decides in one sentence: the principal event the rules proposed, each
    of its source/target pairs (the sentence's class goes with the first), or the sentence itself
    when they proposed none. Spans are character offsets within the sentence text."""
    text = doc.article.body[sentence.start:sentence.end]
    feats = features(sent, m)
    vectors = typemodel.token_vectors(sent, sentence.start)  # the parse computed them: free

    def local(span) -> tuple[int, int] | None:
        return None if span is None else (span.start - sentence.start, span.end - sentence.start)

    if not events:
        return [typemodel.Candidate(text, {**feats, **typemodel.event_features(None)}, sentence=sentence,
                                    vectors=vectors)]
    # the principal act and its other source/target pairs; a coordinated act or a meeting the
    # subject took part in keeps the rules' code: the model reads the sentence as one act
    # (it recoded "... at the talks with Russia" as the sentence's statement)
    trigger = next((e.trigger for e in events if e.principal), events[0].trigger)
    return [typemodel.Candidate(text, {**feats, **typemodel.event_features(e)},
                                {"source": local(e.source), "target": local(e.target), "trigger": local(e.trigger)},
                                event=e, sentence=sentence if e.principal else None, vectors=vectors)
            for e in events if (e.trigger.start, e.trigger.end) == (trigger.start, trigger.end)]


def settle(sentence, principal: Event | None, quad: int) -> None:
    """The sentence takes the model's class; the principal event keeps its codebook code but
    loses half its confidence where the two disagree."""
    sentence.quad_class = quad
    if principal is not None and quad != (0 if principal.negated else principal.quad_class):
        principal.confidence = round(principal.confidence / 2, 2)


def unsure(principal: Event | None) -> bool:
    """The rules found no trigger, only one far from the root, or a report of something uncoded."""
    if principal is None:
        return True
    return "/fallback:" in principal.rule or (principal.cameo == "010" and ":report:" in principal.rule)


def type_model_present(path: str) -> bool:
    return typemodel.present(typemodel.model_dir(path or None))


def sentence_match(sent) -> Match | None:
    """The rules' principal match of a sentence; None for a question, which reports no act
    ("Will the United States participate ...?")."""
    if _is_question(sent):
        return None
    return code_sentence(sent)


def _is_question(sent) -> bool:
    """Whether ``sent`` ends with "?" before closing quotes, read from its last tokens only
    (Span.text would make a Token of every word of every sentence)."""
    tail = ""
    for i in range(len(sent) - 1, -1, -1):
        tail = sent[i].text_with_ws + tail
        bare = tail.rstrip().rstrip('"”’\'')
        if bare:
            return bare.endswith("?")
    return False


def code_span(doc: Document, sent, index: int, first_id: int = 0, secondary: bool = True) -> list[Event]:
    """Events of one sentence (a spaCy Span over ``doc.parse``); the first is principal.

    Besides the principal event: the speech act of a speaker-first report, and the events of
    predicates coordinated with the principal one ("calls the demands unacceptable and raises
    the question of ...").
    """
    return code_match(doc, sent, sentence_match(sent), index, first_id, secondary)


def code_match(doc: Document, sent, m: Match | None, index: int, first_id: int = 0, secondary: bool = True) -> list[Event]:
    """:func:`code_span` for a sentence whose principal match the caller already has."""
    if m is None or not political(sent, m):
        return []
    sentence = _trim(span_of(doc.article.body, sent.start_char, sent.end_char), doc.article.body)
    args = arguments(m)
    if not args.sources:
        m, args = _agent_clause(m, args)
    m = _purpose(m)  # after the arguments: whom the investigators were sent to is the target
    out = events_of(doc, m, args, sentence, index, first_id, principal=True)
    if args.reported and args.reporter is not None and _speaker_first(m):
        out.append(speech_act(doc, m, args, sentence, index, first_id + len(out) + 1))
    if secondary:
        for other in coordinated(m):
            other_args = arguments(other)
            # only a different kind of act, aimed at someone: "... and raises the question of ..."
            if political(sent, other) and other.code[:2] != m.code[:2] and other_args.targets:
                out.extend(events_of(doc, other, other_args, sentence, index, first_id + len(out), principal=False))
        meeting = participation(m, args)
        if meeting is not None:
            out.extend(events_of(doc, *meeting, sentence, index, first_id + len(out), principal=False))
        for other, other_args in other_acts(sent, m, out):
            out.extend(events_of(doc, other, other_args, sentence, index, first_id + len(out), principal=False))
    return out


# The kinds of act a sentence may report beside its principal one, each as an event of its own:
# a protest and the force used against it, a killing and the arrests after it, an agreement
# reached at talks. Statements, appeals, comments and the other verbal kinds stay with the
# principal event: a report frames the sentence rather than happening beside it.
OTHER_ROOTS = {"04", "14", "15", "17", "18", "19", "20"}
OTHER_CODES = {"057", "0871"}  # an agreement signed, a ceasefire declared
# people named by their protest: "fired tear gas at protesters" reports a protest too
PROTESTERS = {"protester", "protestor", "demonstrator", "marcher", "striker", "rioter", "picketer", "picket"}
OTHER_AT_MOST = 3  # events per sentence besides the principal chain's, the first of each PLOVER type


class _Heads:
    """Words that can head a lexicon entry, built on first use: a cheap test before the parse is
    walked (``other_acts`` looks at every word of every sentence)."""

    def __init__(self, build):
        self.build, self.words = build, None

    def __contains__(self, word: str) -> bool:
        if self.words is None:
            self.words = self.build()
        return word in self.words


def _verb_heads() -> frozenset[str]:
    lex = lexicon()
    return frozenset({k.split()[0] for k in lex.verbs} | {k.split()[0] for k, _ in lex.verb_objects})


def _noun_heads() -> frozenset[str]:
    from .rules import GENERIC_EVENT_HEADS

    words = set(GENERIC_EVENT_HEADS) | PROTESTERS
    for k in lexicon().nouns:
        parts = k.split()
        words.add(parts[0] if " of " in k else parts[-1])
        words.add(parts[-1].split("-")[-1])  # "sit-in" is split at the hyphen: its head reads "in"
    return frozenset(words)


VERB_HEADS = _Heads(_verb_heads)
NOUN_HEADS = _Heads(_noun_heads)


def other_acts(sent, m: Match, coded: list[Event]) -> list[tuple[Match, Arguments]]:
    """Acts of the kinds in ``OTHER_ROOTS`` that the sentence reports outside the chain of its
    principal event ``m`` (and of the events ``coded`` already), one per PLOVER type not coded
    yet: verbs in subordinate clauses ("when security forces opened fire"), event nouns ("a
    protest against fuel prices turned violent"), participles ("the seized weapons") and the
    protesters an act was aimed at."""
    lex = lexicon()
    used = {n.trigger.i for n in m.chain()} | {n.noun.i for n in m.chain() if n.noun is not None}
    used |= {t.i for n in m.chain() for t in n.extra}
    for e in coded:  # the coordinated acts and meetings coded beside the principal one
        used |= {t.i for t in sent if e.trigger.start <= t.idx < e.trigger.end}
    kinds = {e.plover for e in coded if e.plover}
    kinds |= {lookup(last(m).code).plover} - {""}
    out: list[Match] = []
    protest_of = None
    for t in sent:
        if t.i in used or len(out) >= OTHER_AT_MOST:
            continue
        r = None
        seized = participle_of(t) if t.dep_ in ("amod", "acl") else None
        if seized in SEIZING and weapons_phrase(t.head):
            # "the seized weapons", "an explosive device found outside the court"
            r = Match(SEIZING[seized], trigger=t, pred=t, noun=t.head, key=f"{seized} weapon",
                      rule=f"event:{seized} weapon", base=SEIZING[seized])
        elif t.pos_ in ("VERB", "AUX") and lemma(t) in VERB_HEADS:
            r = analyze(t, 0, set(used))
        elif t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod") and (
                t.lemma_.lower() in NOUN_HEADS or t.lower_ in NOUN_HEADS):
            if t.lemma_.lower() in PROTESTERS and protest_of is None:
                protest_of = t
                continue
            if topic_of(t, used):
                continue
            ne = noun_entry(t)
            if ne is not None and ne[0].code and not ne[0].role:
                r = Match(ne[0].code, trigger=t, pred=t, noun=t, key=ne[0].key, rule=f"event:{ne[0].key}",
                          negated=negated(t), base=ne[0].code)
        if r is None or r.negated or (r.role == "light" and r.content is None) or not factual(t):
            continue
        inner = last(r)
        if inner.negated or not (inner.code[:2] in OTHER_ROOTS or inner.code in OTHER_CODES):
            continue
        plover = lookup(inner.code).plover
        if not plover or plover in kinds or not political(sent, r):
            continue
        kinds.add(plover)
        used |= {n.trigger.i for n in r.chain()} | {n.noun.i for n in r.chain() if n.noun is not None}
        r.rule = "also:" + r.rule
        # the act and its kind, not who did it to whom: read outside the principal clause, the
        # arguments were right about half the time on the ConfliBERT NER sentences (and cost
        # 0.015 exact span F1 there), so they are left to the source/target span tagger
        out.append((r, Arguments()))
    if protest_of is not None and "PROTEST" not in kinds and len(out) < OTHER_AT_MOST:
        # the protesters' own act: who protests is its source
        out.append((Match("140", trigger=protest_of, pred=protest_of, key=protest_of.lemma_.lower(),
                          rule=f"also:protesters:{protest_of.lemma_.lower()}", base="140"),
                    Arguments(sources=split(protest_of))))
    return out


# prepositions that set a noun's act beside another one: "arrested 40 during a demonstration"
SETTING_PREPS = {"during", "amid", "in", "at", "after", "following", "before", "since", "despite", "over", "as"}


def topic_of(noun, used: set[int]) -> bool:
    """An event noun that is what a coded act is about, not another act: "condemned *the
    attack*", "denounce the *arrest* of students" (which the article reports elsewhere)."""
    head = noun.head
    if noun.dep_ == "pobj":
        if head.lower_ in SETTING_PREPS:
            return False
        head = head.head
    elif noun.dep_ not in ("dobj", "attr", "nsubjpass", "conj", "appos"):
        return False
    return head.i in used


# roles under which an act is not reported as having happened: refused, denied, demanded,
# intended, threatened, hoped for, considered, attempted, allowed or ordered (one that ended did)
UNREALISED_ROLES = {"refuse", "deny", "appeal", "demand", "intent", "threat", "warn", "hope", "consider", "attempt",
                    "future", "order", "allow"}
UNREALISED_MODALS = {"will", "would", "could", "may", "might", "should", "must", "can", "shall", "'ll", "wo", "ca"}
# an accusation (CAMEO 112: accuse, allege, blame) says an act is alleged, not that it happened:
# "Russia accused Ukraine of shelling villages" is one event, the accusation
ALLEGING = "112"


def factual(t) -> bool:
    """Whether the act of ``t`` is reported as having happened: no negation, modal, "to"
    infinitive or governing verb or noun of refusal, demand, intent, accusation or the like on
    the way from ``t`` to the root ("rejected holding talks", "called for protests", "to disperse")."""
    lex = lexicon()
    node, steps = t, 0
    while steps < 12:
        steps += 1
        if negated(node):
            return False
        for c in node.children:
            if c.dep_ in ("aux", "auxpass") and (c.lower_ in UNREALISED_MODALS or c.lower_ == "to"):
                return False
        if node is not t:
            entry = lex.verbs.get(lemma(node)) if node.pos_ in ("VERB", "AUX") else lex.nouns.get(node.lemma_.lower())
            if entry is not None and (entry.role in UNREALISED_ROLES or (entry.code or "").startswith(ALLEGING)):
                return False
        if node.head is node:
            return True
        node = node.head
    return True


def _own_source(noun):
    """Whose act an event noun names by itself: its possessor, "by" phrase or nationality."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
        if c.dep_ == "prep" and c.lower_ == "by":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return next((c for c in noun.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")
                 and c.i < noun.i), None)


# "at the talks with X", "during a meeting with X": where the subject's act took place
_SETTING_PREPS = {"at", "during", "in"}
MEETINGS = {"040", "044", "046"}


def participation(m: Match, args: Arguments) -> tuple[Match, Arguments] | None:
    """"confirmed their position at the talks with the Russian Federation": whoever acted at
    talks with someone took part in them, a consultation between the actor and that party."""
    if not args.sources:
        return None
    for node in m.chain():
        # the parser may hang the setting on the object: "confirmed [their position at the talks]"
        heads = [node.trigger, *(c for c in node.trigger.children if c.dep_ == "dobj")]
        for prep in (c for h in heads for c in h.children):
            if prep.dep_ != "prep" or prep.lower_ not in _SETTING_PREPS:
                continue
            for noun in prep.children:
                entry = noun_entry(noun) if noun.dep_ == "pobj" else None
                if entry is None or entry[0].code not in MEETINGS:
                    continue
                parties = [g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("with", "between")
                           for g in c.children if g.dep_ == "pobj" and actor_like(g)]
                if parties and all(p.i not in {s.i for s in args.sources} for p in parties):
                    talks = Match(entry[0].code, trigger=noun, pred=node.trigger, key=entry[0].key, noun=noun,
                                  rule=f"participation:{entry[0].key}", base=entry[0].code)
                    return talks, Arguments(sources=list(args.sources), targets=split(parties[0]))
    return None


def _purpose(m: Match) -> Match:
    """"sent a team of experts to Alabama to investigate the accident": people sent to investigate
    are an investigation (CAMEO 09) where they are sent, not a transfer of aid or a show of force."""
    node = last(m)
    if node.code[:2] not in ("07", "15") or node.content is not None:
        return m
    for c in node.trigger.children:
        if c.dep_ in ("advcl", "xcomp") and c.i > node.trigger.i:
            inner = analyze(c, 0, {node.trigger.i})
            if inner is not None and inner.code[:2] == "09":
                node.code = node.base = inner.code
                node.rule += f"+purpose:{inner.key}"
                if node is not m:
                    m.code = inner.code if m.role in ("report", "light", "aspect") else m.code
                return m
    return m


def _agent_clause(m: Match, args: Arguments) -> tuple[Match, Arguments]:
    """"At least 20 people were killed when rebels attacked a convoy": an agentless passive of
    violence whose time clause says who did what to whom; that act is the sentence's event
    (the deaths are its toll), reported as the passive was ("..., a monitor said"). Any other
    agentless passive takes its source from a clause of an act on the same side, cooperation or
    conflict ("Ajak was released after the president pardoned him": the president released him)."""
    node = last(m)
    p = node.trigger
    if not any(c.dep_ == "nsubjpass" for c in p.children):
        return m, args
    for c in (c for v in (p, *p.conjuncts) for c in v.children):
        if c.dep_ != "advcl":
            continue
        other = analyze(c, 0, {p.i})
        # the same side of the scale: cooperation (1, 2), conflict (3, 4)
        if other is None or 0 in (node.quad, other.quad) or (node.quad <= 2) != (other.quad <= 2):
            continue
        other_args = arguments(other)
        if not other_args.sources:
            continue
        if node.quad != 4:
            args.sources = other_args.sources
            return m, args
        other.rule = "main:agent-clause:" + other.rule
        other_args.reporter, other_args.reported = args.reporter, args.reported
        return other, other_args
    return m, args


def coordinated(m: Match) -> list[Match]:
    """Events of the predicates coordinated with the outermost one of ``m``."""
    used = {n.trigger.i for n in m.chain()}
    out = []
    for c in m.trigger.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i not in used:
            other = analyze(c, 0, set(used))
            if other is not None and other.trigger.i not in used:
                other.rule = "coordinated:" + other.rule
                out.append(other)
    return out


def events_of(doc: Document, m: Match, args: Arguments, sentence: Span, index: int, first_id: int,
              principal: bool) -> list[Event]:
    """One Event per source/target pair of a match."""
    final = last(m)
    trigger = trigger_span(doc, m, final)
    modality = event_modality(m, args)
    reporter = _ref(doc, args.reporter) if args.reporter is not None else None
    code = lookup(m.code)
    confidence = 0.7 if m.rule.startswith("main:") else 0.5
    if not args.sources:
        confidence -= 0.2
    pairs = _pairs(args)
    cut_first = inner_split(args.sources)
    mutual = mutual_act(m, final, args)
    compound = len(pairs) > 1 or args.reciprocal or mutual
    group = f"g{index}.{first_id}" if compound else None
    out = []
    refs = []
    for s, t in pairs:
        source = _ref(doc, s, joined=args.reciprocal, cut_inner_conj=cut_first and s == args.sources[0])
        # a party to a mutual act acts too: named as a source would be
        target = _ref(doc, t, cut_inner_conj=t is not None and inner_split(args.targets) and t == args.targets[0],
                      target=not mutual)
        if mutual:  # both parties act: each is a source, with the other as counterpart
            refs += [(source, None, target), (target, None, source)]
        else:
            refs.append((source, target, None))
    if reporter is not None:  # "we will ...", he said: the speaker's side
        refs = [tuple(speakers_side(doc, r, reporter) for r in triple) for triple in refs]
    for source, target, counterpart in refs:
        out.append(Event(
            id=f"e{first_id + len(out) + 1}", sentence=sentence, trigger=trigger,
            source=source, target=target, counterpart=counterpart,
            cameo=code.code, cameo_root=code.root, cameo_name=code.name, plover=code.plover,
            plover_mode=code.plover_mode, quad_class=code.quad_class, goldstein=code.goldstein,
            negated=final.negated or m.negated, modality=modality, reporter=reporter, confidence=round(confidence, 2),
            rule=f"{MODEL_ID}/{m.rule}" + "".join(f"+target:{name}" for name in args.target_checks),
            principal=principal and not out, compound=compound, group=group,
            sentence_index=index,
        ))
    return out


# Acts both parties do to each other (CAMEO 040 consult, 044 meet at a third location, 046
# negotiate, 057 sign an agreement): "A met B", "talks with B", "signed a deal with B" make A and
# B parties alike, not an actor and its target.
# Visits (042), hosting (043), mediation (045) and calls (041) have a direction and keep it.
MUTUAL_CODES = {"040", "044", "046", "057"}


def mutual_act(m: Match, final: Match, args: Arguments) -> bool:
    return (final.code in MUTUAL_CODES and m.code in MUTUAL_CODES and bool(args.sources) and bool(args.targets)
            and all(actor_like(t) for t in args.targets) and not args.reciprocal and not final.negated)


SCORE = re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}\b(?!\s?(?:year|month|day|week|hour|percent|%))")


def sporting(sent) -> bool:
    """Sport: its vocabulary ("league", "striker") or a score ("beat Chelsea 2-1")."""
    words = {t.lower_ for t in sent}
    return bool(words & SPORT_WORDS) or len(words & SPORT_SHARED) >= 2 or bool(SCORE.search(sent.text))


def names_an_actor(sent) -> bool:
    """A sentence worth a model verdict though no trigger was found: a clause whose verb has a
    subject, that names a country, organisation, group or person, and is not about sport or
    weather ("Syria" as a heading or "Syria has long been a crisis" are not events)."""
    root = sent.root
    if sent.text.rstrip().endswith("?"):
        return False
    if len(sent) < 6 or root.pos_ not in ("VERB",) or root.lemma_ in ("be", "have", "seem", "remain", "become"):
        return False
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        return False
    if sporting(sent) or {t.lower_ for t in sent} & NATURE:
        return False
    return any(t.ent_type_ in ("GPE", "ORG", "NORP", "PERSON") for t in sent)


# What kills or destroys in a disaster report without anyone acting: hazards, accidents, disease
# ("an explosion at a fireworks factory killed 12", "an outbreak of cholera has killed 30").
HAZARDS = NATURE | {
    "explosion", "blast", "fire", "blaze", "inferno", "outbreak", "epidemic", "pandemic", "disease", "cholera",
    "ebola", "measles", "malaria", "covid", "coronavirus", "crash", "accident", "collision", "derailment",
    "collapse", "stampede", "mudslide", "leak", "famine", "hunger", "heat", "cold", "illness", "infection",
} | {  # the vehicle of an accident: "a bus plunged into a ravine, killing 19"
    "bus", "train", "truck", "lorry", "minibus", "van", "ferry", "boat", "ship", "vessel", "tanker", "car",
    "motorcycle", "tractor", "coach",
}
# ... unless an armed act or an actor caused it ("a bomb blast", "a suicide explosion", "Israeli fire")
ARMED = {"bomb", "bomber", "suicide", "car", "ied", "rocket", "missile", "shell", "shelling", "grenade", "mortar",
         "drone", "airstrike", "strike", "attack", "gunman", "militant", "mine", "artillery", "gun", "terrorist"}


def political(sent, m: Match) -> bool:
    """False for sport and weather sentences that happen to use conflict verbs, and for violence
    with a hazard and no armed actor as its cause. (Weapons found or made safe are a coercive
    act: see :func:`.rules.seized_weapons`.)"""
    if m.code[:2] >= "11" and sporting(sent):
        return False
    if hazard(cause(m), NATURE):
        return False
    inner = last(m)
    if inner.code[:2] >= "17" and hazard(cause(inner)):
        return False
    if inner.code[:2] in VIOLENCE_ROOTS or inner.code in VIOLENCE_CODES:
        # an attack, a bombing or shelling is somebody's act ("hackers launched cyber attacks")
        armed = any(n.noun is not None and n.noun.lemma_.lower() in ARMED for n in m.chain())
        return armed or agentive(cause(inner))
    return True


def cause(m: Match):
    """What did ``m``: its source, with a relative pronoun read as what it stands for ("a fire
    *that* killed"), else what the parse or an agentless passive's setting names."""
    tok = source_of(m)
    if tok is not None and tok.lower_ in ("that", "which") and tok.head.dep_ == "relcl":
        return tok.head.head
    t = m.trigger
    if tok is None and t.dep_ == "acl" and t.head.pos_ == "NOUN":
        return t.head  # "a minibus overturned ..., killing nine": the participle hangs on the noun
    if tok is None and any(c.dep_ == "nsubjpass" for c in t.children):
        # "were killed in a gas explosion": an agentless passive whose setting is a hazard
        return next((g for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "by", "after", "during")
                     for g in c.children if g.dep_ == "pobj" and hazard(g)), None)
    return tok


# violence needs an assailant: killing, wounding, destroying (CAMEO 18-20, 1712 destroy property)
VIOLENCE_ROOTS = {"18", "19", "20"}
VIOLENCE_CODES = {"1712"}


AGENT_SUFFIXES = ("er", "or", "ist", "ant", "ent", "ian", "ee")


def agentive(tok) -> bool:
    """Whether the cause of a violent act can be an assailant: none named ("were killed"), a
    name, a pronoun, people, a role noun of the Phoenix agents dictionary ("gunmen",
    "assailants"), a weapon or an act of violence ("the attack", "fighting"); not a thing
    ("heavy snowfall", "the bus"): a disaster report names the hazard, not an actor."""
    if tok is None or tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"):
        return True
    if actor_like(tok) or human(tok):
        return True
    roles = load_dictionary().roles
    lem = tok.lemma_.lower()
    if tok.lower_ in roles or lem in roles:
        return True
    if len(lem) > 5 and lem.endswith(AGENT_SUFFIXES):  # "hackers", "looters", "extremists", "assailants"
        return True
    if any(t.lemma_.lower() in ARMED or t.ent_type_ in ("NORP", "GPE", "ORG", "PERSON") for t in tok.subtree):
        return True
    entry = noun_entry(tok)
    if entry is not None and entry[0].code and ROOT_QUAD.get(entry[0].code[:2], 0) >= 3:
        return True
    return tok.pos_ != "NOUN"


def hazard(tok, kinds: set[str] = HAZARDS) -> bool:
    """A source noun phrase naming a hazard (one of ``kinds``) with no actor or weapon in it
    ("heavy rain", not "Israeli fire")."""
    if tok is None or (tok.lemma_.lower() not in kinds and tok.lower_ not in kinds):  # "minibus": lemma "minibu"
        return False
    return not any(t.lemma_.lower() in ARMED or t.ent_type_ in ("NORP", "GPE", "ORG", "PERSON") for t in tok.subtree)


def last(m: Match) -> Match:
    """The innermost match of the chain (the reported or embedded event itself)."""
    node = m
    while node.content is not None and node.role in ("report", "light", "aspect"):
        node = node.content
    return node


def event_modality(m: Match, args: Arguments) -> str:
    # a control verb that governs nothing coded says no more than itself ("raised the issue")
    roles = [n.role for n in m.chain() if n.content is not None or n.role not in ("demand", "appeal")
             or n.code[:2] in ("02", "10")]
    inner = next((ROLE_MODALITY[r] for r in roles if r in ROLE_MODALITY and r != "intent"), None)
    modals = [n.modal for n in m.chain() if n.modal]
    if inner in ("hoped", "demanded"):
        return inner
    if "cond" in modals or ("would" in modals and not args.reported):
        return "hypothetical"
    if args.reported:
        return "reported"
    if "future" in modals or inner == "future" or "intent" in roles:
        return "future"
    return "asserted"


def trigger_span(doc: Document, m: Match, final: Match) -> Span:
    """The trigger words: the outer predicate through the embedded one when they sit close
    ("hopes to receive"), else the outer predicate with its particle ("calls on")."""
    toks = [m.trigger, *(t for t in m.extra if abs(t.i - m.trigger.i) <= 3)]
    inner = m.content if m.role not in ("report", "light", "aspect", "") else None
    if inner is not None and inner.trigger.i > m.trigger.i and inner.trigger.i - m.trigger.i <= 3:
        toks.append(inner.trigger)  # "hopes to receive", "refused to release"
    if m.role in ("report", "light", "aspect") and final is not m:
        toks = [final.trigger, *final.extra]
        if final.noun is not None and abs(final.noun.i - final.trigger.i) <= 3:
            toks.append(final.noun)
    for t in list(toks):  # "cease-fire", "air strikes": a noun trigger with its compound modifier
        if t.pos_ in ("NOUN", "PROPN"):
            toks.extend(c for c in t.lefts if c.dep_ in ("compound", "punct") and t.i - c.i <= 2)
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return span_of(doc.article.body, start, end)


def speech_act(doc: Document, m: Match, args: Arguments, sentence: Span, index: int, n: int) -> Event:
    speech = next(node for node in m.chain() if node.role == "report")
    code = lookup("010")
    verb = speech.trigger
    return Event(
        id=f"e{n}", sentence=sentence, trigger=span_of(doc.article.body, verb.idx, verb.idx + len(verb.text)),
        source=_ref(doc, args.reporter), target=None, cameo=code.code, cameo_root=code.root, cameo_name=code.name,
        plover=code.plover, plover_mode=code.plover_mode, quad_class=code.quad_class, goldstein=code.goldstein,
        confidence=0.8, rule=f"{MODEL_ID}/speech-act:{speech.key}", sentence_index=index,
    )


def _speaker_first(m: Match) -> bool:
    """True for "Peskov said Russia ...", false for a closing attribution ("..., officials said"),
    which only names the news source and is not coded as an event of its own."""
    speech = next((node for node in m.chain() if node.role == "report"), None)
    if speech is None:  # the report gave way to the act its time clause names
        return False
    return speech.content is None or speech.trigger.i < speech.content.trigger.i


def link_quotes(doc: Document) -> None:
    """Point events inside a quote (or reported by its cue) at it, and the quote at them."""
    # events by trigger start, so each quote looks only at those in its reach (all events for
    # every quote made a long article quadratic)
    order = sorted(range(len(doc.events)), key=lambda i: doc.events[i].trigger.start)
    starts = [doc.events[i].trigger.start for i in order]
    for qi, q in enumerate(doc.quotes):
        reach = [(q.content.start, q.content.end)] + ([(q.cue.start, q.cue.end)] if q.cue is not None else [])
        near = sorted({order[k] for lo, hi in reach for k in range(bisect_left(starts, lo), bisect_left(starts, hi + 1))})
        for e in (doc.events[i] for i in near):
            inside = q.content.start <= e.trigger.start and e.trigger.end <= q.content.end
            cue = q.cue is not None and q.cue.start <= e.trigger.start < q.cue.end
            if not (inside or cue):
                continue
            if e.quote is None:
                e.quote = qi
            if e.id not in q.events:
                q.events.append(e.id)
            # a direct quote's attribution may sit in another sentence; indirect speech was read
            # from the parse already ("announced a ceasefire" is the act itself, not a report)
            if inside and q.kind == "direct" and e.reporter is None and q.speaker is not None:
                e.reporter = q.speaker
                e.source, e.target, e.counterpart = (speakers_side(doc, r, q.speaker)
                                                     for r in (e.source, e.target, e.counterpart))
                if e.modality in ("asserted", "future"):
                    e.modality = "reported"


def speakers_side(doc: Document, ref: ActorRef | None, speaker: ActorRef) -> ActorRef | None:
    """A first-person plural actor ("we", "us", "our") in what someone says is the side they
    speak for: a spokesman's "we" is his government, an organisation's "we" itself. The span
    stays the pronoun; the code is the speaker's body (the article's entity for it when there is
    one), or none when the speaker speaks for no body we know."""
    if ref is None or ref.code or ref.text.lower() not in FIRST_PLURAL:
        return ref
    ent = doc.entities[speaker.entity] if speaker.entity is not None and speaker.entity < len(doc.entities) else None
    if ent is not None and ent.type != "person":
        body = ent
    elif speaker.sector in SPEAKING_SECTORS and speaker.code:  # a minister's "we" is the government
        body = next((x for x in doc.entities if x.code == speaker.code and x.type != "person"), None)
        if body is None:
            ref.code, ref.country, ref.sector = speaker.code, speaker.country, speaker.sector
            return ref
    else:
        return ref
    ref.name, ref.code, ref.country, ref.sector, ref.entity = body.name, body.code, body.country, body.sector, body.id
    return ref


def _pairs(args: Arguments) -> list[tuple]:
    sources = args.sources or [None]
    targets = args.targets or [None]
    return [(s, t) for s in sources for t in targets]


def _ref(doc: Document, head, joined: bool = False, cut_inner_conj: bool = False,
         target: bool = False) -> ActorRef | None:
    """The ActorRef of the noun phrase headed by ``head``; ``joined`` takes its coordinated
    nouns along ("India and Pakistan") and then leaves the code empty unless one actor is named;
    ``target``: the phrase of whom an act is aimed at (see :func:`.args.np_bounds`)."""
    if head is None:
        return None
    start, end = np_bounds(head, cut_time=True, cut_inner_conj=cut_inner_conj, target=target)
    if joined:
        end = max([end, *(np_bounds(c)[1] for c in head.conjuncts if c.i > head.i)])
    sent_doc = head.doc
    a = sent_doc[start].idx
    b = sent_doc[end - 1].idx + len(sent_doc[end - 1].text)
    ref = resolve_span(doc, a, b)
    if joined and len({m.code for m in mentions_in(doc, a, b) if m.code}) > 1:
        ref.code = ref.country = ref.sector = ref.entity = None
        ref.name = ""
    return ref


def _trim(span: Span, body: str) -> Span:
    start, end = span.start, span.end
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return span_of(body, start, end)


__all__ = ["EventStage", "code_span"]
