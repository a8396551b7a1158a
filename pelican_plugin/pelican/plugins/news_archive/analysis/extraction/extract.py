"""spaCy's analysis of one article → the compact :class:`~...model.Extraction` every later stage reads.

Only this step meets the model. It reads the analysed string (headline, blank line, body), in chunks when the text
is longer than the model's ``max_length``, and keeps per entity span what canonicalisation and the country index
need (label, offsets, sentence, the tokens around it, their tags), the content lemmas for text similarity and a
MinHash signature for same-story detection. Each chunk's spaCy ``Doc`` is turned into plain records as soon as it
is made and then dropped, so memory for a long article grows with its records, not with its ``Doc`` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ...labels import KEPT
from ...model import Extraction, Mention, SourceDoc
from .fingerprint import fingerprint
from .spans import LEX_ATTR, VERSUS, is_number

TERM_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
PREV_TOKENS = 3  # tokens kept before a mention: where titles and ranks sit ("Brigadier General")
# spaCy reads a text in pieces of at most this many characters (cut at paragraph breaks): a piece's Doc costs
# memory in proportion to its length, and entity spans never need more context than a paragraph.
CHUNK_CHARS = 100_000
# Characters of an article that are analysed; the rest of a longer text is published but yields no tags (about
# 300,000 words: no news report comes near it, and memory stays bounded whatever a file holds).
MAX_ANALYSED_CHARS = 2_000_000


def analysed_text(doc: SourceDoc) -> tuple[str, int]:
    """The string spaCy reads (title, blank line, body) and where the title ends in it."""
    title = " ".join(doc.title.split())
    if title:
        return f"{title}\n\n{doc.text}", len(title)
    return doc.text, 0


def chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) of a text cut at paragraph (else line, sentence, word, hard) boundaries, each piece at most
    ``limit`` characters: the pieces spaCy reads of a text longer than its ``max_length``."""
    if len(text) <= limit:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        end = min(pos + limit, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, pos + limit // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        out.append((pos, text[pos:end]))
        pos = end
    return out


def _per_line(spacy_doc, test: Callable[[list], bool]) -> list[bool]:
    """Per token: ``test`` of the tokens of its line (the text between line breaks)."""
    out: list[bool] = []
    line: list = []
    for tok in spacy_doc:
        line.append(tok)
        if "\n" in tok.text or "\n" in tok.whitespace_:
            out.extend([test(line)] * len(line))
            line = []
    out.extend([test(line)] * len(line))
    return out


def _in_capitals(line: list) -> bool:
    """A line written in capitals, like a wire headline or a dateline."""
    words = [t.text for t in line if t.is_alpha and len(t.text) > 1]
    return bool(words) and sum(not w.isupper() for w in words) <= 0.1 * len(words)


def _is_year(token) -> bool:
    return len(token.text) == 4 and token.text.isdigit() and 1800 <= int(token.text) <= 2099


def _of_results(line: list) -> bool:
    """A line of scores or a table: two numbers or more, years aside."""
    return sum(is_number(t) and not _is_year(t) for t in line) >= 2


@dataclass
class _Lines:
    """What is known of each token's sentence and line in one chunk."""

    sent_of: list[int]
    sent_starts: set[int]
    caps: list[bool]
    results: list[bool]
    n_sents: int


def _lines(spacy_doc, sent_base: int) -> _Lines:
    sent_of = [sent_base] * len(spacy_doc)
    starts: set[int] = set()
    n = -1
    for n, sent in enumerate(spacy_doc.sents):
        starts.add(sent.start)
        for i in range(sent.start, sent.end):
            sent_of[i] = sent_base + n
    return _Lines(sent_of, starts, _per_line(spacy_doc, _in_capitals), _per_line(spacy_doc, _of_results), n + 1)


def _before(spacy_doc, ent, starts: set[int]) -> tuple[str, ...]:
    """Up to ``PREV_TOKENS`` tokens before the span, within its sentence (its first token included)."""
    prev: list[str] = []
    i = ent.start - 1
    while i >= 0 and len(prev) < PREV_TOKENS and i not in starts and not spacy_doc[i].is_space:
        prev.insert(0, spacy_doc[i].text)
        i -= 1
    if i >= 0 and i in starts and len(prev) < PREV_TOKENS and not spacy_doc[i].is_space:
        prev.insert(0, spacy_doc[i].text)
    return tuple(prev)


def _results_slot(spacy_doc, ent, lines: _Lines) -> bool:
    """A score follows the span in a line of scores, or "v" is beside it: a team's slot."""
    after = spacy_doc[ent.end] if ent.end < len(spacy_doc) else None
    before = spacy_doc[ent.start - 1].text if ent.start else ""
    scored = lines.results[ent.start] and after is not None and is_number(after) and not _is_year(after)
    return scored or (after is not None and after.text.lower() in VERSUS) or before.lower() in VERSUS


def _mention(spacy_doc, ent, text: str, offset: int, title_end: int, lines: _Lines, lex: bool) -> Mention:
    n = len(spacy_doc)
    nxt = spacy_doc[ent.end].text if ent.end < n else ""
    paren = spacy_doc[ent.end + 1].text if ent.end + 2 < n and nxt == "(" and spacy_doc[ent.end + 2].text == ")" \
        else ""
    root = ent.root
    head = f"{root.dep_}:{root.head.lower_}" if root.head.i not in range(ent.start, ent.end) else root.dep_
    start = offset + ent.start_char
    return Mention(
        text=text, label=ent.label_, start=start, end=offset + ent.end_char, sent=lines.sent_of[ent.start],
        sent_start=ent.start in lines.sent_starts, in_title=start < title_end, prev=_before(spacy_doc, ent,
                                                                                           lines.sent_starts),
        next=nxt, tags=tuple(t.tag_ for t in ent),
        lex=tuple(t._.get(LEX_ATTR) for t in ent) if lex else (),
        caps=lines.caps[ent.start], paren=paren, head=head, score=_results_slot(spacy_doc, ent, lines))


@dataclass
class _Parts:
    """The records of an article's chunks so far."""

    mentions: list[Mention] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    n_sents: int = 0


def add_chunk(parts: _Parts, spacy_doc, offset: int, title_end: int) -> None:
    """Turn one chunk's spaCy ``Doc`` into records (the ``Doc`` can be dropped afterwards)."""
    from spacy.tokens import Token

    lines = _lines(spacy_doc, parts.n_sents)
    lex = Token.has_extension(LEX_ATTR)
    for ent in spacy_doc.ents:
        text = " ".join(ent.text.split())
        if ent.label_ in KEPT and text:
            parts.mentions.append(_mention(spacy_doc, ent, text, offset, title_end, lines, lex))
    parts.terms.extend(t.lemma_.lower() for t in spacy_doc
                       if t.pos_ in TERM_POS and t.is_alpha and not t.is_stop and len(t.text) > 1)
    parts.n_sents += lines.n_sents if len(spacy_doc) else 0


def finish(parts: _Parts, doc: SourceDoc) -> Extraction:
    """The :class:`Extraction` of an article from the records of all its chunks."""
    text, title_end = analysed_text(doc)
    body_start = title_end + 2 if title_end else 0
    para_end = text.find("\n\n", body_start)
    return Extraction(key=doc.key, mentions=tuple(parts.mentions), terms=tuple(parts.terms),
                      fingerprint=fingerprint((doc.text or doc.title)[:MAX_ANALYSED_CHARS]), title_end=title_end,
                      lede_end=para_end if para_end != -1 else len(text), n_sents=parts.n_sents)


def _pieces(doc: SourceDoc, limit: int) -> list[tuple[int, str]]:
    text = analysed_text(doc)[0][:MAX_ANALYSED_CHARS]
    return chunks(text, limit)


def _run(nlp, docs: Sequence[SourceDoc], batch_size: int, limit: int) -> Iterator[Extraction]:
    """Extractions of short documents (one piece each), streamed through ``nlp.pipe`` in batches."""
    stream = ((_pieces(doc, limit)[0][1], i) for i, doc in enumerate(docs))
    for spacy_doc, i in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        parts = _Parts()
        add_chunk(parts, spacy_doc, 0, analysed_text(docs[i])[1])
        yield finish(parts, docs[i])


def _run_long(nlp, doc: SourceDoc, pieces: list[tuple[int, str]]) -> Extraction:
    """The extraction of a document of several pieces, one piece in memory at a time."""
    parts = _Parts()
    title_end = analysed_text(doc)[1]
    for offset, piece in pieces:
        add_chunk(parts, nlp(piece), offset, title_end)
    return finish(parts, doc)


def extract_docs(nlp, docs: Sequence[SourceDoc], batch_size: int = 64) -> Iterator[Extraction]:
    """Extractions of ``docs``, in order. Short texts go through ``nlp.pipe`` in batches; a text longer than
    ``CHUNK_CHARS`` is read piece by piece, each piece's ``Doc`` turned into records and dropped before the next."""
    limit = max(1000, min(CHUNK_CHARS, nlp.max_length - 1))
    short: list[SourceDoc] = []
    for doc in docs:
        pieces = _pieces(doc, limit)
        if len(pieces) == 1:
            short.append(doc)
            continue
        yield from _run(nlp, short, batch_size, limit)
        short = []
        yield _run_long(nlp, doc, pieces)
    yield from _run(nlp, short, batch_size, limit)
