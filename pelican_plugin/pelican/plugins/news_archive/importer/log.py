"""Loggers for the importer that report every problem, every time.

Importing Pelican makes every new logger a ``LimitLogger`` whose filter drops a WARNING whose text was already
logged once in the process. That suits a site build; for an importer each warning is a fact about one input,
and a second import in the same process (a test suite, a script importing twice) must report it again.
"""

from __future__ import annotations

import logging


def get_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` without Pelican's process-wide de-duplication filter."""
    logger = logging.getLogger(name)
    for log_filter in list(logger.filters):
        if type(log_filter).__name__ == "LimitFilter":
            logger.removeFilter(log_filter)
    return logger
