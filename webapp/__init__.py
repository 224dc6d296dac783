"""Ratsarchiv's web site: the only package that imports flask; it never imports whoosh."""
