"""``news_archive_pos``: coarse parts of speech and content-word lemmas, standing in for the attribute ruler and
the lemmatizer of spaCy's small English pipeline.

The small English pipeline spends about a third of its time in three components whose output extraction barely
uses: the dependency parser (wanted for sentence boundaries: the pipeline's own ``senter`` gives those at a tenth
of the cost), the attribute ruler (wanted for coarse parts of speech) and the lemmatizer (wanted for the lemmas of
content words only). :func:`.nlp.load_model` leaves them out of the run and adds this component instead:

- every token's coarse part of speech and morphology come from its fine-grained tag through the model's own tag
  map, read from the attribute ruler's one-tag patterns (``{"TAG": "NNS"}`` → ``NOUN``, ``Number=Plur``), and set
  for the whole document at once;
- a content word (noun, proper noun, verb or adjective that is alphabetic and no stop word: what the text vectors
  of :mod:`...relate` count) gets its lemma from the model's own rule-lemmatizer tables; other tokens keep none.

The component reads the attribute ruler and the lemmatizer it names when it first runs (so it also works when a
pipeline is rebuilt from its config and bytes), never changes them (``nlp.to_bytes()`` still serialises the
pipeline), and keeps its own copy of the lemmatizer's word lists as sets: the model stores each as a list of some
58,000 words, which the rule lemmatizer scans for every new word form (about 85 µs each).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

COMPONENT = "news_archive_pos"
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
LEMMA_TABLES = ("lemma_rules", "lemma_exc", "lemma_index")


def tag_map(nlp: Language, ruler: str = "attribute_ruler") -> dict[str, dict[str, str]]:
    """The attribute ruler's tag map: fine tag → {"POS": …, "MORPH": …} from its patterns on one tag alone."""
    if ruler not in nlp.component_names:
        return {}
    out: dict[str, dict[str, str]] = {}
    for rule in nlp.get_pipe(ruler).patterns:
        for pattern in rule["patterns"]:
            if len(pattern) == 1 and set(pattern[0]) == {"TAG"} and isinstance(pattern[0]["TAG"], str):
                out.setdefault(pattern[0]["TAG"], {k: v for k, v in rule["attrs"].items() if k in ("POS", "MORPH")})
    return out


def _lemma_lookups(nlp: Language, lemmatizer: str) -> Lookups:
    """A copy of the named rule lemmatizer's tables, word lists as sets (the model's own stay as they are)."""
    source = nlp.get_pipe(lemmatizer).lookups
    lookups = Lookups()
    for name in LEMMA_TABLES:
        if source.has_table(name):
            table = dict(source.get_table(name))
            if name == "lemma_index":
                table = {pos: frozenset(words) for pos, words in table.items()}
            lookups.add_table(name, table)
    return lookups


class PartsOfSpeech:
    """Sets POS and MORPH of every token from its tag, and LEMMA of content words (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = COMPONENT, lemmatizer: str = "lemmatizer",
                 attribute_ruler: str = "attribute_ruler") -> None:
        self.nlp = nlp
        self.name = name
        self.lemmatizer_name = lemmatizer
        self.ruler_name = attribute_ruler
        self._ready = False

    def _prepare(self) -> None:
        strings = self.nlp.vocab.strings
        self.strings = strings
        self.pos: dict[int, int] = {}
        self.morph: dict[int, int] = {}
        for tag, attrs in tag_map(self.nlp, self.ruler_name).items():
            if "POS" in attrs:
                self.pos[strings.add(tag)] = strings.add(attrs["POS"])
            if "MORPH" in attrs:
                self.morph[strings.add(tag)] = self.nlp.vocab.morphology.add(attrs["MORPH"])
        self.content = np.array(sorted(strings[p] for p in CONTENT_POS), dtype=np.uint64)
        self.lemmatizer = Lemmatizer(self.nlp.vocab, None, name=f"{self.name}.lemmatizer", mode="rule")
        self.lemmatizer.initialize(lookups=_lemma_lookups(self.nlp, self.lemmatizer_name))
        self.lemmas: dict[tuple[int, int, int], int] = {}  # (word, pos, morph) → lemma, across documents
        self._ready = True

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self._ready:
            self._prepare()
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
                    found = self.lemmas[key] = self.strings.add(self.lemmatizer.rule_lemmatize(doc[i])[0])
                lemma[i] = found
        doc.from_array([POS, MORPH, LEMMA], np.stack([pos, morph, lemma], axis=1))
        return doc


@Language.factory(COMPONENT, assigns=["token.pos", "token.morph", "token.lemma"], requires=["token.tag"],
                  default_config={"lemmatizer": "lemmatizer", "attribute_ruler": "attribute_ruler"})
def make_parts_of_speech(nlp: Language, name: str, lemmatizer: str, attribute_ruler: str) -> PartsOfSpeech:
    return PartsOfSpeech(nlp, name, lemmatizer, attribute_ruler)
