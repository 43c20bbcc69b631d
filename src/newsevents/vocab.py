"""Word lists more than one stage reads: pronouns, quotation marks, actor sectors.

Kept in one place so the stages cannot drift apart (a pronoun set existed four times, the quote
marks six). A stage that needs a narrower list derives it here, with the reason. The quad class
names are :data:`newsevents.model.QUAD_CLASSES` (part of the output contract).
"""

from __future__ import annotations

# --- pronouns (lowercase) ---------------------------------------------------------------------

SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they"})
OBJECT_PRONOUNS = frozenset({"me", "you", "him", "her", "it", "us", "them"})
POSSESSIVE_DETERMINERS = frozenset({"my", "your", "his", "her", "its", "our", "their"})
#: "we" in someone's words is the side they speak for
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
#: pronouns that may stand for an actor of an event: first and third person ("you" never names
#: a party in news prose; "me"/"my" are the reporter's or a speaker's own)
ACTOR_PRONOUNS = (SUBJECT_PRONOUNS | OBJECT_PRONOUNS | POSSESSIVE_DETERMINERS) - {"you", "your", "me", "my"}

# --- quotation marks ----------------------------------------------------------------------------

#: every quotation mark news text uses: straight and curly, guillemets, the low „, and the
#: doubled apostrophes and backticks of pre-tokenized archives (``...'')
QUOTE_MARKS = frozenset({'"', "“", "”", "„", "«", "»", "‘", "’", "''", "``"})
#: the marks that only ever open a quote
OPENING_QUOTE_MARKS = frozenset({"“", "„", "«", "``", "‘"})
#: the marks that only ever close one
CLOSING_QUOTE_MARKS = frozenset({"”", "»", "’"})
SINGLE_QUOTE_MARKS = frozenset({"‘", "’"})
#: a regular expression matching any mark, the two-character ones first (so ``''`` is never two ``'``)
QUOTE_MARK_PATTERN = "|".join(sorted((m for m in QUOTE_MARKS if len(m) > 1), reverse=True)) + \
    "|[" + "".join(sorted(m for m in QUOTE_MARKS if len(m) == 1)) + "]"

# --- actor sectors (CAMEO agent codes) ----------------------------------------------------------

#: bodies whose bare definite noun ("the army", "the ministry") means one body named nearby
INSTITUTIONAL_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "REB", "INS", "OPP", "PTY", "IGO", "NGO",
                                   "BUS", "MED", "UAF"})
#: sectors whose member speaks for a body when saying "we": the institutions, and unions,
#: rights groups, churches, schools and hospitals
SPEAKING_SECTORS = INSTITUTIONAL_SECTORS | {"LAB", "HRI", "REL", "EDU", "HLH"}
