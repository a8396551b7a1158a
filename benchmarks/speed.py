"""Build speed, side by side in one run (guide §3, issue #6).

Imports the first N Reuters articles (default 1,500) with `news-archive import`, then times, each in its own
process so peak memory is that run's alone, in side-by-side rounds (``--rounds``, default 3) so that the
machine's noise can be told from the code's cost:

* plain  — Pelican without the plugin (``-e 'PLUGINS=[]'``) rebuilding into its own output folder (its first
  build there, into an empty folder, is printed too)
* cold   — Pelican with the plugin and an empty cache
* warm   — the same build again, as an editor's next ``make html``: same content, cache and output folder
* spacy  — the raw spaCy default pipeline in one process over the same texts (``nlp.pipe``)

Each round runs cold, then plain and warm alternated (``--quick-runs`` times each, the fastest counting: they
take seconds, so one slow spell of this shared machine would swing their ratio), then spacy. The ratios of each
round are printed, and those of the median round are checked: warm ≤ 1.25 × plain (both rebuilds);
(cold − plain's first build) ≤ 0.6 × spacy (both first builds). Peak memory is the largest seen. CPU seconds
(user + system, of the run and every process it started) are printed beside wall seconds, and the ratios on CPU
time beside those on wall time: the plugin's extraction runs in parallel worker processes, so a wall-time ratio
mixes what parallelism hides with what the cache and the lean pipeline really save. Prints one line of figures.

    python benchmarks/speed.py [--articles 1500] [--data reuters21578-train.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DATA, ROOT, WORK

# Runs a command and reports the peak resident memory (KiB) and the CPU seconds (user + system) of it and
# everything it started: wall time alone mixes parallel workers with real savings.
LAUNCHER = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.PIPE, text=True); sys.stderr.write(r.stderr[-2000:] if r.returncode else ''); "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_maxrss, u.ru_utime + u.ru_stime); "
            "sys.exit(r.returncode)")

RAW_SPACY = """
import json, sys, spacy
from pelican.plugins.news_archive.analysis.extraction.nlp import resolve_model_name
nlp = spacy.load(resolve_model_name(None))
texts = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
for _ in nlp.pipe(texts, batch_size=64):
    pass
"""


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak MiB and CPU seconds of one command run in its own launcher process. The disk first
    finishes writing what the previous run wrote, so that no run pays for another's output."""
    os.sync()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{proc.stderr}")
    rss, cpu = proc.stdout.strip().splitlines()[-1].split()
    return wall, int(rss) / 1024, float(cpu)


def pelican_command(content: Path, output: Path, cache: Path, *settings: str) -> list[str]:
    """``pelican`` over ``content`` with the project's settings. All overrides go in one ``-e``: Pelican keeps only
    the last ``-e`` it is given."""
    return [str(Path(sys.executable).parent / "pelican"), str(content), "-s", str(ROOT / "pelicanconf.py"),
            "-o", str(output), "-e", f"CACHE_PATH={json.dumps(str(cache))}", *settings]


def prepare(records_files: list[Path], n: int | None, work: Path, *, mixed: bool = False) -> tuple[Path, Path]:
    """A JSONL of the first n records (all when n is None; with ``mixed``, the first n / len(files) of each
    file), imported into a content folder; and the texts spaCy reads, one JSON string a line."""
    jsonl = work / "articles.jsonl"
    texts = work / "texts.jsonl"
    written = 0
    with open(jsonl, "w", encoding="utf-8") as out:
        for i, records_file in enumerate(records_files):
            limit = n if n is None or not mixed else written + n // len(records_files) + (
                n % len(records_files) if i == 0 else 0)
            with gzip.open(records_file, "rt", encoding="utf-8") as src:
                for line in src:
                    if limit is not None and written >= limit:
                        break
                    out.write(line)
                    written += 1
    content = work / "content"
    subprocess.run([str(Path(sys.executable).parent / "news-archive"), "import", str(jsonl), "-o", str(content)],
                   check=True, capture_output=True)
    # The raw spaCy run reads what the plugin reads: headline and article text of every imported article.
    sys.path.insert(0, str(ROOT))
    from pelican.plugins.news_archive.analysis.extraction.text import html_to_text
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
    ap.add_argument("--rounds", type=int, default=3, help="side-by-side rounds; the median round's ratios count")
    ap.add_argument("--quick-runs", type=int, default=3,
                    help="plain and warm runs per round, alternated; the fastest of each counts (they take seconds)")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="speed-", dir=WORK))
    rounds: list[dict[str, tuple[float, ...]]] = []
    try:
        content, texts = prepare([DATA / args.data], args.articles, work)
        n = len(list(content.glob("*.md")))
        for r in range(args.rounds):
            cache, output = work / f"cache-{r}", work / f"output-{r}"
            plain_cmd = pelican_command(content, work / f"plain-{r}", cache, "PLUGINS=[]")
            warm_cmd = pelican_command(content, output, cache)
            cold = measure(pelican_command(content, output, cache))
            # Plain Pelican's own first build, into its empty folder: warm is a rebuild over the files a build
            # left, and so are the plain runs that are compared with it (overwriting a file costs more than
            # creating one on this machine's ext4).
            plain_first = measure(plain_cmd)
            quick: dict[str, list[tuple[float, float, float]]] = {"plain": [], "warm": []}
            for _ in range(args.quick_runs):  # alternated, so that a slow spell of the machine hits both
                quick["plain"].append(measure(plain_cmd))
                quick["warm"].append(measure(warm_cmd))
            spacy = measure([sys.executable, "-c", RAW_SPACY, str(texts)])
            # The machine is shared: noise only ever adds time, so the fastest of the quick runs is their cost.
            rounds.append({"cold": cold, "spacy": spacy, "plain_first": plain_first,
                           **{k: (min(v)[0], max(m for _, m, _ in v), min(v)[2]) for k, v in quick.items()}})
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for r in rounds:
        r["warm_ratio"] = (r["warm"][0] / r["plain"][0], 0.0, r["warm"][2] / r["plain"][2])
        # cold is a first build into an empty folder: what the plugin adds to plain Pelican's first build
        r["cold_ratio"] = ((r["cold"][0] - r["plain_first"][0]) / r["spacy"][0], 0.0,
                           (r["cold"][2] - r["plain_first"][2]) / r["spacy"][2])
    # The median round by each ratio: one round's figures side by side, not a mix of the best of several.
    warm_round = sorted(rounds, key=lambda r: r["warm_ratio"])[len(rounds) // 2]
    cold_round = sorted(rounds, key=lambda r: r["cold_ratio"])[len(rounds) // 2]
    warm_ratio, cold_ratio = warm_round["warm_ratio"][0], cold_round["cold_ratio"][0]
    peak = {k: max(r[k][1] for r in rounds) for k in ("plain", "cold", "warm", "spacy", "plain_first")}
    peak["plain"] = max(peak["plain"], peak.pop("plain_first"))
    ok = warm_ratio <= 1.25 and cold_ratio <= 0.6
    per_round = " ".join(f"{r['warm_ratio'][0]:.2f}/{r['cold_ratio'][0]:.2f}" for r in rounds)
    w, c = warm_round, cold_round
    print(f"speed articles={n} rounds={len(rounds)} median rounds (wall / CPU seconds): "
          f"plain={w['plain'][0]:.1f}/{w['plain'][2]:.1f}s warm={w['warm'][0]:.1f}/{w['warm'][2]:.1f}s | "
          f"plain first build={c['plain_first'][0]:.1f}/{c['plain_first'][2]:.1f}s "
          f"cold={c['cold'][0]:.1f}/{c['cold'][2]:.1f}s spacy={c['spacy'][0]:.1f}/{c['spacy'][2]:.1f}s "
          f"| peak MiB plain={peak['plain']:.0f} cold={peak['cold']:.0f} warm={peak['warm']:.0f} "
          f"spacy={peak['spacy']:.0f} | warm/plain={warm_ratio:.2f} (CPU {w['warm_ratio'][2]:.2f}; target<=1.25) "
          f"(cold-plain)/spacy={cold_ratio:.2f} (CPU {c['cold_ratio'][2]:.2f}: what parallel workers hide; "
          f"target<=0.60, on wall time) | each round {per_round} "
          f"targets={'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
