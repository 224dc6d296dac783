"""Thin click commands of the ``archive`` package; the work is done in domain modules."""
