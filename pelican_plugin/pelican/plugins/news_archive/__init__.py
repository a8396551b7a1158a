"""pelican-news-archive: entity tags, related articles and a per-country index for a Pelican news archive.

Only registers: the edge (and everything it imports) loads when Pelican registers the plugin, so the
``news-archive`` importer, which lives in this package too, starts without loading the plugin's stack.
"""


def register() -> None:
    from .edge.hooks import register as register_hooks

    register_hooks()
