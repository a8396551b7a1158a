"""What a written page is made from, as a key: the memo that lets a rebuild skip the pages that did not change.

A page is ``template.render(context + page variables)``. Its key covers

* the **template** and every template it extends, includes or imports (their source), and the Jinja environment's
  settings, filters and tests;
* the **global values the templates read**: the names Jinja's own analysis finds undeclared in those templates
  (``SITEURL``, ``articles``…), each value's key; of the plugin's ``news_archive`` object only the attributes its
  pages were seen reading (:class:`~..site.presentation.ArchiveContext` remembers them, so ``base.html`` reading
  three URLs does not make every page depend on every entity);
* the **page variables** (the article, the entity page, the teasers…), and the file name and URL;
* the versions of Pelican, Jinja, MarkupSafe and the plugin's own code, and the code of every loaded plugin.

Pelican's content objects (articles, pages, categories…) are keyed by what a template can read of them. A value
whose behaviour cannot be captured faithfully — a function in ``JINJA_FILTERS``, an unknown object a plugin set on
an article — makes the memo step aside: such pages are always rendered, and ``-v`` says why, once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import Environment, TemplateNotFound, meta

from ..build.keys import Canon, Unhashable, canonical, digest, tree_digest, versions
from ..site.presentation import ArchiveContext

logger = logging.getLogger(__name__)
DEPENDENCIES = ("pelican", "jinja2", "markupsafe", "feedgenerator", "markdown", "pelican-news-archive")
# Attributes of content objects that are no input of their own page: the shared context and the settings (both
# keyed as globals), and Pelican's bookkeeping.
_CONTENT_SKIP = frozenset({"_context", "settings", "_output_location_referenced", "readers"})
_SETTINGS_SKIP = frozenset({"OUTPUT_PATH", "CACHE_PATH", "PLUGIN_PATHS"})
Parsed = tuple[tuple["str | None", ...], tuple[str, ...]]


@functools.cache
def _content_types() -> tuple[type, ...]:
    """Pelican's content and URL-wrapper classes, imported once (the memo asks for them for every value)."""
    from pelican.contents import Content
    from pelican.urlwrappers import URLWrapper

    return Content, URLWrapper


class Memo:
    """Keys of pages for one build. ``off`` holds the reason the memo stepped aside for everything (or "")."""

    def __init__(self, env: Environment | None, settings: Mapping[str, Any], code: Iterable[str],
                 shared: Memo | None = None, parsed: Mapping[str, Parsed] | None = None) -> None:
        self.env = env
        self.off = ""
        self._templates: dict[str, tuple[str, frozenset[str]] | None] = {}
        # What Jinja's analysis found in each template source (by its digest): the last build's, kept by the run,
        # so that a rebuild does not parse every template again; ``parsed_now`` is what this build used.
        self._parsed: Mapping[str, Parsed] = shared._parsed if shared else dict(parsed or {})
        self.parsed_now: dict[str, Parsed] = shared.parsed_now if shared else {}
        # What one build's memos share (each Pelican generator has its own Jinja environment): the keys of values
        # and content objects, which do not change while pages are written, and what was said.
        self._said: set[str] = shared._said if shared else set()
        self._values: dict[int, str] = shared._values if shared else {}
        self._feed_values: dict[int, str] = shared._feed_values if shared else {}
        self._attributes: dict[int, tuple[Any, list[tuple[str, str]]]] = shared._attributes if shared else {}
        # The key parts of the ``news_archive`` values a set of reads names: many pages read the same few.
        self._read_parts: dict[tuple[int, tuple[str, ...]], tuple[Any, list[str]]] = (
            shared._read_parts if shared else {})
        self.canon = shared.canon if shared else Canon(self.fallback)
        try:
            plain = [f"{k}={canonical(v, f'the setting {k}', canon=self.canon)}" for k, v in sorted(settings.items())
                     if k not in _SETTINGS_SKIP]
            self.base = digest(["memo", versions(DEPENDENCIES), *code, *plain,
                                *(canonical(sorted(getattr(env, kind, ())), kind)
                                  for kind in ("filters", "tests", "globals"))])
        except Unhashable as exc:
            self.base = ""
            self.off = f"{exc} and cannot be part of a key; every page is rendered"

    def say(self, why: str) -> None:
        """Log once, at debug level (``-v``), why a page or the whole memo is not used."""
        if why not in self._said:
            self._said.add(why)
            logger.debug("news_archive: memo not used: %s", why)

    # -- values -----------------------------------------------------------------------------------------------------
    def fallback(self, value: Any) -> str | None:
        """The key of a Pelican object, by what a template can read of it."""
        content, wrapper = _content_types()
        if isinstance(value, wrapper):
            return f"<{type(value).__name__} {value.name!r} {value.slug!r} {getattr(value, 'url', '')!r}>"
        if isinstance(value, content):
            return self.content_key(value)
        if isinstance(value, ArchiveContext):
            return "<news_archive>"  # its values are keyed one by one, as read
        if type(value).__name__ == "Markup":
            return repr(str(value))
        return None

    def content_key(self, obj: Any, skip: frozenset[str] = frozenset()) -> str:
        """Key of an article or page: every attribute set on it (other content objects by reference), but those
        in ``skip``. Each attribute's text is made once per build, for the page and for the feeds alike."""
        cache = self._feed_values if skip else self._values
        known = cache.get(id(obj))
        if known is not None:
            return known
        texts = self._attribute_texts(obj)
        key = digest([type(obj).__name__, *(t for n, t in texts if n not in skip)])
        cache[id(obj)] = key
        return key

    def _attribute_texts(self, obj: Any) -> list[tuple[str, str]]:
        known = self._attributes.get(id(obj))
        if known is not None and known[0] is obj:
            return known[1]
        content, _ = _content_types()
        attributes = vars(obj)
        texts = []
        for name in sorted(attributes):
            if name in _CONTENT_SKIP:
                continue
            value = attributes[name]
            if isinstance(value, content):
                text = f"<{value.source_path}>"
            elif name == "translations":
                text = repr([getattr(t, "source_path", "") for t in value])
            elif name == "metadata" and isinstance(value, dict):
                # Pelican sets each metadata value as an attribute too: the same object is keyed once, there.
                shared = {k: ("@", k) if attributes.get(k) is v else v for k, v in value.items()}
                text = canonical(shared, f"{type(obj).__name__}.metadata", canon=self.canon)
            else:
                text = canonical(value, f"{type(obj).__name__}.{name}", canon=self.canon)
            texts.append((name, f"{name}={text}"))
        self._attributes[id(obj)] = (obj, texts)
        return texts

    def value_key(self, value: Any, where: str) -> str:
        """Key of a global value (memoised for this build: globals do not change while pages are written)."""
        known = self._values.get(id(value))
        if known is None:
            known = self._values[id(value)] = digest([canonical(value, where, canon=self.canon)])
        return known

    # -- templates --------------------------------------------------------------------------------------------------
    def _analysis(self, source: str) -> Parsed:
        """(templates referenced, None for one named at run time; names read undeclared) of a template source."""
        key = digest(["jinja", source])
        found = self._parsed.get(key) or self.parsed_now.get(key)
        if found is None:
            tree = self.env.parse(source)  # type: ignore[union-attr]
            found = (tuple(meta.find_referenced_templates(tree)), tuple(sorted(meta.find_undeclared_variables(tree))))
        self.parsed_now[key] = found
        return found

    def _closure(self, name: str) -> list[tuple[str, str]] | None:
        """(name, source) of the template and of every template it references, or None when one is named only at
        run time."""
        seen: dict[str, str] = {}
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            source = seen[current] = self.env.loader.get_source(self.env, current)[0]  # type: ignore[union-attr]
            for ref in self._analysis(source)[0]:
                if ref is None:
                    return None
                todo.append(ref)
        return sorted(seen.items())

    def template(self, name: str) -> tuple[str, frozenset[str]] | None:
        """(key of a template and everything it references, the names it reads), or None when unknown."""
        if name not in self._templates:
            try:
                closure = self._closure(name)
            except TemplateNotFound:
                closure = None
            if closure is None:
                self.say(f"template {name} names a template only known at run time")
                self._templates[name] = None
            else:
                names = frozenset().union(*(self._analysis(source)[1] for _, source in closure))
                self._templates[name] = (digest(["template", *(n for n, _ in closure), *(s for _, s in closure)]),
                                         names)
        return self._templates[name]

    def page_key(self, template: Any, context: Mapping[str, Any], name: str, page: Mapping[str, Any],
                 reads: Iterable[str]) -> str:
        """Key of the page ``name`` rendered from ``template`` with ``context`` and the page variables ``page``;
        ``reads``: the ``news_archive`` values this template's pages read so far. "" when it cannot be made."""
        if self.off:
            return ""
        found = self.template(template.name)
        if found is None:
            return ""
        tkey, names = found
        parts = [self.base, tkey, name]
        try:
            for n in sorted(names - set(page)):
                if n in context:
                    value = context[n]
                    if isinstance(value, ArchiveContext):
                        parts += [n, *self._reads_key(value, reads)]
                    else:
                        parts += [n, self.value_key(value, n)]
            parts.append(canonical(dict(page), f"the variables of {template.name}", canon=self.canon))
        except Unhashable as exc:
            self.say(f"{exc.where} cannot be part of a key ({exc}); such pages are always rendered")
            return ""
        return digest(parts)

    def _reads_key(self, context: ArchiveContext, reads: Iterable[str]) -> list[str]:
        """``name=key`` of each ``news_archive`` value read, made once per build for each set of names."""
        names = tuple(sorted(reads))
        known = self._read_parts.get((id(context), names))
        if known is not None and known[0] is context:
            return known[1]
        parts = [f"{a}={self.value_key(context.value(a), f'news_archive.{a}')}" for a in names]
        self._read_parts[(id(context), names)] = (context, parts)
        return parts

    @staticmethod
    def feed_skip(element: Any) -> frozenset[str]:
        """What a feed entry never shows: the plugin's own attributes (tags, related links…), which Pelican's feed
        writer does not read."""
        return frozenset(n for n in vars(element) if n.startswith("news_"))

    def _entry_key(self, element: Any) -> str:
        """A feed entry's key; an article is an entry of many feeds (its entities', its countries'): made once."""
        known = self._feed_values.get(id(element))
        return known if known is not None else self.content_key(element, self.feed_skip(element))

    def feed_key(self, elements: Iterable[Any], name: str, args: Mapping[str, Any]) -> str:
        """Key of a feed: its entries (content objects), where it goes and how it is titled."""
        if self.off:
            return ""
        try:
            return digest([self.base, "feed", name, canonical(dict(args), name, canon=self.canon),
                           *map(self._entry_key, elements)])
        except Unhashable as exc:
            self.say(f"{exc.where} cannot be part of a key ({exc}); such feeds are always written")
            return ""


def plugin_code(plugins: Iterable[Any]) -> list[str]:
    """Digests of the code of every loaded plugin (its folder, or its file)."""
    from pathlib import Path

    out = []
    for module in plugins:
        path = Path(getattr(module, "__file__", "") or "")
        if path.name == "__init__.py":
            out.append(tree_digest([path.parent], (".py", ".html", ".txt", ".tsv", ".toml", ".json")))
        elif path.is_file():
            out.append(digest([path.read_bytes()]))
        else:
            out.append(getattr(module, "__name__", repr(module)))
    return out
