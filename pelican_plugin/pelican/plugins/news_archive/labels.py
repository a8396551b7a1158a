"""The one table of entity labels: which spaCy labels the archive keeps, in which order, and what they are called.

Every stage and page that needs to know about entity types reads it from here (settings validation, extraction,
canonicalisation, the editor file, page headings, schema.org types), so a label added or renamed changes once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """One spaCy entity label as the archive uses it."""

    name: str  # spaCy's label: PERSON, ORG, …
    heading: str  # what a list of such entities is called on a page ("People")
    schema: str  # the schema.org type of such a thing in JSON-LD
    tag: bool  # a tag type by default


# Order matters: it breaks ties of the type vote and orders tag groups on pages.
LABELS: tuple[Label, ...] = (
    Label("PERSON", "People", "Person", True),
    Label("ORG", "Organisations", "Organization", True),
    Label("GPE", "Places", "Place", True),
    Label("LOC", "Locations", "Place", True),
    Label("FAC", "Facilities", "Place", True),
    # NORP is no tag by default: demonyms ("Iranian") file articles under countries instead.
    Label("NORP", "Groups and nationalities", "Thing", False),
    Label("EVENT", "Events", "Event", True),
    Label("LAW", "Laws and treaties", "Legislation", True),
    Label("PRODUCT", "Products", "Product", True),
    Label("WORK_OF_ART", "Works", "CreativeWork", True),
)

ORDER: tuple[str, ...] = tuple(label.name for label in LABELS)  # every label the archive keeps
KEPT: frozenset[str] = frozenset(ORDER)  # spaCy's dates, times, quantities and numbers are never kept
DEFAULT_TAG_TYPES: tuple[str, ...] = tuple(label.name for label in LABELS if label.tag)
HEADINGS: dict[str, str] = {label.name: label.heading for label in LABELS}
SCHEMA_TYPES: dict[str, str] = {label.name: label.schema for label in LABELS}


def heading(label: str) -> str:
    """The heading of a list of entities of ``label`` (the label itself when it is not one of ours)."""
    return HEADINGS.get(label, label)
