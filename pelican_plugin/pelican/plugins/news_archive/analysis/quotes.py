"""Who said what: direct quotations and the named person each is attributed to, over plain text.

Two steps, because they depend on different things:

1. :func:`find_quotes` reads one article's text (paragraphs separated by blank lines) and finds quotations in the
   three forms a news report attributes them: ``"…," said Amir Hatami`` (the verb first, the name, or a role and
   then the name in apposition: ``"…," said the President of Iran, Ibrahim Raisi``), ``"…," Amir Hatami told
   reporters`` (the name, with role words before it: ``"…," chief executive Richard Parsons said``), and
   ``Amir Hatami said: "…"`` (a colon before the quotation). It depends on the text only, so the pipeline keeps
   its result per article.
2. :func:`attribute` resolves each speaker against the article's canonical entities (archive-wide, made again on
   every build that changed something), and keeps a quotation only when the speaker is without doubt one PERSON
   of the article: the name (less titles, ``honorifics.txt``) is that person's name or alias and no other entity's
   of the article; a surname alone only when exactly one person of the article carries it and the article writes
   that person's name in full somewhere (the archive-wide merge may have filed a namesake under the surname).

A misattributed quotation is worse than none, so every doubt drops it: a pronoun ("he said"), a description
without a name ("the minister said"), role words that name someone else ("a spokesman for Tony Blair said",
``not_speaker_words.txt``), two names ("Smith and Jones said"), a possessive ("Mr Blair's spokesman"), a
paragraph whose quotation marks do not pair (a quotation running over paragraphs), a quotation that does not start
a sentence (a phrase quoted inside someone's sentence). The quotation's text is the article's, verbatim, without
the comma that hands over to the attribution.

The records are plain frozen dataclasses defined here rather than in ``model.py``: that module is part of the
extraction cache's key, and quotations are not made by the extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..knowledge import word_list
from ..model import Entity, EntityRef
from ..names import name_key
from .canonicalise.lexicon import split_titles

MARKS = "\"“”„"
_MARK = re.compile(f"[{MARKS}]")
_SENTENCE_END = re.compile(r"[.!?][)’'\"”]*$")
_PUNCT = re.compile(r"[,;:!?()\[\]]")
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)$")
_KEY_POSSESSIVE = re.compile(r"'s?$")  # of a name key ("George W Bush's" → "george w bush's")
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our"})
MAX_ROLE_WORDS = 6
MAX_OBJECT_WORDS = 8


@dataclass(frozen=True)
class Said:
    """A quotation as the text attributes it: its words (verbatim), the speaker as written, where it starts."""

    text: str
    who: str
    start: int  # offset of the quotation's first character in the article's text


@dataclass(frozen=True)
class Quote:
    """A quotation attributed to one canonical PERSON of the article (``speaker``: the entity's slug)."""

    text: str
    speaker: str
    said_as: str  # the name as the article writes it at the quotation
    start: int


@cache
def _verbs() -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((tuple(v.split()) for v in word_list("speech_verbs.txt")), key=len, reverse=True))


def _verb_at(words: Sequence[str], i: int) -> int:
    """The number of words of a speech verb (phrase) starting at ``words[i]``, 0 when none does."""
    low = [w.lower() for w in words[i:i + 5]]
    for verb in _verbs():
        if tuple(low[:len(verb)]) == verb:
            return len(verb)
    return 0


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper() and not _POSSESSIVE.search(word) and not _PUNCT.search(word)


def _role_ok(words: Sequence[str]) -> bool:
    """Role words before a name ("chief executive", "Tory leader") that do not name another speaker."""
    if len(words) > MAX_ROLE_WORDS:
        return False
    stops = word_list("not_speaker_words.txt")
    for n, word in enumerate(words):
        low = word.lower()
        if low in stops or _verb_at(words, n) or _PUNCT.search(word) or _MARK.search(word):
            return False
        # "Smith and Jones said": a name before "and" is a second speaker ("chairman and chief executive" is one)
        if low in ("and", "&") and any(_capitalised(w) for w in words[:n]):
            return False
    return True


def _in_name(words: Sequence[str], i: int) -> bool:
    """Whether ``words[i]`` is part of a name: capitalised, or a particle between capitalised words."""
    if _capitalised(words[i]):
        return True
    return (0 < i < len(words) - 1 and words[i].lower() in word_list("name_particles.txt")
            and _capitalised(words[i - 1]) and _capitalised(words[i + 1]))


def _name_before(words: Sequence[str]) -> str | None:
    """The speaker's name at the end of ``words`` (role words before it allowed), or None."""
    n = len(words)
    while n > 0 and _in_name(words, n - 1):
        n -= 1
    if n == len(words) or not _role_ok(words[:n]):
        return None
    return " ".join(words[n:])


def _name_after(words: Sequence[str]) -> str | None:
    """The speaker's name after a verb: role words (which may hold capitalised words: "Yukos chief executive"),
    then a run of capitalised words that ends the phrase or is followed by a word that ends it ("said Tony Blair
    on Monday"), never by a possessive or another role word ("said the Spurs sporting director")."""
    i = 0
    while i < len(words):
        if not _capitalised(words[i]):
            i += 1
            continue
        j = i
        while j < len(words) and _in_name(words, j):
            j += 1
        if j == len(words) or words[j].lower() in word_list("not_speaker_words.txt"):
            return " ".join(words[i:j]) if _role_ok(words[:i]) else None
        if _POSSESSIVE.search(words[j]) and words[j][:1].isupper():
            return None
        i = j
    return None


def _chunks(text: str) -> list[str]:
    """The phrases of an attribution, split at commas (a trailing full stop dropped)."""
    return [c.strip() for c in re.split(r",", text)]


def _after(rest: str) -> str | None:
    """The speaker of a quotation followed by ``rest`` ('said Amir Hatami.', 'Hatami told reporters'), or None."""
    first = re.split(r"[.;:!?]", rest, maxsplit=1)[0]
    chunks = _chunks(first)
    words = chunks[0].split()
    if not words:
        return None
    verb = _verb_at(words, 0)
    if verb:
        if len(chunks) > 1 and len(words) > verb and words[verb].lower() in _DETERMINERS:
            # '"…," said the President of Iran, Ibrahim Raisi, in a call': the name in apposition to the role
            apposed = chunks[1].split()
            if apposed and all(_capitalised(w) for w in apposed):
                return " ".join(apposed)
        return _name_after(words[verb:])
    for i in range(1, len(words)):
        if _verb_at(words, i):
            return _name_before(words[:i])
    return None


def _before(clause: str) -> str | None:
    """The speaker of a quotation after ``clause`` ('Amir Hatami told the BBC:'), or None."""
    if not clause.endswith(":"):
        return None
    clause = clause[:-1].strip()
    clause = clause.rsplit(", ", 1)[-1] if ", " in clause else clause  # "Speaking in Tehran, Hatami said:"
    words = clause.split()
    for i in range(1, len(words)):
        if _verb_at(words, i):
            obj = words[i + _verb_at(words, i):]
            if len(obj) > MAX_OBJECT_WORDS or any(_verb_at(obj, k) or w.lower() == "that"
                                                  for k, w in enumerate(obj)):
                return None
            return _name_before(words[:i])
    return None


def _pairs(paragraph: str) -> list[tuple[int, int]]:
    """(opening, closing) offsets of the quotation marks of a paragraph, or none when they do not pair."""
    marks = [m.start() for m in _MARK.finditer(paragraph)]
    if len(marks) % 2:
        return []
    return list(zip(marks[::2], marks[1::2], strict=True))


def _sentence_before(paragraph: str, at: int) -> str:
    """The text of the sentence before offset ``at`` (from its start)."""
    head = paragraph[:at]
    cut = max((m.end() for m in re.finditer(r"[.!?][)’'\"”]*\s+(?=[A-Z\"“]|$)", head)), default=0)
    return head[cut:].strip()


def find_quotes(text: str) -> tuple[Said, ...]:
    """Every attributed direct quotation of a text (see the module docstring), in text order."""
    found: list[Said] = []
    offset = 0
    for paragraph in text.split("\n\n"):
        for open_, close in _pairs(paragraph):
            words = paragraph[open_ + 1:close]
            if not re.search(r"\w", words):
                continue
            before = _sentence_before(paragraph, open_)
            who = None
            if not before and (words.rstrip()[-1:] in ",?!" or paragraph[close + 1:close + 2] == ","):
                who = _after(paragraph[close + 1:].lstrip(","))
            elif before.endswith(":"):
                who = _before(before)
            if who:
                found.append(Said(text=words.strip().rstrip(","), who=who, start=offset + open_ + 1))
        offset += len(paragraph) + 2
    return tuple(found)


@dataclass(frozen=True)
class People:
    """An article's canonical entities as speakers are looked up: name key → PERSON slugs; the key of a name's
    end (surname, "de Vabres") → PERSON slugs whose name ends so; the name keys of its other entities."""

    names: Mapping[str, frozenset[str]]
    surnames: Mapping[str, frozenset[str]]
    others: frozenset[str]
    written: Mapping[str, bool] = field(default_factory=dict)  # PERSON slug → the article writes a full form


def _written(forms: Iterable[str], mentions: Iterable[str]) -> bool:
    """Whether one of the article's mentions holds a full (two-word or longer) form of a name (a name known only
    by one word has no full form to look for)."""
    full = [f" {name_key(f)} " for f in forms if len(name_key(f).split()) > 1]
    return not full or any(f in f" {_KEY_POSSESSIVE.sub('', m)} " for f in full for m in mentions)


def people_of(refs: Iterable[EntityRef], entities: Mapping[str, Entity],
              mentions: Iterable[str] | None = None) -> People:
    """``mentions``: the name keys of the article's own mentions (None: every person counts as written)."""
    seen = None if mentions is None else frozenset(mentions)
    written: dict[str, bool] = {}
    names: dict[str, set[str]] = {}
    surnames: dict[str, set[str]] = {}
    others: set[str] = set()
    for ref in refs:
        entity = entities.get(ref.slug)
        if entity is None:
            continue
        for form in (entity.name, *entity.aliases):
            key = name_key(form)
            if entity.type != "PERSON":
                others.add(key)
                continue
            if entity.slug not in written:
                written[entity.slug] = seen is None or _written((entity.name, *entity.aliases), seen)
            names.setdefault(key, set()).add(entity.slug)
            words = key.split()
            for n in range(1, len(words) + 1):  # "Vabres", "de Vabres" of "Renaud Donnedieu de Vabres"
                surnames.setdefault(" ".join(words[-n:]), set()).add(entity.slug)
    return People({k: frozenset(v) for k, v in names.items()}, {k: frozenset(v) for k, v in surnames.items()},
                  frozenset(others), written)


def speaker(who: str, people: People) -> str | None:
    """The slug of the one PERSON ``who`` names without doubt, or None."""
    words = who.split()
    if words and words[0].lower() in word_list("quote_openers.txt"):
        words = words[1:]
    _, words = split_titles(words)
    if not words:
        return None
    # The name as written, then shorter ends of it ("Labour MP Kate Hoey" → "Kate Hoey"), never one word alone;
    # then the name as written as the end of exactly one person's name ("Mr Blair", "Mr de Vabres").
    for n in range(len(words), 1, -1):
        key = name_key(" ".join(words[-n:]))
        if key in people.others:
            return None
        if key in people.names:
            found = people.names[key]
            return next(iter(found)) if len(found) == 1 else None
    key = name_key(" ".join(words))
    carriers = people.surnames.get(key, frozenset())
    if key in people.others or len(carriers) != 1:
        return None
    # A surname stands for the person only where the article itself writes their name in full: a person filed
    # under a surname by the archive-wide merge may be someone else of that name.
    slug = next(iter(carriers))
    return slug if people.written.get(slug, True) else None


def attribute(said: Sequence[Said], refs: Iterable[EntityRef], entities: Mapping[str, Entity],
              mentions: Iterable[str] | None = None) -> tuple[Quote, ...]:
    """The quotations of one article whose speaker is one of its canonical PERSONs (see :func:`speaker`);
    ``mentions``: the name keys of the article's own entity mentions (see :func:`people_of`)."""
    if not said:
        return ()
    people = people_of(refs, entities, mentions)
    out = []
    for s in said:
        slug = speaker(s.who, people)
        if slug:
            out.append(Quote(text=s.text, speaker=slug, said_as=s.who, start=s.start))
    return tuple(out)
