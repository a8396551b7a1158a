"""Build speed, side by side in one run (guide §3, issue #6).

Imports the first N Reuters articles (default 1,500) with `news-archive import`, then times, each in its own
process so peak memory is that run's alone, in rounds (``--repeat``, default 3) so that the machine's noise can be
told from the code's cost; the fastest run of each kind counts, and the largest peak memory:

* plain  — Pelican without the plugin (``-e 'PLUGINS=[]'``), into its own output folder
* cold   — Pelican with the plugin and an empty cache
* warm   — the same build again, as an editor's next ``make html``: same content, cache and output folder
* spacy  — the raw spaCy default pipeline in one process over the same texts (``nlp.pipe``)

Targets: warm ≤ 1.25 × plain; (cold − plain) ≤ 0.6 × spacy. Prints one line of figures.

    python benchmarks/speed.py [--articles 1500] [--data reuters21578-train.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DATA, ROOT, WORK

# Runs a command and reports the peak resident memory of it and everything it started (KiB).
LAUNCHER = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.PIPE, text=True); sys.stderr.write(r.stderr[-2000:] if r.returncode else ''); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")

RAW_SPACY = """
import json, sys, spacy
from pelican.plugins.news_archive.nlp import resolve_model_name
nlp = spacy.load(resolve_model_name(None))
texts = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
for _ in nlp.pipe(texts, batch_size=64):
    pass
"""


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one command run in its own launcher process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{proc.stderr}")
    return wall, int(proc.stdout.strip().splitlines()[-1]) / 1024


def pelican_command(content: Path, output: Path, cache: Path, *settings: str) -> list[str]:
    """``pelican`` over ``content`` with the project's settings. All overrides go in one ``-e``: Pelican keeps only
    the last ``-e`` it is given."""
    return [str(Path(sys.executable).parent / "pelican"), str(content), "-s", str(ROOT / "pelicanconf.py"),
            "-o", str(output), "-e", f"CACHE_PATH={json.dumps(str(cache))}", *settings]


def prepare(records_files: list[Path], n: int | None, work: Path) -> tuple[Path, Path]:
    """A JSONL of the first n records (all when n is None), imported into a content folder; and the texts spaCy
    reads, one JSON string a line."""
    jsonl = work / "articles.jsonl"
    texts = work / "texts.jsonl"
    written = 0
    with open(jsonl, "w", encoding="utf-8") as out:
        for records_file in records_files:
            with gzip.open(records_file, "rt", encoding="utf-8") as src:
                for line in src:
                    if n is not None and written >= n:
                        break
                    out.write(line)
                    written += 1
    content = work / "content"
    subprocess.run([str(Path(sys.executable).parent / "news-archive"), "import", str(jsonl), "-o", str(content)],
                   check=True, capture_output=True)
    # The raw spaCy run reads what the plugin reads: headline and article text of every imported article.
    sys.path.insert(0, str(ROOT))
    from pelican.plugins.news_archive.html_text import html_to_text
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG

    reader = MarkdownReader(dict(DEFAULT_CONFIG))
    with open(texts, "w", encoding="utf-8") as out:
        for md in sorted(content.glob("*.md")):
            html, meta = reader.read(str(md))
            out.write(json.dumps(f"{meta.get('title', '')}\n\n{html_to_text(html)}") + "\n")
    return content, texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1500)
    ap.add_argument("--data", default="reuters21578-train.jsonl.gz")
    ap.add_argument("--keep", action="store_true", help="keep the work folder under benchmarks/.work")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the four runs; the fastest of each counts")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="speed-", dir=WORK))
    try:
        content, texts = prepare([DATA / args.data], args.articles, work)
        n = len(list(content.glob("*.md")))
        runs: dict[str, list[tuple[float, float]]] = {"plain": [], "cold": [], "warm": [], "spacy": []}
        for r in range(args.repeat):  # rounds side by side: each round has all four, in the same order
            cache, output = work / f"cache-{r}", work / f"output-{r}"
            runs["plain"].append(measure(pelican_command(content, work / f"plain-{r}", cache, "PLUGINS=[]")))
            runs["cold"].append(measure(pelican_command(content, output, cache)))
            runs["warm"].append(measure(pelican_command(content, output, cache)))
            runs["spacy"].append(measure([sys.executable, "-c", RAW_SPACY, str(texts)]))
        # The fastest of each (the machine is shared: noise only ever adds time), with the largest peak memory.
        plain, cold, warm, raw = ((min(t for t, _ in runs[k]), max(m for _, m in runs[k]))
                                  for k in ("plain", "cold", "warm", "spacy"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    warm_ratio = warm[0] / plain[0]
    cold_ratio = (cold[0] - plain[0]) / raw[0]
    ok = warm_ratio <= 1.25 and cold_ratio <= 0.6
    print(f"speed articles={n} best of {args.repeat} plain={plain[0]:.1f}s/{plain[1]:.0f}MiB "
          f"cold={cold[0]:.1f}s/{cold[1]:.0f}MiB "
          f"warm={warm[0]:.1f}s/{warm[1]:.0f}MiB spacy={raw[0]:.1f}s/{raw[1]:.0f}MiB "
          f"warm/plain={warm_ratio:.2f} (target<=1.25) (cold-plain)/spacy={cold_ratio:.2f} (target<=0.60) "
          f"targets={'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
