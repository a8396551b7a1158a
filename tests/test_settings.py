"""Settings: defaults, validation with one clear message, unknown names warned about."""

from __future__ import annotations

import logging

import pytest
from pelican.plugins.news_archive.settings import ArchiveSettings, SettingsError, defaults, load


def test_defaults_when_nothing_is_set():
    assert load({}) == ArchiveSettings()
    assert defaults()["NEWS_ARCHIVE_JSON_SAVE_AS"] == "archive.json"


def test_values_are_read_and_coerced():
    s = load({"NEWS_ARCHIVE_RELATED_COUNT": 3, "NEWS_ARCHIVE_RELATED_WEIGHTS": [1, 0.5, 0],
              "NEWS_ARCHIVE_ENTITY_TYPES": ["PERSON", "ORG"], "NEWS_ARCHIVE_SPACY_MODEL": "en_core_web_lg"})
    assert s.related_count == 3 and s.related_weights == (1.0, 0.5, 0.0)
    assert s.entity_types == ("PERSON", "ORG") and s.spacy_model == "en_core_web_lg"


@pytest.mark.parametrize("key, value", [
    ("NEWS_ARCHIVE_RELATED_COUNT", -1),
    ("NEWS_ARCHIVE_RELATED_COUNT", "five"),
    ("NEWS_ARCHIVE_CACHE", "yes"),
    ("NEWS_ARCHIVE_RELATED_WEIGHTS", [1, 2]),
    ("NEWS_ARCHIVE_ENTITY_TYPES", ["PERSON", "DATE"]),
    ("NEWS_ARCHIVE_SPACY_MODEL", ""),
    ("NEWS_ARCHIVE_SAME_STORY_THRESHOLD", 2),
])
def test_bad_values_name_the_setting(key, value):
    with pytest.raises(SettingsError, match=key):
        load({key: value})


def test_unknown_setting_is_warned_about(caplog):
    with caplog.at_level(logging.WARNING):
        load({"NEWS_ARCHIVE_RELATED_CONT": 3})
    assert "NEWS_ARCHIVE_RELATED_CONT" in caplog.text
