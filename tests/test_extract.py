"""Extraction with the real model: mentions, long texts in pieces, the spaCy components by spaCy's conventions,
the worker processes, and the build state that spares spaCy on a rebuild."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from pelican.plugins.news_archive.analysis.extraction import extract as ext
from pelican.plugins.news_archive.analysis.extraction.nlp import lean_options, model_id, model_identity
from pelican.plugins.news_archive.analysis.extraction.workers import ProcessExtractor, extract_batch, readable_doc
from pelican.plugins.news_archive.analysis.pipeline import analyse, extraction_code, extraction_key
from pelican.plugins.news_archive.build.state import BuildState
from pelican.plugins.news_archive.model import SourceDoc
from pelican.plugins.news_archive.settings import ArchiveSettings

from .conftest import SOURCE

DOC = SourceDoc(key="a", title="Shoigu visits Tehran",
                text="Russian Defence Minister Sergei Shoigu met Mohammad Reza Ashtiani in Tehran.\n\n"
                     "The two men discussed the Caucasus.")


def one(nlp, doc: SourceDoc):
    [ex] = list(ext.extract_docs(nlp, [doc]))
    return ex


def test_mentions_carry_offsets_sentences_and_title_flag(nlp):
    ex = one(nlp, DOC)
    text = DOC.title + "\n\n" + DOC.text
    by_text = {m.text: m for m in ex.mentions}
    assert "Sergei Shoigu" in by_text
    for m in ex.mentions:
        assert text[m.start:m.end].split() == m.text.split()
    assert any(m.in_title for m in ex.mentions if m.text == "Tehran")
    assert not by_text["Sergei Shoigu"].in_title
    assert ex.title_end == len(DOC.title) and ex.lede_end > ex.title_end
    assert ex.terms and all(t == t.lower() for t in ex.terms)
    assert len(ex.fingerprint) > 0


def test_long_text_is_processed_in_pieces_with_whole_text_offsets(nlp, monkeypatch):
    paragraph = "Sergei Shoigu met Mohammad Reza Ashtiani in Tehran on Tuesday."
    long_doc = SourceDoc(key="long", title="", text="\n\n".join([paragraph] * 60))
    monkeypatch.setattr(ext, "CHUNK_CHARS", 1200)  # far below the text's length, so it must be cut
    assert len(ext.chunks(long_doc.text, 1199)) > 1
    ex = one(nlp, long_doc)
    shoigu = [m for m in ex.mentions if m.text == "Sergei Shoigu"]
    assert len(shoigu) == 60
    for m in shoigu:
        assert long_doc.text[m.start:m.end] == "Sergei Shoigu"
    sents = [m.sent for m in shoigu]  # sentence numbers run on across pieces
    assert sents == sorted(sents) and sents[-1] > sents[0] and ex.n_sents > sents[-1]


def test_text_beyond_the_analysed_length_yields_nothing(nlp, monkeypatch):
    monkeypatch.setattr(ext, "MAX_ANALYSED_CHARS", 200)
    doc = SourceDoc(key="x", title="", text="Sergei Shoigu met officials. " * 8 + "\n\n" + "Angela Merkel spoke. " * 40)
    names = {m.text for m in one(nlp, doc).mentions}
    assert "Sergei Shoigu" in names and "Angela Merkel" not in names


def test_chunks_cover_the_text_exactly():
    text = ("word " * 50 + "\n\n") * 40
    chunks = ext.chunks(text, 300)
    assert "".join(c for _, c in chunks) == text
    assert all(len(c) <= 300 for _, c in chunks)
    assert [off for off, _ in chunks] == sorted(off for off, _ in chunks)


def test_model_identity_without_loading_matches_loaded_model(nlp):
    assert model_identity(None) == model_id(nlp)


def test_the_lean_pipeline_lemmatises_content_words_like_the_full_one(nlp):
    import spacy
    from pelican.plugins.news_archive.analysis.extraction.nlp import resolve_model_name

    assert "parser" not in nlp.pipe_names and "senter" in nlp.pipe_names  # chosen by spacy.load(exclude=…)
    assert {"attribute_ruler", "lemmatizer"} <= set(nlp.disabled)
    full = spacy.load(resolve_model_name(None))
    text = ("The ministers were discussing the sanctions that had been lifted, and the negotiators agreed on "
            "better terms for exporting defensive goods to the neighbouring countries.")
    content = ("NOUN", "PROPN", "VERB", "ADJ")
    lean = [(t.text, t.pos_, t.lemma_) for t in nlp(text) if t.pos_ in content and t.is_alpha and not t.is_stop]
    ref = [(t.text, t.pos_, t.lemma_) for t in full(text) if t.pos_ in content and t.is_alpha and not t.is_stop]
    assert lean == ref and len(lean) > 8
    assert [s.text for s in nlp("Iran and Tajikistan met. They agreed.").sents] == [
        "Iran and Tajikistan met.", "They agreed."]


def test_components_follow_spacy_conventions_and_the_pipeline_serialises(nlp):
    import spacy

    analysis = nlp.analyze_pipes()
    summary = analysis["summary"]
    assert set(summary["news_archive_pos"]["assigns"]) == {"token.pos", "token.morph", "token.lemma"}
    assert "doc.ents" in summary["news_archive_spans"]["assigns"]
    assert not analysis["problems"]["news_archive_pos"]
    # The model's own lemmatizer tables are untouched, so the pipeline serialises and comes back the same.
    data = nlp.to_bytes()
    again = spacy.util.get_lang_class(nlp.lang).from_config(nlp.config).from_bytes(data)
    sample = "Defence Minister Sergei Shoigu visited Tehran and Dushanbe."
    assert [(e.text, e.label_) for e in again(sample).ents] == [(e.text, e.label_) for e in nlp(sample).ents]
    assert [t.lemma_ for t in again(sample)] == [t.lemma_ for t in nlp(sample)]


def test_components_honour_their_name(nlp):
    import spacy
    from pelican.plugins.news_archive.analysis.extraction import spans  # noqa: F401 - registers the factory

    blank = spacy.blank("en")
    pipe = blank.add_pipe("news_archive_spans", name="tidy")
    assert pipe.name == "tidy" and blank.pipe_names == ["tidy"]


def test_a_model_without_the_lean_parts_loads_as_configured(tmp_path):
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.to_disk(tmp_path / "tiny")
    assert lean_options(str(tmp_path / "tiny")) == {}


def test_workers_turn_html_into_text_and_say_what_is_wrong(nlp):
    docs = [SourceDoc(key=f"d{i}", title=f"Report {i}", text="",
                      html=f"<p>Sergei Shoigu met official number {i} in Moscow.</p>") for i in range(6)]
    docs.append(SourceDoc(key="empty", title="Only a headline about Moscow", text="", html="<script>x()</script>"))
    out = extract_batch(docs, None, 4)
    assert [ex.key for ex, _ in out] == [d.key for d in docs]
    assert all(any(m.text == "Sergei Shoigu" for m in ex.mentions) for ex, _ in out[:-1])
    assert out[-1][1] and "no body text" in out[-1][1]
    assert readable_doc(docs[0])[0].text == "Sergei Shoigu met official number 0 in Moscow."


def test_worker_processes_give_what_this_process_gives(nlp):
    docs = [SourceDoc(key=f"d{i}", title=f"Report {i}", text=f"Sergei Shoigu met official number {i} in Moscow.")
            for i in range(12)]
    here = list(ext.extract_docs(nlp, docs))
    pool = ProcessExtractor(None, 2, batch_size=4)
    try:
        there = [ex for ex, _ in pool.extract(docs)]
    finally:
        pool.close()
    assert there == here


def test_the_workers_get_the_work_before_its_results_are_read(nlp):
    """The batches go to the worker processes when ``extract`` is called, not when its results are first read:
    the build does other work meanwhile. (A pool shut down after the call still gives every result.)"""
    docs = [SourceDoc(key=f"d{i}", title=f"Report {i}", text=f"Sergei Shoigu met official number {i} in Moscow.")
            for i in range(6)]
    pool = ProcessExtractor(None, 1, batch_size=4)
    try:
        stream = pool.extract(docs)
        pool._pool.shutdown(wait=True)  # no new work can be handed over from here on
        assert [ex.key for ex, _ in stream] == [d.key for d in docs]
    finally:
        pool.close()


def test_the_build_works_while_spacy_does(nlp, monkeypatch):
    """The analysis hands the articles to the extractor, then prepares the archive-wide stages (imports SciPy…)
    while the workers run, and only then waits for them."""
    from pelican.plugins.news_archive.analysis import pipeline

    order: list[str] = []

    class Backend:
        def __call__(self, work):
            return self

        def extract(self, docs, progress=None):
            order.append("handed")
            return self._results(docs)

        def _results(self, docs):
            order.append("read")
            for d in docs:
                yield next(ext.extract_docs(nlp, [readable_doc(d)[0]])), None

        def close(self):
            pass

    monkeypatch.setattr(pipeline, "_stage_modules", lambda: order.append("meanwhile"))
    analyse([DOC], ArchiveSettings(), None, model=model_id(nlp), extractor=Backend())
    assert order == ["handed", "meanwhile", "read"]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in fh)
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states from /proc (Linux)")
def test_the_workers_of_a_build_killed_outright_end_with_it():
    """A build killed with SIGKILL (the out-of-memory killer) cannot shut its pool down: its worker processes
    notice that their build is gone and end, instead of holding a model each for ever."""
    script = (
        "import os, signal, sys, pelican.plugins\n"
        "pelican.plugins.__path__ = [sys.argv[1], *pelican.plugins.__path__]\n"
        "from pelican.plugins.news_archive.analysis.extraction.workers import ProcessExtractor\n"
        "pool = ProcessExtractor('no_such_model_xyz', 2)\n"
        "[f.result() for f in pool._loading]\n"
        "print(' '.join(str(p) for p in pool._pool._processes), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    # Orphaned workers would keep the output pipe open, so this waits for them as well.
    proc = subprocess.run([sys.executable, "-c", script, str(SOURCE)], stdout=subprocess.PIPE, text=True, timeout=60)
    pids = [int(p) for p in proc.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    assert not [p for p in pids if _alive(p)]


def test_a_missing_model_is_one_clear_error():
    from pelican.plugins.news_archive.analysis.extraction.nlp import ModelError

    pool = ProcessExtractor("no_such_model_xyz", 1)
    try:
        with pytest.raises(ModelError, match="NEWS_ARCHIVE_SPACY_MODEL"):
            list(pool.extract([DOC]))
    finally:
        pool.close()


class CountingExtractor:
    """A backend that extracts in this process and counts what it is asked for."""

    def __init__(self, nlp) -> None:
        self.nlp, self.asked = nlp, []

    def __call__(self, work: int) -> CountingExtractor:
        return self

    def extract(self, docs, progress=None):
        self.asked += [d.key for d in docs]
        for d in docs:
            ready, problem = readable_doc(d)
            yield next(ext.extract_docs(self.nlp, [ready])), problem


def test_the_build_state_spares_spacy_and_redoes_damaged_entries(tmp_path, nlp):
    model = model_id(nlp)
    settings = ArchiveSettings()
    counting = CountingExtractor(nlp)
    twin = SourceDoc(key="b", title=DOC.title, text=DOC.text)
    with BuildState(tmp_path) as state:
        first = analyse([DOC, twin], settings, state, model=model, extractor=counting)
    assert counting.asked == ["a"]  # the same text is extracted once
    assert first.cache_misses == 1 and not first.reused

    def refuse(work):
        raise AssertionError("spaCy must not be needed when nothing changed")

    with BuildState(tmp_path) as state:
        again = analyse([DOC, twin], settings, state, model=model, extractor=refuse)
    assert again.reused and again.entities == first.entities and again.related == first.related
    other = SourceDoc(key="c", title="Another report", text="Sergei Shoigu arrived in Dushanbe.")
    with BuildState(tmp_path) as state:
        grown = analyse([DOC, twin, other], settings, state, model=model, extractor=counting)
    assert counting.asked == ["a", "c"] and grown.cache_misses == 1
    # Damage the stored extraction and its brief: it is made again, not fatal. (A damaged extraction whose brief
    # is sound is made again when a stage reads it whole: test_build_state.)
    with BuildState(tmp_path) as state:
        key = extraction_key(other, extraction_code(model))
        for kind in ("extraction", "brief"):
            state._run("UPDATE records SET value = ? WHERE kind = ? AND key = ?", [b"NA3\x00junk", kind, key])
        state._run("DELETE FROM slots WHERE name = 'archive'")
    with BuildState(tmp_path) as state:
        redone = analyse([DOC, twin, other], settings, state, model=model, extractor=counting)
    assert counting.asked == ["a", "c", "c"] and redone.entities == grown.entities


def test_changed_text_code_or_model_changes_the_key():
    code = extraction_code("m-1")
    other = SourceDoc(key="a", title=DOC.title, text=DOC.text + " More.")
    assert extraction_key(DOC, code) != extraction_key(other, code)
    assert extraction_key(DOC, code) != extraction_key(DOC, extraction_code("m-2"))
    assert extraction_key(DOC, code) == extraction_key(SourceDoc(key="zzz", title=DOC.title, text=DOC.text), code)


def test_results_slots_are_marked_and_datelines_are_not(nlp):
    doc = SourceDoc(key="r", title="CRICKET - ENGLISH COUNTY CHAMPIONSHIP SCORES",
                    text="LONDON 1996-08-29\n\nLondon ( The Oval ) : Warwickshire 195 ( A. Giles 50 ; "
                         "B. Julian 4-66 , C. Lewis 4-45 ) , Surrey 82-0 .\n\nSurrey won in London on Friday.")
    ex = one(nlp, doc)
    assert [m.score for m in ex.mentions if m.text == "Surrey"][0] is True  # "Surrey 82-0" in a line of scores
    assert all(not m.score for m in ex.mentions if m.text.upper() == "LONDON")  # a dateline's date is no score
