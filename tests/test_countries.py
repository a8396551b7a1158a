"""The countries stage on hand-built extractions: evidence, ambiguity, names that are not places, focus."""

from __future__ import annotations

import pytest
from pelican.plugins.news_archive.analysis import countries as C
from pelican.plugins.news_archive.analysis.countries import countries_for, dateline_evidence, file_countries
from pelican.plugins.news_archive.model import HEADLINE_WEIGHT, LEDE_WEIGHT, Extraction, Mention

TITLE = "A headline"


def build(*spans: tuple, title: str = TITLE, terms: tuple[str, ...] = ()) -> Extraction:
    """An extraction from (text, label[, sentence[, next token]]) spans.

    Sentence 0 is the title, sentence 1 the lede, later sentences the body; offsets follow from that.
    """
    mentions = []
    title_end = len(title)
    lede_end = title_end + 100
    defaults = (1, "")
    for i, span in enumerate(spans):
        text, label, sent, nxt = (*span, *defaults[len(span) - 2:])
        if sent == 0:
            start = max(0, title.find(text))
        elif sent == 1:
            start = title_end + 2 + i
        else:
            start = lede_end + 10 * sent + i
        mentions.append(Mention(text=text, label=label, start=start, end=start + len(text), sent=sent,
                                in_title=sent == 0, next=nxt))
    return Extraction(key="a", mentions=tuple(mentions), terms=terms, title_end=title_end, lede_end=lede_end,
                      n_sents=10)


def codes(refs, focus: bool | None = None) -> set[str]:
    return {r.code for r in refs if focus is None or r.focus == focus}


def test_aliases_and_cities_resolve():
    refs = countries_for(build(("U.S.", "GPE", 2), ("the Islamic Republic", "GPE", 3), ("Dushanbe", "GPE", 4)))
    assert codes(refs) == {"US", "IR", "TJ"}


def test_demonyms_are_evidence_but_weigh_less_than_names():
    refs = countries_for(build(("Iranian", "NORP", 2), ("Tajikistan", "GPE", 2)))
    by = {r.code: r for r in refs}
    assert set(by) == {"IR", "TJ"}
    assert by["IR"].score == C.DEMONYM_FACTOR and by["TJ"].score == 1.0


def test_a_country_tagged_norp_or_a_demonym_tagged_person_still_counts():
    refs = countries_for(build(("Tajikistan", "NORP", 2), ("Tajik", "PERSON", 3)))
    assert codes(refs) == {"TJ"} and refs[0].mentions == 2


def test_regions_are_never_filed():
    refs = countries_for(build(("Central Asia", "LOC", 2), ("the Middle East", "LOC", 2), ("West Asia", "LOC", 3),
                               ("Caucasus", "NORP", 3), ("Europe", "LOC", 4)))
    assert refs == []


def test_georgia_next_to_its_caucasus_neighbours_is_the_country():
    refs = countries_for(build(("Iran", "GPE", 1), ("the Caucasus", "LOC", 5), ("Armenia", "GPE", 6),
                               ("Georgia", "GPE", 6), ("Azerbaijan", "GPE", 6), ("the United States", "GPE", 3)))
    assert "GE" in codes(refs)
    assert all("Georgia" not in r.evidence for r in refs if r.code == "US")


def test_georgia_among_us_places_is_the_state():
    refs = countries_for(build(("Georgia", "GPE", 2), ("Atlanta", "GPE", 2), ("Alabama", "GPE", 3)))
    assert codes(refs) == {"US"}
    assert "Georgia" in refs[0].evidence


def test_georgia_with_a_us_dateline_is_the_state():
    refs = countries_for(build(("Georgia", "GPE", 2)), "ATLANTA, March 3 -")
    assert codes(refs) == {"US"}


def test_georgia_alone_is_the_country():
    assert codes(countries_for(build(("Georgia", "GPE", 2)))) == {"GE"}


def test_places_inside_organisation_names_are_not_mentions():
    # spaCy keeps "Shanghai Cooperation Organization" as one ORG: not a place. When it splits a place off, the
    # next word shows it is part of a name.
    refs = countries_for(build(("Iran", "GPE", 1), ("the Shanghai Cooperation Organization", "ORG", 3),
                               ("Heart of Asia", "LOC", 4), ("Istanbul", "GPE", 4, "Process"),
                               ("Uruguay", "GPE", 5, "Round")))
    assert codes(refs) == {"IR"}


def test_an_institution_of_a_country_belongs_to_it():
    refs = countries_for(build(("the Armed Forces of Iran", "ORG", 2), ("Bank of Japan", "ORG", 3),
                               ("University of Texas", "ORG", 4)))
    assert codes(refs) == {"IR", "JP"}


def test_a_currency_is_not_the_country():
    refs = countries_for(build(("U.S.", "GPE", 2, "dollar"), ("Australian", "NORP", 3, "dlr"), ("Japan", "GPE", 4)))
    assert codes(refs) == {"JP"}


def test_lower_case_words_are_not_places():
    assert countries_for(build(("china", "GPE", 2), ("turkey", "GPE", 3))) == []


@pytest.mark.parametrize(("dateline", "code"), [
    ("WASHINGTON, March 3 -", "US"), ("Tehran (IP) -", "IR"), ("Dushanbe(IP) -", "TJ"), ("Iran (IMNA) -", "IR"),
    ("PORTLAND, Ore., Feb 26 -", "US"), ("CAMBRIDGE, Mass, March 23 -", "US"), ("RICHMOND, Va. Feb 26 -", "US"),
    ("Scarborough, Ontario, Feb 26 -", "CA"), ("HAMILTON, Bermuda, March 2 -", "BM"), ("LONDON, April 7 -", "GB"),
    ("COMMACK, N.Y., Feb 26 -", "US"),
])
def test_dateline_evidence(dateline, code):
    ev = dateline_evidence(dateline)
    assert ev is not None and ev.codes[0] == code and ev.weight == C.DATELINE_WEIGHT


@pytest.mark.parametrize("dateline", [None, "", " - ", "(AP) -", "March 3 -", "<b>", "Xyzzy, March 3"])
def test_datelines_without_a_place(dateline):
    assert dateline_evidence(dateline) is None


def test_dateline_alone_files_the_article():
    refs = countries_for(build(), "WASHINGTON, March 3 -")
    assert [(r.code, r.focus, r.mentions) for r in refs] == [("US", True, 0)]


def test_focus_score_follows_the_documented_formula():
    ex = build(("Iran", "GPE", 0), ("Tajik", "NORP", 1), ("Iran", "GPE", 2), ("Afghanistan", "GPE", 3))
    by = {r.code: r for r in countries_for(ex, "Dushanbe (IP) -")}
    assert by["IR"].score == pytest.approx(HEADLINE_WEIGHT + 1.0)
    assert by["TJ"].score == pytest.approx(LEDE_WEIGHT * C.DEMONYM_FACTOR + C.DATELINE_WEIGHT)
    assert by["AF"].score == pytest.approx(1.0)
    assert by["IR"].focus and by["TJ"].focus and not by["AF"].focus


def test_headline_and_lede_outweigh_frequency_in_the_body():
    ex = build(("Japan", "GPE", 0), ("Japanese", "NORP", 1), ("U.S.", "GPE", 3), ("U.S.", "GPE", 4),
               ("U.S.", "GPE", 5))
    refs = countries_for(ex)
    assert refs[0].code == "JP" and refs[0].focus


def test_a_country_mentioned_once_in_passing_is_not_a_focus():
    refs = countries_for(build(("Iran", "GPE", 1), ("Iran", "GPE", 2), ("Iran", "GPE", 3), ("Syria", "GPE", 9)))
    assert codes(refs, focus=True) == {"IR"} and codes(refs, focus=False) == {"SY"}


def test_focus_comes_first_then_score_then_code():
    refs = countries_for(build(("Iran", "GPE", 0), ("Syria", "GPE", 3), ("Iraq", "GPE", 3)))
    assert [r.code for r in refs] == ["IR", "IQ", "SY"]
    assert refs[0].focus and not refs[1].focus


def test_all_caps_headline_names_spacy_missed_are_found():
    ex = build(title="JAPAN AND U.S. AGREE ON CHIPS, WEST GERMAN OFFICIAL SAYS")
    refs = countries_for(ex, None, "JAPAN AND U.S. AGREE ON CHIPS, WEST GERMAN OFFICIAL SAYS")
    assert codes(refs) == {"JP", "US", "DE"}


def test_headline_scan_skips_currencies_pronouns_and_names_spacy_marked():
    title = "LET US SEE: BANK OF JAPAN ISSUES U.S. DLR BOND"
    ex = build(("BANK OF JAPAN", "ORG", 0), title=title)
    # "US" is a pronoun, "U.S. DLR" a currency; "BANK OF JAPAN" is spaCy's ORG: an institution of Japan.
    assert codes(countries_for(ex, None, title)) == {"JP"}


def test_untagged_demonyms_corroborate_but_never_introduce_a_country():
    ex = build(("Tajikistan", "GPE", 2), terms=("tajik", "minister", "tajik", "polish", "visit"))
    by = {r.code: r for r in countries_for(ex)}
    assert set(by) == {"TJ"}  # "polish" the verb files nothing under Poland
    assert by["TJ"].score == pytest.approx(1.0 + 2 * C.DEMONYM_FACTOR)


def test_untagged_demonyms_do_not_count_words_spacy_already_tagged():
    ex = build(("Tajik", "NORP", 2), terms=("tajik",))
    assert countries_for(ex)[0].score == pytest.approx(C.DEMONYM_FACTOR)


def test_file_countries_covers_every_article_in_key_order():
    exs = {"b": build(("Iran", "GPE", 2)), "a": build()}
    out = file_countries(exs, {"a": "Tehran (IP) -"}, {"b": "Iran"})
    assert list(out) == ["a", "b"]
    assert codes(out["a"]) == {"IR"} and codes(out["b"]) == {"IR"}


# --- datelines in the text, and the outlet's home country --------------------------------------------------------

def opening(text: str, label: str, nxt: str) -> Extraction:
    """An article whose body opens with ``text`` (a dateline not moved into the metadata)."""
    start = len(TITLE) + 2
    m = Mention(text=text, label=label, start=start, end=start + len(text), sent=1, sent_start=True, next=nxt)
    return Extraction(key="a", mentions=(m,), title_end=len(TITLE), lede_end=start + 100, n_sents=3)


def test_a_dateline_in_the_text_files_its_country_whatever_spacy_labels_it():
    assert codes(countries_for(opening("Ashgabat", "PERSON", "(")), focus=True) == {"TM"}
    assert codes(countries_for(opening("Tehran", "ORG", "-")), focus=True) == {"IR"}
    # the same name opening an ordinary sentence is no dateline: a person stays a person
    assert countries_for(opening("Ashgabat", "PERSON", "said")) == []


def test_the_outlet_is_the_focus_only_of_an_article_that_names_no_place():
    empty = Extraction(key="a", mentions=(), title_end=len(TITLE), lede_end=100, n_sents=3)
    refs = countries_for(empty, source="Iran Press")
    assert [(r.code, r.focus, r.mentions) for r in refs] == [("IR", True, 0)]
    assert countries_for(empty, source="Reuters") == []  # a world agency has no home country
    assert countries_for(empty) == []
    placed = build(("France", "GPE", 1))
    assert codes(countries_for(placed, source="Iran Press")) == {"FR"}  # place evidence wins outright
    demonym = build(("French", "NORP", 1))
    assert codes(countries_for(demonym, source="Iran Press")) == {"FR"}
