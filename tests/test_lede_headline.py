"""A headline derived from the lede is shown once: the opening paragraph it came from becomes the headline."""

from __future__ import annotations

from pelican.plugins.news_archive.site.presentation import lede_headline

BODY = ("<p>The ministers met in <em>Dushanbe</em> on Monday to discuss border security and trade.</p>\n"
        "<p>They agreed to meet again.</p>")


def test_the_opening_paragraph_becomes_the_headline_verbatim_and_is_not_repeated():
    head, rest = lede_headline(BODY, "The ministers met in Dushanbe on Monday to discuss…", "lede")
    assert head == "The ministers met in <em>Dushanbe</em> on Monday to discuss border security and trade."
    assert rest.strip() == "<p>They agreed to meet again.</p>"
    # a title that is the whole sentence
    assert lede_headline(BODY, "The ministers met in Dushanbe on Monday to discuss border security and trade",
                         "lede") is not None


def test_only_a_derived_title_that_the_opening_paragraph_starts_with():
    assert lede_headline(BODY, "The ministers met in Dushanbe on Monday to discuss…", None) is None
    assert lede_headline(BODY, "Ministers agree to meet again…", "lede") is None
    assert lede_headline("<h2>Sub</h2>" + BODY, "The ministers met…", "lede") is None
    assert lede_headline("", "The ministers met…", "lede") is None
