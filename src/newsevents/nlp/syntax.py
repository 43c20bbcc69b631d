"""Small dependency-parse helpers shared by the stages that read the parse around an event
trigger (places, dates): which token a character span is, which clause a token is in, and
whether a modifier's governor belongs to the trigger's clause.

spaCy makes a new Token object on each access, so tokens are compared by index, never by ``is``.
"""

from __future__ import annotations

#: Dependency labels that open a clause of their own.
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis", "pcomp"})


def token_at(parse, start: int, end: int):
    """The syntactic head of the tokens covering ``body[start:end]``, or None."""
    span = parse.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def clause_of(tok):
    """The head of the clause holding ``tok``: its nearest ancestor-or-self that heads a clause
    (a coordinated verb, "... and troops fought", heads its own)."""
    while tok.dep_ not in CLAUSE_DEPS and tok.head.i != tok.i:
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX"):
            return tok
        tok = tok.head
    return tok


def governs_event(governor, trigger) -> bool:
    """True when a modifier attached to ``governor`` speaks about the event of ``trigger``: the
    governor is the trigger, lies in the trigger's clause (the trigger's arguments included), or
    heads a participle/relative clause on the trigger ("talks held in Geneva")."""
    if governor.i == trigger.i:
        return True
    sub = clause_of(governor)
    if sub.i == clause_of(trigger).i:
        return True
    return sub.dep_ in ("acl", "relcl") and sub.head.i == trigger.i
