"""A cheap "is this English?" check, so a non-English article is flagged at import time.

Entity tagging uses an English model; a French or Persian article imports fine but gets poor tags. Warning
at import names the file while the editor can still act, instead of leaving odd tags to be found later.
"""

from __future__ import annotations

import re
from collections import Counter

from .rules import Rules

_WORD = re.compile(r"[^\W\d_]+")
_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SAMPLE_CHARS = 4000  # the opening of an article tells its language; reading all of it only costs time


def guess_language(paragraphs: list[str], rules: Rules) -> str:
    """``english``, another language named in the rules, ``non-latin``, or ``english`` when unsure."""
    text = " ".join(paragraphs)[:_SAMPLE_CHARS]
    ascii_letters = sum(len(run) for run in _ASCII_LETTERS.findall(text))
    other_letters = sum(1 for ch in _NON_ASCII.findall(text) if ch.isalpha())
    letters = ascii_letters + other_letters
    if letters and other_letters / letters > rules.max_non_ascii_letters:
        return "non-latin"
    words = _WORD.findall(text.casefold())
    if len(words) < rules.language_min_words:
        return "english"
    counts: Counter[str] = Counter()  # language -> common-word tokens
    distinct: dict[str, set[str]] = {}  # language -> different common words
    table = rules.function_words
    for word in words:
        for language in table.get(word, ()):
            counts[language] += 1
            distinct.setdefault(language, set()).add(word)
    english = counts.pop("english", 0)
    for language, foreign in counts.most_common():
        if (foreign > 2 * english and len(distinct[language]) >= rules.min_foreign_words
                and foreign / len(words) >= rules.min_foreign_share):
            return language
    return "english"


def looks_english(paragraphs: list[str], rules: Rules) -> bool:
    """False when the text is in another script or clearly in another language (see ``[language]``)."""
    return guess_language(paragraphs, rules) == "english"
