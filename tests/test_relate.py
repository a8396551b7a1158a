"""Unit tests of the related-articles stage (relate.py) on hand-built extractions and tags: no spaCy, no Pelican."""

from __future__ import annotations

import random

import numpy as np
from pelican.plugins.news_archive.analysis.relate import candidates, relate, text_matrix, top_per_row
from pelican.plugins.news_archive.model import EntityRef, Extraction
from scipy import sparse


def ex(key: str, words: str) -> Extraction:
    return Extraction(key=key, mentions=(), terms=tuple(words.split()))


def refs(*slugs: str, salience: float = 2.0) -> list[EntityRef]:
    return [EntityRef(slug=s, mentions=2, salience=salience) for s in slugs]


def archive():
    """a shares a rare person with b and a common country with c; their texts are equally (and loosely) close."""
    exs = {
        "a": ex("a", "alpha beta talks minister visit border trade"),
        "b": ex("b", "alpha gamma court judge ruling appeal law"),
        "c": ex("c", "beta delta storm rain flood damage coast"),
    }
    tags = {"a": refs("rare-person", "iran"), "b": refs("rare-person"), "c": refs("iran")}
    for i in range(6):  # "iran" is everywhere, the rare person is not
        key = f"filler{i}"
        exs[key] = ex(key, f"weather{i} football{i} recipe{i}")
        tags[key] = refs("iran")
    names = {"rare-person": "Rare Person", "iran": "Iran"}
    return exs, tags, {k: None for k in exs}, names


def test_a_shared_rare_person_counts_more_than_a_shared_common_country():
    exs, tags, dates, names = archive()
    related = relate(exs, tags, dates, names, threshold=0.0)
    assert [r.key for r in related["a"]][:2] == ["b", "c"]
    first, second = related["a"][:2]
    assert first.score > second.score
    assert first.shared == ("Rare Person",)
    assert second.shared == ("Iran",)


def test_explanation_lists_the_rarest_shared_entity_first():
    exs, tags, dates, names = archive()
    tags["b"] = refs("iran", "rare-person")  # order in the article's tags does not matter
    related = relate(exs, tags, dates, names, threshold=0.0)
    assert related["a"][0].key == "b"
    assert related["a"][0].shared == ("Rare Person", "Iran")


def test_threshold_drops_weak_links():
    exs, tags, dates, names = archive()
    assert relate(exs, tags, dates, names, threshold=0.0)["a"]
    assert relate(exs, tags, dates, names, threshold=0.99)["a"] == []
    # fillers share nothing with a: never linked, whatever the threshold
    assert all(not r.key.startswith("filler") for r in relate(exs, tags, dates, names, threshold=0.0)["a"])


def test_count_limits_the_links():
    exs, tags, dates, names = archive()
    assert [r.key for r in relate(exs, tags, dates, names, count=1, threshold=0.0)["a"]] == ["b"]
    assert len(relate(exs, tags, dates, names, count=5, threshold=0.0)["a"]) == 2


def test_ties_go_to_the_newer_article_then_the_slug():
    exs = {k: ex(k, "oil price opec output") for k in ("q", "x", "y", "z")}
    exs["q"] = ex("q", "oil price opec quota")
    tags = {k: refs("opec") for k in exs}
    dates = {"q": "2020-01-01", "x": "2020-01-02", "y": "2020-03-01", "z": "2020-01-02"}
    # identical x, y, z: same score for q; an organisation is no actor of an event, so no same-story link
    kinds = {"opec": "ORG"}
    related = relate(exs, tags, dates, {"opec": "OPEC"}, threshold=0.0, kinds=kinds)
    assert [r.key for r in related["q"]] == ["y", "x", "z"]
    assert len({r.score for r in related["q"]}) == 1
    # undated articles count as oldest
    dates["y"] = None
    related = relate(exs, tags, dates, {"opec": "OPEC"}, threshold=0.0, kinds=kinds)
    assert [r.key for r in related["q"]] == ["x", "z", "y"]


def test_same_input_in_any_order_gives_the_same_output():
    exs, tags, dates, names = archive()
    expected = relate(exs, tags, dates, names, threshold=0.0)
    keys = list(exs)
    for seed in range(3):
        random.Random(seed).shuffle(keys)
        shuffled_exs = {k: exs[k] for k in keys}
        shuffled_tags = {k: list(reversed(tags[k])) for k in reversed(keys)}
        assert relate(shuffled_exs, shuffled_tags, dates, names, threshold=0.0) == expected


def test_weights_switch_the_entity_part_off_and_recency_on():
    exs, tags, dates, names = archive()
    text_only = relate(exs, tags, dates, names, threshold=0.0, weights=(0.0, 1.0, 0.0))
    assert text_only["a"][0].score == text_only["a"][1].score  # b and c are equally close in text
    dates = {**dates, "a": "2021-05-01", "c": "2021-05-02", "b": "2019-01-01"}
    recent = relate(exs, tags, dates, names, threshold=0.0, weights=(0.0, 1.0, 0.5))
    assert [r.key for r in recent["a"]][:2] == ["c", "b"]


def test_empty_and_entity_free_archives():
    assert relate({}, {}, {}, {}) == {}
    exs = {"a": ex("a", ""), "b": ex("b", "")}
    assert relate(exs, {}, {"a": None, "b": None}, {}) == {"a": [], "b": []}
    exs = {"a": ex("a", "alpha beta"), "b": ex("b", "alpha beta gamma")}
    related = relate(exs, {}, {"a": None, "b": None}, {}, threshold=0.0)
    assert [r.key for r in related["a"]] == ["b"] and related["a"][0].shared == ()


def test_top_per_row_keeps_the_largest_values():
    m = sparse.csr_matrix(np.array([[0.1, 0.5, 0.3, 0.0], [0.0, 0.0, 0.2, 0.0], [0.4, 0.4, 0.4, 0.1]],
                                   dtype=np.float32))
    top = top_per_row(m, 2).toarray()
    expected = np.array([[0.0, 0.5, 0.3, 0.0], [0.0, 0.0, 0.2, 0.0], [0.4, 0.4, 0.0, 0.0]], dtype=np.float32)
    assert np.array_equal(top, expected)


def test_candidates_are_bounded_per_article_and_never_the_article_itself():
    rng = random.Random(0)
    words = [f"w{i}" for i in range(40)]
    exs = {f"k{i:03d}": ex(f"k{i:03d}", " ".join(rng.choices(words, k=12))) for i in range(300)}
    keys = sorted(exs)
    text = text_matrix(keys, exs)
    i, j = candidates(text, 7)
    assert len(i) and not np.any(i == j)
    assert np.bincount(i, minlength=len(keys)).max() <= 7
    assert np.allclose(sparse.linalg.norm(text, axis=1), 1.0)


def test_the_strongest_few_of_the_strongest_many_are_the_strongest_few():
    # candidates() takes each article's query lemmas from its ROW_TERMS strongest, not from the whole row: the
    # same entries, ties (many equal weights) included.
    import numpy as np
    from scipy import sparse

    rng = np.random.default_rng(7)
    m = sparse.random(50, 400, density=0.3, format="csr", random_state=rng)
    m.data = np.round(m.data * 4) / 4  # few distinct values: ties everywhere
    m.eliminate_zeros()
    for many, few in ((60, 12), (20, 5), (3, 3)):
        direct, nested = top_per_row(m, few), top_per_row(top_per_row(m, many), few)
        assert (direct != nested).nnz == 0
        assert np.array_equal(direct.indices, nested.indices) and np.array_equal(direct.indptr, nested.indptr)


def test_a_page_shows_a_links_score_to_two_decimals():
    """The article page's link carries its score as shown (two decimals): a correction that moves scores in the
    fourth decimal leaves the other pages' keys as they were. archive.json keeps the stage's four."""
    from pelican.plugins.news_archive.model import EntityIndex, RelatedRef
    from pelican.plugins.news_archive.site.presentation import Teaser, article_views

    teasers = {k: Teaser(slug=k, url=f"articles/{k}/", title=k, headline=k, date=None, date_iso=None,
                         date_unknown=True, locale_date="", source=None, dateline=None, title_derived=None)
               for k in ("b", "c")}
    related = [RelatedRef(key="b", score=0.41237), RelatedRef(key="c", score=0.41241)]
    views = article_views("a", EntityIndex(), {}, (), related, teasers, (), 0, 5)
    assert [v.score for v in views.news_related] == [0.41, 0.41]
    assert views.news_related[0] == article_views("a", EntityIndex(), {}, (), [RelatedRef(key="b", score=0.4129)],
                                                  teasers, (), 0, 5).news_related[0]
