"""Extraction stage with the real model: mentions, chunking of long texts, the cache, processes."""

from __future__ import annotations

from pelican.plugins.news_archive.cache import ExtractionCache
from pelican.plugins.news_archive.extract import _chunks, cache_key, decode, encode, extract_all, run_spacy
from pelican.plugins.news_archive.model import SourceDoc
from pelican.plugins.news_archive.nlp import model_id, model_identity

DOC = SourceDoc(key="a", title="Shoigu visits Tehran",
                text="Russian Defence Minister Sergei Shoigu met Mohammad Reza Ashtiani in Tehran.\n\n"
                     "The two men discussed the Caucasus.")


def test_mentions_carry_offsets_sentences_and_title_flag(nlp):
    [(ex, _, _)] = list(run_spacy(nlp, [DOC]))
    text = DOC.title + "\n\n" + DOC.text
    by_text = {m.text: m for m in ex.mentions}
    assert "Sergei Shoigu" in by_text
    for m in ex.mentions:
        assert text[m.start:m.end].split() == m.text.split()
    assert by_text["Tehran"].in_title or any(m.in_title for m in ex.mentions if m.text == "Tehran")
    assert not by_text["Sergei Shoigu"].in_title
    assert ex.title_end == len(DOC.title) and ex.lede_end > ex.title_end
    assert ex.terms and all(t == t.lower() for t in ex.terms)
    assert len(ex.fingerprint) > 0


def test_long_text_is_processed_in_chunks(nlp):
    paragraph = "Sergei Shoigu met Mohammad Reza Ashtiani in Tehran on Tuesday."
    long_doc = SourceDoc(key="long", title="", text="\n\n".join([paragraph] * 60))
    old = nlp.max_length
    nlp.max_length = 1200  # far below the text's length, so extraction must split it
    try:
        assert len(_chunks(long_doc.text, 1199)) > 1
        [(ex, _, _)] = list(run_spacy(nlp, [long_doc]))
    finally:
        nlp.max_length = old
    shoigu = [m for m in ex.mentions if m.text == "Sergei Shoigu"]
    assert len(shoigu) == 60
    for m in shoigu:  # offsets refer to the whole text, not to a chunk
        assert long_doc.text[m.start:m.end] == "Sergei Shoigu"


def test_chunks_cover_the_text_exactly():
    text = ("word " * 50 + "\n\n") * 40
    chunks = _chunks(text, 300)
    assert "".join(c for _, c in chunks) == text
    assert all(len(c) <= 300 for _, c in chunks)
    assert [off for off, _ in chunks] == sorted(off for off, _ in chunks)


def test_encode_decode_round_trip(nlp):
    [(ex, _, _)] = list(run_spacy(nlp, [DOC]))
    assert decode(encode(ex), "a") == ex


def test_model_identity_without_loading_matches_loaded_model(nlp):
    assert model_identity(None) == model_id(nlp)


def test_cache_hits_skip_the_model_and_bad_entries_are_redone(tmp_path, nlp):
    model = model_id(nlp)
    cache = ExtractionCache(tmp_path)
    first = extract_all([DOC], nlp, model, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    cache.close()

    def no_model():
        raise AssertionError("the model must not be needed on a cache hit")

    cache = ExtractionCache(tmp_path)
    assert extract_all([DOC], no_model, model, cache) == first
    assert cache.hits == 1
    cache.put_many({cache_key(DOC, model): b"\x93truncated"})
    assert extract_all([DOC], nlp, model, cache) == first  # damaged entry re-extracted
    cache.close()


def test_changed_text_or_model_changes_the_key():
    other = SourceDoc(key="a", title=DOC.title, text=DOC.text + " More.")
    assert cache_key(DOC, "m-1") != cache_key(other, "m-1")
    assert cache_key(DOC, "m-1") != cache_key(DOC, "m-2")
    assert cache_key(DOC, "m-1") == cache_key(SourceDoc(key="zzz", title=DOC.title, text=DOC.text), "m-1")


def test_parallel_extraction_gives_the_same_result_as_serial(nlp):
    docs = [SourceDoc(key=f"d{i}", title=f"Report {i}", text=f"Sergei Shoigu met official number {i} in Moscow.")
            for i in range(24)]
    serial = list(run_spacy(nlp, docs, n_process=1))
    parallel = list(run_spacy(nlp, docs, n_process=2, batch_size=4))
    assert [ex.key for ex, _, _ in parallel] == [d.key for d in docs]
    assert parallel == serial
    assert all(decode(blob, ex.key) == ex for ex, blob, _ in parallel)  # workers hand back the cache entry too


def test_workers_turn_their_own_documents_into_text(nlp):
    """The materialiser runs where the document is extracted (in a worker when there are several) and its
    warnings reach the caller."""
    texts = {f"d{i}": f"Sergei Shoigu met official number {i} in Moscow." for i in range(24)}
    texts["d5"] = ""
    docs = [SourceDoc(key=k, title=f"Report {k}", text="", token=k) for k in texts]

    def materialise(doc):
        text = texts[doc.key]
        problem = None if text else f"{doc.key}: no text"
        return SourceDoc(key=doc.key, title=doc.title, text=text, token=doc.token), problem

    for n in (1, 2):
        out = list(run_spacy(nlp, docs, n_process=n, batch_size=4, materialise=materialise))
        assert [problem for _, _, problem in out] == [None if t else f"{k}: no text" for k, t in texts.items()]
        assert all(any(m.text == "Sergei Shoigu" for m in ex.mentions) for ex, _, _ in out if texts[ex.key])


def test_documents_with_the_same_text_are_extracted_once(tmp_path, nlp):
    twin = SourceDoc(key="b", title=DOC.title, text=DOC.text)
    cache = ExtractionCache(tmp_path)
    result = extract_all([DOC, twin], nlp, model_id(nlp), cache)
    cache.close()
    assert result["b"].key == "b" and result["b"].mentions == result["a"].mentions
    assert (cache.hits, cache.misses) == (0, 2)


def test_results_slots_are_marked_and_datelines_are_not(nlp):
    doc = SourceDoc(key="r", title="CRICKET - ENGLISH COUNTY CHAMPIONSHIP SCORES",
                    text="LONDON 1996-08-30\n\nTunbridge Wells : Nottinghamshire 214 ( P. Johnson 84 ; "
                         "M. McCague 4-55 ) , Kent 108-3 .\n\nKent won in London on Friday.")
    [(ex, _, _)] = list(run_spacy(nlp, [doc]))
    assert [m.score for m in ex.mentions if m.text == "Kent"][0] is True  # "Kent 108-3" in a line of scores
    assert all(not m.score for m in ex.mentions if m.text.upper() == "LONDON")  # a dateline's date is no score


def test_the_streamlined_pipeline_lemmatises_content_words_like_the_full_one(nlp):
    import spacy
    from pelican.plugins.news_archive.nlp import resolve_model_name

    assert "parser" not in nlp.pipe_names and "senter" in nlp.pipe_names  # the lean pipeline is in use
    full = spacy.load(resolve_model_name(None))
    text = ("The ministers were discussing the sanctions that had been lifted, and the negotiators agreed on "
            "better terms for exporting defensive goods to the neighbouring countries.")
    content = ("NOUN", "PROPN", "VERB", "ADJ")
    lean = [(t.text, t.pos_, t.lemma_) for t in nlp(text) if t.pos_ in content and t.is_alpha and not t.is_stop]
    ref = [(t.text, t.pos_, t.lemma_) for t in full(text) if t.pos_ in content and t.is_alpha and not t.is_stop]
    assert lean == ref and len(lean) > 8
    assert [s.text for s in nlp("Iran and Tajikistan met. They agreed.").sents] == [
        "Iran and Tajikistan met.", "They agreed."]


def test_a_pipeline_without_a_senter_is_left_as_it_is():
    import spacy
    from pelican.plugins.news_archive.nlp import resolve_model_name, streamline

    other = spacy.load(resolve_model_name(None), exclude=["senter"])
    names = list(other.pipe_names)
    assert streamline(other) is False
    assert other.pipe_names == names
