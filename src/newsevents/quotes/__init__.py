"""Quotes and attribution: who said what.

The ``quotes`` stage runs after ``actors`` and before ``events``. It puts together two readings
of the article:

- the quotation marks (:mod:`.marks`): every quoted stretch, including quotes split around their
  attribution and quotes running over several paragraphs;
- the attribution cues in the dependency parse (:mod:`.cues`): ``X said (that) ...``,
  ``according to X``, ``X called for ...``, ``X's claim that ...``.

A quoted stretch becomes a direct quote when a cue reports it (``"...", he said``, ``X said:
"..."``), when it continues a quote of the same paragraph (``"...," he said. "..."``) or when it
opens a paragraph after a quote, as speech by the same speaker. A short quoted stretch that no
cue reports ("roll back", the title's "negative") is a scare quote or a name: not a quote. Every
other cue gives an indirect (reported) quote. Speakers are coded with
:func:`newsevents.actors.resolve_span`, so a pronoun takes the entity the actor stage resolved
it to.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..actors import resolve_span
from ..model import ActorRef, Document, Quote, Span
from ..nlp import sentence_numbers
from ..settings import Settings
from .cues import Cue, find_cues, label_speaker, lexicon, put_it, speaker_of
from . import predicates, tagger, tokenhead
from .headline import headline_quotes
from .marks import Segment, paragraphs, segments
from .speakers import label_antecedent, signature, transcript_turns
from .tagger import quote_spans

#: A quoted stretch with fewer words than this and no cue is a scare quote or a title, not speech.
#: ("roll back", "negative", "Crooked Hillary"); calibrated on PolNeAR train.
MIN_SPEECH_WORDS = 4
#: How many paragraphs back a speaker carries over to an unattributed paragraph-opening quote.
CARRY_PARAGRAPHS = 2


class QuoteStage:
    """Fills ``doc.quotes`` from ``doc.parse`` (and the actor mentions, for speakers)."""

    name = "quotes"
    language_bound = True  # reads English (see pipeline.py)
    requires = ("parse", "sentences", "actors", "analysis.actors")  # speakers are coded by resolve_span
    assigns = ("quotes", "title_quotes")

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        lexicon()  # load the lexicon now, not on the first article
        self.model = self.settings.quotes_model
        if self.model != "none":  # and the learned weights
            _load_learned(self.model)

    def __call__(self, doc: Document) -> Document:
        if doc.parse is not None:
            doc.title_quotes, doc.quotes = with_headline(doc, find_quotes(doc, self.model),
                                                         lambda d: find_quotes(d, self.model))
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


class _Draft:
    """A quote being assembled, in token ranges."""

    __slots__ = ("content", "parts", "cue", "speaker", "kind", "rule", "confidence", "para", "antecedent")

    def __init__(self, content, cue, speaker, kind, rule, confidence, para, antecedent=None):
        self.antecedent = antecedent
        self.content = content
        self.parts = [content]
        self.cue = cue
        self.speaker = speaker
        self.kind = kind
        self.rule = rule
        self.confidence = confidence
        self.para = para


def find_quotes(doc: Document, model: str = "none") -> list[Quote]:
    """The quotes of a parsed Document, in text order: the rules' reading alone (``model``
    "none"), with the learned cue classifier over it ("shipped", or a folder holding
    ``predicates.json``: :mod:`.predicates`), or with the CRF tagger over it ("crf", or a folder
    holding ``attribution.crfsuite``: :mod:`.tagger`), or with the token head over the parse's
    own vectors over it ("tensor", or a folder holding ``tokenhead.npz``: :mod:`.tokenhead`), as
    ``Settings.quotes_model`` says."""
    rules = rule_quotes(doc)
    if doc.parse is None or model == "none":
        return rules
    learned = _load_learned(model)
    if isinstance(learned, predicates.Weights):
        return predicate_quotes(doc, rules, learned)
    return combine(rules, [q for q in learned_quotes(doc, rules, learned) if q.confidence >= learned.min_confidence])


def with_headline(doc: Document, quotes: list[Quote], find) -> tuple[list[Quote], list[Quote]]:
    """(the title's quotes, the body's quotes) from the body's ``quotes`` and the headline's
    (:mod:`.headline`, read by ``find`` from its own parse). A headline that opens the body
    replaces the body parse's reading of it."""
    found = headline_quotes(doc, find)
    head = doc.analysis.get("headline")
    if head is None or head.parse is None or head.in_title:
        return found, quotes
    return [], found + [q for q in quotes if q.content.start >= len(head.text)]


def _learned_kind(model: str) -> str:
    """"predicates", "crf" or "tensor": which learned reading ``model`` names."""
    if model == "shipped":
        return "predicates"
    if model in ("crf", "tensor"):
        return model
    if (Path(model) / tokenhead.WEIGHTS_FILE).is_file():
        return "tensor"
    return "predicates" if (Path(model) / predicates.WEIGHTS_FILE).is_file() else "crf"


def _load_learned(model: str):
    """The learned reading ``model`` names: predicates.Weights, tagger.Model or tokenhead.Model."""
    kind = _learned_kind(model)
    if kind == "predicates":
        return predicates.load(model)
    if kind == "tensor":
        return tokenhead.load(model)
    return tagger.load("shipped" if model == "crf" else model)


def predicate_quotes(doc: Document, rules: list[Quote], weights: predicates.Weights) -> list[Quote]:
    """The rules' quotes the cue classifier keeps, and the attributions of the predicates it
    finds that the rules did not take as cues (:mod:`.predicates`), in text order. Every quote's
    ``confidence`` is the classifier's probability for it."""
    parse = doc.parse
    body = doc.article.body
    in_quote = quoted_tokens(parse, body)
    for t in transcript_turns(parse, body, paragraphs(body)):  # a turn is speech, as a quote is
        in_quote[t.label[0]:t.span[1]] = [True] * (t.span[1] - t.label[0])
    ranges = [(q, _token_range(parse, q.content), _token_range(parse, q.cue) if q.cue else None) for q in rules]
    contents = [c for _, c, _ in ranges if c != (0, 0)]
    skip = {i for _, _, cu in ranges if cu for i in range(*cu)}
    sents = sentence_numbers(parse)
    rule_items = [(q, predicates.rule_features(parse, cu, c, q.rule, q.speaker is not None, weights.rates, in_quote,
                                               contents, sents)) for q, c, cu in ranges if c != (0, 0)]
    cands = predicates.candidates(parse, skip, in_quote, contents, weights.rates, weights.min_rate, sents)
    kept, taken = predicates.select(weights, rule_items, cands)
    out = []
    for q, p in kept:
        q.confidence = round(p, 3)
        out.append(q)
    seen = {(q.content.start, q.content.end) for q in out}
    sent_starts = [s.start for s in doc.sentences]
    for cand, p in taken:
        c = cand.cue
        content = _span(body, _chars(parse, c.content))
        if (content.start, content.end) in seen:
            continue
        seen.add((content.start, content.end))
        cue = _span(body, _chars(parse, c.cue))
        sentence = bisect_right(sent_starts, cue.start) - 1 if sent_starts else None
        kind = "direct" if _mostly_quoted(c.content, in_quote) else "indirect"
        out.append(Quote(content=content, speaker=_speaker(doc, c.speaker, c.antecedent), cue=cue, kind=kind,
                         sentence=sentence if sentence is None or sentence >= 0 else None,
                         rule=f"learned-{c.frame}", confidence=round(p, 3)))
    return sorted(out, key=lambda q: (q.content.start, q.content.end))


def combine(rules: list[Quote], learned: list[Quote]) -> list[Quote]:
    """The learned quotes, except that a direct quote the rules also found keeps the rules'
    reading (quote marks give its boundaries and split pieces better than the tagger does)."""
    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for q in learned:
        if q.kind == "direct":
            same = [r for r in rules if r.kind == "direct" and _overlap(q.content, r.content) * 2 > min(
                q.content.end - q.content.start, r.content.end - r.content.start)]
            if same:
                q = max(same, key=lambda r: _overlap(q.content, r.content))
        if (q.content.start, q.content.end) not in seen:
            seen.add((q.content.start, q.content.end))
            out.append(q)
    return out


def _overlap(x: Span, y: Span) -> int:
    return max(0, min(x.end, y.end) - max(x.start, y.start))


def rule_quotes(doc: Document) -> list[Quote]:
    """The quotes the hand-written rules find in a parsed Document, in text order."""
    parse = doc.parse
    body = doc.article.body
    if parse is None or not body.strip():
        return []
    paras = paragraphs(body)
    para_starts = [s for s, _ in paras]
    # transcript turns ('"WALLACE: ...', 'PENCE: ...'): their quote marks pair across turns, so
    # the quoted stretches that touch a turn give way to it
    turns = transcript_turns(parse, body, paras)
    turn_ranges = [(t.label[0], t.span[1]) for t in turns]
    segs = [s for s in segments(body) if parse.char_span(s.start, s.end, alignment_mode="expand") is not None]
    seg_tokens = [_tokens(parse, s) for s in segs]
    if turns:
        keep = [k for k, (a, b) in enumerate(seg_tokens) if not any(a < z and b > s - 1 for s, z in turn_ranges)]
        segs, seg_tokens = [segs[k] for k in keep], [seg_tokens[k] for k in keep]
    in_quote = _inside(len(parse), seg_tokens + turn_ranges)
    cues = find_cues(parse)
    used: set[int] = set()  # cues taken by a direct quote or found inside one
    drafts: list[_Draft] = []

    def para_of(tok_i: int) -> int:
        return bisect_right(para_starts, parse[tok_i].idx) - 1

    by_seg = _attach(parse, seg_tokens, cues, in_quote)
    embedded = {k for k, (_ci, how) in by_seg.items() if how == "embedded"}
    nested = _nested(cues, sentence_numbers(parse))
    # who is reported to speak, in text order: not inside a quote, nor inside another's report
    speakers = sorted((c.head, ci) for ci, c in enumerate(cues)
                      if c.speaker is not None and not in_quote[c.head] and ci not in nested)
    last: _Draft | None = None
    for k, seg in enumerate(segs):
        if k in embedded:
            continue
        a, b = seg_tokens[k]
        found = by_seg.get(k)
        para = para_of(a)
        if found is not None:
            ci, how = found
            c = cues[ci]
            used.add(ci)
            # split quotes: '"A," he said, "B."' -- the second part joins the first
            if last is not None and last.cue == c.cue and _joinable(parse, last, a, b):
                last.parts.append((a, b))
                last.content = (last.content[0], b)
                continue
            content = _mixed(parse, c, a, b) if how == "parse" else (a, b)
            last = _Draft(content, c.cue, c.speaker, "direct", f"direct-{how}", 0.9, para, c.antecedent)
            drafts.append(last)
            continue
        words = seg.words(body)
        signed = signature(parse, body, seg.end, in_quote) if words >= 2 and seg.closed else None
        if signed is not None:
            # '"..." ― Pamela Padilla': the dash is the cue, the name the speaker
            dash, name = signed
            last = _Draft((a, b), dash, name, "direct", "direct-signature", 0.9, para,
                          label_antecedent(doc, name))
            drafts.append(last)
            continue
        starts_para = parse[a].idx in para_starts or (a > 0 and parse[a - 1].is_space and "\n" in parse[a - 1].text)
        speechlike = words >= MIN_SPEECH_WORDS and _has_verb(parse, a, b) and _sentence_like(parse, a, b)
        if not speechlike:
            continue  # a scare quote, a title, a term
        if last is not None and last.para == para and not starts_para and _joinable(parse, last, a, b):
            # '"A," he said. "B."' -- B goes on with the same attribution
            last.parts.append((a, b))
            last.content = (last.content[0], b)
            continue
        intro = _introduced(parse, a, in_quote)
        near = last is not None and para - last.para <= CARRY_PARAGRAPHS
        prior = _last_speaker(speakers, cues, a)
        if intro is not None:
            # 'He then listed the qualities ... in 2016:' -- whoever's sentence opens on the quote
            verb, who = intro
            last = _Draft((a, b), (verb.i, verb.i + 1), who[0], "direct", "direct-colon", 0.7, para, who[1])
        elif near and (last.speaker is not None or last.para == para) and not _spoke_since(prior, last, para, para_of):
            last = _Draft((a, b), None, last.speaker, "direct", "direct-continued", 0.6, para, last.antecedent)
        else:
            if prior is not None and para - para_of(prior.head) <= CARRY_PARAGRAPHS:
                # the last one reported to speak before it, in the paragraphs just above
                last = _Draft((a, b), None, prior.speaker, "direct", "direct-continued", 0.5, para, prior.antecedent)
            else:
                last = _Draft((a, b), None, None, "direct", "direct-unattributed", 0.4, para)
        drafts.append(last)

    for t in turns:
        d = _Draft(t.span, (t.colon, t.colon + 1), t.label, "direct", "direct-label", 0.9, para_of(t.label[0]),
                   label_antecedent(doc, t.label))
        d.parts = list(t.parts)
        drafts.append(d)

    for ci, c in enumerate(cues):
        if ci in used or in_quote[c.head] or ci in nested:
            continue  # reported by a direct quote already, or speech inside someone's quote
        content = _to_closing_mark(c.content, seg_tokens)
        kind = "direct" if _mostly_quoted(content, in_quote) else "indirect"
        drafts.append(_Draft(content, c.cue, c.speaker, kind, f"{kind}-{c.frame}", 0.7 if kind == "indirect" else 0.8,
                             para_of(c.head), c.antecedent))

    return _to_quotes(doc, drafts)


#: Quoted pieces join into one quote when the words between them (the attribution) are few:
#: at most this many, or a quarter of the quoted words ('"A," Tilton said after braving the
#: cold late last month to see the senator. "B."' stays two quotes). Calibrated on PolNeAR train.
MAX_GAP_WORDS = 20


def _joinable(parse, last: _Draft, a: int, b: int) -> bool:
    gap = sum(1 for t in parse[last.content[1]:a] if not (t.is_punct or t.is_space))
    quoted = sum(1 for s, e in [*last.parts, (a, b)] for t in parse[s:e] if t.is_alpha)
    return gap <= max(MAX_GAP_WORDS, quoted // 4)


def _nested(cues: list[Cue], sents: list[int]) -> set[int]:
    """The cues that stand inside what another cue reports ('Trump said Clinton wants to ...':
    'wants' is Trump's report, not a statement of Clinton's). Like the cues inside a direct quote,
    they are part of the outer statement, not statements of their own (PolNeAR mostly leaves
    them out too). Two cues that each hold the other (a misparse) are both kept."""
    # contents run over a sentence or two at most: look only at the cues of the sentences around
    # each cue, so the work stays linear in the article
    by_sent: dict[int, list[Cue]] = {}
    for c in cues:
        by_sent.setdefault(sents[c.head], []).append(c)
    out = set()
    for ci, c in enumerate(cues):
        k = sents[c.head]
        for o in (*by_sent.get(k - 1, ()), *by_sent[k], *by_sent.get(k + 1, ())):
            if o is not c and o.content[0] <= c.head < o.content[1] and not c.content[0] <= o.head < c.content[1]:
                out.add(ci)
                break
    return out


def _spoke_since(prior: Cue | None, last: _Draft, para: int, para_of) -> bool:
    """Someone was reported to speak after the last direct quote and in the paragraphs just
    above (or in this one): a quote carried over goes to them, the latest speaker ('"A," X
    said. Y disagreed.' then a paragraph opening on a quote: Y's)."""
    return prior is not None and prior.head >= last.content[1] and para - para_of(prior.head) <= CARRY_PARAGRAPHS


def _last_speaker(speakers: list[tuple[int, int]], cues: list[Cue], before: int) -> Cue | None:
    """The last cue with a speaker before token ``before``; ``speakers`` is the sorted list of
    (head, cue index) of cues with a speaker, outside quotes."""
    k = bisect_right(speakers, (before, -1)) - 1
    return cues[speakers[k][1]] if k >= 0 else None


def _tokens(parse, seg: Segment) -> tuple[int, int]:
    span = parse.char_span(seg.start, seg.end, alignment_mode="expand")
    return span.start, span.end


def _inside(n: int, ranges: list[tuple[int, int]]) -> list[bool]:
    flags = [False] * n
    for a, b in ranges:
        for i in range(a, b):
            flags[i] = True
    return flags


def _mixed(parse, c: Cue, a: int, b: int) -> tuple[int, int]:
    """The quoted stretch ``[a, b)`` with the words of the cue's clause before it, when the cue
    comes after the quote and its clause opens before the quote ('Teachers who met him are
    "very, very pro-Bernie," she said'): the quote is the end of a statement reported in part in
    the writer's words, and the statement is what was said."""
    start = c.content[0]
    if start >= a or c.head < b or parse[start].sent.start != parse[a].sent.start:
        return a, b
    if sum(1 for t in parse[start:a] if not (t.is_punct or t.is_space)) < 2:
        return a, b
    return start, b


def _to_closing_mark(content: tuple[int, int], seg_tokens: list[tuple[int, int]]) -> tuple[int, int]:
    """``content`` running on to the closing mark of a quotation that opens inside it and closes
    after it ('said the country has spent "hundreds of years ..., young people do not want to
    see that. They're way beyond that."'): a quotation is reported whole, over as many sentences
    as it runs (as annotators mark it), not cut where the parse's clause ends."""
    s, e = content
    k = bisect_right(seg_tokens, (e, -1)) - 1  # the last quotation opening before the content's end
    if k >= 0:
        a, b = seg_tokens[k]
        if s <= a < e < b:
            return s, b
    return content


def _has_verb(parse, a: int, b: int) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in parse[a:b])


def _sentence_like(parse, a: int, b: int) -> bool:
    """The quoted stretch stands as a clause of its own: it begins a sentence, or ends one."""
    first = a + 1 if a + 1 < b else a
    if parse[first].is_sent_start or parse[a].is_sent_start or (a > 0 and parse[a - 1].text in (":", ",", "—", "-")):
        return True
    inner_end = b - 2 if b - 2 > a else b - 1
    return parse[inner_end].text in (".", "?", "!", ",", "...", "…")


def _title_like(parse, a: int, b: int) -> bool:
    """A name in quote marks ("MSNBC Live," "Citizen Carly"): under three words, or every word
    capitalised, with no verb."""
    words = [t for t in parse[a:b] if t.is_alpha]
    if len(words) < 3:
        return True
    return all(t.text[0].isupper() or t.is_stop for t in words) and not _has_verb(parse, a, b)


def _mostly_quoted(content: tuple[int, int], in_quote: list[bool]) -> bool:
    a, b = content
    n = b - a
    return n > 0 and sum(in_quote[a:b]) >= 0.8 * n


def _attach(parse, seg_tokens, cues: list[Cue], in_quote) -> dict[int, tuple[int, str]]:
    """Which cue reports each quoted stretch: {segment index: (cue index, how)}.

    ``how`` is "parse" (the cue's content lies in the stretch), "after"/"before" (a speech verb
    next to it that the parse did not link), "colon" (a verb and a colon just before it) or
    "embedded" (the stretch is a piece of a longer reported content: no quote of its own).
    """
    out: dict[int, tuple[int, str]] = {}
    speech = lexicon().frames["clause"]
    by_head = {c.head: ci for ci, c in enumerate(cues)}
    # cues by the sentence their content starts in: a stretch looks only at the cues of the
    # sentences it touches and the one before (contents run over a sentence or two at most),
    # so the work stays linear in the article
    by_sent: dict[int, list[int]] = {}
    for ci, c in enumerate(cues):
        by_sent.setdefault(parse[c.content[0]].sent.start, []).append(ci)
    sent_starts = sorted(by_sent)
    for k, (a, b) in enumerate(seg_tokens):
        j = a - 1
        while j >= 0 and parse[j].is_space:
            j -= 1
        who = _dash_label(parse, j) if j >= 0 and parse[j].text == ":" and not in_quote[j] else None
        if who is not None:
            # 'Pollsters agree - Carl Bialik: "..."', 'More from Jones: "..."': a name after a
            # dash or 'from' labels the quote, whatever verb before it the parse links to it
            label = Cue((j, j + 1), (a, b), who, "label", j)
            # the verb the parse linked to the quote gives way to the label (no quote of its own)
            linked = [ci for ci, c in enumerate(cues) if parse[j].sent.start <= c.head < j and c.content[0] < b
                      and a < c.content[1]]
            if linked:
                cues[linked[0]] = label
                out[k] = (linked[0], "label")
            else:
                cues.append(label)
                out[k] = (len(cues) - 1, "label")
            continue
        best = None
        lo = bisect_right(sent_starts, parse[a].sent.start) - 2
        near = [ci for st in sent_starts[max(0, lo):bisect_right(sent_starts, b)] for ci in by_sent[st]]
        for ci in sorted(near):
            c = cues[ci]
            if in_quote[c.head] or c.content[1] <= a or c.content[0] >= b:
                continue
            ca, cb = c.content
            outside = sum(1 for t in parse[ca:cb] if not (a <= t.i < b) and not t.is_punct and not t.is_space)
            # '..., "We will win," the coach said': the cue right after the quote reports the quote
            # even where the parse hangs more of the sentence on it
            # and '"A," said X, "B."' where the parse hangs both pieces and X on one clause: B is
            # the second piece of the quote the cue took for A
            split = k - 1 in out and out[k - 1] == (ci, "parse") and seg_tokens[k - 1][1] <= c.head < a
            if outside >= 2 and not 0 <= c.head - b <= 4 and not split:
                if best is None:
                    best = (ci, "embedded")
                continue
            best = (ci, "parse")
            break
        if best is None:
            best = _adjacent(parse, a, b, cues, by_head, in_quote, speech, short=_title_like(parse, a, b))
        if best is not None:
            out[k] = best
    return out


#: Verbs that never attribute a quote next to them ('"...," it was', '"..." has been').
_NOT_SPEECH = {"be", "have", "do", "get", "go", "come", "make", "take", "put", "seem", "become"}


def _is_verb(t) -> bool:
    return t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")


def _adjacent(parse, a: int, b: int, cues: list[Cue], by_head: dict[int, int], in_quote, speech,
              short: bool = False) -> tuple[int, str] | None:
    """A speech verb next to the stretch that the parse did not link to it. A ``short``
    stretch (a name or title in quote marks, or a one-word answer) only counts when it hands
    over to a speech verb right after it ('"Absolutely," he said')."""
    # after: '"...," he said' / '"...", - he said' / '"...," said Mr. X' /
    # '"...," William M. Daley, Obama's former chief of staff, said'
    sent_end = parse[b - 1].sent.end
    first = b
    while first < sent_end and (parse[first].is_punct or parse[first].is_space) and not in_quote[first]:
        first += 1
    # a quote that closes on a comma, "?" or "!" hands over to its attribution: any verb with a
    # subject right after it reports it ('"...," Trump continued', '"...?" she laughed')
    hands_over = b - 2 >= a and parse[b - 2].text in (",", "?", "!", "—", "-", "...", "…") or (
        first > b and parse[b].text in (",", "-", "—", "–"))
    split = hands_over and first == sent_end < len(parse) and not (
        in_quote[first] or any("\n" in t.text_with_ws for t in parse[b - 1:first]))
    if split:
        # the parser often ends a sentence at '?"' or '!"': '"Will he run?" a staffer wondered.'
        sent_end = parse[first].sent.end
    seen = 0
    for i in range(first, sent_end):
        t = parse[i]
        if in_quote[i]:
            break
        seen += not t.is_punct
        if _is_verb(t):
            lem = t.lemma_.lower()
            who = speaker_of(t)
            if short:
                if hands_over and seen <= 3 and lem in speech and who:
                    ci = _cue_for(t, (a, b), cues, by_head, tight=True)
                    return (ci, "after") if ci is not None else None
                return None
            if (lem in speech or put_it(t)) and (seen <= 8 or (who and who[0][0] == first)) or (
                    hands_over and not split and seen <= 4 and who and lem not in _NOT_SPEECH):
                ci = _cue_for(t, (a, b), cues, by_head, tight=True)
                return (ci, "after") if ci is not None else None
            if seen > 8 or lem not in speech and t.dep_ != "relcl" and t.head.dep_ != "relcl":
                break
    if short:
        return None
    # before: 'X said, "..."' / 'X told reporters: "..."' / 'Trump boomed: "..."'
    start = parse[a].sent.start
    j = a - 1
    while j >= 0 and parse[j].is_space:
        j -= 1
    if j >= 0 and parse[j].text in (":", ",") and not in_quote[j]:
        colon = parse[j].text == ":"
        for i in range(j - 1, max(parse[j].sent.start, j - 10) - 1, -1):
            t = parse[i]
            if in_quote[i]:
                break
            if _is_verb(t):
                lem = t.lemma_.lower()
                # 'He continued, "..."': a main verb right before the comma (not 'After it ended, "..."')
                main = i == j - 1 and t.dep_ in ("ROOT", "conj") and not any(c.dep_ == "mark" for c in t.children)
                if lem in speech or put_it(t) or (colon or main) and lem not in _NOT_SPEECH and speaker_of(t):
                    ci = _cue_for(t, (a, b), cues, by_head, tight=True)
                    return (ci, "colon" if colon and parse[j].sent.start != start else "before")
                break
        if colon and j > parse[j].sent.start:
            # 'Clinton: "Our goal is ..."' -- a name and a colon
            who = label_speaker(parse, parse[j].sent.start, j)
            if who is not None:
                cues.append(Cue((j, j + 1), (a, b), who, "label", j))
                return len(cues) - 1, "label"
    return None


#: Words after which a name labels what follows its colon ('- Jane Doe:', 'More from Doe:').
_LABEL_OPENERS = {"-", "—", "–", "―", "--", "from"}


def _dash_label(parse, colon: int) -> tuple[int, int] | None:
    """The name between a dash or 'from' and the ``colon`` (at most five words), if it is a
    speaker label; None."""
    start = parse[colon].sent.start
    for k in range(colon - 1, max(start, colon - 7) - 1, -1):
        if parse[k].lower_ in _LABEL_OPENERS:
            return label_speaker(parse, k + 1, colon) if k + 1 < colon else None
    return None


def _introduced(parse, a: int, in_quote):
    """(main verb, speaker) of the sentence that introduces the quote at token ``a`` with a
    colon ('President Clinton released the following statement:'), or None."""
    j = a - 1
    while j >= 0 and parse[j].is_space:
        j -= 1
    if j < 0 or parse[j].text != ":" or in_quote[j]:
        return None
    root = parse[j].sent.root
    if not _is_verb(root) or root.i > j or root.lemma_.lower() in _NOT_SPEECH:
        return None
    who = speaker_of(root)
    return (root, who) if who and who[0] else None


def _cue_for(verb, content, cues: list[Cue], by_head, tight: bool = False) -> int | None:
    """The index of the cue headed by ``verb`` for a quoted ``content``, made when the parse
    gave none. When the parse gave the verb a content elsewhere, a verb right next to the quote
    (``tight``) reports both: the quote gets its own cue; otherwise None."""
    if verb.i in by_head:
        c = cues[by_head[verb.i]]
        if c.content[0] < content[1] and content[0] < c.content[1]:
            return by_head[verb.i]
        if not tight:
            return None
        cues.append(Cue(c.cue, content, c.speaker, c.frame, c.head, c.antecedent))
        return len(cues) - 1
    who = speaker_of(verb)
    cues.append(Cue((verb.i, verb.i + 1), content, who[0] if who else None, "clause", verb.i, who[1] if who else None))
    by_head[verb.i] = len(cues) - 1
    return len(cues) - 1


def _to_quotes(doc: Document, drafts: list[_Draft]) -> list[Quote]:
    parse = doc.parse
    body = doc.article.body
    sent_starts = [s.start for s in doc.sentences]
    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for d in sorted(drafts, key=lambda d: d.content):
        content = _chars(parse, d.content)
        if content in seen:
            continue
        seen.add(content)
        cue = _span(body, _chars(parse, d.cue)) if d.cue else None
        speaker = _speaker(doc, d.speaker, d.antecedent)
        anchor = cue.start if cue else content[0]
        sentence = bisect_right(sent_starts, anchor) - 1 if sent_starts else None
        parts = [_span(body, _chars(parse, p)) for p in d.parts] if len(d.parts) > 1 else []
        out.append(Quote(content=_span(body, content), speaker=speaker, cue=cue, kind=d.kind,
                         sentence=sentence if sentence is None or sentence >= 0 else None,
                         rule=d.rule, confidence=d.confidence, parts=parts))
    return out


def learned_quotes(doc: Document, rules: list[Quote], model: tagger.Model | tokenhead.Model) -> list[Quote]:
    """The tagger's attributions as Quotes. Speakers come from the parse as the rules read them
    (a relative pronoun with its antecedent, a pronoun with its coreferent) where the rules
    found the same speaker; a content without cue or source (a quote going on from the one
    before) takes the speaker the rules gave it."""
    parse = doc.parse
    body = doc.article.body
    sents = sentence_numbers(parse)
    in_quote = quoted_tokens(parse, body)
    rule_spans = quote_spans(parse, rules)
    tags = model.tag(parse, rule_spans, in_quote) if isinstance(model, tokenhead.Model) else tagger.tag(
        model, parse, rule_spans, in_quote)
    rule_tokens = [(_token_range(parse, q.content), q) for q in rules]
    drafts = []
    for att in tagger.decode(parse, tags, sents):
        a, b = att.content
        rq = max(rule_tokens, key=lambda r: _shared(r[0], (a, b)), default=None)
        rq = rq[1] if rq is not None and _shared(rq[0], (a, b)) * 2 > min(b - a, rq[0][1] - rq[0][0]) else None
        kind = "direct" if _mostly_quoted((a, b), in_quote) else "indirect"
        drafts.append((att, rq, kind, model.confidence.get(tagger.bucket((a, b), rule_spans, in_quote), 0.5)))
    out = []
    sent_starts = [s.start for s in doc.sentences]
    for att, rq, kind, confidence in drafts:
        speaker = _learned_speaker(doc, att, rq)
        content = _span(body, _chars(parse, att.content))
        cue = _span(body, _chars(parse, att.cue)) if att.cue else None
        anchor = cue.start if cue else content.start
        sentence = bisect_right(sent_starts, anchor) - 1 if sent_starts else None
        parts = [_span(body, _chars(parse, p)) for p in att.parts] if len(att.parts) > 1 else []
        out.append(Quote(content=content, speaker=speaker, cue=cue, kind=kind,
                         sentence=sentence if sentence is None or sentence >= 0 else None,
                         rule=f"learned-{kind}", confidence=confidence, parts=parts))
    return out


def _learned_speaker(doc: Document, att: tagger.Attribution, rq: Quote | None) -> ActorRef | None:
    """The speaker of a learned attribution: the one the rules found for the same content (they
    resolve relative pronouns, passives, participles and carried-over quotes), else the subject
    of its cue verb as the rules read it, else the tagged source."""
    if rq is not None and rq.speaker is not None:
        return rq.speaker
    parse = doc.parse
    if att.cue is not None:
        verb = parse[att.cue[0]]
        who = speaker_of(verb) if verb.pos_ in ("VERB", "AUX") else None
        if who and who[0]:
            return _speaker(doc, who[0], who[1])
    return _speaker(doc, att.source, None) if att.source is not None else None


def _token_range(parse, span: Span) -> tuple[int, int]:
    got = parse.char_span(span.start, span.end, alignment_mode="expand")
    return (got.start, got.end) if got is not None else (0, 0)


def _shared(x: tuple[int, int], y: tuple[int, int]) -> int:
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def quoted_tokens(parse, body: str) -> list[bool]:
    """For each token of the parse, whether it stands between quote marks."""
    segs = [parse.char_span(s.start, s.end, alignment_mode="expand") for s in segments(body)]
    return _inside(len(parse), [(s.start, s.end) for s in segs if s is not None])


def _speaker(doc: Document, tokens, antecedent) -> ActorRef | None:
    """The speaker's ActorRef; a relative pronoun ("who") takes its antecedent's identity."""
    if tokens is None:
        return None
    parse = doc.parse
    if "actors" not in doc.analysis:  # a headline's own parse: headline.py identifies its speakers
        return ActorRef(text=doc.article.body[parse[tokens[0]].idx:_chars(parse, tokens)[1]], start=parse[tokens[0]].idx,
                        end=_chars(parse, tokens)[1])
    ref = resolve_span(doc, *_chars(parse, tokens))
    if antecedent is not None and not ref.code:
        via = resolve_span(doc, *_chars(parse, antecedent))
        ref.name, ref.code, ref.country, ref.sector, ref.entity = (
            via.name or via.text, via.code, via.country, via.sector, via.entity)
    return ref


def _chars(parse, tokens: tuple[int, int]) -> tuple[int, int]:
    a, b = tokens
    last = parse[b - 1]
    return parse[a].idx, last.idx + len(last.text)


def _span(body: str, chars: tuple[int, int]) -> Span:
    s, e = chars
    return Span(body[s:e], s, e)


__all__ = ["QuoteStage", "find_quotes", "with_headline", "learned_quotes", "quoted_tokens", "rule_quotes", "MIN_SPEECH_WORDS"]
