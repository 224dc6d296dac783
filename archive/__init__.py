"""Ratsarchiv's domain: the motion model, corpus files, importers, validation and the CLI.

This package imports neither whoosh nor flask; ``index`` builds on it, ``webapp`` on both.
"""
