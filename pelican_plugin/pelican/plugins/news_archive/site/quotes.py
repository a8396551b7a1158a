"""What pages show of who said what: an article's quotations with their speakers, and a person's quotations
across the archive, newest first, each with the article it is from — pure views over the analysis' quotations
(:mod:`..analysis.quotes`) and the page models.

Views are frozen dataclasses, so a page's memo key covers every quotation it shows (text, speaker, link, article).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..analysis.quotes import Quote
from ..model import ArticleInfo, Entity
from .pages import Site, newest_first
from .presentation import Teaser


@dataclass(frozen=True)
class QuoteView:
    """One quotation as a page shows it: the words, who said them (canonical name, as written, their page) and,
    on a person's page, the article it is from."""

    text: str
    name: str
    said_as: str
    slug: str  # the speaker's permanent address
    url: str | None  # the speaker's entity page (None when the person has no page)
    article: Teaser | None = None


def article_quotes(quotes: Sequence[Quote], entities: Mapping[str, Entity], site: Site) -> tuple[QuoteView, ...]:
    """An article's quotations, in text order."""
    return tuple(QuoteView(text=q.text, name=entities[q.speaker].name, said_as=q.said_as,
                           slug=site.address.get(q.speaker, q.speaker), url=site.entity_url(q.speaker))
                 for q in quotes if q.speaker in entities)


def entity_quotes(quotes: Mapping[str, Sequence[Quote]], entities: Mapping[str, Entity], site: Site,
                  teasers: Mapping[str, Teaser], infos: Mapping[str, ArticleInfo]) -> dict[str, tuple[QuoteView, ...]]:
    """Per person with an entity page, their quotations: newest article first (undated last), in text order within
    an article."""
    by_speaker: dict[str, list[str]] = {}
    for key in sorted(quotes):
        for q in quotes[key]:
            if q.speaker in site.entity_pages and key in teasers and key in infos:
                by_speaker.setdefault(q.speaker, [])
                if key not in by_speaker[q.speaker]:
                    by_speaker[q.speaker].append(key)
    out: dict[str, tuple[QuoteView, ...]] = {}
    for slug, keys in sorted(by_speaker.items()):
        views = []
        for key in newest_first(keys, infos):
            views += [QuoteView(text=q.text, name=entities[slug].name, said_as=q.said_as,
                                slug=site.address.get(slug, slug), url=site.entity_url(slug), article=teasers[key])
                      for q in quotes[key] if q.speaker == slug]
        out[slug] = tuple(views)
    return out
