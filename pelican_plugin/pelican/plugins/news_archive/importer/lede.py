"""The top of an article: its headline, its dateline and, when the headline is missing, a title from the lede.

Plain text has no markup saying "this is the headline" or "this is the dateline"; both are recognised by shape
(see ``data/boilerplate.toml`` and :mod:`.datelines`). A dateline is metadata, not prose, so it moves out of
the first sentence into ``Dateline:``; the rest of that sentence stays verbatim.
"""

from __future__ import annotations

import re

from .boilerplate import sentence_count
from .datelines import Dateline, parse_dateline
from .rules import Rules

__all__ = ["Dateline", "find_dateline", "first_sentence", "headline_shaped", "is_headline", "starts_with_dateline",
           "title_from_lede"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?(?=\s|$)")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]$")


def find_dateline(paragraphs: list[str], rules: Rules) -> tuple[Dateline | None, list[str]]:
    """Find a dateline opening one of the first paragraphs; return it and the paragraphs without it."""
    for index, para in enumerate(paragraphs[: rules.dateline_paragraphs]):
        parsed = parse_dateline(para, rules.datelines, index)
        if parsed is None:
            continue
        found, rest = parsed
        out = paragraphs[:index] + ([rest] if rest else []) + paragraphs[index + 1:]
        return found, out
    return None, paragraphs


def starts_with_dateline(paragraph: str, rules: Rules) -> bool:
    """True when ``paragraph`` opens with a dateline (so it is a lede, not a headline)."""
    return parse_dateline(paragraph, rules.datelines) is not None


def headline_shaped(paragraph: str, rules: Rules) -> bool:
    """True for one short line that does not end like a sentence or a lead-in and is not a dateline lede."""
    return (
        "\n" not in paragraph
        and len(paragraph) <= rules.headline_max_chars
        and len(paragraph.split()) <= rules.headline_max_words
        and not paragraph.endswith(rules.headline_bad_endings)
        and sentence_count(paragraph, rules) == 1
        and not starts_with_dateline(paragraph, rules)
    )


def is_headline(paragraphs: list[str], rules: Rules) -> bool:
    """True when the first paragraph is a headline: headline-shaped and followed by the article's text."""
    return len(paragraphs) >= 2 and headline_shaped(paragraphs[0], rules)


def first_sentence(text: str, rules: Rules) -> str:
    """The first sentence of ``text`` (a "." after an abbreviation or an initial does not end it)."""
    for match in _SENTENCE_END.finditer(text):
        before = _WORD_BEFORE.search(text[: match.start()])
        word = before.group(1).casefold() if before else ""
        if word in rules.abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        return text[: match.end()]
    return text


_CLAUSE_END = re.compile(r"[,;:](?=\s)|\s[–—-](?=\s)")


def title_from_lede(lede: str, rules: Rules) -> str:
    """A title for an article that has none: the lede's first sentence, shortened at a phrase boundary.

    The final full stop goes (titles do not end with one). A sentence longer than the limit is cut where a phrase
    ends — at a clause's punctuation when that keeps most of it, else before a word that opens a phrase ("of",
    "that", "said") — never after a word that cannot end one ("the", "of"); the cut ends with an ellipsis so that
    it is never mistaken for the whole sentence.
    """
    sentence = " ".join(first_sentence(lede, rules).split())
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    limit = rules.lede_title_max_chars
    if len(sentence) <= limit:
        return sentence
    return _phrase_cut(sentence, limit, rules).rstrip(" ,;:–—-") + rules.title_ellipsis


def _phrase_cut(sentence: str, limit: int, rules: Rules) -> str:
    window = sentence[: limit + 1]
    clauses = [m.start() for m in _CLAUSE_END.finditer(window) if m.start() >= limit * rules.title_clause_share]
    if clauses:
        return sentence[: clauses[-1]]
    words = window.split(" ")[:-1] if " " in window else [sentence[:limit]]  # the last may be cut mid-word
    ends = rules.title_phrase_openers | rules.title_dangling
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n])
        if len(head) < limit * rules.title_phrase_share:
            break
        if words[n].casefold().strip("\"'“”‘’(") in rules.title_phrase_openers and \
                words[n - 1].casefold() not in ends:
            return head
    while len(words) > 1 and words[-1].casefold() in ends:
        words.pop()
    return " ".join(words)
