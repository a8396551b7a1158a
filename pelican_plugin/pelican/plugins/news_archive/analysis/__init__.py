"""The analysis: pure stages over plain data, from an article's text to entities, countries and related links.

``extraction/`` meets spaCy (its code is part of the key of every cached extraction); ``canonicalise/``,
``countries``, ``relate`` and ``samestory`` work archive-wide over the extractions; ``editorial`` applies the
editor's rules; ``pipeline`` runs them in order with the build state. Nothing here knows Pelican.
"""
