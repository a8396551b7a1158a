"""Permanent addresses (site/addresses.py), pure: the address book decides where a page lives, not its name."""

from __future__ import annotations

import pytest
from pelican.plugins.news_archive.site import addresses as addr
from pelican.plugins.news_archive.site.addresses import AddressBook, Candidate, Record


def cand(key: str, name: str, names: tuple[str, ...], type_: str = "PERSON", page: bool = True,
         editor: bool = False) -> Candidate:
    return Candidate(key=key, name=name, type=type_, names=frozenset(names), page=page, editor_named=editor)


def book(*records: Record, countries: dict[str, str] | None = None) -> AddressBook:
    return AddressBook(entities={r.slug: r for r in records}, countries=countries or {})


US = Record("us", "US", "GPE", ("us",))


def test_a_new_entity_gets_the_slug_of_its_name():
    out = addr.assign_entities(AddressBook(), [cand("x", "Amir Hatami", ("amir hatami",))])
    assert out.address == {"x": "amir-hatami"} and out.state == {"amir-hatami": addr.LIVE}
    assert out.records["amir-hatami"].names == ("amir hatami",)


def test_a_new_display_name_keeps_the_address():
    out = addr.assign_entities(book(US), [cand("united-states", "United States", ("united states", "us"), "GPE")])
    assert out.address == {"united-states": "us"} and out.state == {"us": addr.LIVE}
    assert out.records["us"].name == "United States"  # the book follows the name; the address does not


def test_a_merge_leaves_a_redirect_to_the_entity_that_absorbed_the_names():
    old = book(Record("mohammad-bagheri", "Mohammad Bagheri", "PERSON", ("mohammad bagheri",)),
               Record("mohammad-baqeri", "Mohammad Baqeri", "PERSON", ("mohammad baqeri",)))
    merged = cand("m", "Mohammad Bagheri", ("mohammad bagheri", "mohammad baqeri"))
    out = addr.assign_entities(old, [merged])
    assert out.address == {"m": "mohammad-bagheri"}
    assert out.state == {"mohammad-bagheri": addr.LIVE, "mohammad-baqeri": addr.MOVED}
    assert out.target == {"mohammad-baqeri": "mohammad-bagheri"}
    assert out.records["mohammad-baqeri"].moved_to == "mohammad-bagheri"


def test_an_editor_rename_moves_to_the_new_name_and_back():
    old = book(Record("ibrahim-raisi", "Ibrahim Raisi", "PERSON", ("ibrahim raisi",)))
    renamed = cand("r", "Ebrahim Raisi", ("ebrahim raisi", "ibrahim raisi"), editor=True)
    out = addr.assign_entities(old, [renamed])
    assert out.address == {"r": "ebrahim-raisi"} and out.target == {"ibrahim-raisi": "ebrahim-raisi"}
    # The editor takes the rename back: the old address lives again and the new one redirects to it.
    back = addr.assign_entities(AddressBook(entities=out.records),
                                [cand("r", "Ibrahim Raisi", ("ebrahim raisi", "ibrahim raisi"))])
    assert back.address == {"r": "ibrahim-raisi"} and back.target == {"ebrahim-raisi": "ibrahim-raisi"}


def test_an_entity_below_the_page_minimum_keeps_a_thin_page_and_a_vanished_one_a_gone_page():
    old = book(Record("amir-hatami", "Amir Hatami", "PERSON", ("amir hatami",)),
               Record("nobody", "Nobody", "PERSON", ("nobody",)))
    out = addr.assign_entities(old, [cand("h", "Amir Hatami", ("amir hatami",), page=False)])
    assert out.state == {"amir-hatami": addr.THIN, "nobody": addr.GONE}
    assert out.home == {"amir-hatami": "h"} and set(out.records) == {"amir-hatami", "nobody"}


def test_new_addresses_never_take_a_recorded_one():
    old = book(Record("georgia", "Georgia", "GPE", ("georgia",), moved_to=None))
    team = cand("t", "Georgia", ("georgia team",), "ORG")  # another thing of the same name, no names in common
    out = addr.assign_entities(old, [team])
    assert out.address["t"] == "georgia-2" and out.state["georgia"] == addr.GONE


def test_same_type_wins_a_shared_name():
    old = book(Record("georgia", "Georgia", "GPE", ("georgia",)))
    out = addr.assign_entities(old, [cand("club", "Georgia", ("georgia",), "ORG"),
                                     cand("country", "Georgia", ("georgia",), "GPE")])
    assert out.address["country"] == "georgia" and out.address["club"] != "georgia"


def test_entities_without_pages_get_an_address_that_is_not_recorded():
    out = addr.assign_entities(AddressBook(), [cand("x", "Once Mentioned", ("once mentioned",), page=False)])
    assert out.address == {"x": "once-mentioned"} and out.records == {} and out.state == {}


def test_countries_keep_their_address_whatever_their_name_becomes():
    address, recorded = addr.assign_countries(book(countries={"TR": "turkey"}), {"TR": "Türkiye", "IR": "Iran"})
    assert address == {"TR": "turkey", "IR": "iran"} and recorded == {"IR": "iran", "TR": "turkey"}
    address, recorded = addr.assign_countries(AddressBook(countries=recorded), {"IR": "Iran"})
    assert address == {"IR": "iran"} and recorded == {"IR": "iran", "TR": "turkey"}  # kept for its notice


def test_the_book_round_trips_and_is_stable_text():
    old = book(US, Record("old", "Old", "ORG", ("old",), moved_to="us"), countries={"US": "united-states"})
    text = addr.render(old)
    assert addr.parse(text) == old and addr.render(addr.parse(text)) == text
    assert text.index('"old"') < text.index('"us"')  # sorted: a diff shows what moved


@pytest.mark.parametrize("text", ["not json", "[]", '{"format": 99}', '{"format": 1, "entities": {"x": 3}}'])
def test_a_damaged_book_is_an_error_with_a_reason(text):
    with pytest.raises(addr.BookError):
        addr.parse(text)
