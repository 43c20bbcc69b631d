"""The learned source/target span tagger: a linear-chain CRF that reads a sentence's parse and
the rules' own reading of it (their sources, targets and trigger) and tags each token as part of
an event's source (S), target (T) or neither, in BIO form.

The rules (:mod:`.args`, :mod:`.spans`) were refined on the ConfliBERT development file and
their spans do not carry over to other text as well (issue 24: targets are the weak role). The
CRF learns where to trust them and where to correct them from all our span gold (the ConfliBERT
NER file and PLV's marked dyads; :mod:`.spantrain`). Its features are the parse's (tag,
dependency, entity type, the dependency through which a token hangs from the trigger, its side
of the trigger), the actor dictionary's mentions and the rules' tags; the words themselves are
left out on purpose, so that it learns the shape of a phrase, not the development file's
wording.

:func:`reconcile` applies the tags to the events the rules coded: a rule span that a tagged span
of its role overlaps takes the tagged span's bounds; a role the rules left empty, or filled with
a phrase the tagger does not tag, takes a tagged span no event uses. Weights ship in
``data/events/spans/`` (``newsevents train spans``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data import data_path

MODEL_ID = "evspans-v1"
MODEL_FILE = "spans.crfsuite"
PROVENANCE_FILE = "spans.json"
ROLES = ("S", "T")
LABELS = ("O", "B-S", "I-S", "B-T", "I-T")
#: Dependencies that lead from a token up to the predicate it is an argument of.
_ARM_STOP = 12


@dataclass
class _Arrays:
    """Per-token attributes read once per parse (reading a spaCy Token costs)."""

    low: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    ent: list[str]
    iob: list[str]
    shape: list[str]


def token_arrays(parse) -> _Arrays:
    """The parse's token attributes as lists of strings: one ``Doc.to_array`` call and one string
    lookup per distinct value (reading a Token object per word per attribute costs)."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LOWER, POS, SHAPE, TAG

    n = len(parse)
    if not n:
        return _Arrays([], [], [], [], [], [], [], [])
    cols = parse.to_array([LOWER, POS, TAG, DEP, HEAD, ENT_TYPE, ENT_IOB, SHAPE]).T.tolist()
    strings = parse.vocab.strings

    def named(col: list[int], cut: int | None = None) -> list[str]:
        names = {h: (strings[h] if h else "")[:cut] for h in set(col)}
        return [names[h] for h in col]

    head = [i + (h if h < 2 ** 63 else h - 2 ** 64) for i, h in enumerate(cols[4])]
    iob = ["BIO"[v - 1] if v in (1, 2, 3) else "O" for v in cols[6]]
    return _Arrays(named(cols[0]), named(cols[1]), named(cols[2]), named(cols[3]), head, named(cols[5]), iob,
                   named(cols[7], 4))


def bio(n: int, spans: list[tuple[str, int, int]], offset: int = 0) -> list[str]:
    """BIO tags over ``n`` tokens of ``spans`` (role, start, end) given in tokens of the parse,
    ``offset`` being the first token; a target wins over a source it overlaps."""
    tags = ["O"] * n
    for role, a, b in sorted(spans, key=lambda s: s[0] == "T"):
        for i in range(max(a, offset), min(b, offset + n)):
            tags[i - offset] = ("B-" if i == a else "I-") + role
    return tags


def _arm(ar: _Arrays, i: int, triggers: set[int]) -> tuple[str, int] | None:
    """The dependency (and the preposition, for a prepositional object) through which token
    ``i``'s phrase hangs from a trigger, with the trigger's index: "nsubj", "dobj", "pobj:against"."""
    j = i
    for _ in range(_ARM_STOP):
        h = ar.head[j]
        if h == j:
            return None
        if h in triggers:
            return ar.dep[j] + (":" + ar.low[j] if ar.dep[j] == "prep" else ""), h
        if ar.dep[j] == "pobj" and ar.head[h] in triggers:
            return "pobj:" + ar.low[h], ar.head[h]
        j = h
    return None


def sentence_features(parse, start: int, end: int, rule_spans: list[tuple[str, int, int]], triggers: set[int],
                      mentions: list[tuple[int, int]], ar: _Arrays | None = None) -> list[list[str]]:
    """CRF features of the tokens ``[start, end)``: ``rule_spans`` the rules' sources and targets
    (role, start, end token), ``triggers`` the tokens of their events' triggers, ``mentions``
    the actor dictionary's mentions (start, end token)."""
    ar = ar or token_arrays(parse)
    n = end - start
    rules = bio(n, rule_spans, start)
    in_mention = ["O"] * n
    for a, b in mentions:
        for i in range(max(a, start), min(b, end)):
            in_mention[i - start] = "B" if i == a else "I"
    first_trigger = min(triggers) if triggers else None
    out = []
    for k in range(n):
        i = start + k
        dep, pos = ar.dep[i], ar.pos[i]
        h = ar.head[i]
        f = ["b", "p=" + pos, "t=" + ar.tag[i], "d=" + dep, "dh=" + dep + "|" + ar.pos[h], "hd=" + ar.dep[h],
             "e=" + ar.iob[i] + ar.ent[i], "sh=" + ar.shape[i], "r=" + rules[k], "m=" + in_mention[k],
             "rm=" + rules[k] + in_mention[k]]
        if ar.low[i] in _FUNCTION_WORDS:
            f.append("w=" + ar.low[i])
        if i in triggers:
            f.append("trig")
        if first_trigger is not None:
            f.append("side=" + ("<" if i < first_trigger else ">" if i > first_trigger else "="))
        arm = _arm(ar, i, triggers)
        if arm is not None:
            f += ["arm=" + arm[0], "armr=" + arm[0] + "|" + rules[k]]
            if ar.head[i] == arm[1]:
                f.append("argh")  # the argument's head itself
        if h in triggers:
            f.append("ht")
        for d, name in ((-2, "-2"), (-1, "-1"), (1, "+1"), (2, "+2")):
            j = k + d
            if 0 <= j < n:
                f += [f"p{name}=" + ar.pos[start + j], f"r{name}=" + rules[j]]
                if d in (-1, 1):
                    f += [f"d{name}=" + ar.dep[start + j], f"m{name}=" + in_mention[j]]
                    if ar.low[start + j] in _FUNCTION_WORDS:
                        f.append(f"w{name}=" + ar.low[start + j])
            else:
                f.append(f"edge{name}")
        out.append(f)
    return out


#: Words that shape a phrase's bounds whatever the text is about (determiners, prepositions,
#: conjunctions, punctuation, relative pronouns): the only words the CRF sees.
_FUNCTION_WORDS = {
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by", "with", "against", "and", "or", "but",
    ",", ".", "'s", "’s", "'", "’", "(", ")", "-", "who", "which", "that", "whose", "its", "their", "his", "her",
    "both", "all", "some", "other", "several", "over", "into", "after", "before", "during", "as", "about",
}


def spans_of(tags: list[str], offset: int = 0) -> list[tuple[str, int, int]]:
    """(role, start, end) token spans of BIO ``tags`` (an I- after O starts a span)."""
    out, cur = [], None
    for k, t in enumerate([*tags, "O"]):
        role = None if t == "O" else t[2:]
        if cur is not None and (role is None or t.startswith("B-") or role != cur[0]):
            out.append((cur[0], cur[1] + offset, k + offset))
            cur = None
        if role is not None and cur is None:
            cur = (role, k)
    return out


#: Parts of speech a phrase neither starts nor ends with (a tagged span that does ran into a verb,
#: a preposition or a conjunction: "President Trump called", "the gunmen in").
_EDGE_POS = {"VERB", "AUX", "ADP", "CCONJ", "SCONJ", "PUNCT", "PART"}
_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}


def well_formed(tagged: list[tuple[str, int, int]], pos: list[str], offset: int = 0) -> list[tuple[str, int, int]]:
    """The tagged spans that look like a noun phrase: one with a noun, a name, a pronoun or a
    number, starting and ending with none of ``_EDGE_POS`` (``pos`` from token ``offset``)."""
    out = []
    for r, a, b in tagged:
        p = pos[a - offset:b - offset]
        if p and p[0] not in _EDGE_POS and p[-1] not in _EDGE_POS and any(x in _NOMINAL for x in p):
            out.append((r, a, b))
    return out


class SpanTagger:
    """The CRF with its tagger; :meth:`tag` labels one sentence."""

    def __init__(self, path: str | Path):
        import pycrfsuite

        self.path = Path(path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(self.path))

    def tag(self, features: list[list[str]]) -> list[str]:
        return self.tagger.tag(features) if features else []


def model_dir(path: str | None = None) -> Path:
    return Path(path) if path else data_path("events", "spans")


def present(path: str | None = None) -> bool:
    return (model_dir(path) / MODEL_FILE).is_file()


@lru_cache(maxsize=4)
def load_tagger(path: str = "") -> SpanTagger:
    return SpanTagger(model_dir(path or None) / MODEL_FILE)


# ---------------------------------------------------------------------------------------------
# reconciling the tags with the rules' events


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def reconcile(rule_pairs: list[tuple[tuple[int, int] | None, tuple[int, int] | None]],
              tagged: list[tuple[str, int, int]], fill: bool = True) -> dict[tuple[str, tuple[int, int] | None, int], tuple[int, int] | None]:
    """How the tags change the rules' spans in one sentence.

    ``rule_pairs``: each event's (source, target) token span (None: empty role); ``tagged``: the
    CRF's (role, start, end) spans. Returns a map (role, old span, event index) -> new span for
    the spans that change:

    - a rule span that a tagged span of its role overlaps takes the tagged span (the one that
      overlaps it most): the bounds are the CRF's, unless the tagged span overlaps several of
      the rules' spans (a compound actor the rules split);
    - a principal (first) event's role left empty, or filled with a span the CRF tags nowhere,
      takes a tagged span of that role that no event's span overlaps (the first in the sentence);
      not with ``fill`` False (a mutual act: its other party is its counterpart, not a target).
    """
    changes: dict = {}
    by_role = {r: [(a, b) for role, a, b in tagged if role == r] for r in ROLES}
    used = {r: set() for r in ROLES}
    olds = {r: {pair[j] for pair in rule_pairs if pair[j] is not None} for j, r in enumerate(ROLES)}
    for k, pair in enumerate(rule_pairs):
        for r, old in zip(ROLES, pair):
            if old is None:
                continue
            best = max(by_role[r], key=lambda t: _overlap(t, old), default=None)
            if best is not None and _overlap(best, old) > 0:
                used[r].add(best)
                # one tagged span over several of the rules' ("the USA and NATO" over "the USA",
                # "NATO"): the rules split a compound actor on purpose, one event per actor
                if best != old and sum(1 for o in olds[r] if _overlap(best, o)) == 1:
                    changes[(r, old, k)] = best
    if rule_pairs and fill:
        for r_index, r in enumerate(ROLES):
            old = rule_pairs[0][r_index]
            if old is not None and (r, old, 0) in changes:
                continue
            if old is not None and any(_overlap(t, old) for t in by_role[r]):
                continue
            spare = [t for t in by_role[r] if t not in used[r] and not any(
                p is not None and _overlap(t, p) for pair in rule_pairs for p in pair)]
            if spare:
                changes[(r, old, 0)] = spare[0]
                used[r].add(spare[0])
    return changes


def token_span(parse, a: int, b: int) -> tuple[int, int] | None:
    """Token bounds of the characters [a, b) of the parse (expanded to whole tokens)."""
    span = parse.char_span(a, b, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def sentence_inputs(doc, events: list, start: int, end: int, ar: _Arrays | None = None):
    """The rules' reading of one sentence (tokens ``[start, end)``) of a coded Document:
    ``events`` its events' (source, target) token spans with the principal first, whether the
    principal's empty roles may be filled (not for a mutual act) and the CRF features."""
    parse = doc.parse
    events = sorted(events, key=lambda e: not e.principal)
    pairs, triggers, rule_spans = [], set(), []
    for e in events:
        pair = tuple(token_span(parse, r.start, r.end) if r is not None and r.end > r.start else None
                     for r in (e.source, e.target))
        pairs.append(pair)
        rule_spans += [(role, *sp) for role, sp in zip(ROLES, pair) if sp is not None]
        if e.counterpart is not None and (sp := token_span(parse, e.counterpart.start, e.counterpart.end)):
            rule_spans.append(("S", *sp))
        if e.trigger is not None and (t := token_span(parse, e.trigger.start, e.trigger.end)):
            triggers.update(range(*t))
    first, last = parse[start].idx, parse[end - 1].idx + len(parse[end - 1])
    mentions = [sp for m in doc.actors if m.end > m.start and m.start < last and m.end > first
                and (sp := token_span(parse, m.start, m.end)) is not None]
    fill = bool(events) and events[0].counterpart is None
    return pairs, fill, sentence_features(parse, start, end, rule_spans, triggers, mentions, ar)


def apply(tagger: SpanTagger, doc, sent, events: list, ar: _Arrays | None = None) -> int:
    """Tag the sentence ``sent`` (a spaCy Span) and move its ``events``' sources and targets as
    :func:`reconcile` says; a changed span is coded again (:func:`newsevents.actors.resolve_span`)
    and the event's ``rule`` gains ``+spans:<model>``. Returns how many spans changed."""
    from ..actors import resolve_span

    if not events:
        return 0
    ordered = sorted(events, key=lambda e: not e.principal)
    pairs, fill, feats = sentence_inputs(doc, ordered, sent.start, sent.end, ar)
    if ar is None:
        ar = token_arrays(doc.parse)
    tagged = well_formed(spans_of(tagger.tag(feats), sent.start), ar.pos, 0)
    changes = reconcile(pairs, tagged, fill)
    if not changes:
        return 0
    parse = doc.parse
    moved: dict[tuple[int, int], object] = {}  # old char span of a source -> its new ref (for counterparts)
    n = 0
    for (role, _old, k), (a, b) in changes.items():
        e = ordered[k]
        ref = resolve_span(doc, parse[a].idx, parse[b - 1].idx + len(parse[b - 1].text))
        old = e.source if role == "S" else e.target
        if old is not None:
            moved[(old.start, old.end)] = ref
        if role == "S":
            e.source = ref
        else:
            e.target = ref
        if "+spans:" not in e.rule:
            e.rule += f"+spans:{MODEL_ID}"
        n += 1
    for e in events:  # a mutual act's other party is its counterpart: it moves with it
        if e.counterpart is not None and (e.counterpart.start, e.counterpart.end) in moved:
            e.counterpart = moved[(e.counterpart.start, e.counterpart.end)]
    return n
