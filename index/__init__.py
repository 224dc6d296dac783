"""Ratsarchiv's search index: the only package that imports whoosh.

Views and the CLI use ``index.search`` (open an archive, search, get a motion);
they receive the plain dataclasses of ``index.results``.
"""
