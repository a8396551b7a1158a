"""Plain data passed between the pipeline stages.

Every stage takes and returns these small, immutable records instead of Pelican objects, so a stage can be
tested with a list of strings and no Pelican at all, and so extraction results can be cached as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceDoc:
    """One article as the pipeline sees it: plain text plus the metadata that matters for analysis."""

    key: str  # the article's slug: unique across the archive
    title: str
    text: str  # plain body text, paragraphs separated by blank lines
    date: str | None = None  # ISO 8601 or None when unknown
    dateline: str | None = None  # "Tehran (IP) -", "WASHINGTON, March 3 -"
    source: str | None = None  # outlet
    # Digest of the raw source (e.g. the rendered HTML). When set, the cache key uses it instead of the text, so
    # a cache hit never needs the text; ``text`` may then stay empty until a miss asks for it.
    token: str = ""
    # The rendered HTML, when the text is still to be made from it (by the extraction workers, on a cache miss).
    html: str = ""
    origin: str = ""  # where it comes from (a content file), for warnings


@dataclass(frozen=True)
class Mention:
    """One named-entity span found by spaCy in ``title + "\\n\\n" + text``.

    Offsets refer to that analysed string. ``sent`` is the sentence index (the title is sentence 0 when there
    is a title); ``prev`` holds up to three tokens before the span inside its sentence, which is where titles
    and ranks ("Brigadier General", "President") usually sit; ``tags`` are the fine-grained part-of-speech tags
    of the span's tokens (NNP, JJ, …), which tell a demonym from a name.
    """

    text: str
    label: str
    start: int
    end: int
    sent: int
    sent_start: bool = False
    in_title: bool = False
    prev: tuple[str, ...] = ()
    next: str = ""
    tags: tuple[str, ...] = ()
    # Per token: the parts of speech (n, v, a, r) under which its lower-case form is an ordinary English word.
    lex: tuple[str, ...] = ()
    caps: bool = False  # its line is written in capitals (a wire headline, a dateline): case says nothing there
    paren: str = ""  # one token in brackets right after the span: "IRPT" in "Islamic Renaissance Party (IRPT)"
    head: str = ""  # the span's syntactic role and governor outside it: "appos:president", "compound:minister"
    # A results slot: a score follows it in a line of scores ("Somerset 236-4", "BALTIMORE 67 58 .536"), or "v" is
    # beside it ("Birmingham v Barnsley"). A place named there is a team.
    score: bool = False


@dataclass(frozen=True)
class Extraction:
    """What spaCy tells about one article; the unit that is cached per article."""

    key: str
    mentions: tuple[Mention, ...]
    terms: tuple[str, ...] = ()  # lower-cased content lemmas in text order, for text similarity
    fingerprint: tuple[int, ...] = ()  # MinHash signature over word shingles, for same-story detection
    title_end: int = 0  # offset where the title ends in the analysed string (0 = no title)
    lede_end: int = 0  # offset where the lede (first paragraph) ends
    n_sents: int = 0


# Where a mention sits says how much it tells about the article: a name in the headline more than one in the
# body. One scale for every stage that weighs mentions by position (tag salience, country focus).
HEADLINE_WEIGHT, LEDE_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0


def position_weight(m: Mention, ex: Extraction) -> float:
    """``HEADLINE_WEIGHT`` in the headline, ``LEDE_WEIGHT`` in the lede (first paragraph), else ``BODY_WEIGHT``."""
    if m.in_title:
        return HEADLINE_WEIGHT
    return LEDE_WEIGHT if m.start < ex.lede_end else BODY_WEIGHT


@dataclass(frozen=True)
class Entity:
    """One canonical entity across the archive."""

    slug: str
    name: str
    type: str  # spaCy label: PERSON, ORG, GPE, LOC, FAC, NORP, EVENT, LAW, PRODUCT, WORK_OF_ART
    aliases: tuple[str, ...] = ()
    pinned: bool = False  # pinned in the editor file: heads its articles' tags and always has a page
    editor_named: bool = False  # its name comes from the editor file (a rename or a merge's name to keep)


@dataclass(frozen=True)
class EntityRef:
    """An entity as it occurs in one article."""

    slug: str
    mentions: int
    salience: float


@dataclass(frozen=True)
class CountryRef:
    """A country an article is about (``focus``) or mentions."""

    code: str  # ISO 3166-1 alpha-2
    mentions: int
    score: float
    focus: bool
    evidence: tuple[str, ...] = ()  # surface strings that pointed at the country


@dataclass(frozen=True)
class RelatedRef:
    """A link from one article to another, with the reason a reader is shown."""

    key: str
    score: float
    same_story: bool = False
    shared: tuple[str, ...] = ()


@dataclass
class EntityIndex:
    """Result of canonicalisation: the archive's entities and, per article, its tags best first."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_article: dict[str, list[EntityRef]] = field(default_factory=dict)
    unmatched_rules: tuple[str, ...] = ()  # editor rules that matched no entity ("block 'Nobody'")


@dataclass(frozen=True)
class ArticleInfo:
    """What pages and the export need to know of an article besides the analysis."""

    key: str
    title: str
    url: str
    date: str | None  # ISO 8601, None when unknown
    source_path: str
    source: str | None = None
    dateline: str | None = None
