"""The editor file: merge, rename, retype, block and pin entities; bad entries warn and never break a build."""

from __future__ import annotations

import logging

from pelican.plugins.news_archive.analysis.canonicalise import canonicalise
from pelican.plugins.news_archive.analysis.editorial import (
    EditorRules,
    apply_rules,
    checked,
    parse_rules,
    rules_from_toml,
)
from pelican.plugins.news_archive.model import Entity, EntityIndex, EntityRef, Extraction, Mention


def index() -> EntityIndex:
    ents = [Entity("amir-hatami", "Amir Hatami", "PERSON", ("Hatami",)),
            Entity("mohammad-bagheri", "Mohammad Bagheri", "PERSON"),
            Entity("mohammad-baqeri", "Mohammad Baqeri", "PERSON", ("Baqeri",)),
            Entity("nowruz", "Nowruz", "ORG"),
            Entity("sherali-mirzo", "Sherali Mirzo", "PERSON", ("Mirzo",)),
            Entity("iran", "Iran", "GPE")]
    return EntityIndex(
        entities={e.slug: e for e in ents},
        by_article={
            "a": [EntityRef("iran", 5, 6.0), EntityRef("amir-hatami", 2, 3.0), EntityRef("mohammad-bagheri", 1, 1.0),
                  EntityRef("mohammad-baqeri", 1, 1.0), EntityRef("sherali-mirzo", 1, 1.0)],
            "b": [EntityRef("nowruz", 2, 2.0), EntityRef("iran", 1, 1.0)],
        })


def names(idx: EntityIndex, art: str) -> list[str]:
    return [idx.entities[r.slug].name for r in idx.by_article[art]]


def test_merge_joins_entities_and_their_mentions():
    idx = apply_rules(index(), parse_rules({"merge": {"Mohammad Bagheri": ["Baqeri"]}}))
    e = idx.entities["mohammad-bagheri"]
    assert e.name == "Mohammad Bagheri" and set(e.aliases) == {"Baqeri", "Mohammad Baqeri"}
    assert "mohammad-baqeri" not in idx.entities
    ref = next(r for r in idx.by_article["a"] if r.slug == "mohammad-bagheri")
    assert (ref.mentions, ref.salience) == (2, 2.0)
    assert names(idx, "a") == ["Iran", "Amir Hatami", "Mohammad Bagheri", "Sherali Mirzo"]


def test_merge_into_a_new_name():
    idx = apply_rules(index(), parse_rules({"merge": {"Mohammad Hossein Bagheri": ["Mohammad Bagheri", "Baqeri"]}}))
    e = idx.entities["mohammad-hossein-bagheri"]
    assert e.type == "PERSON" and {"Mohammad Bagheri", "Mohammad Baqeri", "Baqeri"} <= set(e.aliases)


def test_rename_keeps_the_old_name_as_an_alias():
    idx = apply_rules(index(), parse_rules({"rename": {"hatami": "Amir Hatami (general)"}}))
    e = idx.entities["amir-hatami-general"]
    assert e.name == "Amir Hatami (general)" and set(e.aliases) == {"Amir Hatami", "Hatami"}
    assert "Amir Hatami (general)" in names(idx, "a")


def test_retype_block_and_pin():
    rules = parse_rules({"retype": {"Nowruz": "event"}, "block": ["Iran"], "pin": ["Mirzo"]})
    idx = apply_rules(index(), rules)
    assert idx.entities["nowruz"].type == "EVENT"
    assert "iran" not in idx.entities and all(r.slug != "iran" for refs in idx.by_article.values() for r in refs)
    assert idx.entities["sherali-mirzo"].pinned
    assert names(idx, "a")[0] == "Sherali Mirzo"  # pinned heads the tags, whatever its salience


def test_rules_apply_in_a_fixed_order_and_do_not_change_the_input():
    before = index()
    rules = parse_rules({"pin": ["Baqeri"], "block": ["Amir Hatami"],
                         "merge": {"Mohammad Baqeri": ["Mohammad Bagheri"]}, "rename": {"Baqeri": "Mohammad Bagheri"}})
    once, twice = apply_rules(before, rules), apply_rules(index(), rules)
    assert once == twice
    assert before == index()
    e = once.entities["mohammad-bagheri"]
    assert e.pinned and e.name == "Mohammad Bagheri" and "amir-hatami" not in once.entities


def test_bad_entries_warn_with_file_and_entry(caplog):
    data = {"block": "Iran", "pin": [3], "merge": {"X": "Y", "Z": [], "W": [1]}, "rename": {"Nowruz": ""},
            "retype": {"Nowruz": "HOLIDAY"}, "colour": "red"}
    with caplog.at_level(logging.WARNING):
        rules = parse_rules(data, "content/entities.toml")
    text = caplog.text
    assert "content/entities.toml" in text
    for needle in ("pin: 3", "'Z'", "'W'", "rename: 'Nowruz'", "HOLIDAY", "unknown key 'colour'"):
        assert needle in text, needle
    assert rules.block == ("Iran",) and rules.merge == (("X", ("Y",)),) and rules.pin == ()


def test_rules_from_toml_text(caplog):
    rules = rules_from_toml('pin = ["Sherali Mirzo"]\n[retype]\n"Nowruz" = "EVENT"\n', "content/entities.toml")
    assert rules.pin == ("Sherali Mirzo",) and rules.retype == (("Nowruz", "EVENT"),)
    with caplog.at_level(logging.WARNING):
        assert not rules_from_toml('pin = ["unterminated\n', "content/broken.toml")
    assert "broken.toml" in caplog.text and "not a valid TOML" in caplog.text


def test_unmatched_names_are_harmless():
    idx = apply_rules(index(), parse_rules({"block": ["Nobody"], "pin": ["Nobody"], "rename": {"Nobody": "X"}}))
    assert idx == apply_rules(index(), EditorRules()) or idx.entities.keys() == index().entities.keys()


def test_rules_apply_to_canonical_tags():
    mentions = [Mention(text=t, label=lab, start=i * 100, end=i * 100 + len(t), sent=i, tags=("NNP",) * len(t.split()),
                        lex=("",) * len(t.split()))
                for i, (t, lab) in enumerate([("Iran", "GPE"), ("Iran", "GPE"), ("Tehran", "GPE"),
                                               ("Amir Hatami", "PERSON"), ("Sherali Mirzo", "PERSON")])]
    ex = {"a": Extraction(key="a", mentions=tuple(mentions), lede_end=50, n_sents=5)}
    idx = apply_rules(canonicalise(ex), rules_from_toml('pin = ["Sherali Mirzo"]\nblock = ["Tehran"]\n'))
    assert names(idx, "a")[:2] == ["Sherali Mirzo", "Iran"] and "Tehran" not in names(idx, "a")


def test_merge_cycles_are_one_warning_each_and_merge_nobody(caplog):
    rules = parse_rules({"merge": {"Amir Hatami": ["Sherali Mirzo"], "Sherali Mirzo": ["Amir Hatami"],
                                   "Iran": ["Islamic Republic"]}})
    with caplog.at_level(logging.WARNING):
        idx = apply_rules(index(), rules)
    names = sorted(e.name for e in idx.entities.values())
    assert "Amir Hatami" in names and "Sherali Mirzo" in names  # neither swallowed the other
    assert caplog.text.count("cycle of merges") == 2


def test_a_three_way_merge_cycle_is_refused_too(caplog):
    rules = parse_rules({"merge": {"A": ["B"], "B": ["C"], "C": ["A"], "X": ["Y"]}})
    with caplog.at_level(logging.WARNING):
        assert checked(rules).merge == (("X", ("Y",)),)
    assert caplog.text.count("cycle of merges") == 3


def test_a_rename_onto_another_entitys_name_is_refused(caplog):
    with caplog.at_level(logging.WARNING):
        idx = apply_rules(index(), parse_rules({"rename": {"Amir Hatami": "Sherali Mirzo"}}))
    assert sorted(e.name for e in idx.entities.values()).count("Sherali Mirzo") == 1
    assert "Amir Hatami" in {e.name for e in idx.entities.values()} and "merge them" in caplog.text


def test_rules_matching_nothing_are_listed_and_a_large_file_is_harmless():
    many = {"block": [f"Nobody {i}" for i in range(20000)], "pin": ["Sherali Mirzo"]}
    idx = apply_rules(index(), parse_rules(many))
    assert len(idx.unmatched_rules) == 20000 and idx.unmatched_rules[0] == "block 'Nobody 0'"
    assert next(e for e in idx.entities.values() if e.name == "Sherali Mirzo").pinned


def test_look_alike_letters_from_another_script_are_one_name():
    # "Аngela" with a Cyrillic А: one name key, so one entity (canonicalise) and one rule target (here).
    from pelican.plugins.news_archive.names import name_key

    assert name_key("\u0410ngela Merkel") == name_key("Angela Merkel")
    idx = apply_rules(index(), parse_rules({"rename": {"Sh\u0435rali Mirzo": "Sherali Mirzo Jr"}}))  # Cyrillic е
    assert "Sherali Mirzo Jr" in {e.name for e in idx.entities.values()}
