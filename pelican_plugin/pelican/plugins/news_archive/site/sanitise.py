"""An allow-list sanitiser for every piece of HTML that reaches the output from ``content/`` (nh3, the Rust
``ammonia`` library's bindings).

Article text is untrusted: an imported or pasted article must never run code in a reader's browser. A block-list
(find ``<script>``, ``on…=``, ``javascript:``) is walked around by spellings a browser accepts and a scanner does
not (``<img/onerror=…>``, ``jav&#x09;ascript:``, SVG ``<animate values=…>``, comment tricks); an allow-list parsed
the way a browser parses (html5ever) keeps only what is listed here — the elements and attributes a news article
written in Markdown uses, and links and images with ordinary URLs — and drops everything else, so there is
nothing left to walk around. Links that leave the site get ``rel="noopener noreferrer"``.

:func:`sanitise_html` returns the clean HTML and what was dropped, for one warning naming the file.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# Elements of an article's body: Markdown's own (with python-markdown's extra, footnotes, tables, abbreviations,
# definition lists, code highlighting), and the structure imported HTML pages keep.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Attributes any listed element may carry, and those only some may.
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
ATTRIBUTES = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}), "li": frozenset({"value"}),
    "time": frozenset({"datetime"}), "abbr": frozenset(), "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}), "del": frozenset({"datetime"}), "ins": frozenset({"datetime"}),
}
# Elements whose content goes with them (scripts, embedded frames and objects, their fallback text, forms'
# controls): none of it is article text.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "noframes", "object", "embed", "applet", "noscript",
    "template", "svg", "math", "select", "textarea", "button",
})
# URL schemes a link or image may use; a URL without a scheme (a page of this site) is kept as it is.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_TAG = re.compile(r"<\s*([a-zA-Z][\w:-]*)([^>]*)>?")
_ATTR = re.compile(r"""[\s/"']([a-zA-Z_:][\w:.-]*)\s*(?==)""")
_EXTERNAL_LINK = re.compile(r'<a\s+href="(?:https?:)?//[^"]*"')


@lru_cache(maxsize=1)
def _attributes() -> dict[str, set[str]]:
    """Allowed attributes per tag, made once (nh3 reads them and keeps no reference)."""
    return {tag: set(ATTRIBUTES.get(tag, ())) | set(GENERIC_ATTRIBUTES) for tag in TAGS}


def _inventory(html: str) -> Counter[str]:
    """The elements and attributes written in some HTML (for saying what the sanitiser dropped)."""
    found: Counter[str] = Counter()
    for name, rest in _TAG.findall(html):
        found[f"<{name.lower()}>"] += 1
        for attr in _ATTR.findall(" " + rest):
            found[f"{attr.lower()}="] += 1
    return found


def _external(match: re.Match[str]) -> str:
    return match.group(0) + ' rel="noopener noreferrer"'


def clean(html: str) -> str:
    """The HTML with everything not on the allow-list removed (comments too), external links marked."""
    import nh3  # here: a rebuild in which nothing changed may never sanitise anything

    out = nh3.clean(html, tags=set(TAGS), attributes=_attributes(), url_schemes=set(URL_SCHEMES),
                    clean_content_tags=set(DROPPED_WITH_CONTENT), link_rel=None, strip_comments=True)
    return _EXTERNAL_LINK.sub(_external, out)


def sanitise_html(html: str) -> tuple[str, list[str]]:
    """The HTML without active or unknown content, and what was removed (empty when only the writing changed)."""
    if not html:
        return html, []
    out = clean(html)
    if out == html:
        return html, []
    before, after = _inventory(html), _inventory(out)
    after.pop("rel=", None)
    removed = sorted(name for name, n in before.items() if n > after.get(name, 0))
    removed += sorted({f"{m}:" for m in re.findall(r"([a-zA-Z][\w+.-]*):", html)
                       if m.lower() in ("javascript", "vbscript", "data") and m.lower() not in out.lower()})
    return out, removed
