"""What the archive-wide stages read of an extraction, kept apart from it, and the extractions read only when a
stage needs one.

An extraction holds every entity mention of an article with its context (a few dozen small records each); at 23k
articles decoding them all from the build state takes seconds. Once each article's prepared mentions, countries
and entity input are kept (:mod:`.pipeline`), the archive-wide steps read little of an extraction: related
articles its lemmas and its MinHash fingerprint, entity ranking where its title and lede end, quotations the
names it mentions. A :class:`Brief` holds exactly that, stored under the extraction's own key; the full
extraction is decoded only for the articles whose per-article records are missing (see :class:`Extractions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..model import Extraction
from ..names import name_key


@dataclass(frozen=True)
class Brief:
    """The part of an :class:`~..model.Extraction` the archive-wide stages read (same field names)."""

    terms: tuple[str, ...]
    fingerprint: tuple[int, ...]
    title_end: int
    lede_end: int
    names: frozenset[str]  # name key of every mention (a quotation's surname stands for a name written in full)

    @classmethod
    def of(cls, ex: Extraction) -> Brief:
        return cls(terms=ex.terms, fingerprint=ex.fingerprint, title_end=ex.title_end, lede_end=ex.lede_end,
                   names=frozenset(name_key(m.text) for m in ex.mentions))


class Extractions(Mapping[str, Extraction]):
    """Every article's extraction by article key, with its brief: those made in this build are held, the others
    are loaded (all that are asked for at once, through ``load``) the first time a stage reads one."""

    def __init__(self, briefs: Mapping[str, Brief], held: Mapping[str, Extraction],
                 load: Callable[[list[str]], Mapping[str, Extraction]]) -> None:
        self.briefs = dict(briefs)
        self._held = dict(held)
        self._load = load

    def need(self, keys: Iterable[str]) -> None:
        """Load the extractions of ``keys`` not held yet, in one read."""
        wanted = [k for k in keys if k in self.briefs and k not in self._held]
        if wanted:
            self._held.update(self._load(wanted))

    def __getitem__(self, key: str) -> Extraction:
        if key not in self._held:
            self.need([key])
        return self._held[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.briefs)

    def __len__(self) -> int:
        return len(self.briefs)

    def __contains__(self, key: object) -> bool:
        return key in self.briefs


def briefs_of(extractions: Mapping[str, Extraction]) -> dict[str, Brief]:
    """The briefs of extractions (those an :class:`Extractions` holds already, the others made)."""
    if isinstance(extractions, Extractions):
        return extractions.briefs
    return {k: Brief.of(ex) for k, ex in extractions.items()}
