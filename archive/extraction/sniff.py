"""What a file really is, from its first bytes: a PDF served as HTML is not read as a PDF.

>>> sniff(b"%PDF-1.7\\n"), sniff(b"  <!DOCTYPE html>"), sniff(b"PK\\x03\\x04")
('pdf', 'html', 'zip')
"""

from __future__ import annotations

PDF = "pdf"
HTML = "html"
ZIP = "zip"
TEXT = "text"
UNKNOWN = "unknown"

DESCRIPTIONS = {
    HTML: "an HTML page",
    ZIP: "a ZIP archive (or an Office document)",
    TEXT: "plain text",
    UNKNOWN: "no known file type",
}


def sniff(head: bytes) -> str:
    """The kind of a file from its first kilobyte (``PDF``, ``HTML``, ``ZIP``, …)."""
    if b"%PDF-" in head[:1024]:  # the header may follow a few junk bytes (PDF 1.7, 7.5)
        return PDF
    start = head.lstrip()[:256].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or (
        b"<html" in start
    ):
        return HTML
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    try:
        head[:1024].decode("utf-8")
    except UnicodeDecodeError:
        return UNKNOWN
    return TEXT if head and b"\x00" not in head[:1024] else UNKNOWN
