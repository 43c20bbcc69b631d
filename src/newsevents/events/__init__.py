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

from ..actors import mentions_in, resolve_span
from ..model import ActorRef, Document, Event, Span, span_of
from ..settings import Settings
from .args import Arguments, arguments, np_bounds, source_of
from .codebook import lookup
from .rules import ROLE_MODALITY, Match, code_sentence

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


class EventStage:
    """Fills ``doc.events`` and each ``Sentence.quad_class``."""

    name = "events"

    def __init__(self, settings: Settings):
        self.settings = settings

    def __call__(self, doc: Document) -> Document:
        if doc.parse is None or not doc.sentences:
            return doc
        doc.events = []
        for sentence in doc.sentences:
            sent = doc.parse.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if sent is None or len(sent) > self.settings.max_sentence_tokens:
                continue
            events = code_span(doc, sent, sentence.index, len(doc.events))
            doc.events.extend(events)
            principal = next((e for e in events if e.principal), None)
            if principal is not None:
                sentence.quad_class = 0 if principal.negated else principal.quad_class
        link_quotes(doc)
        return doc


def code_span(doc: Document, sent, index: int, first_id: int = 0) -> list[Event]:
    """Events of one sentence (a spaCy Span over ``doc.parse``); the first is principal."""
    m = code_sentence(sent)
    if m is None or not political(sent, m):
        return []
    args = arguments(m)
    sentence = span_of(doc.article.body, sent.start_char, sent.end_char)
    sentence = _trim(sentence, doc.article.body)
    final = last(m, args)
    trigger = trigger_span(doc, m, final)
    modality = event_modality(m, args)
    reporter = _ref(doc, args.reporter) if args.reporter is not None else None
    code = lookup(m.code)
    confidence = 0.7 if m.rule.startswith("main:") else 0.5
    if not args.sources:
        confidence -= 0.2
    pairs = _pairs(args)
    compound = len(pairs) > 1 or args.reciprocal
    group = f"g{index}.{first_id}" if compound else None
    out = []
    for k, (s, t) in enumerate(pairs):
        out.append(Event(
            id=f"e{first_id + len(out) + 1}", sentence=sentence, trigger=trigger,
            source=_ref(doc, s, joined=args.reciprocal), target=_ref(doc, t), cameo=code.code, cameo_root=code.root, cameo_name=code.name,
            plover=code.plover, plover_mode=code.plover_mode, quad_class=code.quad_class, goldstein=code.goldstein,
            negated=final.negated or m.negated, modality=modality, reporter=reporter, confidence=round(confidence, 2),
            rule=f"{MODEL_ID}/{m.rule}", principal=k == 0, compound=compound, group=group, sentence_index=index,
        ))
    if args.reported and args.reporter is not None and _speaker_first(m):
        out.append(speech_act(doc, m, args, sentence, index, first_id + len(out) + 1))
    return out


def political(sent, m: Match) -> bool:
    """False for sport and weather sentences that happen to use conflict verbs."""
    words = {t.lower_ for t in sent}
    if m.code[:2] >= "11" and words & SPORT_WORDS:
        return False
    src = source_of(m)
    return not (src is not None and src.lemma_.lower() in NATURE)


def last(m: Match, args: Arguments) -> Match:
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
    if "cond" in modals:
        return "hypothetical"
    if args.reported:
        return "reported"
    if "future" in modals or inner == "future" or "intent" in roles:
        return "future"
    return "asserted"


def trigger_span(doc: Document, m: Match, final: Match) -> Span:
    """The trigger words: the outer predicate through the embedded one when they sit close
    ("hopes to receive"), else the outer predicate with its particle ("calls on")."""
    toks = [m.trigger, *m.extra]
    if m.role not in ("report", "") and final is not m and final.trigger is not None:
        if abs(final.trigger.i - m.trigger.i) <= 3:
            toks.append(final.trigger)
    if m.role in ("report", "light", "aspect") and final is not m:
        toks = [final.trigger, *final.extra]
        if final.noun is not None and abs(final.noun.i - final.trigger.i) <= 3:
            toks.append(final.noun)
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
    for qi, q in enumerate(doc.quotes):
        for e in doc.events:
            inside = q.content.start <= e.trigger.start and e.trigger.end <= q.content.end
            cue = q.cue is not None and q.cue.start <= e.trigger.start < q.cue.end
            if not (inside or cue):
                continue
            e.quote = qi
            if e.id not in q.events:
                q.events.append(e.id)
            if inside and e.reporter is None and q.speaker is not None:
                e.reporter = q.speaker
                if e.modality in ("asserted", "future"):
                    e.modality = "reported"


def _pairs(args: Arguments) -> list[tuple]:
    sources = args.sources or [None]
    targets = args.targets or [None]
    return [(s, t) for s in sources for t in targets]


def _ref(doc: Document, head, joined: bool = False) -> ActorRef | None:
    """The ActorRef of the noun phrase headed by ``head``; ``joined`` takes its coordinated
    nouns along ("India and Pakistan") and then leaves the code empty unless one actor is named."""
    if head is None:
        return None
    start, end = np_bounds(head, cut_time=head.dep_ in ("nsubj", "nsubjpass"))
    if joined:
        end = max(end, *(np_bounds(c)[1] for c in head.conjuncts if c.i > head.i))
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
