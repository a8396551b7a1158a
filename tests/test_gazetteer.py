"""The gazetteer: place names, aliases, demonyms and regions → ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

import re

import pytest
from pelican.plugins.news_archive.analysis import gazetteer
from pelican.plugins.news_archive.knowledge import table


@pytest.mark.parametrize(("name", "code"), [
    ("Iran", "IR"), ("IRAN", "IR"), ("Iran’s", "IR"), ("Tajikistan", "TJ"), ("the Netherlands", "NL"),
    # aliases, old names, abbreviations
    ("U.S.", "US"), ("the United States", "US"), ("Britain", "GB"), ("U.K.", "GB"), ("the Islamic Republic", "IR"),
    ("Islamic Republic of Iran", "IR"), ("Soviet Union", "RU"), ("USSR", "RU"), ("Burma", "MM"), ("Zaire", "CD"),
    ("West Germany", "DE"), ("Ivory Coast", "CI"), ("Holland", "NL"),
    # capitals and cities, with GeoNames' alternate names and folded accents
    ("Tehran", "IR"), ("Dushanbe", "TJ"), ("Tbilisi", "GE"), ("Atlanta", "US"), ("Peking", "CN"),
    ("Bombay", "IN"), ("São Paulo", "BR"), ("Sao Paulo", "BR"), ("Zurich", "CH"),
    # states and provinces, and the abbreviations datelines use
    ("Texas", "US"), ("New York", "US"), ("Conn.", "US"), ("Ontario", "CA"), ("Bavaria", "DE"),
])
def test_lookup_names_aliases_cities_and_states(name, code):
    assert gazetteer.lookup(name) == code


@pytest.mark.parametrize("name", ["West Asia", "Central Asia", "the Middle East", "Middle East", "the Caucasus",
                                  "Caucasus", "Europe", "Asia", "Africa", "Latin America", "the Gulf"])
def test_regions_are_never_a_country(name):
    place = gazetteer.resolve(name)
    assert place is not None and place.kind == gazetteer.REGION and place.codes == ()
    assert gazetteer.lookup(name) is None
    assert gazetteer.is_region(name)


def test_a_region_knows_the_countries_it_lies_over_for_disambiguation_only():
    assert "GE" in gazetteer.resolve("the Caucasus").regions_over
    assert "TJ" in gazetteer.resolve("Central Asia").regions_over


@pytest.mark.parametrize("name", ["Reading", "Mobile", "Nice", "March", "Orange", "Victoria"])
def test_city_names_that_are_common_words_are_stop_listed(name):
    assert gazetteer.resolve(name) is None


def test_small_towns_count_only_in_a_dateline():
    # Commack, N.Y. (about 36,000 people): too small to be meant in running text, a fine dateline.
    assert gazetteer.resolve("Commack") is None
    assert gazetteer.resolve("Commack", min_population=gazetteer.MIN_DATELINE_POPULATION).codes == ("US",)


def test_georgia_is_the_country_first_and_the_us_state_second():
    place = gazetteer.resolve("Georgia")
    assert place.kind == gazetteer.COUNTRY
    assert place.codes == ("GE", "US") and place.ambiguous


def test_unknown_and_empty_names():
    assert gazetteer.resolve("") is None
    assert gazetteer.lookup("Xyzzyville") is None
    assert gazetteer.lookup("   ") is None


@pytest.mark.parametrize(("word", "code"), [
    ("Iranian", "IR"), ("Iranians", "IR"), ("Tajik", "TJ"), ("Tajiks", "TJ"), ("Russian", "RU"), ("Soviet", "RU"),
    ("Filipinos", "PH"), ("Swiss", "CH"), ("Frenchmen", "FR"), ("West German", "DE"), ("Azeri", "AZ"),
    ("Kyrgyz", "KG"), ("Uzbek", "UZ"), ("Turkmen", "TM"), ("Afghan", "AF"),
])
def test_demonyms(word, code):
    assert gazetteer.demonym(word) == code


def test_compound_demonyms_name_every_country():
    assert gazetteer.demonyms_in("Iranian-Tajik") == ("IR", "TJ")
    assert gazetteer.demonyms_in("U.S.-Japanese") == ("US", "JP")
    assert gazetteer.demonyms_in("Sino-Xyz") == ()
    assert gazetteer.demonyms_in("Islamic") == ()


def test_every_country_of_a_million_people_has_a_demonym():
    """The demonym list is complete: every sizeable country has at least one (CG shares "Congolese" with CD)."""
    have = {code for _word, code in table("demonyms.tsv")}
    countries = gazetteer._geonames().get_countries()
    big = {code for code, c in countries.items() if c["population"] >= 1_000_000} - gazetteer.OBSOLETE_CODES
    assert big - have <= {"CG"}


def test_knowledge_files_name_real_codes():
    codes = set(gazetteer._geonames().get_countries())
    for name in ("demonyms.tsv", "country_aliases.tsv", "subdivisions.tsv"):
        for row in table(name):
            assert len(row) == 2 and row[1] in codes, (name, row)
    for row in table("regions.txt"):
        assert all(re.fullmatch(r"[A-Z]{2}", c) and c in codes for c in (row[1].split() if len(row) > 1 else ()))


def test_name_words_mark_places_inside_names():
    assert gazetteer.is_name_word("Process")
    assert gazetteer.is_name_word("Cooperation")
    assert gazetteer.is_name_word("dlr")
    assert not gazetteer.is_name_word("said")


def test_country_names_are_display_names():
    names = gazetteer.country_names()
    assert names["IR"] == "Iran" and names["TJ"] == "Tajikistan" and names["NL"] == "Netherlands"
    assert "CS" not in names and "AN" not in names


def test_neighbours():
    assert {"AM", "AZ", "RU", "TR"} <= gazetteer.neighbours()["GE"]


@pytest.mark.parametrize("name", ["Kent", "Derbyshire", "Leicestershire", "Glamorgan", "Yorkshire"])
def test_counties_of_great_britain_are_places_in_it(name):
    place = gazetteer.resolve(name)
    assert place is not None and place.kind == gazetteer.SUBDIVISION and place.codes[0] == "GB"


def test_a_county_that_is_also_a_big_city_elsewhere_keeps_both_candidates():
    place = gazetteer.resolve("Norfolk")  # the English county, and Norfolk, Virginia
    assert place.kind == gazetteer.SUBDIVISION and place.codes[0] == "GB" and "US" in place.codes
