"""The one record every reader produces and the Markdown writer consumes.

Readers (plain text, HTML, JSONL) differ in how they find an article's parts; after that, every article is the
same shape, so naming, de-duplication and writing are done once for all formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawArticle:
    """One imported article: verbatim body paragraphs plus what is known about them, and how it is known.

    ``title_derived`` / ``date_evidence`` say where a value came from when the input did not state it directly,
    so a reader of the archive can tell a headline from a shortened lede and a stated date from a derived one.
    """

    slug: str  # JSONL ``id`` or the input file's stem; made safe and unique by the pipeline
    title: str
    body: list[str] = field(default_factory=list)  # paragraphs, verbatim, no boilerplate
    title_derived: str | None = None  # "lede" when the title is the lede's first sentence
    date: str | None = None  # ISO 8601, only when stated or explicitly evidenced
    date_evidence: str | None = None  # the text a derived date was read from
    source: str | None = None  # the outlet ("Iran Press"), never a quoted agency
    dateline: str | None = None  # "Tehran (IP) -", exactly as written
    url: str | None = None
    author: str | None = None
    section: str | None = None  # the page's own section ("Business"), as stated in its metadata
    imported_from: str = ""  # input file name
    origin: str = ""  # where exactly it came from ("file.jsonl:12"), for messages; not written out

    @property
    def date_status(self) -> str | None:
        """``unknown`` without a date, ``derived`` when read from evidence in the text, None when stated."""
        if self.date is None:
            return "unknown"
        if self.date_evidence:
            return "derived"
        return None
