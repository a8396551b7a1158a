"""Canonicalisation of hand-built mentions (no spaCy, no Pelican): one publishable entity per real-world thing.

The mentions are written the way the extraction stage records spaCy's spans (label, neighbouring tokens, tags,
the parse's head), so every rule is exercised on exactly the evidence it reads.
"""

from __future__ import annotations

import random

from pelican.plugins.news_archive.analysis.canonicalise import canonicalise
from pelican.plugins.news_archive.analysis.canonicalise.mentions import clean_mention
from pelican.plugins.news_archive.analysis.canonicalise.spelling import is_acronym_of, skeleton, spelling_variants
from pelican.plugins.news_archive.model import Extraction, Mention


def m(text: str, label: str = "PERSON", *, start: int = 100, sent: int = 1, **kw) -> Mention:
    n = len(text.split())
    kw.setdefault("tags", ("NNP",) * n)
    kw.setdefault("lex", ("",) * n)
    return Mention(text=text, label=label, start=start, end=start + len(text), sent=sent, **kw)


def ex(key: str, *mentions: Mention, lede_end: int = 50) -> Extraction:
    return Extraction(key=key, mentions=tuple(mentions), lede_end=lede_end, n_sents=10)


def tags(index, key: str) -> list[tuple[str, str]]:
    return [(index.entities[r.slug].name, index.entities[r.slug].type) for r in index.by_article[key]]


def entity(index, name: str):
    found = [e for e in index.entities.values() if e.name == name]
    assert len(found) == 1, (name, sorted(e.name for e in index.entities.values()))
    return found[0]


# --- titles, ranks and honorifics ------------------------------------------------------------------------------

def test_titles_and_ranks_are_stripped_from_person_names():
    idx = canonicalise({"a": ex("a", m("Brigadier General Amir Hatami"), m("Colonel-General Sherali Mirzo", start=200),
                                m("Lt. Gen. Qassem Soleimani", start=300), m("President Hassan Rouhani", start=400),
                                m("Tajik Defense Minister Sherali Mirzo", start=500))})
    assert sorted(n for n, _ in tags(idx, "a")) == ["Amir Hatami", "Hassan Rouhani", "Qassem Soleimani",
                                                    "Sherali Mirzo"]
    assert entity(idx, "Sherali Mirzo").type == "PERSON"


def test_lone_titles_and_ranks_are_no_tags():
    for text, label in [("Major-General", "ORG"), ("Top Cmdr", "PERSON"), ("Brigadier General", "ORG"),
                        ("President", "PERSON"), ("Tajik Minister of", "PERSON"), ("Minister of Defense", "ORG"),
                        ("the Chief of Staff of the Armed Forces", "ORG")]:
        assert clean_mention(m(text, label)) is None, text


def test_person_keeps_a_word_that_is_only_part_of_a_title():
    assert clean_mention(m("General Motors", "ORG"))[0] == "General Motors"
    assert clean_mention(m("Chad Smith"))[0] == "Chad Smith"  # a country name is no title


# --- short forms --------------------------------------------------------------------------------------------------

def test_surname_resolves_to_the_full_name_in_the_article():
    idx = canonicalise({"a": ex("a", m("Brigadier General Amir Hatami"), m("Hatami", start=300, sent=3),
                                m("Hatami", "ORG", start=400, sent=4))})
    assert tags(idx, "a") == [("Amir Hatami", "PERSON")]
    assert idx.by_article["a"][0].mentions == 3
    assert entity(idx, "Amir Hatami").aliases == ("Hatami",)


def test_surname_resolves_across_the_archive_only_when_unambiguous():
    idx = canonicalise({
        "a": ex("a", m("Mohammad Javad Zarif")),
        "b": ex("b", m("FM Zarif")),
        "c": ex("c", m("Imran Khan")), "d": ex("d", m("Sadiq Khan")), "e": ex("e", m("Khan")),
    })
    assert tags(idx, "b") == [("Mohammad Javad Zarif", "PERSON")]
    assert tags(idx, "e") == [("Khan", "PERSON")]  # two Khans in the archive: left alone


def test_place_labelled_surname_resolves_to_the_person():
    idx = canonicalise({"a": ex("a", m("Sergei Shoigu"), m("Shoigu", "GPE", start=300, sent=3))})
    assert tags(idx, "a") == [("Sergei Shoigu", "PERSON")]


# --- transliteration variants -----------------------------------------------------------------------------------

def test_skeleton_and_spelling_variants():
    assert skeleton("Bagheri") == skeleton("Baqeri")
    assert skeleton("Ibrahim") == skeleton("Ebrahim")
    assert spelling_variants("Mohammad Bagheri", "Mohammad Baqeri")
    assert spelling_variants("Ibrahim Raisi", "Ebrahim Raisi")
    assert not spelling_variants("Mohammad Bagheri", "Mohammad Baqer")
    assert not spelling_variants("Amir Hatami", "Amir Hatamian")


def test_variants_with_the_same_rank_are_one_person():
    idx = canonicalise({
        "a": ex("a", m("Mohammad Bagheri", prev=(",", "Major", "General"))),
        "b": ex("b", m("Mohammad Baqeri", prev=("Major", "-", "General")), m("Baqeri", start=300, sent=4)),
        "c": ex("c", m("Mohammad Baqeri", prev=("from", "Major", "General"))),
    })
    e = entity(idx, "Mohammad Baqeri")  # the spelling most articles use
    assert e.type == "PERSON" and "Mohammad Bagheri" in e.aliases and "Baqeri" in e.aliases
    assert tags(idx, "a") == [("Mohammad Baqeri", "PERSON")]


def test_variants_with_shared_company_are_one_person():
    idx = canonicalise({
        "a": ex("a", m("Ibrahim Raisi"), m("Emomali Rahmon", start=200), m("Sherali Mirzo", start=300)),
        "b": ex("b", m("Ebrahim Raisi"), m("Emomali Rahmon", start=200), m("Sherali Mirzo", start=300)),
    })
    assert len([e for e in idx.entities.values() if e.name.endswith("Raisi")]) == 1


def test_similar_names_of_two_different_people_stay_apart():
    # Same consonant skeleton, close spelling, but nothing in common: no shared title, no shared company.
    idx = canonicalise({
        "a": ex("a", m("Ali Rezaei"), m("Tehran Stock Exchange", "ORG", start=200), m("Hassan Rouhani", start=300)),
        "b": ex("b", m("Ali Rezai"), m("Chelsea", "ORG", start=200), m("Jose Mourinho", start=300)),
    })
    assert entity(idx, "Ali Rezaei") != entity(idx, "Ali Rezai")
    # Two spellings side by side in one article are two people as well.
    idx = canonicalise({"a": ex("a", m("Ali Rezaei", prev=("Major", "General")),
                                m("Ali Rezai", start=300, prev=("Major", "General")))})
    assert len(idx.by_article["a"]) == 2


# --- acronyms ---------------------------------------------------------------------------------------------------

def test_acronym_paired_in_the_text_is_an_alias():
    assert is_acronym_of("IRPT", "Islamic Renaissance Party")
    assert is_acronym_of("MNA", "Mehr News Agency")
    assert not is_acronym_of("NBA", "Mehr News Agency")
    idx = canonicalise({
        "a": ex("a", m("the Islamic Renaissance Party", "ORG", paren="IRPT")),
        "b": ex("b", m("IRPT", "ORG")),
        "c": ex("c", m("Mehr News Agency", "ORG", paren="MNA"), m("MNA", "ORG", start=200, prev=("Agency", "("))),
    })
    irp = entity(idx, "Islamic Renaissance Party")
    assert irp.aliases == ("IRPT",) and tags(idx, "b") == [("Islamic Renaissance Party", "ORG")]
    assert len(idx.by_article["c"]) == 1


# --- types ------------------------------------------------------------------------------------------------------

def test_places_and_countries_are_never_people_or_organisations():
    idx = canonicalise({
        "a": ex("a", m("Ashgabat", "PERSON", head="nsubj:believes"), m("Tajikistan", "NORP", start=200),
                m("Dushanbe", "ORG", start=300)),
        "b": ex("b", m("Dushanbe", "GPE"), m("the Islamic Republic of Iran", "GPE", start=200),
                m("Iran", "GPE", start=300), m("Central Asia", "NORP", start=400)),
    })
    assert dict(tags(idx, "a")) == {"Ashgabat": "GPE", "Tajikistan": "GPE", "Dushanbe": "GPE"}
    assert entity(idx, "Iran").aliases == ("Islamic Republic of Iran",)
    assert entity(idx, "Central Asia").type == "LOC"


def test_type_vote_with_the_parse_and_knowledge():
    idx = canonicalise({
        "a": ex("a", m("Ibrahim Raisi", "ORG", head="appos:president", prev=("Iran", ","))),
        "b": ex("b", m("Volkswagen AG", "PERSON"), m("Guy Forget", "ORG", start=200), m("Davis Cup", "ORG", start=300)),
    })
    assert entity(idx, "Ibrahim Raisi").type == "PERSON"
    assert entity(idx, "Volkswagen AG").type == "ORG"
    assert entity(idx, "Guy Forget").type == "PERSON"
    assert entity(idx, "Davis Cup").type == "EVENT"


def test_demonyms_and_groups_are_no_tags_by_default():
    idx = canonicalise({"a": ex("a", m("Tajik", "PERSON"), m("Iranian", "NORP", start=200, tags=("JJ",)),
                                m("Tajiks", "NORP", start=300), m("Kurds", "ORG", start=400),
                                m("Islamic", "NORP", start=500), m("Iran", "GPE", start=600))})
    assert tags(idx, "a") == [("Iran", "GPE")]
    with_groups = canonicalise({"a": ex("a", m("Kurds", "ORG"), m("Tajik", "NORP", start=200))},
                               types=("PERSON", "ORG", "GPE", "NORP"))
    assert tags(with_groups, "a") == [("Kurds", "NORP")]


# --- junk -------------------------------------------------------------------------------------------------------

def test_junk_is_dropped():
    idx = canonicalise({"a": ex(
        "a",
        m("IP", "ORG", start=8, prev=("Tehran", "("), next=")"),  # a news agency's code in the dateline
        m("PressIran", "ORG", start=30, prev=("Iran",), next="news"),  # byline glued to the place
        m("Recall", "GPE", start=400, sent=5, sent_start=True, next=",", lex=("nv",)),  # sentence-initial word
        m("Defense", "ORG", start=500, next="Minister", head="compound:minister", lex=("n",)),  # part of a title
        m("IRNA", "ORG", start=600),  # the article's own outlet
        m("related news", "ORG", start=700),
        m("Amir Hatami", start=800))}, sources={"a": "IRNA"})
    assert tags(idx, "a") == [("Amir Hatami", "PERSON")]


def test_periods_of_time_are_no_tags_but_a_month_alone_may_be_a_name():
    for text, label in [("Aug/Sept", "ORG"), ("March-April", "ORG"), ("Oct/Dec", "GPE"), ("June/July 1987", "ORG")]:
        assert clean_mention(m(text, label)) is None, text
    assert clean_mention(m("May", "PERSON")) is not None  # Theresa May
    assert clean_mention(m("Mar del Plata", "GPE")) is not None  # not only date words


def test_amounts_and_lone_legal_forms_are_no_tags():
    for text, label in [("U.S. Dlrs", "PERSON"), ("Mthly", "ORG"), ("Mln Dlrs", "ORG"), ("Co", "ORG"),
                        ("Corp.", "ORG"), ("Inc", "ORG")]:
        assert clean_mention(m(text, label)) is None, text
    for text in ("CTS Corp", "Boeing Co", "Dollar General"):  # a company is a name, its legal form with it
        assert clean_mention(m(text, "ORG")) is not None, text


def test_an_ordinary_noun_opening_a_sentence_needs_the_archive_to_confirm_it():
    # "Showers continued throughout the week", "Software makers …": the recogniser's ORG, an ordinary noun
    opening = {"a": ex("a", m("Showers", "ORG", sent_start=True, next="continued", lex=("n",)),
                       m("Amir Hatami", start=300))}
    assert tags(canonicalise(opening), "a") == [("Amir Hatami", "PERSON")]
    # the same word as a name elsewhere (mid-sentence, tagged a proper noun) keeps it as a tag
    confirmed = dict(opening, b=ex("b", m("Showers", "ORG", sent=3, prev=("said",), lex=("n",))))
    assert ("Showers", "ORG") in tags(canonicalise(confirmed), "a")
    # an acronym, or a name of several tokens that begins with an ordinary word, is a name where it opens
    names = {"c": ex("c", m("FBI", "ORG", sent_start=True, next="said", lex=("n",)),
                     m("Shin-Etsu", "ORG", start=300, sent=4, sent_start=True, next="said", lex=("n", "", "")))}
    assert sorted(tags(canonicalise(names), "c")) == [("FBI", "ORG"), ("Shin-Etsu", "ORG")]


def test_weak_mentions_survive_when_the_archive_confirms_them():
    idx = canonicalise({
        "a": ex("a", m("LEICESTERSHIRE", "ORG", start=0, in_title=True, caps=True, lex=("",))),
        "b": ex("b", m("Leicestershire", "ORG"), m("CRICKET", "ORG", start=0, caps=True, lex=("n",))),
        "c": ex("c", m("Division", "PERSON", sent_start=True, next="two", lex=("n",))),
    })
    assert tags(idx, "a") == [("Leicestershire", "ORG")]
    assert tags(idx, "b") == [("Leicestershire", "ORG")]


def test_possessives_and_edge_punctuation_are_cleaned():
    idx = canonicalise({"a": ex("a", m("Iran’s", "GPE"), m("the U.S.", "GPE", start=200), m("“Hatami", start=300))})
    assert sorted(n for n, _ in tags(idx, "a")) == ["Hatami", "Iran", "U.S."]


# --- salience and determinism -----------------------------------------------------------------------------------

def test_tags_are_ordered_by_salience():
    idx = canonicalise({"a": ex(
        "a", m("Iran", "GPE", start=0, sent=0, in_title=True), m("Tehran", "GPE", start=20, sent=1),
        m("Russia", "GPE", start=200, sent=3), m("Russia", "GPE", start=300, sent=4),
        m("Turkey", "GPE", start=400, sent=5))})
    refs = idx.by_article["a"]
    assert [idx.entities[r.slug].name for r in refs] == ["Iran", "Russia", "Tehran", "Turkey"]
    assert [r.salience for r in refs] == [3.0, 2.0, 2.0, 1.0]


def test_every_tag_is_kept_best_first():
    # archive.json lists every tag of an article; pages cut the list (NEWS_ARCHIVE_MAX_TAGS), not this stage.
    idx = canonicalise({"a": ex("a", *[m(f"Person{i} Name", start=100 * i + 100) for i in range(40)])})
    names = [idx.entities[r.slug].name for r in idx.by_article["a"]]
    assert len(names) == 40 and names[0] == "Person0 Name"  # the one in the lede first


def test_result_does_not_depend_on_input_order():
    arts = {
        "a": ex("a", m("Mohammad Bagheri", prev=("Major", "General")), m("Sherali Mirzo", start=200),
                m("Tajikistan", "NORP", start=300)),
        "b": ex("b", m("Mohammad Baqeri", prev=("Major", "General")), m("Baqeri", start=200),
                m("Dushanbe", "ORG", start=300)),
        "c": ex("c", m("Dushanbe", "GPE"), m("Hatami", start=200), m("Amir Hatami", start=300)),
    }
    first = canonicalise(arts)
    keys = list(arts)
    for seed in range(3):
        random.Random(seed).shuffle(keys)
        again = canonicalise({k: arts[k] for k in keys})
        assert again.entities == first.entities
        assert again.by_article == first.by_article


# --- sports teams named after places ---------------------------------------------------------------------------

def test_a_place_in_a_results_slot_is_a_team_apart_from_the_place():
    idx = canonicalise({
        "scores": ex("scores", m("Surrey", "GPE", next="429", score=True),
                     m("Surrey", "GPE", start=300, sent=3),  # the same article's prose: the team too
                     m("Leicestershire", "PERSON", start=400, next="296", score=True)),
        "news": ex("news", m("Surrey", "GPE", next="police")),
    })
    assert sorted(tags(idx, "scores")) == [("Leicestershire", "ORG"), ("Surrey", "ORG")]
    assert tags(idx, "news") == [("Surrey", "GPE")]
    team = next(r for r in idx.by_article["scores"] if idx.entities[r.slug].name == "Surrey")
    assert team.slug != idx.by_article["news"][0].slug and team.mentions == 2


def test_countries_and_people_in_results_slots_stay_what_they_are():
    idx = canonicalise({"a": ex("a", m("England", "GPE", next="250", score=True),
                                m("Colin Montgomerie", "PERSON", start=200, next="65", score=True))})
    assert sorted(tags(idx, "a")) == [("Colin Montgomerie", "PERSON"), ("England", "GPE")]


def test_an_initial_and_a_surname_is_a_person():
    idx = canonicalise({"a": ex("a", m("M. Lathwell", "ORG"))})
    assert tags(idx, "a") == [("M. Lathwell", "PERSON")]


def test_the_datelines_place_is_a_place_of_the_article():
    # The importer moves "Tehran (IP) -" out of the text into the metadata; its place is still a tag.
    arts = {"a": ex("a", m("Amir Hatami", start=100)), "b": ex("b", m("Sergei Shoigu", start=100))}
    idx = canonicalise(arts, datelines={"a": "Tehran (IP) -", "b": "WASHINGTON, March 3 -"})
    assert ("Tehran", "GPE") in tags(idx, "a")
    assert ("Washington", "GPE") in tags(idx, "b")
    assert tags(canonicalise(arts), "a") == [("Amir Hatami", "PERSON")]
    assert tags(canonicalise(arts, datelines={"a": "(IP) -"}), "a") == [("Amir Hatami", "PERSON")]


# --- sports copy: clubs in results slots, players with their country in brackets -------------------------------

def test_a_club_in_a_results_slot_is_an_organisation_in_the_whole_article():
    idx = canonicalise({"a": ex("a", m("Everton", score=True, next="2", start=100),
                                m("Lech Poznan", score=True, next="3", start=200),
                                m("Everton", start=300, sent=3), m("Lech Poznan", start=400, sent=4))})
    assert dict(tags(idx, "a")) == {"Everton": "ORG", "Lech Poznan": "ORG"}


def test_a_player_in_a_results_slot_stays_a_person():
    idx = canonicalise({"a": ex("a", m("A. Giles", score=True, next="50", start=100),
                                m("Nick Faldo", score=True, next="70", start=200))})
    assert dict(tags(idx, "a")) == {"A. Giles": "PERSON", "Nick Faldo": "PERSON"}


def test_a_name_with_its_country_in_brackets_is_a_player():
    idx = canonicalise({"a": ex("a", m("Mika Hakkinen", "ORG", paren="Finland", start=100),
                                m("Mika Hakkinen", "ORG", start=300, sent=3),
                                m("Bank Negara", "ORG", start=400, sent=4))})
    assert dict(tags(idx, "a")) == {"Mika Hakkinen": "PERSON", "Bank Negara": "ORG"}


def test_a_scorer_named_with_the_minute_is_a_person():
    idx = canonicalise({"a": ex("a", m("Gravelaine", "ORG", next="24th", start=100),
                                m("Gravelaine", "ORG", start=300, sent=3))})
    assert tags(idx, "a") == [("Gravelaine", "PERSON")]


def test_a_club_of_one_results_table_is_a_club_across_the_archive():
    idx = canonicalise({"a": ex("a", m("Everton", score=True, next="2", start=100)),
                        "b": ex("b", m("Everton", start=100), m("Everton", start=200, sent=2))})
    assert tags(idx, "b") == [("Everton", "ORG")]


def test_the_span_opening_the_body_as_a_dateline_is_a_place():
    # "CARLSBAD , California 1996-08-22": spaCy reads the town as an organisation
    arts = {"a": Extraction(key="a", mentions=(m("CARLSBAD", "ORG", start=12, next=",", caps=False),
                                               m("Mark Knowles", start=60, sent=2)),
                            title_end=10, lede_end=50, n_sents=3)}
    assert tags(canonicalise(arts), "a") == [("CARLSBAD", "GPE"), ("Mark Knowles", "PERSON")]
    later = {"a": Extraction(key="a", mentions=(m("CARLSBAD", "ORG", start=40, next=","),), title_end=10,
                             lede_end=50, n_sents=3)}
    assert tags(canonicalise(later), "a") == [("CARLSBAD", "ORG")]


def test_in_team_sports_copy_a_town_beside_a_clubs_word_is_the_club():
    mentions = (m("Leeds", "GPE", prev=("They", "beat"), start=100), m("Leeds", "GPE", start=200, sent=2),
                m("Genoa", "GPE", next="were", start=300, sent=3),
                m("Milan", "GPE", prev=("played", "in"), start=400, sent=4))
    sport = canonicalise({"a": ex("a", *mentions)}, titles={"a": "SOCCER - LEEDS BEATEN AT HOME"})
    assert dict(tags(sport, "a")) == {"Leeds": "ORG", "Genoa": "ORG", "Milan": "GPE"}
    news = canonicalise({"a": ex("a", *mentions)}, titles={"a": "Flooding in northern Italy"})
    assert dict(tags(news, "a")) == {"Leeds": "GPE", "Genoa": "GPE", "Milan": "GPE"}


def test_in_sports_copy_a_two_word_name_before_a_bracket_is_an_athlete():
    mentions = (m("Yayuk Basuki", "ORG", next="(", start=100), m("Yayuk Basuki", "ORG", start=300, sent=3))
    sport = canonicalise({"a": ex("a", *mentions)}, titles={"a": "TENNIS - RESULTS AT TOSHIBA CLASSIC"})
    assert tags(sport, "a") == [("Yayuk Basuki", "PERSON")]
    news = canonicalise({"a": ex("a", *mentions)}, titles={"a": "Tokyo stocks end higher"})
    assert tags(news, "a") == [("Yayuk Basuki", "ORG")]  # outside sports copy a bracket says nothing
