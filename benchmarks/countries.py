"""Focus and mentioned countries on Reuters-21578, against the articles' PLACES mapped to ISO 3166.

Per article with places: the predicted focus set (and, separately, the full mentioned set) against the gold set;
micro precision / recall / F1 over those articles. Two systems, side by side:

- baseline: spaCy GPE strings looked up as GeoNames country names, the most frequent one is the focus;
- plugin: ``countries.countries_for`` on the plugin's own extraction, with the Reuters dateline and outlet.

Articles come through the importer's JSONL parsing (``common.source_docs``). The figures are printed for the two
halves apart: the focus weights were fitted on the odd-numbered articles ("fit"), the even-numbered ones are the
check; then over all. Every figure of a line is over the same articles (``n``).

Usage: ``.venv/bin/python benchmarks/countries.py [--limit N]``. Prints one line. The spaCy pass is cached in
benchmarks/.work/cache (the first run over all 13,013 articles with places takes several minutes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable

from common import DATA, extract, read_jsonl, source_docs

Prediction = tuple[set[str], set[str]]  # (focus, mentioned)


def gold_sets(records: Iterable[dict]) -> dict[str, set[str]]:
    iso = json.loads((DATA / "reuters21578-places-iso.json").read_text(encoding="utf-8"))
    return {str(r["id"]): {iso[p] for p in r["places"] if p in iso} for r in records}


def micro(pairs: Iterable[tuple[set[str], set[str]]]) -> tuple[float, float, float]:
    tp = n_pred = n_gold = 0
    for pred, gold in pairs:
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def baseline(ex, doc) -> Prediction:
    """GPE strings looked up as country names; the most frequent is the focus."""
    from pelican.plugins.news_archive.analysis.gazetteer import country_names

    names = {n.lower(): c for c, n in country_names().items()}
    found = Counter(names[m.text.lower()] for m in ex.mentions if m.label == "GPE" and m.text.lower() in names)
    if not found:
        return set(), set()
    top = min(found, key=lambda c: (-found[c], c))
    return {top}, set(found)


def plugin(ex, doc) -> Prediction:
    from pelican.plugins.news_archive.analysis.countries import countries_for

    refs = countries_for(ex, doc.dateline, doc.title, doc.source)
    return {r.code for r in refs if r.focus}, {r.code for r in refs}


def evaluate(system: Callable[..., Prediction], extractions, docs, gold) -> dict[str, tuple[float, ...]]:
    preds = {k: system(extractions[k], docs[k]) for k in gold}
    return {"focus": micro((preds[k][0], gold[k]) for k in gold),
            "mentioned": micro((preds[k][1], gold[k]) for k in gold)}


def load(limit: int | None = None):
    records = [r for r in read_jsonl("reuters21578-train.jsonl.gz") if r.get("places")]
    if limit:
        records = records[:limit]
    gold = {k: v for k, v in gold_sets(records).items() if v}
    docs = [d for d in source_docs(records) if d.key in gold]
    return extract(docs), {d.key: d for d in docs}, gold


def halves(keys) -> dict[str, list[str]]:
    """The fit half (odd-numbered articles: the weights were fitted there) and the check half (even-numbered)."""
    def number(key: str) -> int:
        digits = "".join(c for c in key.rsplit("-", 1)[-1] if c.isdigit())
        return int(digits) if digits else 0

    return {"fit (odd)": [k for k in keys if number(k) % 2], "check (even)": [k for k in keys if not number(k) % 2]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles with places only")
    args = parser.parse_args(argv)
    extractions, docs, gold = load(args.limit)

    def fmt(r: dict[str, tuple[float, ...]]) -> str:
        return " ".join(f"{k} P {p:.3f} R {rc:.3f} F1 {f:.3f}" for k, (p, rc, f) in r.items())

    parts = []
    for name, keys in halves(sorted(gold)).items():
        sub = {k: gold[k] for k in keys}
        base = evaluate(baseline, extractions, docs, sub)
        ours = evaluate(plugin, extractions, docs, sub)
        parts.append(f"{name} n={len(sub)}: baseline {fmt(base)} | plugin {fmt(ours)}")
    ours = evaluate(plugin, extractions, docs, gold)
    covered = sum(1 for k in gold if plugin(extractions[k], docs[k])[0])
    print(f"countries reuters n={len(gold)} (articles with a focus: {covered}) | " + " || ".join(parts)
          + f" || all: plugin {fmt(ours)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
