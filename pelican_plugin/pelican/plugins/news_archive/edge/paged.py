"""Pelican's paginated pages one by one: each page of a group (the index's ``index.html``, ``index2.html``…) keyed
by what it shows, so a correction renders the page that lists the corrected article, not all of them.

A page of a group is rendered from the articles it lists, its neighbours (a template may read the previous and
next pages) and the whole lists the group pages through (``articles``, ``dates``, ``all_articles``). A theme
commonly reads of a whole list only whether it is empty or how long it is (``{% if articles %}``,
``articles|length``), so each whole list is handed to the template as a :class:`Whole`, which notes how it was
read: its length only, or its items. The page's key holds the length when that is all the page read when it was
last rendered, else every item. This is sound for the same reason the ``news_archive`` reads are: a page whose
every input it read last time is unchanged renders the same way and reads the same things again.

The pages are made as Pelican's ``Writer.write_file`` makes them (its own ``Paginator`` and ``Page`` objects and
variable names), and each is written by Pelican's ``write_file`` without pagination, which gives the template the
same context.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LEN, ALL, TRACKED = "\0len ", "\0all ", "\0paged"  # markers among a page's recorded reads


class Whole(list):  # type: ignore[type-arg]
    """A list that notes, while tracking, whether it was read for its length only or for its items."""

    __slots__ = ("_seen",)

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)
        self._seen: set[str] | None = None

    def track(self) -> None:
        self._seen = set()

    def seen(self) -> frozenset[str]:
        """How it was read since :meth:`track` ("len", "all"), and stop tracking."""
        found = frozenset(self._seen or ())
        self._seen = None
        return found

    def _note(self, how: str) -> None:
        seen = object.__getattribute__(self, "_seen")
        if seen is not None:
            seen.add(how)

    def __getattribute__(self, name: str) -> Any:
        # Any method a template calls (``articles.index``, ``articles.count``, copying) reads the items.
        if name not in _OWN:
            object.__getattribute__(self, "_note")("all")
        return object.__getattribute__(self, name)

    def __len__(self) -> int:
        self._note("len")
        return list.__len__(self)


_OWN = frozenset({"_seen", "_note", "track", "seen", "__len__", "__class__", "__dict__"})


def _reading(name: str) -> Any:
    method = getattr(list, name)

    def read(self: Whole, *args: Any) -> Any:
        self._note("all")
        return method(self, *args)

    read.__name__ = name
    return read


# Every way into the items (iteration, indexing, membership, comparison, printing, arithmetic, changes): the
# interpreter calls these slots directly, without ``__getattribute__``.
for _name in ("__iter__", "__getitem__", "__contains__", "__reversed__", "__repr__", "__eq__", "__ne__", "__lt__",
              "__le__", "__gt__", "__ge__", "__add__", "__mul__", "__rmul__", "__iadd__", "__imul__", "__setitem__",
              "__delitem__", "__reduce_ex__", "__format__"):
    setattr(Whole, _name, _reading(_name))


def _radd(self: Whole, other: Any) -> Any:  # ``[x] + articles``
    self._note("all")
    return other + list(list.__iter__(self))


Whole.__radd__ = _radd  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PagedPage:
    """One page of a paginated group: where it goes, the variables it is rendered with, and its key's parts."""

    save_as: str
    variables: dict[str, Any]
    shown: dict[str, Any]  # what the page shows of each paged list (its items, neighbours, place in the group)


def pages_of(name: str, url: Any, lists: Mapping[str, list[Any]], kwargs: Mapping[str, Any],
             settings: Mapping[str, Any], per_page: int) -> tuple[list[PagedPage], dict[str, Whole]]:
    """The pages of a group as Pelican's ``write_file`` makes them, every whole list in the variables a
    :class:`Whole` (returned too, by variable name; a paged list that is no variable under a hidden name)."""
    from pelican.paginator import Paginator

    wholes = {k: Whole(v) for k, v in kwargs.items() if isinstance(v, list)}
    for k, v in lists.items():  # a paged list given apart from the variables is a whole list too
        if kwargs.get(k) is not v:
            wholes[f"\0{k}"] = Whole(v)
    paged = {k: wholes[k] if kwargs.get(k) is v else wholes[f"\0{k}"] for k, v in lists.items()}
    paginators = {k: Paginator(name, url, v, settings, per_page) for k, v in paged.items()}
    count = next(iter(paginators.values())).num_pages  # counted now, before any page is tracked
    out = []
    for n in range(count):
        variables = {k: wholes.get(k, v) for k, v in kwargs.items()}
        shown: dict[str, Any] = {}
        for key, paginator in paginators.items():
            previous = paginator.page(n) if n > 0 else None
            page = paginator.page(n + 1)
            following = paginator.page(n + 2) if n + 1 < paginator.num_pages else None
            variables.update({f"{key}_paginator": paginator, f"{key}_page": page,
                              f"{key}_previous_page": previous, f"{key}_next_page": following})
            shown[key] = {"number": n + 1, "pages": paginator.num_pages, "count": paginator.count,
                          "per_page": paginator.per_page, "orphans": paginator.orphans,
                          "items": page.object_list, "at": [page.save_as, page.url],
                          "neighbours": [[p.object_list, p.save_as, p.url] if p else None
                                         for p in (previous, following)]}
        out.append(PagedPage(page.save_as, variables, shown))
    return out, wholes


def key_variables(page: PagedPage, kwargs: Mapping[str, Any], wholes: Mapping[str, Whole],
                  reads: Iterable[str]) -> dict[str, Any]:
    """The page's variables as its key holds them: each whole list as much of it as the page read when it was
    last rendered (all of it when that is not known)."""
    reads = frozenset(reads)
    out: dict[str, Any] = {k: v for k, v in kwargs.items() if k not in wholes}
    for k, whole in wholes.items():
        if TRACKED not in reads or ALL + k in reads:
            out[k] = ("items", list(list.__iter__(whole)))
        elif LEN + k in reads:
            out[k] = ("len", list.__len__(whole))
        else:
            out[k] = ("unread",)
    out["\0shown"] = page.shown
    return out


def start(wholes: Mapping[str, Whole]) -> None:
    for whole in wholes.values():
        whole.track()


def stop(wholes: Mapping[str, Whole]) -> tuple[str, ...]:
    """The markers of how the page just rendered read each whole list."""
    out = [TRACKED]
    for k, whole in wholes.items():
        seen = whole.seen()
        if "all" in seen:
            out.append(ALL + k)
        elif "len" in seen:
            out.append(LEN + k)
    return tuple(out)


def archive_reads(reads: Iterable[str]) -> tuple[str, ...]:
    """The ``news_archive`` reads among a page's recorded reads (the markers left out)."""
    return tuple(r for r in reads if not r.startswith("\0"))
