"""Who said what on BBC News (issue 16): precision of quotation attributions on a hand-checked sample, and
coverage.

The 2,225 BBC News articles of ``../shared/data`` carry no split, so this harness makes one: an article whose
number (``bbc-business-001`` → 1) is odd is **training** (rules were written reading these), even is **check**
(the hand-checked sample is drawn from these only). Each part is analysed as one archive, as a user's import
would be: the plugin's extraction (cached in ``benchmarks/.work/cache``), canonicalisation, then the quotation
stage over the same text.

- precision: of the attributions in ``tests/fixtures/quotes_bbc_checked.jsonl`` (each judged by reading the
  article), the share whose speaker was judged right; and, against the stage as it is now, how many of the
  checked ones it still finds (right and wrong);
- coverage on the check part: quotations per article and the share of articles with at least one.

Usage: ``.venv/bin/python benchmarks/quotes.py [--part check|train] [--dump FILE] [--sample N]``; ``--dump``
writes every attribution of the part with its paragraph (for reading), ``--sample N`` draws N of them (seed 0)
for checking. Prints one line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from common import ROOT, extract, read_jsonl, source_docs

FIXTURE = ROOT / "tests" / "fixtures" / "quotes_bbc_checked.jsonl"


def part_of(article_id: str) -> str:
    """"train" for an odd article number, "check" for an even one."""
    return "train" if int(article_id.rsplit("-", 1)[1]) % 2 else "check"


def analyse_part(part: str):
    """(docs, quotes per article, canonical entities) of one part, analysed as one archive."""
    from pelican.plugins.news_archive.analysis.editorial import EditorRules
    from pelican.plugins.news_archive.analysis.pipeline import archive_stages, quote_stage
    from pelican.plugins.news_archive.settings import ArchiveSettings

    docs = [d for d in source_docs(read_jsonl("bbc-news.jsonl.gz")) if part_of(d.key) == part]
    extractions = extract(docs)
    index, _, _ = archive_stages(extractions, docs, ArchiveSettings(), EditorRules())
    return docs, quote_stage(docs, index, extractions=extractions), index


def paragraph_at(text: str, start: int) -> str:
    begin = text.rfind("\n\n", 0, start)
    end = text.find("\n\n", start)
    return text[begin + 2 if begin >= 0 else 0:end if end >= 0 else len(text)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("check", "train"), default="check")
    ap.add_argument("--dump", type=Path, help="write every attribution of the part (JSONL) for reading")
    ap.add_argument("--sample", type=int, default=0, help="with --dump: only N attributions drawn at random")
    args = ap.parse_args()
    docs, quotes, index = analyse_part(args.part)
    by_key = {d.key: d for d in docs}
    found = [(k, q) for k in sorted(quotes) for q in quotes[k]]
    if args.dump:
        chosen = random.Random(0).sample(found, min(args.sample, len(found))) if args.sample else found
        with args.dump.open("w", encoding="utf-8") as fh:
            for k, q in sorted(chosen, key=lambda kq: (kq[0], kq[1].start)):
                fh.write(json.dumps({"id": k, "quote": q.text, "person": index.entities[q.speaker].name,
                                     "said_as": q.said_as, "paragraph": paragraph_at(by_key[k].text, q.start)},
                                    ensure_ascii=False) + "\n")
    checked = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if FIXTURE.is_file() else []
    checked = [c for c in checked if part_of(c["id"]) == args.part]
    now = {(k, q.text, index.entities[q.speaker].name) for k, q in found}
    right = [c for c in checked if c["correct"]]
    still = sum(1 for c in right if (c["id"], c["quote"], c["person"]) in now)
    wrong_still = sum(1 for c in checked if not c["correct"] and (c["id"], c["quote"], c["person"]) in now)
    precision = len(right) / len(checked) if checked else float("nan")
    with_quote = sum(1 for d in docs if quotes.get(d.key))
    print(f"quotes bbc {args.part}: checked {len(checked)} attributions, precision {precision:.3f} "
          f"({len(right)} right); stage now finds {still}/{len(right)} right and {wrong_still} wrong of them; "
          f"coverage: {len(found)} quotes over {len(docs)} articles ({len(found) / len(docs):.2f} per article), "
          f"{with_quote / len(docs):.1%} of articles with >=1 quote")
    return 0


if __name__ == "__main__":
    sys.exit(main())
