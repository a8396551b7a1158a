"""The one slug function (Pelican's slugify with transliteration) and the one de-duplication."""

from __future__ import annotations

from pelican.plugins.news_archive.slugs import MAX_LENGTH, dedupe, slugify, unique


def test_other_scripts_are_transliterated_not_dropped():
    assert slugify("Москва 2024") == "moskva-2024"
    assert slugify("Ибрагим Раиси") == "ibragim-raisi"
    assert slugify("Ñandú Córdoba") == "nandu-cordoba"


def test_slug_never_names_a_path_and_may_be_empty():
    assert "/" not in slugify("../entity/angela-merkel")
    assert not slugify("../..").startswith(".")
    assert slugify("!!!") == ""


def test_long_slug_is_cut_at_a_word():
    slug = slugify("word " * 100)
    assert len(slug) <= MAX_LENGTH and not slug.endswith("-") and slug.endswith("word")


def test_unique_and_dedupe_never_take_a_slug_another_asked_for():
    assert unique("a", {"a", "a-2"}) == "a-3"
    assert dedupe(["a", "a", "a-2"]) == ["a", "a-3", "a-2"]
    assert dedupe(["b", "c"], reserved={"b"}) == ["b-2", "c"]
