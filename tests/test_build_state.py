"""The build state (build/): one key scheme, one store that repairs itself, and the ledger of an output folder."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections import namedtuple
from dataclasses import dataclass
from pathlib import Path

import pytest
from pelican.plugins.news_archive.build import outputs
from pelican.plugins.news_archive.build.keys import Canon, Unhashable, canonical, digest, tree_digest, versions
from pelican.plugins.news_archive.build.state import FORMAT, RAW, BuildState, decode, encode


@dataclass(frozen=True)
class View:
    name: str
    items: tuple[int, ...] = ()


def test_canonical_is_stable_and_order_free_where_order_means_nothing():
    a = {"B": [1, 2.5, None, "x"], "A": {"z": (True, b"k")}, "C": {3, 1, 2}, "D": dt.date(2020, 1, 2)}
    b = {"D": dt.date(2020, 1, 2), "C": {2, 3, 1}, "A": {"z": (True, b"k")}, "B": [1, 2.5, None, "x"]}
    assert canonical(a) == canonical(b)
    assert canonical({"B": [1, 2]}) != canonical({"B": [2, 1]})
    assert canonical(1) != canonical(True) != canonical("1")
    rule = namedtuple("Rule", "a b")
    assert canonical(rule(1, 2)) != canonical((1, 2))  # a named tuple keeps its name


def test_time_zones_are_keyed_by_what_they_are():
    from zoneinfo import ZoneInfo

    assert canonical(ZoneInfo("Europe/Paris")) == canonical(ZoneInfo("Europe/Paris"))
    assert canonical(ZoneInfo("Europe/Paris")) != canonical(ZoneInfo("Asia/Tehran"))
    assert canonical(dt.UTC) != canonical(dt.timezone(dt.timedelta(hours=1)))


def test_a_function_is_never_hashed_by_name():
    with pytest.raises(Unhashable) as raised:
        canonical({"shout": lambda s: s.upper()}, "the setting JINJA_FILTERS")
    assert "JINJA_FILTERS" in str(raised.value)

    class Opaque:
        pass

    with pytest.raises(Unhashable):
        canonical([Opaque()])


def test_frozen_views_are_walked_once_and_still_tell_apart():
    canon = Canon()
    shared = View("x", (1, 2))
    assert canon.text([shared, shared]) == canon.text([View("x", (1, 2)), View("x", (1, 2))])
    assert canon.text(View("x", (1, 3))) != canon.text(shared)


def test_a_view_that_carries_its_digest_is_keyed_by_it_not_walked():
    from pelican.plugins.news_archive.site.presentation import Teaser

    fields = dict(slug="a", url="a/", title="T", headline="T", date=None, date_iso=None, date_unknown=True,
                  locale_date="Date unknown", source=None, dateline=None, title_derived=None)
    one, same = Teaser(**fields, key="k1"), Teaser(**{**fields, "title": "other"}, key="k1")
    assert canonical(one) == canonical(same)  # the digest stands for the fields (presentation.teaser makes it)
    assert canonical(one) != canonical(Teaser(**fields, key="k2"))


def test_digest_parts_cannot_run_into_each_other():
    assert digest(["ab", "c"]) != digest(["a", "bc"])
    assert digest(["ab", b"c"]) == digest(["ab", "c"])


def test_tree_digest_sees_every_byte_and_name(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    first = tree_digest([tmp_path], (".py",))
    (tmp_path / "a.py").write_text("x = 2\n", encoding="utf-8")
    assert tree_digest([tmp_path], (".py",)) != first
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert tree_digest([tmp_path], (".py",)) == tree_digest([tmp_path], (".py",))
    assert "pelican==" in versions(["pelican"]) and "absent" in versions(["no-such-distribution-xyz"])


def test_values_round_trip_and_garbage_is_refused():
    value = {"a": [1, 2], "b": ("x", None), "v": View("n")}
    assert decode(encode(value)) == value
    assert decode(encode(value, compress=False)) == value and encode(value, compress=False).startswith(RAW)
    for bad in (b"", b"not a value", FORMAT + b"\x00broken", RAW + b"\x00broken"):
        with pytest.raises(ValueError):
            decode(bad)


def test_records_and_slots(tmp_path):
    with BuildState(tmp_path) as state:
        state.put_records("extraction", {"k1": 1, "k2": [2]})
        state.put_slot("archive", "key-a", {"x": 1})
    with BuildState(tmp_path) as state:
        assert state.get_records("extraction", ["k1", "k2", "k3"]) == {"k1": 1, "k2": [2]}
        assert state.get_slot("archive") == ("key-a", {"x": 1}) and state.slot_key("archive") == "key-a"
        assert state.get_slot("nothing") is None
        assert state.get_slot("archive", "key-a") == ("key-a", {"x": 1})
        assert state.get_slot("archive", "key-b") is None  # kept under another key: not for this build


def test_a_damaged_value_counts_as_missing_with_one_warning(tmp_path, caplog):
    with BuildState(tmp_path) as state:
        state.put_records("extraction", {"k1": 1, "k2": 2})
    with sqlite3.connect(tmp_path / "news_archive.sqlite") as db:
        db.execute("UPDATE records SET value = substr(value, 1, 9)")
    with caplog.at_level(logging.WARNING), BuildState(tmp_path) as state:
        assert state.get_records("extraction", ["k1", "k2"]) == {}
    assert len(caplog.records) == 1 and "is damaged" in caplog.text


@pytest.mark.parametrize("damage", ["bytes", "schema"])
def test_an_unreadable_file_is_moved_aside_once_and_started_anew(tmp_path, caplog, damage):
    with BuildState(tmp_path) as state:
        state.put_slot("archive", "k", 1)
    path = tmp_path / "news_archive.sqlite"
    if damage == "bytes":
        path.write_bytes(b"this is not a database" * 200)
    else:
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA user_version = 1")
    with caplog.at_level(logging.WARNING), BuildState(tmp_path) as state:
        assert state.enabled and state.get_slot("archive") is None
        state.put_slot("archive", "k2", 2)
    assert (tmp_path / "news_archive.sqlite.damaged").is_file() and "moved to" in caplog.text
    with BuildState(tmp_path) as state:  # repaired for good: the next build reads what this one wrote
        assert state.get_slot("archive") == ("k2", 2)


def test_a_folder_that_cannot_be_written_means_no_cache(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with caplog.at_level(logging.WARNING), BuildState(blocker / "cache") as state:
        assert not state.enabled and state.get_records("extraction", ["k"]) == {}
        state.put_records("extraction", {"k": 1})  # a no-op, not an error
    assert "building without a cache" in caplog.text


def test_records_no_build_uses_are_pruned_once_they_outnumber_the_used(tmp_path):
    with BuildState(tmp_path) as state:
        state.put_records("extraction", {f"old{i}": i for i in range(50)})
    with BuildState(tmp_path) as state:
        state.get_records("extraction", ["old1"])
        assert state.prune(ratio=2.0, floor=10) == 49
        assert state.get_records("extraction", ["old1", "old2"]) == {"old1": 1}


# -- the output ledger ----------------------------------------------------------------------------------------

def test_atomic_writes_stay_inside_and_leave_no_temporary(tmp_path, monkeypatch):
    path = outputs.write_atomic(tmp_path, "a/b.txt", "text")
    assert Path(path).read_text(encoding="utf-8") == "text"
    with pytest.raises(ValueError):
        outputs.write_atomic(tmp_path, "../escape.txt", "x")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", fail)
    with pytest.raises(OSError):
        outputs.write_atomic(tmp_path, "a/c.txt", "x")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b.txt"]


def test_sweep_removes_only_its_own_temporaries(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / f"{outputs.TEMP_PREFIX}1{outputs.TEMP_SUFFIX}").write_text("", encoding="utf-8")
    (tmp_path / "x" / "mine.tmp").write_text("", encoding="utf-8")
    assert outputs.sweep_temporaries(tmp_path) == [f"x/{outputs.TEMP_PREFIX}1{outputs.TEMP_SUFFIX}"]
    assert (tmp_path / "x" / "mine.tmp").is_file()


def test_sweep_removes_a_folder_moved_aside_and_everything_in_it(tmp_path):
    aside = tmp_path / f"{outputs.TEMP_PREFIX}pagefind-7{outputs.TEMP_SUFFIX}"
    (aside / "fragment").mkdir(parents=True)
    (aside / "fragment" / "en_1.pf_fragment").write_text("x", encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    assert outputs.sweep_temporaries(tmp_path) == [aside.name]
    assert not aside.exists() and (tmp_path / "pagefind").is_dir()


@pytest.mark.parametrize(("root", "path", "name"), [
    ("out", "out/a/b.html", "a/b.html"), ("out/", "out/index.html", "index.html"),
    ("out", "out/../elsewhere/x.html", "../elsewhere/x.html"), ("out", "outer/x.html", "../outer/x.html")])
def test_ledger_names_are_relative_with_forward_slashes(tmp_path, monkeypatch, root, path, name):
    monkeypatch.chdir(tmp_path)
    assert outputs.relative(root, path) == name


def test_the_ledger_skips_what_is_as_it_was_and_removes_only_what_it_wrote(tmp_path):
    for name in ("a.html", "b.html", "sub/c.html", "theirs.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    first = outputs.Ledger(str(tmp_path))
    for name in ("a.html", "b.html", "sub/c.html"):
        first.wrote(name, f"key-{name}")
    second = outputs.Ledger(str(tmp_path), previous=first.current)
    assert second.unchanged("a.html", "key-a.html")
    assert not second.unchanged("b.html", "other key")  # made from something else: render it
    os.utime(tmp_path / "b.html", ns=(1, 1))
    assert not second.unchanged("b.html", "key-b.html")  # touched since: render it
    assert second.stale() == ["b.html", "sub/c.html"]
    second.wrote("b.html", "key-b2")
    assert second.remove_stale() == ["sub/c.html"]
    assert not (tmp_path / "sub").exists() and (tmp_path / "theirs.html").is_file()


def test_extractions_come_in_the_documents_order_whichever_were_stored(tmp_path):
    # The archive-wide stages break ties by order: a correction (one article made afresh, the others from the
    # build state) must hand them the articles in the same order as a clean build does.
    from pelican.plugins.news_archive.analysis import pipeline
    from pelican.plugins.news_archive.model import Extraction, SourceDoc

    docs = [SourceDoc(key=f"a{i}", title=f"T{i}", text=f"text {i}") for i in range(6)]
    keys = {d.key: pipeline.extraction_key(d, "code") for d in docs}

    class Backend:
        def extract(self, todo, advance):
            for doc in todo:
                yield Extraction(key=doc.key, mentions=()), None

    with BuildState(tmp_path) as state:
        state.put_records("extraction", {keys[d.key]: Extraction(key=d.key, mentions=()) for d in docs
                                         if d.key != "a2"})
        result, misses = pipeline._extract(docs, keys, state, lambda n: Backend(), None)
    assert misses == 1 and list(result) == [d.key for d in docs]


def test_two_articles_with_one_text_each_keep_their_own_records(tmp_path, monkeypatch):
    # Wire copy published twice shares one extraction; the prepared mentions name their article and are changed
    # in place, so a build from the build state must give each twin its own, as a clean build does.
    from pelican.plugins.news_archive.analysis import canonicalise as canon_mod
    from pelican.plugins.news_archive.analysis.editorial import parse_rules
    from pelican.plugins.news_archive.analysis.pipeline import archive_stages
    from pelican.plugins.news_archive.model import Extraction, Mention, SourceDoc
    from pelican.plugins.news_archive.settings import ArchiveSettings

    text = "Angela Merkel met Emmanuel Macron in Berlin."
    mentions = (Mention("Angela Merkel", "PERSON", 0, 13, 0), Mention("Emmanuel Macron", "PERSON", 18, 33, 0),
                Mention("Berlin", "GPE", 37, 43, 0))
    docs = [SourceDoc(key=k, title="", text=text) for k in ("a", "b", "c")]
    extractions = {d.key: Extraction(key=d.key, mentions=mentions) for d in docs}
    keys = {"a": "same", "b": "same", "c": "other"}  # a and b: one text, one extraction key
    settings, rules = ArchiveSettings(), parse_rules({})
    seen = {}
    real = canon_mod.canonicalise

    def spy(extractions, **kwargs):
        seen.update(kwargs["prepared"])
        return real(extractions, **kwargs)

    monkeypatch.setattr(canon_mod, "canonicalise", spy)
    with BuildState(tmp_path) as state:
        archive_stages(extractions, docs, settings, rules, state, keys)
    seen.clear()
    with BuildState(tmp_path) as state:  # every record from the build state now (the merged entities not)
        state.put_slot("entities", "", None)
        archive_stages(extractions, docs, settings, rules, state, keys)
    assert set(seen) == {"a", "b", "c"} and seen["a"] is not seen["b"]
    assert all(item.art == art for art, items in seen.items() for item in items)


def _stages_fixture():
    from pelican.plugins.news_archive.model import Extraction, Mention, SourceDoc

    texts = {"a": "Angela Merkel met Emmanuel Macron in Berlin.", "b": "Merkel spoke in Paris.",
             "c": "Emmanuel Macron flew to Berlin."}
    found = {"a": (Mention("Angela Merkel", "PERSON", 0, 13, 0), Mention("Emmanuel Macron", "PERSON", 18, 33, 0),
                   Mention("Berlin", "GPE", 37, 43, 0)),
             "b": (Mention("Merkel", "PERSON", 0, 6, 0), Mention("Paris", "GPE", 16, 21, 0)),
             "c": (Mention("Emmanuel Macron", "PERSON", 0, 15, 0), Mention("Berlin", "GPE", 24, 30, 0))}
    docs = [SourceDoc(key=k, title="", text=t) for k, t in texts.items()]
    extractions = {k: Extraction(key=k, mentions=m, terms=tuple(texts[k].lower().split()), n_sents=1)
                   for k, m in found.items()}
    return docs, extractions


@pytest.mark.parametrize("change", ["text", "mention", "rule"])
def test_merged_entities_are_made_again_exactly_when_what_they_read_changed(tmp_path, monkeypatch, change):
    # A correction that adds a sentence without a name changes the text (terms, sentence count) but not what
    # merging entities reads: the last build's entities are used. A changed mention is merged again. An editor
    # rule is applied to the merged entities, not part of them. Either way the result is a clean build's.
    from dataclasses import replace

    from pelican.plugins.news_archive.analysis import canonicalise as canon_mod
    from pelican.plugins.news_archive.analysis.editorial import parse_rules
    from pelican.plugins.news_archive.analysis.pipeline import archive_stages
    from pelican.plugins.news_archive.model import Mention
    from pelican.plugins.news_archive.settings import ArchiveSettings

    docs, extractions = _stages_fixture()
    settings = ArchiveSettings()
    keys = {k: f"text-{k}" for k in extractions}
    calls = []
    real = canon_mod.canonicalise
    monkeypatch.setattr(canon_mod, "canonicalise", lambda ex, **kw: calls.append(1) or real(ex, **kw))
    with BuildState(tmp_path) as state:
        archive_stages(extractions, docs, settings, parse_rules({}), state, keys)
    rules = parse_rules({})
    if change == "text":
        extractions["b"] = replace(extractions["b"], terms=extractions["b"].terms + ("later",), n_sents=2)
        keys["b"] = "text-b-corrected"
    elif change == "mention":
        extractions["b"] = replace(extractions["b"],
                                   mentions=extractions["b"].mentions + (Mention("Lyon", "GPE", 30, 34, 1),))
        keys["b"] = "text-b-corrected"
    else:
        rules = parse_rules({"rename": {"Emmanuel Macron": "President Macron"}})
    calls.clear()
    with BuildState(tmp_path) as state:
        index, countries, related = archive_stages(extractions, docs, settings, rules, state, keys)
    assert len(calls) == (1 if change == "mention" else 0)
    assert (index, countries, related) == archive_stages(extractions, docs, settings, rules)
    names = {e.name for e in index.entities.values()}
    assert ("Lyon" in names) == (change == "mention")
    assert ("President Macron" in names) == (change == "rule")


class _FixtureBackend:
    """Extracts the fixture's documents (counting them), as spaCy's workers would."""

    def __init__(self, extractions, made):
        self.extractions, self.made = extractions, made

    def extract(self, todo, advance):
        for doc in todo:
            self.made.append(doc.key)
            yield self.extractions[doc.key], None

    def close(self):
        pass


@pytest.mark.parametrize("damaged", [False, True])
def test_a_correction_decodes_no_stored_extraction_and_gives_a_clean_builds_result(tmp_path, monkeypatch, damaged):
    # The archive-wide stages read an article's brief (lemmas, fingerprint, where title and lede end, the names it
    # mentions) once its per-article records are kept: a correction reads no stored extraction whole. A damaged
    # stored extraction whose record is needed again is made again, never lost.
    from dataclasses import replace

    from pelican.plugins.news_archive.analysis import pipeline
    from pelican.plugins.news_archive.settings import ArchiveSettings

    docs, extractions = _stages_fixture()
    settings = ArchiveSettings()
    made: list[str] = []
    decoded: list[str] = []
    real = BuildState.get_records

    def counting(self, kind, keys):
        found = real(self, kind, keys)
        if kind == "extraction":
            decoded.extend(found)
        return found

    def run(state, docs_now):
        return pipeline.analyse(docs_now, settings, state, model="fixture-model",
                                extractor=lambda n: _FixtureBackend(extractions, made))

    with BuildState(tmp_path) as state:
        first = run(state, docs)
    assert sorted(made) == ["a", "b", "c"]
    docs = [replace(d, text=d.text + " More later.") if d.key == "b" else d for d in docs]
    extractions["b"] = replace(extractions["b"], terms=extractions["b"].terms + ("later",), n_sents=2)
    monkeypatch.setattr(BuildState, "get_records", counting)
    made.clear()
    with BuildState(tmp_path) as state:
        if damaged:  # the dateline changes: a's countries and mentions are made again from its extraction
            docs = [replace(d, dateline="PARIS -") if d.key == "a" else d for d in docs]
            code = pipeline.extraction_code("fixture-model")
            state._run("UPDATE records SET value = ? WHERE kind = 'extraction' AND key = ?",
                       [b"damaged", pipeline.extraction_key(docs[0], code)])
        second = run(state, docs)
    assert made == (["b", "a"] if damaged else ["b"])
    assert decoded == []  # a's damaged record does not decode: it counts as missing
    clean = pipeline.analyse(docs, settings, None, model="fixture-model",
                             extractor=lambda n: _FixtureBackend(extractions, []))
    assert (second.entities, second.countries, second.related, second.quotes) == (
        clean.entities, clean.countries, clean.related, clean.quotes)
    assert first.entities.entities == second.entities.entities


def test_a_build_quiets_the_collector_and_its_end_restores_it(tmp_path):
    # A build freezes what lives until its end and runs full collections rarely; its end gives the process back
    # its collector as it was (a process that builds again, or the tests, must collect as before).
    import gc

    from pelican.plugins.news_archive.edge import heap, runs

    before = gc.get_threshold()
    settings = {"PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    run = runs.start(settings, str(tmp_path / "out"), [])
    try:
        assert gc.get_threshold() == heap.THRESHOLDS
        run.collector.settle()
        assert gc.get_freeze_count() > 0
    finally:
        runs.end(settings)
        run.close()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
