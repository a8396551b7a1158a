"""The search index in shards: which shard a page belongs to, what each shard is made from, which to rebuild.

Pagefind has no incremental mode: a run reads every page it is given and writes a whole bundle. So the pages
worth searching are split into a fixed number of shards by a stable hash of their path, each shard its own
Pagefind bundle (``pagefind/s03/``), and a rebuild runs Pagefind only over the shards whose pages changed. The
search page loads one shard's ``pagefind.js`` and merges the others with Pagefind's ``mergeIndex`` (its multisite
search): Pagefind sums filter counts and result counts over the merged indexes and orders the results by score.
A shard's key holds its pages' keys, the shard count, Pagefind's version and the plugin's code.

``shards.json`` in the bundle folder lists the shards that hold pages (a shard of a small site can be empty, and
Pagefind writes no index for no pages), so the search page never asks for a bundle that is not there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..build.keys import digest

MANIFEST = "shards.json"  # in the bundle folder: the shard bundles the search page merges
MARKER = b"data-pagefind-body"  # Pagefind indexes only marked pages once any page of an index is marked


def shard_of(name: str, shards: int) -> int:
    """The shard of the page written at ``name`` (its path in the output): stable across builds, machines and
    Python versions (a SHA-256 of the path, not ``hash()``)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()[:8], "big") % shards


def folder_of(shard: int) -> str:
    """The bundle folder of a shard, inside the search bundle folder."""
    return f"s{shard:02d}"


@dataclass(frozen=True)
class Shard:
    folder: str
    pages: tuple[str, ...]
    key: str


def plan(pages: Mapping[str, str], shards: int, code: str) -> list[Shard]:
    """The non-empty shards of ``pages`` (output path → key of the page's bytes), in folder order, each keyed
    by its pages and ``code`` (Pagefind's version and the plugin's code)."""
    groups: dict[int, list[str]] = {}
    for name in sorted(pages):
        groups.setdefault(shard_of(name, shards), []).append(name)
    return [Shard(folder_of(i), tuple(names),
                  digest(["search-shard", code, str(shards), folder_of(i), *(f"{n}\0{pages[n]}" for n in names)]))
            for i, names in sorted(groups.items())]


def manifest(folders: Iterable[str]) -> str:
    """The text of ``shards.json``: the bundle folders to merge, the first one loaded first."""
    return json.dumps({"bundles": [f"{f}/" for f in sorted(folders)]}, separators=(",", ":")) + "\n"
