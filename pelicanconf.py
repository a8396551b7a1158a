"""Pelican settings for the news archive. Paths are relative to this file, so `pelican` runs from anywhere."""

from pathlib import Path

HERE = Path(__file__).resolve().parent

# No site-wide AUTHOR: Pelican would name it the author of every article that names none (in feeds too).
SITENAME = "News Archive"
SITESUBTITLE = "Reports, people and places, cross-referenced"
SITEURL = ""
PATH = str(HERE / "content")
THEME = str(HERE / "theme")
CACHE_PATH = str(HERE / "cache")
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PLUGINS = ["news_archive"]
# Installed, the plugin is found as the namespace plugin pelican.plugins.news_archive. From a source checkout
# installed in editable mode Pelican cannot discover namespace plugins, so it also looks in the source tree.
PLUGIN_PATHS = [str(HERE / "pelican_plugin" / "pelican" / "plugins")]

# Articles live at directory URLs that any static server resolves.
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
PAGE_URL = "pages/{slug}/"
PAGE_SAVE_AS = "pages/{slug}/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
DIRECT_TEMPLATES = ["index", "archives"]
# Pelican's category/tag/author pages are replaced by the plugin's entity and country pages.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DEFAULT_PAGINATION = 20
STATIC_PATHS: list[str] = []

# Article text and everything derived from it is untrusted: escape by default in every template.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# FEED_DOMAIN is left unset: Pelican then uses SITEURL, also when a build overrides it (-e SITEURL=...).
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

RELATIVE_URLS = False
# The plugin's settings (NEWS_ARCHIVE_*) are documented in the README; the defaults suit this archive.
