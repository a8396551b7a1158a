"""Stage 2: turn raw mentions into one canonical entity per real-world thing, archive-wide.

Raw spaCy spans are not publishable as tags: titles stick to names, the same person appears under a surname or a
second spelling, bylines and sentence-initial words come out as entities, places come out as people. This stage
works in five steps, every one a general rule over the mentions (their tokens' tags, the parse, the neighbouring
tokens) plus the knowledge files under ``data/``:

1. **Clean** each mention: whitespace, edge punctuation, possessives and edge particles (``particles.txt``) go;
   leading titles, ranks and demonyms go from a person's name (``honorifics.txt``: "Brigadier General Amir Hatami" →
   "Amir Hatami"; the title is kept as evidence). Junk is dropped: a lone title or rank ("Major-General", "Top
   Cmdr"), a demonym used as such ("Tajik", "Iranian", "Soviet troops": evidence for the country index, never a tag),
   an office ("Minister of Defense"), the article's outlet, a news-agency code in a dateline ("Tehran (IP) -"), a
   byline glued to a place ("PressIran"), a name without a capital letter, ordinary words the tagger does not read as
   a proper name ("Olympic" champion), a period of time ("Aug/Sept", ``date_words.txt``), an amount ("U.S. Dlrs",
   ``unit_words.txt``), ``stop_entities.txt`` (a lone legal form: "Co", "Corp"). *Weak* mentions count only when the
   same entity has a strong mention somewhere in the archive (or is a known place): one in a line written in capitals
   (wire headlines and datelines: case says nothing there), a heading in capitals made of ordinary words ("PRESS
   DIGEST"), an ordinary English word opening a sentence or line before punctuation or a number or not tagged as a
   proper noun ("Recall, …", "Division two"), an ordinary noun opening a sentence as an organisation or a person
   ("Showers continued …"), an ordinary word that with the next word makes a title ("Defense" in "Defense Minister"),
   a one-word "place" that is also an English verb or adjective.
2. **Resolve short forms in the article**: a surname or a shorter name ("Hatami", "Javad Zarif") becomes the one
   longer person name of the same article that ends with it ("Amir Hatami"), an organisation's shorter name the
   one longer organisation name that ends with it; an acronym paired with its expansion by the text ("Islamic
   Renaissance Party (IRPT)") joins that expansion wherever the archive pairs it with only one, and a lone acronym
   the one organisation of its article whose initials it spells.
3. **Merge across the archive**: a country under its own name, acronym or long official forms ("US", "U.S.",
   "United States"; "Islamic Republic of Iran"), an organisation named after a country either way ("Iranian Armed
   Forces", "Armed Forces of Iran"), and transliteration variants of a person's name ("Mohammad Bagheri",
   "Mohammad Baqeri"; "Ibrahim", "Ebrahim") when every word has the same consonant skeleton, the spellings are
   within a small edit distance, the two never appear side by side in one article, and the context confirms it:
   a shared rank or office (not a courtesy title, ``courtesy_titles.txt``), or at least two shared co-mentioned
   people or organisations. Then a lone surname becomes the one full name of the archive that ends with it, if
   there is exactly one. Every other spelling becomes an alias; the name shown is the form most articles write.
4. **Type** each entity by an archive-wide vote of its mentions (capitals lines count 0.3, weak openers 0.6),
   corrected by knowledge (``gazetteer``): countries and national capitals are GPE whatever the vote; a known city
   or state takes the PERSON and NORP votes (unless a full person name or a given name says otherwise) plus a
   small tie-breaking prior; regions are LOC; a name after a title or in apposition to one ("the President,
   Ibrahim Raisi"), or starting with a given name (``given_names.txt`` and the archive's own), votes PERSON; a
   name ending in an organisation word (``org_words.txt``: "AG", "Party") votes ORG, in an event word
   (``event_words.txt``: "Cup", "Tour") EVENT; a people or group (``peoples.txt``) is NORP.
5. **Rank** an article's tags by salience, ``Σ over the article's mentions of w_position × w_case`` with
   ``w_position`` 3 in the headline, 2 in the lede (first paragraph), 1 in the body, and ``w_case`` 0.3 in a
   capitals line, else 1; ties go to more mentions, then the name. Every tag is kept; pages show the first
   ``NEWS_ARCHIVE_MAX_TAGS``. The editor file is applied afterwards, by the pipeline (``editorial.py``).

The steps live in modules of their own: :mod:`.mentions` (1), :mod:`.resolve` (2, 3), :mod:`.vote` (4),
:mod:`.rank` (5), over the knowledge in :mod:`.lexicon` and the letter-level rules of :mod:`.spelling`. Steps 1
and 2's in-article part depend on one article only (:func:`prepare_article`), so the pipeline can keep their
result per article; the rest runs over the whole archive.

The default tag types leave out NORP: demonyms are never tags, and other groups ("Islamic", "Europeans") are
mostly adjectives; a site that wants religious or political groups as tags adds NORP to
``NEWS_ARCHIVE_ENTITY_TYPES`` and gets the non-demonym ones ("Kurds", "Shiites").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ...labels import DEFAULT_TAG_TYPES
from ...model import EntityIndex, Extraction
from ...names import name_key
from ..groups import DisjointSet
from .mentions import Item, article_items, dateline_items, mark_teams, sports_copy
from .rank import index_of
from .resolve import clusters_of, file_countries, join_acronyms, merge_variants, resolve_short_forms, resolve_surnames
from .vote import cluster_type, given_name_evidence

__all__ = ["Item", "canonicalise", "prepare_article"]


def prepare_article(art: str, ex: Extraction, source: str | None = None, dateline: str | None = None,
                    title: str = "") -> list[Item]:
    """Steps 1 and 2 within one article: its usable mentions (the dateline's place among them: the importer keeps
    "Tehran (IP) -" as metadata, out of the text spaCy reads), sports clubs apart (the headline says whether it
    is team-sports copy), short forms resolved."""
    items = dateline_items(art, ex, dateline, name_key(source or "")) + article_items(art, ex, name_key(source or ""))
    mark_teams(items, sports=sports_copy(title))
    resolve_short_forms(items)
    return items


def canonicalise(extractions: Mapping[str, Extraction], *, sources: Mapping[str, str | None] | None = None,
                 datelines: Mapping[str, str | None] | None = None, titles: Mapping[str, str] | None = None,
                 types: Iterable[str] = DEFAULT_TAG_TYPES,
                 prepared: Mapping[str, list[Item]] | None = None) -> EntityIndex:
    """Canonical entities and every article's tags, best first (see the module docstring for every step).

    ``prepared`` may hold :func:`prepare_article`'s result for some articles (e.g. from a cache); it is used as
    is, and changed in place by the archive-wide steps.
    """
    sources, datelines, titles, prepared = sources or {}, datelines or {}, titles or {}, prepared or {}
    per_article = {art: prepared[art] if art in prepared
                   else prepare_article(art, extractions[art], sources.get(art), datelines.get(art),
                                        titles.get(art, ""))
                   for art in sorted(extractions)}
    given_name_evidence(per_article)
    expansions = join_acronyms(per_article)
    file_countries(per_article)
    clusters = clusters_of(per_article)
    types_of = {k: cluster_type(c.items) for k, c in clusters.items()}
    groups: DisjointSet[str] = DisjointSet(clusters)
    merge_variants(clusters, groups, types_of)
    resolve_surnames(clusters, groups, types_of)
    return index_of(per_article, extractions, clusters, groups, set(types), expansions)
