"""Event coding: who did what to whom (CAMEO and PLOVER), with negation and modality.

The ``events`` stage reads each sentence's dependency parse, finds its principal event with
the trigger lexicon and the codebook (:mod:`.rules`), reads the source and target noun phrases
from the parse (:mod:`.args`), codes them with :func:`newsevents.actors.resolve_span` and
writes :class:`~newsevents.model.Event` objects plus each sentence's ``quad_class``.

Reported speech gives two events: the reported one (``modality="reported"``, with the
``reporter``) and the speech act itself (CAMEO 010, not principal). Compound actors give one
event per source/target pair, sharing ``group`` with ``compound=True``.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left

from ..actors import mentions_in, resolve_span
from ..model import ActorRef, Document, Event, Span, span_of
from ..settings import Settings
from .args import Arguments, arguments, inner_split, np_bounds, source_of
from .codebook import lookup
from .quadmodel import backoff, load_model
from .rules import ROLE_MODALITY, Match, analyze, code_sentence

# Words that mark a sentence as sport, not politics ("United beat Chelsea", "a strike on goal").
SPORT_WORDS = {
    "match", "goal", "goals", "league", "cup", "championship", "tournament", "season", "coach", "striker",
    "midfielder", "goalkeeper", "olympic", "olympics", "medal", "semi-final", "semifinal", "final", "innings",
    "wicket", "club", "fixture", "derby", "stadium", "penalty", "scored", "score", "playoff", "playoffs", "nba",
    "nfl", "fifa", "uefa", "premier", "rugby", "cricket", "football", "soccer", "tennis", "baseball", "basketball",
}
# Sources that are weather or nature, not actors ("a storm hit", "floods killed").
NATURE = {
    "storm", "hurricane", "typhoon", "cyclone", "earthquake", "quake", "flood", "flooding", "rain", "snow", "wind",
    "winds", "wildfire", "fire", "heatwave", "tornado", "tsunami", "drought", "avalanche", "landslide", "weather",
    "temperature", "virus", "lightning", "blizzard", "eruption", "volcano", "spell", "shower", "cloud",
    "sunshine", "fog", "frost", "heat", "forecast", "gust", "hail", "monsoon", "sleet",
}
MODEL_ID = "rules-v1"
log = logging.getLogger(__name__)


class EventStage:
    """Fills ``doc.events`` and each ``Sentence.quad_class``."""

    name = "events"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.model = load_model(settings.events_model)

    def __call__(self, doc: Document) -> Document:
        if doc.parse is None or not doc.sentences:
            return doc
        doc.events = []
        unsure = []  # (sentence, its principal event or None) where the rules found little
        for sentence in doc.sentences:
            sent = doc.parse.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if sent is None or len(sent) > self.settings.max_sentence_tokens:
                continue
            try:
                events = code_span(doc, sent, sentence.index, len(doc.events))
            except Exception:  # one odd parse must not cost a corpus run its article
                log.warning("events: sentence %d of %s not coded", sentence.index, doc.article.source, exc_info=True)
                continue
            principal = next((e for e in events if e.principal), None)
            if principal is not None:
                sentence.quad_class = 0 if principal.negated else principal.quad_class
                if "/fallback:" in principal.rule or bare_report(principal):
                    unsure.append((sentence, principal))
            elif names_an_actor(sent):
                unsure.append((sentence, None))
            # who did what to whom: an act with neither source nor target names no one; it still
            # classes the sentence ("... not the main goal of the consultations")
            events = [e for e in events if e.source is not None or e.target is not None]
            if events and not any(e.principal for e in events):
                events[0].principal = True
            for k, e in enumerate(events):
                e.id = f"e{len(doc.events) + k + 1}"
            doc.events.extend(events)
        if unsure and self.model is not None:
            self.consult_model(unsure)
        link_quotes(doc)
        return doc

    def consult_model(self, unsure: list) -> None:
        """Sentence quad classes from the model where the rules were unsure (no trigger, a
        fallback trigger, or a report of something uncoded) and it is confident; an event the
        model contradicts keeps its code but loses confidence."""
        probs = self.model.predict([s.text for s, _ in unsure])
        for (sentence, principal), p in zip(unsure, probs):
            quad, used = backoff(sentence.quad_class, p)
            if used:
                sentence.quad_class = quad
                if principal is not None:
                    principal.confidence = round(principal.confidence / 2, 2)


def code_span(doc: Document, sent, index: int, first_id: int = 0, secondary: bool = True) -> list[Event]:
    """Events of one sentence (a spaCy Span over ``doc.parse``); the first is principal.

    Besides the principal event: the speech act of a speaker-first report, and the events of
    predicates coordinated with the principal one ("calls the demands unacceptable and raises
    the question of ...").
    """
    if sent.text.rstrip().rstrip('"”’\'').endswith("?"):
        return []  # a question reports no act ("Will the United States participate ...?")
    m = code_sentence(sent)
    if m is None or not political(sent, m):
        return []
    sentence = _trim(span_of(doc.article.body, sent.start_char, sent.end_char), doc.article.body)
    args = arguments(m)
    out = events_of(doc, m, args, sentence, index, first_id, principal=True)
    if args.reported and args.reporter is not None and _speaker_first(m):
        out.append(speech_act(doc, m, args, sentence, index, first_id + len(out) + 1))
    if secondary:
        for other in coordinated(m):
            other_args = arguments(other)
            # only a different kind of act, aimed at someone: "... and raises the question of ..."
            if political(sent, other) and other.code[:2] != m.code[:2] and other_args.targets:
                out.extend(events_of(doc, other, other_args, sentence, index, first_id + len(out), principal=False))
    return out


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
    compound = len(pairs) > 1 or args.reciprocal
    group = f"g{index}.{first_id}" if compound else None
    out = []
    for s, t in pairs:
        out.append(Event(
            id=f"e{first_id + len(out) + 1}", sentence=sentence, trigger=trigger,
            source=_ref(doc, s, joined=args.reciprocal, cut_inner_conj=cut_first and s == args.sources[0]),
            target=_ref(doc, t, cut_inner_conj=t is not None and inner_split(args.targets) and t == args.targets[0]),
            cameo=code.code, cameo_root=code.root, cameo_name=code.name, plover=code.plover,
            plover_mode=code.plover_mode, quad_class=code.quad_class, goldstein=code.goldstein,
            negated=final.negated or m.negated, modality=modality, reporter=reporter, confidence=round(confidence, 2),
            rule=f"{MODEL_ID}/{m.rule}", principal=principal and not out, compound=compound, group=group,
            sentence_index=index,
        ))
    return out


SCORE = re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}\b(?!\s?(?:year|month|day|week|hour|percent|%))")


def sporting(sent) -> bool:
    """Sport: its vocabulary ("league", "striker") or a score ("beat Chelsea 2-1")."""
    return bool({t.lower_ for t in sent} & SPORT_WORDS) or bool(SCORE.search(sent.text))


def bare_report(e: Event) -> bool:
    """"X said ..." where nothing in what was said is coded: the rules only know it was said."""
    return e.cameo == "010" and ":report:" in e.rule


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


def political(sent, m: Match) -> bool:
    """False for sport and weather sentences that happen to use conflict verbs."""
    if m.code[:2] >= "11" and sporting(sent):
        return False
    src = source_of(m)
    return not (src is not None and src.lemma_.lower() in NATURE)


def last(m: Match) -> Match:
    """The innermost match of the chain (the reported or embedded event itself)."""
    node = m
    while node.content is not None and node.role in ("report", "light", "aspect"):
        node = node.content
    return node


def event_modality(m: Match, args: Arguments) -> str:
    roles = [n.role for n in m.chain()]
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
    speech = next(node for node in m.chain() if node.role == "report")
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
                if e.modality in ("asserted", "future"):
                    e.modality = "reported"


def _pairs(args: Arguments) -> list[tuple]:
    sources = args.sources or [None]
    targets = args.targets or [None]
    return [(s, t) for s in sources for t in targets]


def _ref(doc: Document, head, joined: bool = False, cut_inner_conj: bool = False) -> ActorRef | None:
    """The ActorRef of the noun phrase headed by ``head``; ``joined`` takes its coordinated
    nouns along ("India and Pakistan") and then leaves the code empty unless one actor is named."""
    if head is None:
        return None
    start, end = np_bounds(head, cut_time=head.dep_ in ("nsubj", "nsubjpass"), cut_inner_conj=cut_inner_conj)
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
