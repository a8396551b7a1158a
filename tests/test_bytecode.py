"""Compiled templates kept in the build state (edge/bytecode.py): reused, but never across compile options."""

from __future__ import annotations

from jinja2 import DictLoader, Environment
from pelican.plugins.news_archive.build.state import BuildState
from pelican.plugins.news_archive.edge.bytecode import KIND, keep_compiled

TEMPLATES = {"page.html": "{% if x %}\n  <b>{{ x }}</b>\n{% endif %}\n"}


def environment(state: BuildState, **options) -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES), **options)
    keep_compiled(env, state)
    return env


def compiled_by(env: Environment, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = env.compile
    monkeypatch.setattr(env, "compile", lambda source, *a, **k: seen.append(source) or real(source, *a, **k))
    return seen


def test_the_next_build_loads_the_code_instead_of_compiling(tmp_path, monkeypatch):
    with BuildState(tmp_path) as state:
        first = environment(state)
        assert first.get_template("page.html").render(x="a") == "\n  <b>a</b>\n"
    with BuildState(tmp_path) as state:
        again = environment(state)
        seen = compiled_by(again, monkeypatch)
        assert again.get_template("page.html").render(x="a") == "\n  <b>a</b>\n"
        assert seen == []


def test_code_compiled_with_other_options_is_never_reused(tmp_path, monkeypatch):
    """Jinja's own bytecode caches key code by name and source only; trim_blocks changes the code."""
    with BuildState(tmp_path) as state:
        environment(state).get_template("page.html").render(x="a")
    with BuildState(tmp_path) as state:
        trimmed = environment(state, trim_blocks=True, lstrip_blocks=True)
        seen = compiled_by(trimmed, monkeypatch)
        assert trimmed.get_template("page.html").render(x="a") == "  <b>a</b>\n"
        assert len(seen) == 1


def test_a_changed_source_is_compiled_again(tmp_path, monkeypatch):
    with BuildState(tmp_path) as state:
        environment(state).get_template("page.html").render(x="a")
    monkeypatch.setitem(TEMPLATES, "page.html", "<i>{{ x }}</i>")
    with BuildState(tmp_path) as state:
        assert environment(state).get_template("page.html").render(x="a") == "<i>a</i>"


def test_an_environment_with_a_finalize_function_compiles_as_usual_and_keeps_nothing(tmp_path):
    with BuildState(tmp_path) as state:
        env = environment(state, finalize=lambda v: "" if v is None else v)
        assert env.get_template("page.html").render(x="a") == "\n  <b>a</b>\n"
        assert state.get_records(KIND, ["anything"]) == {}
        assert state._run("SELECT count(*) FROM records WHERE kind = ?", [KIND]) == [(0,)]


def test_without_a_cache_nothing_is_attached():
    env = Environment(loader=DictLoader(TEMPLATES))
    keep_compiled(env, BuildState(None))
    assert env.bytecode_cache is None
