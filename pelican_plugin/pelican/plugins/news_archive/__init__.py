"""pelican-news-archive: entity tags, related articles and a per-country index for a Pelican news archive."""

from .adapter import register

__all__ = ["register"]
