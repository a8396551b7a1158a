"""pelican-news-archive: entity tags, related articles and a per-country index for a Pelican news archive.

Only registers: the adapter (and everything it imports) loads when Pelican registers the plugin, so the
``news-archive`` importer, which lives in this package too, starts without loading Pelican's or spaCy's stack.
"""


def register() -> None:
    from .adapter import register as register_signals

    register_signals()
