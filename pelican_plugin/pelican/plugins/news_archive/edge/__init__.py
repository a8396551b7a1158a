"""The thin edge that touches Pelican: signal hooks, the generator, the memo writer, the tolerant reader and the
glue that hands page models to templates. Everything it calls lives in ``site/``, ``analysis/`` and ``build/``."""
