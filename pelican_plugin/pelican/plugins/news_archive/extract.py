"""Stage 1: run spaCy over every article once and keep what later stages need, cached per article.

Only this stage pays for the model. Its output (:class:`~.model.Extraction`) is plain data, encoded with msgpack
(srsly, which spaCy already depends on) and stored under a key that changes whenever the text, the model or the
way mentions are extracted changes, so an unchanged article never meets spaCy twice.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from .cache import ExtractionCache
from .model import Extraction, Mention, SourceDoc

logger = logging.getLogger(__name__)

# The modules whose code decides what an Extraction holds: any change to them makes old cache entries stale.
EXTRACTION_CODE = ("extract.py", "spans.py", "pos.py", "nlp.py", "samestory.py", "model.py")
# spaCy labels worth keeping: everything but dates, times, quantities and numbers.
KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
TERM_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
PREV_TOKENS = 3


def analysed_text(doc: SourceDoc) -> tuple[str, int]:
    """The string spaCy reads (title, blank line, body) and where the title ends in it."""
    title = " ".join(doc.title.split())
    if title:
        return f"{title}\n\n{doc.text}", len(title)
    return doc.text, 0


@cache
def code_version() -> str:
    """Digest of the extraction code (:data:`EXTRACTION_CODE`), so that a changed plugin never reuses what an
    older one extracted."""
    here = Path(__file__).resolve().parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in EXTRACTION_CODE)).hexdigest()[:16]


def cache_key(doc: SourceDoc, model: str) -> str:
    """Key that changes with the text, the model, and the extraction code."""
    h = hashlib.sha256()
    for part in (code_version(), model, doc.title, doc.token or doc.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def encode(ex: Extraction) -> bytes:
    import srsly  # here, not at the top: it pulls in NumPy, and a warm build never encodes or decodes

    return srsly.msgpack_dumps({
        "key": ex.key,
        "m": [[m.text, m.label, m.start, m.end, m.sent, m.sent_start, m.in_title, list(m.prev), m.next,
               list(m.tags), list(m.lex), m.caps, m.paren, m.head, m.score] for m in ex.mentions],
        "t": list(ex.terms),
        "f": list(ex.fingerprint),
        "te": ex.title_end, "le": ex.lede_end, "ns": ex.n_sents,
    })


def decode(blob: bytes, key: str) -> Extraction:
    """Rebuild an extraction; raises on anything malformed so the caller can re-extract."""
    import srsly

    d = srsly.msgpack_loads(blob)
    mentions = tuple(
        Mention(text=str(t), label=str(lab), start=int(s), end=int(e), sent=int(se), sent_start=bool(ss),
                in_title=bool(it), prev=tuple(map(str, pv)), next=str(nx), tags=tuple(map(str, tg)),
                lex=tuple(map(str, lx)), caps=bool(cp), paren=str(pa), head=str(hd), score=bool(sc))
        for t, lab, s, e, se, ss, it, pv, nx, tg, lx, cp, pa, hd, sc in d["m"])
    return Extraction(key=key, mentions=mentions, terms=tuple(map(str, d["t"])),
                      fingerprint=tuple(int(x) for x in d["f"]), title_end=int(d["te"]),
                      lede_end=int(d["le"]), n_sents=int(d["ns"]))


def _chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """Split a text longer than spaCy's ``max_length`` at paragraph (else line, else hard) boundaries."""
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
    from .spans import is_number

    return sum(is_number(t) and not _is_year(t) for t in line) >= 2


def _mentions_and_terms(spacy_doc, offset: int, title_end: int, sent_base: int):
    from spacy.tokens import Token  # here, not at the top: a warm build never imports spaCy

    from .spans import LEX_ATTR, VERSUS, is_number

    mentions: list[Mention] = []
    sent_of: dict[int, int] = {}
    sent_starts: set[int] = set()
    caps_lines = _per_line(spacy_doc, _in_capitals)
    results = _per_line(spacy_doc, _of_results)
    n = 0
    for n, sent in enumerate(spacy_doc.sents, start=0):
        sent_starts.add(sent.start)
        for i in range(sent.start, sent.end):
            sent_of[i] = sent_base + n
    n_sents = n + 1 if len(spacy_doc) else 0
    for ent in spacy_doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        text = " ".join(ent.text.split())
        if not text:
            continue
        sent_idx = sent_of.get(ent.start, sent_base)
        prev: list[str] = []
        i = ent.start - 1
        while i >= 0 and len(prev) < PREV_TOKENS and i not in sent_starts and not spacy_doc[i].is_space:
            prev.insert(0, spacy_doc[i].text)
            i -= 1
        if i >= 0 and i in sent_starts and len(prev) < PREV_TOKENS and not spacy_doc[i].is_space:
            prev.insert(0, spacy_doc[i].text)
        nxt = spacy_doc[ent.end].text if ent.end < len(spacy_doc) else ""
        before = spacy_doc[ent.start - 1].text if ent.start else ""
        after = spacy_doc[ent.end] if ent.end < len(spacy_doc) else None
        score = (results[ent.start] and after is not None and is_number(after) and not _is_year(after)) \
            or nxt.lower() in VERSUS or before.lower() in VERSUS
        start = offset + ent.start_char
        mentions.append(Mention(
            text=text, label=ent.label_, start=start, end=offset + ent.end_char, sent=sent_idx,
            sent_start=ent.start in sent_starts, in_title=start < title_end, prev=tuple(prev), next=nxt,
            tags=tuple(t.tag_ for t in ent),
            lex=tuple(t._.get(LEX_ATTR) for t in ent) if Token.has_extension(LEX_ATTR) else (),
            caps=caps_lines[ent.start],
            paren=spacy_doc[ent.end + 1].text if ent.end + 2 < len(spacy_doc) and nxt == "("
            and spacy_doc[ent.end + 2].text == ")" else "",
            head=f"{ent.root.dep_}:{ent.root.head.lower_}" if ent.root.head.i not in range(ent.start, ent.end)
            else ent.root.dep_, score=score))
    terms = [t.lemma_.lower() for t in spacy_doc
             if t.pos_ in TERM_POS and t.is_alpha and not t.is_stop and len(t.text) > 1]
    return mentions, terms, n_sents


def extract_one(spacy_docs: Sequence[tuple[int, object]], doc: SourceDoc) -> Extraction:
    """Combine the spaCy docs of one article's chunks into its :class:`Extraction`."""
    from .samestory import fingerprint  # only on cache misses: datasketch is slow to import

    text, title_end = analysed_text(doc)
    mentions: list[Mention] = []
    terms: list[str] = []
    n_sents = 0
    for offset, sdoc in spacy_docs:
        m, t, n = _mentions_and_terms(sdoc, offset, title_end, n_sents)
        mentions.extend(m)
        terms.extend(t)
        n_sents += n
    body_start = title_end + 2 if title_end else 0
    para_end = text.find("\n\n", body_start)
    lede_end = para_end if para_end != -1 else len(text)
    return Extraction(key=doc.key, mentions=tuple(mentions), terms=tuple(terms),
                      fingerprint=fingerprint(doc.text or doc.title), title_end=title_end,
                      lede_end=lede_end, n_sents=n_sents)


def _choose_processes(setting: int, work: int) -> int:
    if setting:
        return setting
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # Workers are forked after the model is loaded, so they start at once and share its memory; still, a pool
    # only pays off with a few hundred articles to share.
    return min(cpus, 4) if work >= 300 and cpus > 1 else 1


# What a worker hands back per document: the extraction, its cache entry, and a warning about the text (or None).
Extracted = tuple[Extraction, bytes, str | None]
# Turns a document that carries only a ``token`` into one with its text, and says what is wrong with the text.
Materialise = Callable[[SourceDoc], tuple[SourceDoc, str | None]]


def _extract_serial(nlp, docs: Sequence[SourceDoc], batch_size: int,
                    materialise: Materialise | None = None) -> Iterator[Extracted]:
    """Extract documents in order with ``nlp.pipe`` in batches, long texts in chunks."""
    problems: list[str | None] = [None] * len(docs)
    if materialise is not None:
        docs = list(docs)
        for i, doc in enumerate(docs):
            docs[i], problems[i] = materialise(doc)
    limit = max(1000, nlp.max_length - 1)
    pieces: list[tuple[int, int, str]] = []  # (doc index, offset, text)
    for i, doc in enumerate(docs):
        text, _ = analysed_text(doc)
        for offset, chunk in _chunks(text, limit):
            pieces.append((i, offset, chunk))
    stream = nlp.pipe(((chunk, (i, off)) for i, off, chunk in pieces), as_tuples=True, batch_size=batch_size)
    current: int | None = None
    parts: list[tuple[int, object]] = []

    def done(i: int) -> Extracted:
        ex = extract_one(parts, docs[i])
        return ex, encode(ex), problems[i]

    for sdoc, (i, off) in stream:
        if current is not None and i != current:
            yield done(current)
            parts = []
        current = i
        parts.append((off, sdoc))
    if current is not None:
        yield done(current)


# The model and the materialiser, inherited by forked workers (set just before the pool forks).
_WORKER_NLP = None
_WORKER_MATERIALISE: Materialise | None = None


def _worker_batch(args: tuple[list[SourceDoc], int]) -> list[Extracted]:
    docs, batch_size = args
    return list(_extract_serial(_WORKER_NLP, docs, batch_size, _WORKER_MATERIALISE))


def run_spacy(nlp, docs: Sequence[SourceDoc], *, batch_size: int = 64, n_process: int = 0,
              progress: Callable[[int], None] | None = None,
              materialise: Materialise | None = None) -> Iterator[Extracted]:
    """Extractions in document order; several forked processes when there is enough work.

    Workers return compact :class:`Extraction` records (and their cache entries) rather than spaCy ``Doc``
    objects, so little crosses the process boundary; they inherit the already loaded model through ``fork``
    instead of loading their own, and turn their own share of the articles into text (``materialise``).
    """
    global _WORKER_NLP, _WORKER_MATERIALISE
    procs = _choose_processes(n_process, len(docs))
    if procs > 1 and "fork" in multiprocessing.get_all_start_methods():
        size = max(8, min(batch_size // 2, len(docs) // (procs * 4) or 1))
        batches = [(list(docs[i:i + size]), batch_size) for i in range(0, len(docs), size)]
        _WORKER_NLP, _WORKER_MATERIALISE = nlp, materialise
        try:
            with multiprocessing.get_context("fork").Pool(procs) as pool:
                for result in pool.imap(_worker_batch, batches):
                    yield from result
                    if progress:
                        progress(len(result))
        finally:
            _WORKER_NLP = _WORKER_MATERIALISE = None
        return
    for item in _extract_serial(nlp, docs, batch_size, materialise):
        yield item
        if progress:
            progress(1)


def extract_all(docs: Sequence[SourceDoc], nlp, model: str, cache: ExtractionCache | None = None, *,
                batch_size: int = 64, n_process: int = 0,
                progress_factory: Callable[[int], Callable[[int], None] | None] | None = None,
                materialise: Materialise | None = None,
                ) -> dict[str, Extraction]:
    """Extraction for every document, from the cache where possible; new results are written back.

    ``nlp`` is a loaded pipeline or a function returning one, called only when some document misses the cache.
    ``materialise`` turns a document that carries only a ``token`` into one with its text (and a warning about
    the text, logged here); it is called for cache misses only, so a warm build never pays for turning HTML into
    text. Documents with the same text are extracted once.
    """
    keys = {doc.key: cache_key(doc, model) for doc in docs}
    stored = cache.get_many(keys.values()) if cache is not None else {}
    result: dict[str, Extraction] = {}
    todo: list[SourceDoc] = []
    twins: dict[str, list[str]] = {}  # cache key → the other documents with that text
    first: dict[str, str] = {}
    for doc in docs:
        blob = stored.get(keys[doc.key])
        if blob is not None:
            try:
                result[doc.key] = decode(blob, doc.key)
                continue
            except Exception as exc:  # a damaged entry is re-extracted, never fatal
                logger.debug("news_archive: cache entry for %s unreadable (%s); re-extracting", doc.key, exc)
        if keys[doc.key] in first:
            twins.setdefault(keys[doc.key], []).append(doc.key)
            continue
        first[keys[doc.key]] = doc.key
        todo.append(doc)
    if cache is not None:
        cache.hits += len(result)
        cache.misses += len(docs) - len(result)
    if todo:
        progress = progress_factory(len(todo)) if progress_factory else None
        fresh: dict[str, bytes] = {}
        model_obj = nlp() if callable(nlp) and not hasattr(nlp, "pipe") else nlp
        for ex, blob, problem in run_spacy(model_obj, todo, batch_size=batch_size, n_process=n_process,
                                           progress=progress, materialise=materialise):
            if problem:
                logger.warning("%s", problem)
            result[ex.key] = ex
            for twin in twins.get(keys[ex.key], ()):
                result[twin] = replace(ex, key=twin)
            fresh[keys[ex.key]] = blob
            if cache is not None and len(fresh) >= 1000:
                cache.put_many(fresh)
                fresh = {}
        if cache is not None:
            cache.put_many(fresh)
    return result


def iter_texts(docs: Iterable[SourceDoc]) -> Iterator[str]:
    """The analysed strings, for callers (benchmarks) that run spaCy themselves."""
    for doc in docs:
        yield analysed_text(doc)[0]
