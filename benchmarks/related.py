"""Related articles (issue #5) on Reuters-21578: P@5 of the plugin against two baselines, in one run.

Metric (the guide's): for each article with topics, its related list filtered to articles that have topics, first
5; P@5 = share of those links that have a topic in common with the article (averaged over articles with at least
one such link; ``coverage`` counts them).

- plugin: the whole Reuters set as one archive through ``pipeline.archive_stages`` (canonical entities, countries,
  relate) exactly as a build runs it, with one change: ``NEWS_ARCHIVE_RELATED_COUNT = 20`` instead of 5, so that
  after dropping links to articles without topics (about 44% of Reuters) five links remain to be judged. The
  list read is the plugin's own: same-story reports first, then related links by score, threshold applied.
- tfidf: cosine of scikit-learn's ``TfidfVectorizer()`` (defaults) over title + body, 20 nearest;
- tfidf-sublinear: the same with ``sublinear_tf=True`` (a stronger TF-IDF, shown for honesty);
- entities: number of shared raw spaCy entity strings (the plugin's extraction, before canonicalisation).

Usage: ``.venv/bin/python benchmarks/related.py [--limit N]``. Prints one line. The spaCy pass is cached in
benchmarks/.work/cache.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence

import numpy as np
from common import extract, read_jsonl, source_docs
from scipy import sparse

LINKS = 20  # links requested per article (the default is 5; see the docstring)


def precision_at_5(lists: Mapping[str, Sequence[str]], topics: Mapping[str, set[str]]) -> tuple[float, int]:
    scores = []
    for key, linked in lists.items():
        if not topics.get(key):
            continue
        judged = [k for k in linked if topics.get(k)][:5]
        if judged:
            scores.append(sum(1 for k in judged if topics[key] & topics[k]) / len(judged))
    return (float(np.mean(scores)) if scores else 0.0), len(scores)


def nearest(matrix: sparse.csr_matrix, keys: Sequence[str], k: int = LINKS, chunk: int = 1000) -> dict[str, list[str]]:
    """The k rows with the largest product with each row (itself excluded; ties: lower index), chunk by chunk."""
    matrix = matrix.tocsr()
    t = matrix.T.tocsr()
    out: dict[str, list[str]] = {}
    for start in range(0, matrix.shape[0], chunk):
        prod = (matrix[start:start + chunk] @ t).tocsr()
        for r in range(prod.shape[0]):
            cols = prod.indices[prod.indptr[r]:prod.indptr[r + 1]]
            vals = prod.data[prod.indptr[r]:prod.indptr[r + 1]]
            mine = (cols != start + r) & (vals > 0)
            cols, vals = cols[mine], vals[mine]
            if len(cols) > k:
                top = np.argpartition(-vals, k - 1)[:k]
                cols, vals = cols[top], vals[top]
            order = np.lexsort((cols, -vals))
            out[keys[start + r]] = [keys[c] for c in cols[order]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N Reuters articles")
    args = ap.parse_args()

    from pelican.plugins.news_archive.analysis.pipeline import archive_stages
    from pelican.plugins.news_archive.labels import KEPT as KEPT_LABELS
    from pelican.plugins.news_archive.settings import ArchiveSettings
    from sklearn.feature_extraction.text import TfidfVectorizer

    records = list(read_jsonl("reuters21578-train.jsonl.gz"))
    if args.limit:
        records = records[: args.limit]
    docs = source_docs(records)
    topics = {str(r["id"]): set(r.get("topics") or []) for r in records}
    extractions = extract(docs)
    keys = [d.key for d in docs]

    seconds: dict[str, float] = {}
    from pelican.plugins.news_archive.analysis.editorial import EditorRules

    _, _, related = archive_stages(extractions, docs, ArchiveSettings(related_count=LINKS), EditorRules(),
                                   seconds=seconds)
    plugin = precision_at_5({k: [r.key for r in refs] for k, refs in related.items()}, topics)

    texts = [f"{d.title}\n{d.text}" for d in docs]
    t = time.perf_counter()
    tfidf = precision_at_5(nearest(TfidfVectorizer(dtype=np.float32).fit_transform(texts), keys), topics)
    tfidf_s = precision_at_5(
        nearest(TfidfVectorizer(dtype=np.float32, sublinear_tf=True).fit_transform(texts), keys), topics)
    t_tfidf = (time.perf_counter() - t) / 2

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, key in enumerate(keys):
        for name in {m.text.lower() for m in extractions[key].mentions if m.label in KEPT_LABELS}:
            rows.append(i)
            cols.append(vocab.setdefault(name, len(vocab)))
    raw = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(keys), len(vocab)))
    entities = precision_at_5(nearest(raw, keys), topics)

    met = plugin[0] >= 0.80 and plugin[0] > tfidf[0]
    print(f"related reuters articles={len(keys)} links={LINKS} P@5 plugin={plugin[0]:.3f} (coverage {plugin[1]}, "
          f"relate {seconds.get('related', 0):.1f}s) tfidf={tfidf[0]:.3f} (coverage {tfidf[1]}, {t_tfidf:.1f}s) "
          f"tfidf-sublinear={tfidf_s[0]:.3f} raw-entities={entities[0]:.3f} (coverage {entities[1]}) "
          f"target>=0.80 and >tfidf: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
