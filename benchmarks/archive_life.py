"""A living archive (issue #13), side by side in one run: each editorial step rebuilt in place, against plain
Pelican's rebuild of the same content, and checked against a clean build.

An archive of N Reuters articles (default 1,500; ``--articles 0``: the ~23k of Reuters + BBC News + AG News;
``--mixed``: N taken alike from the three, whose repeated texts make twins) is imported and built once; then,
each rebuilt in place with the same content folder, cache and output folder:

* (a) nothing changed;
* (b) one article corrected (a sentence added to its body);
* (c) 20 articles added;
* (d) one rename in ``entities.toml`` (the most-named person gets a new display name).

Each is timed against plain Pelican (``PLUGINS=[]``, ``DEFAULT_DATE="fs"`` so that it publishes the same
articles) rebuilding the same content in its own output folder. (c) is also compared with the raw spaCy default
pipeline, in one process, over the 20 new articles (model load included, as in ``speed.py``).

After each step the output is compared with a clean build of the same content into an empty folder whose cache
holds spaCy's extractions only (every other record, memo and slot removed: only the results keyed by an article's
text are kept), file by file — stale (only in place), missing (only in the clean build), differing — Pagefind's
own bundle aside (Pagefind names its files differently on every run). Every entity and country address published
before the step is checked to still answer (a page, a redirect or a notice): broken.

With ``--cached-plain`` each step is also timed against plain Pelican with its own content cache on
(``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE``: what its readers made of unchanged files is kept, as the plugin keeps
it), the strongest simple baseline; the targets are the issue's, against plain Pelican as configured.

Targets: (a) ≤ 1.2 × plain, (b) ≤ 1.3 × plain, (c) ≤ 1.3 × plain + 0.6 × raw spaCy; stale, differing, missing
and broken all 0. One line per step, then the verdict.

    python benchmarks/archive_life.py [--articles 1500] [--mixed] [--cached-plain] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from common import DATA, WORK
from speed import RAW_SPACY, measure, pelican_command, prepare

FILES = ("reuters21578-train.jsonl.gz", "bbc-news.jsonl.gz", "agnews-test.jsonl.gz")
ADDED = 20
PLAIN = ("PLUGINS=[]", 'DEFAULT_DATE="fs"')
# The strongest simple baseline: plain Pelican with its own content cache (off by default), which keeps what its
# readers made of each unchanged file, as the plugin does.
CACHED = ("CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")}


def compare(inplace: Path, clean: Path) -> tuple[int, int, int, list[str]]:
    a, b = files(inplace), files(clean)
    stale = sorted(set(a) - set(b))
    missing = sorted(set(b) - set(a))
    differing = sorted(n for n in set(a) & set(b) if a[n] != b[n])
    return len(stale), len(missing), len(differing), (stale + missing + differing)[:5]


def addresses(output: Path) -> set[str]:
    """Every entity and country page address the build published (from archive.json)."""
    data = json.loads((output / "archive.json").read_text(encoding="utf-8"))
    urls = {e["url"] for e in data["entities"] if e["url"]} | {c["url"] for c in data["countries"] if c["url"]}
    return {u.rstrip("/") + "/index.html" if u.endswith("/") else u for u in urls}


def extractions_only(cache: Path, target: Path) -> None:
    """A copy of the build state holding spaCy's extractions and nothing else."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(cache / "news_archive.sqlite", target / "news_archive.sqlite")
    with sqlite3.connect(target / "news_archive.sqlite") as db:
        db.execute("DELETE FROM records WHERE kind != 'extraction'")
        db.execute("DELETE FROM slots")


def first_body_file(content: Path) -> Path:
    return sorted(p for p in content.glob("*.md") if p.name != "addresses.json")[len(list(content.glob("*.md"))) // 2]


def top_person(output: Path) -> str:
    data = json.loads((output / "archive.json").read_text(encoding="utf-8"))
    return next(e["name"] for e in data["entities"] if e["type"] == "PERSON" and e["url"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1500, help="0: all of Reuters, BBC News and AG News")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--cached-plain", action="store_true",
                    help="also time plain Pelican with its own content cache on (CACHE_CONTENT, LOAD_CONTENT_CACHE)")
    ap.add_argument("--mixed", action="store_true",
                    help="the N articles from Reuters, BBC News and AG News alike (they repeat texts: twins)")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="life-", dir=WORK))
    lines, ok = [], True
    try:
        sources = [DATA / f for f in (FILES[:1] if args.articles and not args.mixed else FILES)]
        (work / "all").mkdir()
        everything, _ = prepare(sources, (args.articles + ADDED) if args.articles else None, work / "all",
                                mixed=args.mixed)
        content = work / "content"
        content.mkdir()
        md = sorted(everything.glob("*.md"))
        held = md[-ADDED:]
        for path in md[:-ADDED]:
            shutil.copy(path, content / path.name)
        cache, out, plain = work / "cache", work / "out", work / "plain"
        measure(pelican_command(content, out, cache))
        measure(pelican_command(content, plain, cache / "plain", *PLAIN))
        if args.cached_plain:
            measure(pelican_command(content, work / "plain-cached", cache / "plain-cached", *PLAIN, *CACHED))
        n = len(list(content.glob("*.md")))

        def step(name: str, target: float, spacy: float = 0.0) -> None:
            nonlocal ok
            before = addresses(out)
            plugin_t, plugin_m, plugin_cpu = measure(pelican_command(content, out, cache))
            plain_t, _, plain_cpu = measure(pelican_command(content, plain, cache / "plain", *PLAIN))
            cached = ""
            if args.cached_plain:
                cached_t, _, _ = measure(pelican_command(content, work / "plain-cached", cache / "plain-cached",
                                                         *PLAIN, *CACHED))
                cached = f" plain-cached={cached_t:.2f}s ratio-cached={plugin_t / cached_t:.2f}"
            clean_cache = work / f"clean-cache-{name[0]}"
            extractions_only(cache, clean_cache)
            measure(pelican_command(content, work / f"clean-{name[0]}", clean_cache))
            stale, missing, differing, examples = compare(out, work / f"clean-{name[0]}")
            broken = sum(1 for a in before if not (out / a).is_file())
            limit = target * plain_t + 0.6 * spacy
            met = plugin_t <= limit and not (stale or missing or differing or broken)
            ok = ok and met
            lines.append(f"life articles={n} step={name} plugin={plugin_t:.2f}s/{plugin_m:.0f}MiB plain={plain_t:.2f}s "
                         f"ratio={plugin_t / plain_t:.2f}{cached} cpu={plugin_cpu:.1f}s/{plain_cpu:.1f}s "
                         f"limit={limit:.2f}s"
                         + (f" spacy(new {ADDED})={spacy:.2f}s" if spacy else "")
                         + f" stale={stale} missing={missing} differing={differing} broken={broken}/{len(before)}"
                         + (f" e.g. {examples}" if examples else "") + f" {'met' if met else 'NOT met'}")

        step("a-nothing-changed", 1.2)
        corrected = first_body_file(content)
        corrected.write_text(corrected.read_text(encoding="utf-8").rstrip("\n")
                             + "\n\nThe company said it would give further details next week.\n", encoding="utf-8")
        step("b-one-corrected", 1.3)
        texts = work / "added.jsonl"
        with open(texts, "w", encoding="utf-8") as fh:
            for path in held:
                shutil.copy(path, content / path.name)
                fh.write(json.dumps(path.read_text(encoding="utf-8").partition("\n\n")[2]) + "\n")
        spacy_t, _, _ = measure([sys.executable, "-c", RAW_SPACY, str(texts)])
        step(f"c-{ADDED}-added", 1.3, spacy_t)
        person = top_person(out)
        (content / "entities.toml").write_text(f'[rename]\n{json.dumps(person)} = {json.dumps(person + " Jr")}\n',
                                               encoding="utf-8")
        step("d-one-renamed", 1.3)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"a build failed: {exc}") from exc
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))
    print(f"life articles={n} targets={'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
