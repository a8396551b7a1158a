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
from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA, MORPH, ORTH, POS, TAG
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
        self.strings = strings
        self.lemmatizer = nlp.get_pipe(lemmatizer)
        self.pos: dict[int, int] = {}
        self.morph: dict[int, int] = {}
        for tag, attrs in tag_map(nlp).items():
            if "POS" in attrs:
                self.pos[strings.add(tag)] = strings.add(attrs["POS"])
            if "MORPH" in attrs:
                self.morph[strings.add(tag)] = nlp.vocab.morphology.add(attrs["MORPH"])
        self.content = np.array(sorted(strings[p] for p in CONTENT_POS), dtype=np.uint64)
        # The rule lemmatizer looks a candidate form up in its word list for the part of speech, which the model
        # stores as a list of some 58,000 words: as sets, the same lookups cost a hash, not a scan (about 85 µs
        # saved per new word).
        lookups = getattr(self.lemmatizer, "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            index = lookups.get_table("lemma_index")
            for key, words in list(index.items()):
                if isinstance(words, list):
                    index[key] = frozenset(words)
        self.lemmas: dict[tuple[int, int, int], int] = {}  # (word, pos, morph) → lemma, across documents

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        arr = doc.to_array([TAG, ORTH, IS_ALPHA, IS_STOP])
        uniq, where = np.unique(arr[:, 0], return_inverse=True)
        pos = np.array([self.pos.get(int(t), 0) for t in uniq], dtype=np.uint64)[where]
        morph = np.array([self.morph.get(int(t), 0) for t in uniq], dtype=np.uint64)[where]
        lemma = np.zeros(len(doc), dtype=np.uint64)
        wanted = np.flatnonzero(np.isin(pos, self.content) & (arr[:, 2] == 1) & (arr[:, 3] == 0))
        if len(wanted):
            doc.from_array([POS, MORPH], np.stack([pos, morph], axis=1))  # the lemmatizer reads both
            for i in wanted.tolist():
                key = (int(arr[i, 1]), int(pos[i]), int(morph[i]))
                found = self.lemmas.get(key)
                if found is None:
                    found = self.lemmas[key] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                lemma[i] = found
        doc.from_array([POS, MORPH, LEMMA], np.stack([pos, morph, lemma], axis=1))
        return doc


@Language.factory(COMPONENT, default_config={"lemmatizer": "lemmatizer"})
def make_parts_of_speech(nlp: Language, name: str, lemmatizer: str) -> PartsOfSpeech:
    return PartsOfSpeech(nlp, lemmatizer)
