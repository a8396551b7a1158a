"""Extraction: spaCy's analysis of one article, reduced to the compact record every later stage reads.

Everything that decides what an :class:`~...model.Extraction` holds lives in this folder — the text made from an
article's HTML, the language check, the model's loading and components, the records kept per span, the MinHash
signature — so a digest of the folder's code is part of the key of every cached extraction, and a change to any of
it is never served an old result.
"""
