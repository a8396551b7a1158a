"""A spaCy component standing in for the attribute ruler and the lemmatizer, doing only what extraction needs.

The small English pipeline spends about a third of its time in three components whose output extraction barely
uses: the dependency parser (wanted for sentence boundaries: the pipeline's own ``senter`` gives those at a tenth
of the cost), the attribute ruler (wanted for coarse parts of speech) and the lemmatizer (wanted for the lemmas of
content words only). ``news_archive_pos`` replaces the last two:

- every token's coarse part of speech and morphology come from its fine-grained tag through the model's own tag
  map, read from the attribute ruler's one-tag patterns (``{"TAG": "NNS"}`` → ``NOUN``, ``Number=Plur``), and set
  for the whole document at once;
- a content word (noun, proper noun, verb or adjective that is alphabetic and no stop word: what the text vectors
  of :mod:`.relate` count) gets its lemma from the model's own rule lemmatizer; other tokens keep none.

:func:`.nlp.load_model` installs it only when the model has all of these parts (a tagger, an attribute ruler with
a tag map, a rule lemmatizer, a ``senter``); any other model runs its own pipeline unchanged.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "news_archive_pos"
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})


def tag_map(nlp: Language) -> dict[str, dict[str, str]]:
    """The attribute ruler's tag map: fine tag → {"POS": …, "MORPH": …} from its patterns on one tag alone."""
    if "attribute_ruler" not in nlp.component_names:
        return {}
    out: dict[str, dict[str, str]] = {}
    for rule in nlp.get_pipe("attribute_ruler").patterns:
        for pattern in rule["patterns"]:
            if len(pattern) == 1 and set(pattern[0]) == {"TAG"} and isinstance(pattern[0]["TAG"], str):
                out.setdefault(pattern[0]["TAG"], {k: v for k, v in rule["attrs"].items() if k in ("POS", "MORPH")})
    return out


class PartsOfSpeech:
    def __init__(self, nlp: Language, lemmatizer: str = "lemmatizer") -> None:
        strings = nlp.vocab.strings
        self.lemmatizer = nlp.get_pipe(lemmatizer)
        self.pos: dict[int, int] = {}
        self.morph: dict[int, int] = {}
        for tag, attrs in tag_map(nlp).items():
            if "POS" in attrs:
                self.pos[strings.add(tag)] = strings.add(attrs["POS"])
            if "MORPH" in attrs:
                self.morph[strings.add(tag)] = nlp.vocab.morphology.add(attrs["MORPH"])

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        tags = doc.to_array([TAG])
        pos = np.fromiter((self.pos.get(int(t), 0) for t in tags), dtype=np.uint64, count=len(tags))
        morph = np.fromiter((self.morph.get(int(t), 0) for t in tags), dtype=np.uint64, count=len(tags))
        doc.from_array([POS, MORPH], np.stack([pos, morph], axis=1))
        lemmatize = self.lemmatizer.lemmatize
        for token in doc:
            if token.pos_ in CONTENT_POS and token.is_alpha and not token.is_stop:
                token.lemma_ = lemmatize(token)[0]
        return doc


@Language.factory(COMPONENT, default_config={"lemmatizer": "lemmatizer"})
def make_parts_of_speech(nlp: Language, name: str, lemmatizer: str) -> PartsOfSpeech:
    return PartsOfSpeech(nlp, lemmatizer)
