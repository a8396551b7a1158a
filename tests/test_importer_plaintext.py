"""Plain-text articles: re-flowing, headlines, datelines, outlets and boilerplate rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.plugins.news_archive.importer.assemble import Stated
from pelican.plugins.news_archive.importer.boilerplate import remove_boilerplate
from pelican.plugins.news_archive.importer.lede import find_dateline, is_headline, title_from_lede
from pelican.plugins.news_archive.importer.paragraphs import clean_text, split_paragraphs
from pelican.plugins.news_archive.importer.plaintext import parse_plaintext, read_plaintext
from pelican.plugins.news_archive.importer.records import RawArticle
from pelican.plugins.news_archive.importer.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
RULES = load_rules()


def read(name: str) -> RawArticle | None:
    articles = list(read_plaintext(FIXTURES / name, RULES))
    return articles[0] if articles else None


def parse(text: str) -> RawArticle | None:
    return parse_plaintext(text, Stated(slug="t", origin="t.txt", imported_from="t.txt"), RULES)


# --- paragraphs -------------------------------------------------------------------------------------------

def test_wire_text_is_reflowed() -> None:
    text = "First line of the lead\nwraps here.\n    Second paragraph\nalso wraps.\n    Third.\n"
    assert split_paragraphs(text) == ["First line of the lead wraps here.", "Second paragraph also wraps.",
                                      "Third."]


def test_long_lines_are_paragraphs_of_their_own() -> None:
    long_a, long_b = "A" * 150 + ".", "B" * 150 + "."
    assert split_paragraphs(f"{long_a}\n{long_b}\n") == [long_a, long_b]


def test_control_characters_and_their_references_go() -> None:
    assert clean_text("Reuter\r\n&#3;\x03 text\x7f &#9;kept") == "Reuter\n text &#9;kept"


def test_marker_lines_split_a_block() -> None:
    text = "Last paragraph.\n\nRead more:\nOther story one\nOther story two\n"
    assert split_paragraphs(text, stands_alone=lambda line: line == "Read more:") == [
        "Last paragraph.", "Read more:", "Other story one", "Other story two"]


# --- wire story fixture ----------------------------------------------------------------------------------

def test_wire_story() -> None:
    article = read("wire_story.txt")
    assert article is not None
    assert article.title == "Harbour board orders four new cranes"
    assert article.title_derived is None
    assert article.dateline == "ROTTERDAM, March 3 1987 -"
    assert article.date == "1987-03-03"
    assert article.date_evidence == 'dateline "ROTTERDAM, March 3 1987 -"'
    assert article.date_status == "derived"
    assert article.body == [
        "The harbour board said it ordered four container cranes from <Acme Lift BV> for 12 mln guilders, "
        "with delivery due in 1988.",
        "The order follows a 1986 study which found that *peak* traffic could rise by 20 pct a year, "
        "the board said.",
        "1. The first crane is due in January, it said.",
        "Total capacity will rise to 2,400 boxes a day.",
    ]


def test_relative_dates_are_not_dates() -> None:
    article = read("relative_date.txt")
    assert article is not None
    assert article.dateline == "BONN, March 3 -"
    assert article.date is None
    assert article.date_status == "unknown"
    assert article.body[0].startswith("The economics ministry said on Monday")


# --- scraped story fixture: boilerplate, glued byline, dateline ------------------------------------------

def test_scraped_story() -> None:
    article = read("scraped_story.txt")
    assert article is not None
    assert article.source == "Iran Press"
    assert article.dateline == "Kabul (IP) -"
    assert article.title_derived == "lede"
    assert article.title == ("The Afghan trade minister said on Sunday that the new rail link with Uzbekistan "
                             "would double freight volumes")
    assert article.body == [
        "The Afghan trade minister said on Sunday that the new rail link with Uzbekistan would double freight "
        "volumes.",
        "Minister Ahmad Karimi told reporters in Kabul that the first trains would run in the autumn.",
        "He said the line would carry fruit, cotton and fuel, and that the tariff had been agreed with the "
        "Uzbek side.",
        "Officials from both countries met on Saturday to sign the protocol, which sets the tariff for the "
        "next five years and names a joint committee to oversee the route.",
        "Karimi added that talks with Turkmenistan were continuing.",
    ]


LONG = ("Officials from both countries met on Saturday to sign the protocol, which sets the tariff for the next "
        "five years and names a joint committee to oversee the route.")


def cleaned(paragraphs: list[str]) -> list[str]:
    return remove_boilerplate(paragraphs, RULES).paragraphs


def test_link_list_in_the_middle_drops_one_title_only() -> None:
    paras = ["Lead.", "Related news:", "Other story one.", "Short real paragraph here.", LONG]
    assert cleaned(paras) == ["Lead.", "Short real paragraph here.", LONG]


def test_link_list_at_the_end_drops_every_title() -> None:
    paras = ["Lead.", LONG, "Read More:", "Other story one", "Other story two", "Other story three"]
    assert cleaned(paras) == ["Lead.", LONG]


def test_marker_followed_by_real_text_drops_the_marker_only() -> None:
    assert cleaned(["Lead.", "Read more:", LONG]) == ["Lead.", LONG]


def test_inline_link_title_goes() -> None:
    assert cleaned(["Lead.", "Read more: Rail talks resume in Tashkent", LONG]) == ["Lead.", LONG]


def test_a_sentence_that_mentions_reading_stays() -> None:
    para = "Read more about the plan, he said, in the report that the ministry published last week."
    assert cleaned(["Lead.", para]) == ["Lead.", para]


def test_furniture_lines_go() -> None:
    paras = ["Lead.", "News ID 689019", "Your Comment", "You are replying to: .", "News ID: 12"]
    assert cleaned(paras) == ["Lead."]


def test_glued_byline_goes_rest_stays() -> None:
    result = remove_boilerplate(["Iran PressIran news:\u00a0Brigadier General Amir Hatami said so."], RULES)
    assert result.paragraphs == ["Brigadier General Amir Hatami said so."]
    assert result.byline_outlet == "Iran Press"


def test_outlet_name_in_a_sentence_stays() -> None:
    para = "Iran Press reported on Monday that the talks would continue."
    assert cleaned([para]) == [para]


@pytest.mark.parametrize(("last", "kept"), [
    ("Prices rose. Reuter", "Prices rose."),
    ("Prices rose.        REUTER", "Prices rose."),
    ("SANTA FE....22............0 REUTER", "SANTA FE....22............0"),
    ("The shares were sold to Paul Reuter", "The shares were sold to Paul Reuter"),
    ("Prices rose. REUTER...^M", "Prices rose."),
    ("SAO SIMAO NIL. REUTER11:43/VB", "SAO SIMAO NIL."),
])
def test_wire_signoff(last: str, kept: str) -> None:
    for alone in ("REUTER", " Reuter", "REUTERS", "REUTER...^M", "REUTER N", "MORE"):
        assert cleaned(["Lead.", last, alone.strip()]) == ["Lead.", kept]
    assert cleaned(["Lead.", last]) == ["Lead.", kept]
    assert cleaned(["Lead.", last, "REUTER..."]) == ["Lead.", kept]


# --- headline, dateline, derived title -------------------------------------------------------------------

def test_headline_rules() -> None:
    assert is_headline(["Relations with Iran reaching new highs", "Body."], RULES)
    assert not is_headline(["Relations with Iran reached new highs.", "Body."], RULES)  # a sentence
    assert not is_headline(["Relations with Iran reaching new highs"], RULES)  # nothing under it
    assert not is_headline(["Tehran (IP) - Short lede", "Body."], RULES)  # a dateline lede
    assert not is_headline(["He said:", "Body."], RULES)


@pytest.mark.parametrize(("paragraph", "dateline", "rest"), [
    ("Tehran (IP) - During a meeting, he said.", "Tehran (IP) -", "During a meeting, he said."),
    ("Dushanbe(IP) - The Chief of Staff said.", "Dushanbe(IP) -", "The Chief of Staff said."),
    ("LONDON (Reuters) - Shares fell.", "LONDON (Reuters) -", "Shares fell."),
    ("WASHINGTON, March 3 1987 - The Treasury said.", "WASHINGTON, March 3 1987 -", "The Treasury said."),
    ("NEW YORK, Feb 26 - Stocks rose.", "NEW YORK, Feb 26 -", "Stocks rose."),
])
def test_datelines(paragraph: str, dateline: str, rest: str) -> None:
    found, paras = find_dateline([paragraph], RULES)
    assert found is not None and found.text == dateline
    assert paras == [rest]


def test_dateline_after_a_standfirst() -> None:
    found, paras = find_dateline(["Standfirst sentence.", "Iran (IMNA) - During a meeting."], RULES)
    assert found is not None and found.text == "Iran (IMNA) -" and found.outlet_marker == "IMNA"
    assert paras == ["Standfirst sentence.", "During a meeting."]


def test_no_dateline_in_ordinary_prose() -> None:
    paras = ["The minister (who arrived late) said the talks were useful."]
    assert find_dateline(paras, RULES) == (None, paras)


def test_title_from_lede() -> None:
    assert title_from_lede("Gen. Smith said the army would go. He gave no details.", RULES) == (
        "Gen. Smith said the army would go")
    long = " ".join(["word"] * 60) + "."
    title = title_from_lede(long, RULES)
    assert title.endswith("…") and len(title) <= RULES.lede_title_max_chars + 1
    assert title[:-1] in long and not title[:-1].endswith(" ")


def test_a_long_lede_title_ends_at_a_phrase_boundary() -> None:
    """Never mid-phrase ("… the commonalities of the…"): before a word that opens a phrase, never after one that
    cannot end it, or at a clause's comma when that keeps most of the sentence."""
    ends = RULES.title_phrase_openers | RULES.title_dangling
    lede = ("The ministers of the two neighbouring countries agreed on Monday that the new border crossings of the "
            "northern provinces would open to trade next spring.")
    title = title_from_lede(lede, RULES)
    head = title.removesuffix("…")
    assert title.endswith("…") and lede.startswith(head) and len(title) <= RULES.lede_title_max_chars + 1
    assert head.split()[-1].casefold() not in ends
    assert lede[len(head):].split()[0].casefold() in RULES.title_phrase_openers
    clause = ("After a long meeting in the capital with the visiting delegation from the neighbouring country, the "
              "ministers signed an agreement on trade and transport.")
    assert title_from_lede(clause, RULES) == clause[:clause.index(", the ministers")] + "…"


def test_unknown_parenthesised_marker_is_not_a_dateline() -> None:
    text = "Gould Inc (GLD) - Offering of two mln shares, the company said.\n\nMore details were not given.\n"
    article = parse(text)
    assert article is not None
    assert article.dateline is None and article.source is None
    assert article.body[0] == "Gould Inc (GLD) - Offering of two mln shares, the company said."


# --- bad inputs -------------------------------------------------------------------------------------------

def test_empty_file_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    assert read("empty.txt") is None
    assert "empty.txt: skipped: no article text" in caplog.text


def test_title_only_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    assert read("title_only.txt") is None
    assert "title_only.txt: skipped: title only" in caplog.text


def test_invalid_utf8_is_replaced_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    article = read("bad_utf8.txt")
    assert article is not None
    assert article.body[0].startswith("Caf\ufffd owners")
    assert "bad_utf8.txt: invalid UTF-8" in caplog.text


def test_non_english_is_imported_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    article = read("non_english.txt")
    assert article is not None
    assert "non_english.txt: text does not look like English" in caplog.text


def test_english_wire_table_is_not_flagged(caplog: pytest.LogCaptureFixture) -> None:
    table = "\n    ".join(["Shr eight cts vs 16 cts", "Net 188,000 vs 354,000", "Revs 538,000 vs 594,000",
                            "Year", "Shr 31 cts vs 28 cts", "(Del E. Webb Investment Properties Inc)"] * 3)
    assert parse(table) is not None
    assert "English" not in caplog.text
