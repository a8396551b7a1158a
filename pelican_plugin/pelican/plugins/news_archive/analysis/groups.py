"""The one union-find of the analysis: groups of keys joined pair by pair, with an order-free root.

Canonicalisation joins spellings of one entity, same-story detection joins reports of one story; both need the
groups to come out the same whatever order the pairs arrive in, so the root of a group is always its smallest key.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSet(Generic[K]):
    """Union-find over ``keys`` (more may be added by :meth:`union`); ``find`` gives the group's smallest key."""

    def __init__(self, keys: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {k: k for k in keys}

    def find(self, key: K) -> K:
        parent = self.parent
        root = parent.setdefault(key, key)
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:  # path compression
            parent[key], key = root, parent[key]
        return root

    def union(self, a: K, b: K) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
            self.parent[high] = low

    def groups(self) -> dict[K, list[K]]:
        """Root → members (sorted), for every key seen."""
        out: dict[K, list[K]] = {}
        for key in sorted(self.parent):  # type: ignore[type-var]
            out.setdefault(self.find(key), []).append(key)
        return out
