"""Pelican articles → the plain documents the analysis reads, with every slug safe and unique.

A slug becomes a folder of the output, so a slug that could leave its folder (``../entity/x``, ``..``), that no
file system accepts (hundreds of characters) or that another article already has would stop the build or
overwrite a page. Such a slug is replaced by a safe, unique one, with one warning naming the file; renaming never
takes a slug another article asked for.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import slugs
from ..model import ArticleInfo, SourceDoc

logger = logging.getLogger(__name__)
MAX_SLUG_BYTES = 150  # a folder name: file systems refuse names over 255 bytes
_SAFE = re.compile(r"[\w-]+(?:\.[\w-]+)*", re.UNICODE)


def iso_date(article: Any) -> str | None:
    """The article's date as ISO 8601, None when it is unknown."""
    if getattr(article, "date_unknown", False) or not getattr(article, "date", None):
        return None
    return article.date.isoformat()


def safe_slug(slug: str) -> bool:
    """A slug that names one folder inside its parent: no separators, no dots at the ends, not too long."""
    return bool(slug) and bool(_SAFE.fullmatch(slug)) and len(slug.encode("utf-8")) <= MAX_SLUG_BYTES


def assign_slugs(articles: Sequence[Any]) -> None:
    """Give every article a safe slug, unique among them (first by source path keeps a shared one)."""
    wanted = []
    for article in articles:
        slug = str(getattr(article, "slug", "") or "")
        if not safe_slug(slug):
            fixed = slugs.slugify(slug) or slugs.slugify(str(getattr(article, "title", ""))) or "article"
            logger.warning("news_archive: %s has the slug %r, which cannot name a page; published as %r",
                           article.source_path, slug[:100], fixed)
            slug = fixed
        wanted.append(slug)
    final = slugs.dedupe(wanted)
    first: dict[str, Any] = {}
    for article, asked, slug in zip(articles, wanted, final, strict=True):
        first.setdefault(asked, article)
        if slug != asked:
            logger.warning("news_archive: %s has the same slug %r as %s; published as %r",
                           article.source_path, asked, first[asked].source_path, slug)
        if slug != getattr(article, "slug", None):
            article.slug = slug


@dataclass(frozen=True)
class Documents:
    docs: list[SourceDoc]
    infos: dict[str, ArticleInfo]
    by_key: dict[str, Any]  # slug → the Pelican article


def documents(articles: Sequence[Any], content_path: str) -> Documents:
    """The analysis' view of the articles (sorted by source path), each sanitised and with a unique slug."""
    ordered = sorted(articles, key=lambda a: (a.source_path, a.slug))
    assign_slugs(ordered)
    docs: list[SourceDoc] = []
    infos: dict[str, ArticleInfo] = {}
    by_key: dict[str, Any] = {}
    for article in ordered:
        html = getattr(article, "_content", None) or ""  # sanitised as Pelican made it (cleaning.py)
        key = article.slug
        by_key[key] = article
        docs.append(SourceDoc(key=key, title=str(article.title), text="", date=iso_date(article),
                              dateline=getattr(article, "dateline", None), source=getattr(article, "source", None),
                              token=hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest(), html=html,
                              origin=article.source_path))
        infos[key] = ArticleInfo(key=key, title=str(article.title), url=article.url, date=iso_date(article),
                                 source_path=os.path.relpath(article.source_path, content_path).replace(os.sep, "/"),
                                 source=getattr(article, "source", None), dateline=getattr(article, "dateline", None))
    return Documents(docs=docs, infos=infos, by_key=by_key)
