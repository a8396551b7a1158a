"""A spaCy component that tidies the entity spans of the statistical recogniser before they are extracted.

``news_archive_spans`` runs right after ``ner`` (:func:`.nlp.load_model` adds it) and only reshapes spans; it never
invents an entity or changes a label:

- a span is cut at a line break ("IRNA\\n\\nRecall" is two spans, a name never runs across paragraphs), at a
  free-standing dash, colon, semicolon, bracket or quote ("Valletta - Gilbert Agius"), and at number tokens
  of names, places and organisations ("Somerset 83", "Aston Villa 2 Derby 0" — results tables); an organisation keeps
  a last single digit ("Channel 4"); and at "v"/"vs" between two names ("Birmingham v Barnsley");
- punctuation and spaces are trimmed from both ends of every piece, pieces without a letter are dropped;
- every token of a span gets ``token._.news_archive_lex``: the parts of speech under which its lower-case form is
  an ordinary English word in the lemmatizer's word lists (``n``, ``v``, ``a``, ``r``; "" when none). Canonicalise
  reads it to tell a sentence-initial word ("Recall, …") or a department word ("Defense Minister") from a name.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

LEX_ATTR = "news_archive_lex"
COMPONENT = "news_archive_spans"
BREAK_PUNCT = frozenset({"-", "–", "—", "--", ":", ";", "(", ")", "[", "]", "{", "}", "|", "/", '"', "“", "”", "«",
                         "»"})
NUMBER_SPLIT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
VERSUS = frozenset({"v", "v.", "vs", "vs."})  # "Birmingham v Barnsley": two names (labels above only)
_POS = (("noun", "n"), ("verb", "v"), ("adj", "a"), ("adv", "r"))


def is_number(token: Token) -> bool:
    """A number token: "83", "429-7", ".629", "6-4" (digits, at most two letters: "1st", "3rd")."""
    text = token.text
    return any(c.isdigit() for c in text) and sum(c.isalpha() for c in text) <= 2


class EntitySpans:
    """Reshapes ``doc.ents`` and marks their tokens' ordinary-word parts of speech (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = COMPONENT, lemmatizer: str = "lemmatizer") -> None:
        self.nlp = nlp
        self.name = name
        self.lemmatizer_name = lemmatizer
        self.words: dict[str, frozenset[str]] | None = None  # read from the lemmatizer when first needed
        self.plurals: dict[str, str] = {}
        if not Token.has_extension(LEX_ATTR):
            Token.set_extension(LEX_ATTR, default="")

    def _word_lists(self) -> dict[str, frozenset[str]]:
        """The lemmatizer's word lists by part of speech (its own tables, read, never changed)."""
        if self.words is None:
            self.words = {}
            if self.lemmatizer_name in self.nlp.component_names:  # even when news_archive_pos lemmatizes instead
                lookups = getattr(self.nlp.get_pipe(self.lemmatizer_name), "lookups", None)
                if lookups is not None and lookups.has_table("lemma_index"):
                    table = lookups.get_table("lemma_index")
                    self.words = {letter: frozenset(table.get(pos, ())) for pos, letter in _POS}
                if lookups is not None and lookups.has_table("lemma_exc"):
                    self.plurals = {k: v[0] for k, v in lookups.get_table("lemma_exc").get("noun", {}).items()
                                    if v}
        return self.words

    def lex(self, lower: str) -> str:
        """Parts of speech of an ordinary word, also of a plural noun ("women" → woman, "extras" → extra)."""
        words = self._word_lists()
        found = "".join(letter for letter, known in words.items() if lower in known)
        if not found and len(lower) > 3:
            singular = self.plurals.get(lower) or (lower[:-1] if lower.endswith("s") else "")
            if singular and singular in words.get("n", ()):
                found = "n"
        return found

    def _breaks(self, doc: Doc, ent: Span) -> list[bool]:
        out = []
        for i in range(ent.start, ent.end):
            tok = doc[i]
            brk = tok.is_space and "\n" in tok.text
            spaced = bool(tok.whitespace_) and bool(doc[i - 1].whitespace_)
            if tok.text in BREAK_PUNCT and (i in (ent.start, ent.end - 1) or spaced):
                brk = True
            if ent.label_ in NUMBER_SPLIT_LABELS and tok.text in VERSUS:
                brk = True
            if ent.label_ in NUMBER_SPLIT_LABELS and is_number(tok):
                last_digit = ent.label_ == "ORG" and i == ent.end - 1 and len(tok.text) == 1 and i > ent.start
                brk = brk or not last_digit
            out.append(brk)
        return out

    def _pieces(self, doc: Doc, ent: Span) -> list[Span]:
        breaks = self._breaks(doc, ent)
        if not any(breaks) and not (doc[ent.start].is_punct or doc[ent.end - 1].is_punct
                                    or doc[ent.start].is_space or doc[ent.end - 1].is_space):
            return [ent]
        pieces: list[Span] = []
        start = ent.start
        for i in range(ent.start, ent.end + 1):
            if i == ent.end or breaks[i - ent.start]:
                s, e = start, i
                while s < e and (doc[s].is_punct or doc[s].is_space):
                    s += 1
                while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
                    e -= 1
                if e > s and any(c.isalpha() for c in doc[s:e].text):
                    pieces.append(Span(doc, s, e, label=ent.label))
                start = i + 1
        return pieces

    def __call__(self, doc: Doc) -> Doc:
        ents = [piece for ent in doc.ents for piece in self._pieces(doc, ent)]
        doc.ents = ents
        if self._word_lists():
            for ent in ents:
                for tok in ent:
                    tok._.set(LEX_ATTR, self.lex(tok.lower_))
        return doc


@Language.factory(COMPONENT, assigns=["doc.ents", f"token._.{LEX_ATTR}"], requires=["doc.ents", "token.is_space"],
                  default_config={"lemmatizer": "lemmatizer"})
def make_entity_spans(nlp: Language, name: str, lemmatizer: str) -> EntitySpans:
    return EntitySpans(nlp, name, lemmatizer)
