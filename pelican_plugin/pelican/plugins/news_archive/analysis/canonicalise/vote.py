"""Step 4: the type of each entity, by an archive-wide vote of its mentions corrected by knowledge.

Every mention votes for its label (a mention in a capitals line counts ``CAPS_WEIGHT``, a weak one
``INITIAL_WEIGHT``), except that evidence overrides the label it votes for: a name after a title or in apposition
to one, or starting with a given name, votes PERSON; one ending in an organisation word ORG, in an event word
EVENT. Knowledge then corrects the vote: countries and national capitals are GPE whatever it says; a known city or
state takes the PERSON and NORP votes (unless a full person name or a given name says otherwise) plus a small
tie-breaking prior ``PLACE_PRIOR``; regions are LOC; sports clubs are ORG.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ...labels import ORDER
from ...names import name_key
from .. import gazetteer
from .lexicon import country_of, given_names, is_capital, lookup_place, org_name
from .mentions import TEAM, Item

CAPS_WEIGHT = 0.3  # a mention in a capitals sentence: for salience and the type vote
INITIAL_WEIGHT = 0.6  # a one-word mention opening a sentence: for the type vote
PLACE_PRIOR = 0.25  # votes a known city or state adds to GPE (breaks a tie)
_INITIAL_NAME = re.compile(r"[A-Z]\. [A-Z][a-z][\w'-]*")  # "M. Lathwell", "H. Morris": an initial and a surname


def _archive_given_names(per_article: Mapping[str, list[Item]]) -> set[str]:
    """The first word of at least two different full names spaCy labels PERSON, plus ``given_names.txt``."""
    names: dict[str, set[str]] = defaultdict(set)
    for items in per_article.values():
        for it in items:
            words = it.key.split()
            if it.label == "PERSON" and not it.weak and it.full and 2 <= len(words) <= 3:
                names[words[0]].add(it.key)
    return {w for w, keys in names.items() if len(keys) >= 2 and len(w) > 1} | given_names()


def _could_be_person(it: Item) -> bool:
    return not (it.label in ("PERSON", "NORP") or it.key.startswith(TEAM) or lookup_place(it.name) is not None
                or country_of(it.name) or org_name(it.name) or it.mention.caps)


def given_name_evidence(per_article: Mapping[str, list[Item]]) -> None:
    """A name labelled otherwise that starts with a given name ("Guy Forget", a lone "Natasha") or an initial ("M.
    Lathwell") votes PERSON, when it has two or three capitalised words (or is a lone listed given name) and is no
    known place, country or organisation name ("George Washington University")."""
    given = _archive_given_names(per_article)
    listed = given_names()
    for items in per_article.values():
        for it in items:
            if not _could_be_person(it):
                continue
            words = it.key.split()
            if (2 <= len(words) <= 3 and words[0] in given and all(w[:1].isupper() for w in it.name.split())) \
                    or (len(words) == 1 and words[0] in listed) or _INITIAL_NAME.fullmatch(it.name):
                it.person_evidence = True


def vote(items: Iterable[Item]) -> Counter[str]:
    """Each mention's vote for a label, weighted by how much its case can be trusted."""
    votes: Counter[str] = Counter()
    for it in items:
        w = CAPS_WEIGHT if it.mention.caps else INITIAL_WEIGHT if it.weak else 1.0
        label = "EVENT" if it.event_evidence else "PERSON" if it.person_evidence else "ORG" if it.org_evidence \
            else it.label
        votes[label] += w
    return votes


def best(votes: Counter[str]) -> str:
    """The label with the most votes; ties go to the label table's order."""
    return min(votes, key=lambda lab: (-votes[lab], ORDER.index(lab)))


def cluster_type(items: list[Item]) -> str:
    """The type of the entity these items name."""
    if items[0].key.startswith(TEAM):
        return "ORG"
    if any(it.key.startswith("@") or country_of(it.name) for it in items) or is_capital(items[0].name):
        return "GPE"
    if any(it.club_evidence for it in items):
        return "ORG"  # a club in some results table of the archive: "Everton" in prose is the club too
    multiword_person = any(it.label == "PERSON" and len(it.key.split()) >= 2 and it.full for it in items)
    strong = [it for it in items if not it.weak] or items
    votes = vote(strong)
    place = lookup_place(strong[0].name)
    if place is not None:
        if place.kind == gazetteer.REGION:
            return "LOC"
        if not multiword_person and name_key(strong[0].name) not in given_names():  # "George" may be a person
            for lab in ("PERSON", "NORP"):
                votes["GPE"] += votes.pop(lab, 0.0)
            votes["GPE"] += PLACE_PRIOR
    return best(votes)
