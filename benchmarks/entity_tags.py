"""Entity tags on CoNLL-2003 (issue #3): raw spaCy entities against the plugin's canonical tags, side by side.

The guide's metric: per document, the set of (name, PER/ORG/LOC) tags against the gold set. spaCy labels map
PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, and a country name counts as LOC whatever its label. Names match leniently,
token by token after accents and case are folded: a gold entity is found when a predicted one of the same type
equals it or contains it as a token sequence ("Hatami" in "Amir Hatami"); a predicted one is right when it
equals, contains or is contained in a gold one of the same type. Micro precision / recall / F1 over documents;
MISC gold entities and other predicted labels are not scored.

- raw: spaCy's ``en_core_web_sm`` (the model as installed, without the plugin's components) over the same text;
- plugin: the plugin's extraction, then ``canonicalise`` over the whole split as one archive, with the default
  tag types and every tag of an article (``max_tags`` is not applied: a page shows at most that many).

A CoNLL document becomes an article through the importer's own JSONL parsing (``common.source_docs``), as a user's
import would make it: its first line is the title, every further line a paragraph (``--raw-text``: the record as it
is, one paragraph, as this benchmark read it before). Raw spaCy reads the same text.
Usage: ``.venv/bin/python benchmarks/entity_tags.py [--split valid|train] [--dump FILE]``. Prints one line.
Target (issue #17): plugin precision ≥ 0.88 with recall no lower than raw spaCy's, on valid, with the rules written
on train. The headlines go to ``canonicalise`` as the pipeline passes them (team-sports copy is told by its headline).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable

from common import WORK, extract, read_jsonl, source_docs
from unidecode import unidecode

TYPE_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
Tag = tuple[tuple[str, ...], str]


def tokens(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W_]+", unidecode(name).casefold()))


def contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    n = len(small)
    return n > 0 and any(big[i:i + n] == small for i in range(len(big) - n + 1))


def mapped(name: str, label: str) -> Tag | None:
    from pelican.plugins.news_archive.analysis.gazetteer import is_country_name

    kind = "LOC" if is_country_name(name) else TYPE_MAP.get(label)
    toks = tokens(name)
    return (toks, kind) if kind and toks else None


def score(pairs: Iterable[tuple[set[Tag], set[Tag]]]) -> tuple[float, float, float]:
    right = n_pred = found = n_gold = 0
    for pred, gold in pairs:
        n_pred += len(pred)
        n_gold += len(gold)
        right += sum(1 for p, t in pred if any(t == gt and (contains(p, g) or contains(g, p)) for g, gt in gold))
        found += sum(1 for g, t in gold if any(t == pt and contains(p, g) for p, pt in pred))
    p = right / n_pred if n_pred else 0.0
    r = found / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(split: str, *, raw_text: bool = False):
    """Documents and gold sets. A document becomes a JSONL record (first line the title, the rest the body) and
    goes through the importer's own JSONL parsing, as a user's import would make it (``raw_text``: the record as
    it is, without the importer: how this benchmark read CoNLL before)."""
    from pelican.plugins.news_archive.model import SourceDoc

    docs, gold = [], {}
    for rec in read_jsonl(f"conll2003-{split}.docs.jsonl.gz"):
        title, _, body = rec["text"].partition("\n")
        if raw_text:
            docs.append(SourceDoc(key=rec["doc_id"], title=title, text=body))
        else:
            docs.extend(source_docs([{"id": rec["doc_id"], "title": title, "body": body}]))
        ents = rec["entities"]
        gold[rec["doc_id"]] = {t for e in ents if e["type"] != "MISC"
                               for t in [(tokens(e["text"]), e["type"])] if t[0]}
    return docs, gold


def raw_spacy(docs) -> dict[str, list[tuple[str, str]]]:
    """Entities of the model as installed (no plugin component), cached by text digest in benchmarks/.work."""
    import spacy
    from pelican.plugins.news_archive.analysis.extraction.extract import analysed_text
    from pelican.plugins.news_archive.analysis.extraction.nlp import model_identity, resolve_model_name

    texts = [analysed_text(d)[0] for d in docs]
    name = resolve_model_name(None)
    digest = hashlib.sha256("\x00".join([model_identity(None), *texts]).encode()).hexdigest()[:16]
    path = WORK / f"raw-ents-{digest}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    nlp = spacy.load(name)
    out = {d.key: [(e.text, e.label_) for e in sdoc.ents] for d, sdoc in zip(docs, nlp.pipe(texts), strict=True)}
    WORK.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    from pelican.plugins.news_archive.analysis.canonicalise import canonicalise
    from pelican.plugins.news_archive.settings import ArchiveSettings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="valid", choices=("valid", "train"))
    ap.add_argument("--dump", help="write each document's wrong and missed tags to this file (error analysis)")
    ap.add_argument("--raw-text", action="store_true", help="the records as they are, not through the importer")
    args = ap.parse_args(argv)
    docs, gold = load(args.split, raw_text=args.raw_text)
    raw = raw_spacy(docs)
    raw_pred = {k: {t for name, label in ents for t in [mapped(name, label)] if t} for k, ents in raw.items()}

    settings = ArchiveSettings()
    extractions = extract(docs)
    index = canonicalise(extractions, titles={d.key: d.title for d in docs}, types=settings.entity_types)
    ours: dict[str, set[Tag]] = {}
    for key in gold:
        ents = (index.entities[r.slug] for r in index.by_article.get(key, []))
        ours[key] = {t for e in ents for t in [mapped(e.name, e.type)] if t}

    rp, rr, rf = score((raw_pred.get(k, set()), gold[k]) for k in gold)
    pp, pr, pf = score((ours[k], gold[k]) for k in gold)
    met = pp >= 0.88 and pr >= rr
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            for k in gold:
                wrong = [(" ".join(p), t) for p, t in ours[k]
                         if not any(t == gt and (contains(p, g) or contains(g, p)) for g, gt in gold[k])]
                missed = [(" ".join(g), t) for g, t in gold[k]
                          if not any(t == pt and contains(p, g) for p, pt in ours[k])]
                fh.write(f"{k}\n  wrong:  {sorted(wrong)}\n  missed: {sorted(missed)}\n")
    print(f"entity tags conll2003-{args.split} docs={len(gold)} | raw spaCy P {rp:.3f} R {rr:.3f} F1 {rf:.3f} | "
          f"plugin P {pp:.3f} R {pr:.3f} F1 {pf:.3f} | target P>=0.88 and R>=raw: {'met' if met else 'NOT met'} "
          f"(every figure over all {len(gold)} documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
