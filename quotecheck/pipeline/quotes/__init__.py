"""Quotes stage: find attributions (source, cue, content) with character spans.

Rule-based, no tagger. Quote-mark regions are paired first (curly or straight, and the doubled
single marks ``''`` of some wires read as double marks; reopened on every paragraph of a
multi-paragraph quote; an unbalanced mark closes at its paragraph end). Then every cue verb
outside quote marks (``lexicon/cues.txt``: speech, belief, intention and stance verbs) is read
with the patterns of news attribution:

* ``S said (that) C``, ``S told X (that) C``, ``S said: "C"``, ``S said, "C"``
* ``"C," S said`` / ``"C," said S`` / ``C, S said.`` and the split ``"C1," S said, "C2."``
* ``C1, S said, C2`` (a parenthetical cue: the content is both sides)
* ``According to S, C`` / ``C, according to S``
* ``…, saying C`` and ``S called X "Y" and called for Z`` (participles and coordinated cues share
  the clause's subject), ``S went on TV to accuse X of Y``
* ``S's claim that C`` (possessor and nominal cue), ``X is expected to Y`` / ``X was endorsed by
  S`` (passives: the content is the subject and the complement, the source the agent or none)

and, without a cue verb: ``NAME: C`` at the start of a paragraph (transcripts, headlines),
``"C" ― NAME`` (dash attribution), and quote-only sentences, which join the attributed quote
before them in the same paragraph or stand alone without source (the speakers stage resolves
those). Short unattributed quotes are scare quotes, titles or nicknames and are dropped.

Span conventions follow PolNeAR: the source is the whole noun phrase with titles, determiners,
parenthesised party tags and appositives (``Jane Doe, an economist at X,``) but not adjunct
asides (``Trump, speaking in Ohio,``); the cue includes auxiliaries and adverbs (``has also
said``), particles (``called for``, ``warned against``) and nominal adjuncts (``said in a
statement``), not time adjuncts (``said on Tuesday``); the content keeps its
``that`` and quote marks, and stops before a trailing ``in an interview``, a free participle
clause, or the clause of another cue.

Offsets are never computed on a changed copy: the only normalisation (``''`` → ``"``) is a
same-length substitution, and every span is cut from the original text.

Modules: ``marks`` (quote-mark regions, content kind), ``cues`` (the patterns around one cue),
``phrases`` (noun phrases: sources), ``contents`` (where a content ends), ``cueless`` (speaker
labels, dash attributions, quote-only sentences), ``common`` (drafts, cue words, size limits),
``patterns`` (the regular expressions and word sets, read from ``lexicon/quote_patterns.tsv`` and
``lexicon/quote_words.txt``), ``extract`` (the one loop).
"""

from __future__ import annotations

from quotecheck.pipeline.quotes.extract import extract
from quotecheck.pipeline.quotes.marks import QuoteMarks, QuoteRegion, content_kind, find_quote_regions, mark_quotes

__all__ = ["QuoteMarks", "QuoteRegion", "mark_quotes", "find_quote_regions", "extract", "content_kind"]
