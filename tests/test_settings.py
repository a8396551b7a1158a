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


@pytest.mark.parametrize("key, value", [
    ("NEWS_ARCHIVE_ENTITY_URL", "entity/{name}/"),  # a field the pattern cannot have
    ("NEWS_ARCHIVE_ENTITY_SAVE_AS", "entity/{slug}/"),  # a folder, not a file
    ("NEWS_ARCHIVE_COUNTRY_URL", "country/"),  # every country on one page
    ("NEWS_ARCHIVE_JSON_SAVE_AS", "../archive.json"),  # outside the output
    ("NEWS_ARCHIVE_RELATED_WEIGHTS", [-1, 0.5, 0]),
    ("NEWS_ARCHIVE_RELATED_WEIGHTS", [0, 0, 1]),  # nothing would ever be related
    ("NEWS_ARCHIVE_RELATED_THRESHOLD", 7),
    ("NEWS_ARCHIVE_ENTITY_TYPES", []),
    ("NEWS_ARCHIVE_ENTITY_PAGE_MIN_ARTICLES", 0),
    ("NEWS_ARCHIVE_BATCH_SIZE", 0),
])
def test_each_bad_value_is_one_message_naming_the_setting(key, value):
    with pytest.raises(SettingsError) as raised:
        load({key: value})
    message = str(raised.value)
    assert message.startswith(key) and message.count("NEWS_ARCHIVE_") == 1 and "Traceback" not in message


def test_two_bad_values_give_two_messages():
    with pytest.raises(SettingsError) as raised:
        load({"NEWS_ARCHIVE_MAX_TAGS": -1, "NEWS_ARCHIVE_ENTITY_URL": "e/{x}/"})
    assert "NEWS_ARCHIVE_MAX_TAGS" in str(raised.value) and "NEWS_ARCHIVE_ENTITY_URL" in str(raised.value)


def test_validation_runs_once_for_the_same_values():
    first = load({"NEWS_ARCHIVE_MAX_TAGS": 7})
    assert load({"NEWS_ARCHIVE_MAX_TAGS": 7}) is first
    assert load({"NEWS_ARCHIVE_MAX_TAGS": 8}) is not first
