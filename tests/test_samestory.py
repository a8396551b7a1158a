"""Same-story detection: MinHash near-duplicates, story groups, and the same-story flag in relate (no spaCy)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from pelican.plugins.news_archive.analysis.extraction.fingerprint import fingerprint
from pelican.plugins.news_archive.analysis.relate import relate
from pelican.plugins.news_archive.analysis.samestory import (
    candidate_pairs,
    near_duplicate_pairs,
    similarity,
    story_groups,
)
from pelican.plugins.news_archive.model import EntityRef, Extraction

from .conftest import ROOT

WIRE = ("The defence ministers of the two countries met in the capital on Tuesday and agreed to set up a joint "
        "military committee that will plan training, exercises and the exchange of officers over the next three "
        "years, officials said after the talks. The visiting minister also toured several industrial sites.")
OTHER = ("Heavy rain flooded the coastal road overnight, cutting off three villages and forcing the regional "
         "government to open emergency shelters, while forecasters warned of more storms later in the week.")
THIRD = ("Shares in the carmaker rose sharply after it reported record quarterly sales in Asia and raised its "
         "forecast for the full year, citing strong demand for electric models and lower battery costs.")


def rewrite(text: str) -> str:
    """The same report with its own opening and closing, as another outlet runs the syndicated copy."""
    return "According to the state news agency, " + text + " The agency gave no further details."


def test_the_signature_is_datasketchs_minhash_value_for_value():
    """The fingerprint is computed without importing datasketch (half a second, on a correction's critical path),
    so it is checked against datasketch's own MinHash of the same shingles, on texts short and long."""
    from datasketch import MinHash
    from pelican.plugins.news_archive.analysis.extraction.fingerprint import NUM_PERM, SCHEME, SEED, shingles

    seeds = sorted((ROOT / "content").glob("*.md"))[:5]
    texts = [WIRE, OTHER, rewrite(THIRD), "Talks.", "One two three four", "One two three four five",
             *(p.read_text(encoding="utf-8") for p in seeds)]
    for text in texts:
        mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
        mh.update_batch(sorted(shingles(text)))
        assert fingerprint(text) == tuple(int(x) for x in mh.hashvalues)
    assert len(seeds) == 5


def test_making_a_fingerprint_does_not_import_datasketch():
    code = ("import sys; from pelican.plugins.news_archive.analysis.extraction.fingerprint import fingerprint; "
            "assert fingerprint('one two three four five six'); print('datasketch' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_near_duplicates_are_similar_and_unrelated_texts_are_not():
    assert similarity(fingerprint(WIRE), fingerprint(rewrite(WIRE))) >= 0.5
    assert similarity(fingerprint(WIRE), fingerprint(OTHER)) < 0.1
    assert similarity(fingerprint(""), fingerprint(WIRE)) == 0.0
    assert fingerprint("") == ()


def test_candidate_pairs_find_near_duplicates_only():
    sigs = {"a": fingerprint(WIRE), "b": fingerprint(rewrite(WIRE)), "c": fingerprint(OTHER),
            "d": fingerprint(THIRD), "e": ()}
    pairs = candidate_pairs(sigs, 0.2)
    assert list(pairs) == [("a", "b")]
    assert pairs[("a", "b")] >= 0.5


def test_near_duplicate_pairs_scale_without_all_pairs():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(5000)]
    texts = [" ".join(rng.choice(words, 60)) for _ in range(400)]
    texts[399] = texts[7] + " and one more sentence at the end"
    i, j, sim = near_duplicate_pairs([fingerprint(t) for t in texts], 0.2)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(7, 399)]
    assert sim[0] >= 0.6


def test_story_groups_join_through_a_shared_report_when_compatible():
    groups = story_groups(6, [(0, 1), (1, 3), (4, 5)], lambda a, b: np.ones(len(a), dtype=bool))
    assert groups == {0: [1, 3], 1: [0, 3], 3: [0, 1], 4: [5], 5: [4]}
    direct_only = story_groups(6, [(0, 1), (1, 3)], lambda a, b: np.zeros(len(a), dtype=bool))
    assert direct_only == {0: [1], 1: [0, 3], 3: [1]}
    capped = story_groups(6, [(0, 1), (1, 3)], lambda a, b: np.ones(len(a), dtype=bool), max_size=2)
    assert capped == {0: [1], 1: [0, 3], 3: [1]}


def _archive(dates: dict[str, str | None], datelines: dict[str, str | None] | None = None):
    texts = {"wire": WIRE, "copy": rewrite(WIRE), "flood": OTHER, "cars": THIRD}
    exs = {k: Extraction(key=k, mentions=(), terms=tuple(t.lower().split()), fingerprint=fingerprint(t))
           for k, t in texts.items()}
    tags = {k: [EntityRef(slug="minister", mentions=2, salience=3.0)] for k in ("wire", "copy")}
    return relate(exs, tags, dates, {"minister": "The Minister"}, threshold=0.0, same_story_max_days=2,
                  kinds={"minister": "PERSON"}, datelines=datelines)


def test_relate_flags_near_duplicates_as_same_story_first():
    related = _archive({"wire": "2021-04-06", "copy": "2021-04-07", "flood": "2021-04-06", "cars": None})
    assert related["wire"][0].key == "copy" and related["wire"][0].same_story
    assert related["copy"][0].key == "wire" and related["copy"][0].same_story
    assert related["wire"][0].shared == ("The Minister",)
    assert not any(r.same_story for r in related["flood"] + related["cars"])


def test_same_story_needs_dates_within_the_window():
    far = _archive({"wire": "2021-04-06", "copy": "2021-04-20", "flood": None, "cars": None})
    assert not any(r.same_story for r in far["wire"])
    undated = _archive({k: None for k in ("wire", "copy", "flood", "cars")})
    assert undated["wire"][0].same_story  # no dates: no date penalty


def test_same_event_in_other_words_needs_the_same_people_and_place():
    base = "minister defence visit talks committee military cooperation training officers capital agreed"
    exs = {
        "x": Extraction(key="x", mentions=(), terms=tuple(base.split() + ["tuesday", "tour"])),
        "y": Extraction(key="y", mentions=(), terms=tuple(base.split() + ["wednesday", "sites"])),
        "z": Extraction(key="z", mentions=(), terms=tuple(base.split() + ["friday", "border"])),
    }
    people = [EntityRef(slug="amir-hatami", mentions=3, salience=4.0),
              EntityRef(slug="sherali-mirzo", mentions=3, salience=4.0)]
    tags = {"x": people, "y": people, "z": [EntityRef(slug="someone-else", mentions=3, salience=4.0)]}
    kinds = {"amir-hatami": "PERSON", "sherali-mirzo": "PERSON", "someone-else": "PERSON"}
    dates = {"x": None, "y": None, "z": None}
    related = relate(exs, tags, dates, {}, threshold=0.0, kinds=kinds)
    assert [(r.key, r.same_story) for r in related["x"]][0] == ("y", True)
    assert not any(r.same_story for r in related["z"])
    # the same people, but filed from two different cities: two events
    apart = relate(exs, tags, dates, {}, threshold=0.0, kinds=kinds,
                   datelines={"x": "Tehran (IP) -", "y": "Dushanbe(IP) -", "z": None})
    assert not any(r.same_story for r in apart["x"])
