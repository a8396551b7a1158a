"""Who said what (analysis/quotes.py): finding attributed quotations in text, and resolving the speaker to one
canonical person of the article — or to nobody when there is any doubt."""

from __future__ import annotations

import pytest
from pelican.plugins.news_archive.analysis.quotes import Said, attribute, find_quotes, people_of, speaker
from pelican.plugins.news_archive.model import Entity, EntityRef


def whos(text: str) -> list[tuple[str, str]]:
    return [(s.text, s.who) for s in find_quotes(text)]


def test_the_three_forms_of_attribution():
    text = ('Profits rose. "Our performance was strong, meeting all objectives," chief executive Richard Parsons '
            'said.\n\n'
            '"Iran is concerned about the region," said the President of Iran, Ibrahim Raisi, in a call.\n\n'
            '"We hope for peace," said Nizamuddin Zahedi, the ambassador.\n\n'
            'Speaking in Tehran, Amir Hatami told reporters: "We will cooperate."\n\n'
            '"Conflicts make it important," Mirzo was quoted as saying by IRNA')
    assert whos(text) == [("Our performance was strong, meeting all objectives", "Richard Parsons"),
                          ("Iran is concerned about the region", "Ibrahim Raisi"),
                          ("We hope for peace", "Nizamuddin Zahedi"),
                          ("We will cooperate.", "Amir Hatami"),
                          ("Conflicts make it important", "Mirzo")]


def test_the_quotation_is_the_text_verbatim_and_its_offset_points_at_it():
    text = 'First paragraph.\n\nHe left. "It is odd, isn\'t it?" said Jo Bloggs on Monday.'
    [s] = find_quotes(text)
    assert s.text == "It is odd, isn't it?" and text[s.start:s.start + len(s.text)] == s.text
    assert s.who == "Jo Bloggs"
    assert whos("“It’s odd,” Jo Bloggs said.") == [("It’s odd", "Jo Bloggs")]  # typographic marks


def test_role_words_and_names_inside_them():
    assert whos('"Prices will fall," said Yukos chief executive Steven Theede.') == [
        ("Prices will fall", "Steven Theede")]
    assert whos('"Prices will fall," festival director Sandra den Hamer said.') == [
        ("Prices will fall", "Sandra den Hamer")]
    assert whos('"Prices will fall," said Nadal afterwards.') == [("Prices will fall", "Nadal")]


def test_doubtful_attributions_are_not_made():
    for text in ('"We will win," he said.',  # a pronoun
                 '"We will win," the minister said.',  # no name
                 '"We will win," a spokesman for Tony Blair said.',  # someone else's spokesman
                 '"We will win," said a friend of Tony Blair.',
                 '"We will win," Smith and Jones said.',  # two speakers
                 '"We will win," said Jonathan Wolpaw and Dennis McFarlane.',
                 '"We will win," said Tony Blair\'s spokesman.',  # a possessive
                 '"We will win," said the Spurs sporting director.',
                 'He called it "a very bad idea," said Tony Blair.',  # the quotation does not open the sentence
                 '"We will win, and then," said Tony Blair "we will see." "More',  # marks that do not pair
                 'Tony Blair said that "we will win".'):  # an indirect report around a phrase
        assert find_quotes(text) == (), text


def test_a_quotation_running_over_paragraphs_is_left_alone():
    text = '"This is the first part of it.\n\n"And this the end," said Tony Blair.'
    # The first paragraph's mark does not pair; the second paragraph's quotation is Tony Blair's own words.
    assert whos(text) == [("And this the end", "Tony Blair")]


def people(*entities: Entity):
    return [EntityRef(e.slug, 1, 1.0) for e in entities], {e.slug: e for e in entities}


BLAIR = Entity("tony-blair", "Tony Blair", "PERSON", aliases=("Blair",))
BROWN = Entity("gordon-brown", "Gordon Brown", "PERSON")
CHERIE = Entity("cherie-blair", "Cherie Blair", "PERSON")
JORDAN = Entity("jordan", "Jordan", "GPE")
MJ = Entity("michael-jordan", "Michael Jordan", "PERSON")


def test_a_name_or_a_surname_resolves_to_the_one_person_of_the_article():
    refs, entities = people(BLAIR, BROWN)
    found = people_of(refs, entities)
    assert speaker("Tony Blair", found) == "tony-blair"
    assert speaker("Prime Minister Tony Blair", found) == "tony-blair"
    assert speaker("Mr Blair", found) == "tony-blair"
    assert speaker("But Mr Brown", found) == "gordon-brown"
    assert speaker("Labour MP Gordon Brown", found) == "gordon-brown"
    assert speaker("Cherie Blair", found) is None  # another Blair, not of the article's people
    assert speaker("Mr Smith", found) is None


def test_a_surname_two_people_carry_resolves_to_nobody():
    refs, entities = people(BLAIR, CHERIE)
    found = people_of(refs, entities)
    assert speaker("Mr Blair", found) is None and speaker("Blair", found) is None
    assert speaker("Cherie Blair", found) == "cherie-blair"


def test_a_name_another_entity_of_the_article_has_resolves_to_nobody():
    refs, entities = people(MJ, JORDAN)
    assert speaker("Jordan", people_of(refs, entities)) is None
    assert speaker("Michael Jordan", people_of(refs, entities)) == "michael-jordan"


def test_a_surname_stands_for_a_person_only_where_the_article_writes_the_full_name():
    # "Mr MacDonald" of an article about Ian MacDonald, whose surname the archive filed under Ken Macdonald
    ken = Entity("ken-macdonald", "Ken Macdonald", "PERSON", aliases=("MacDonald",))
    refs, entities = people(ken)
    said = [Said("I am resigning", "Mr MacDonald", 0)]
    assert attribute(said, refs, entities, {"ian macdonald qc", "macdonald"}) == ()
    [quote] = attribute(said, refs, entities, {"ken macdonald's", "macdonald"})
    assert quote.speaker == "ken-macdonald" and quote.text == "I am resigning" and quote.said_as == "Mr MacDonald"


def test_attribute_keeps_text_order_and_drops_the_unresolved():
    refs, entities = people(BLAIR)
    said = [Said("one", "Mr Blair", 5), Said("two", "Mr Nobody", 9), Said("three", "Tony Blair", 20)]
    assert [q.text for q in attribute(said, refs, entities)] == ["one", "three"]


def test_the_text_pass_is_kept_per_article_in_the_build_state(tmp_path, monkeypatch):
    from pelican.plugins.news_archive.analysis import quotes as stage
    from pelican.plugins.news_archive.analysis.pipeline import quote_stage
    from pelican.plugins.news_archive.build.state import BuildState
    from pelican.plugins.news_archive.model import EntityIndex, SourceDoc

    docs = [SourceDoc(key=k, title="Talks", text='"We will meet again," said Tony Blair.') for k in ("a", "b")]
    index = EntityIndex(entities={"tony-blair": BLAIR}, by_article={"a": [EntityRef("tony-blair", 1, 1.0)]})
    with BuildState(tmp_path / "state") as state:
        first = quote_stage(docs, index, state)
    assert list(first) == ["a"] and first["a"][0].speaker == "tony-blair"  # b names no person of its own

    def fail(text: str) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr(stage, "find_quotes", fail)
    with BuildState(tmp_path / "state") as state:
        assert quote_stage(docs, index, state) == first  # from the build state, resolved again
        index.by_article["b"] = [EntityRef("tony-blair", 1, 1.0)]
        assert list(quote_stage(docs, index, state)) == ["a", "b"]
        changed = [docs[0], SourceDoc(key="b", title="Talks", text='"Not again," said Tony Blair.')]
        with pytest.raises(AssertionError, match="read again"):
            quote_stage(changed, index, state)  # another text: another key
