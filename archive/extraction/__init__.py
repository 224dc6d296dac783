"""Reading the text of a paper's files: the PDF's own text layer, OCR for scanned pages.

``extract_file`` is the one entry point for a single file; ``corpus_extract`` runs it over
the files of a corpus. A PDF is parsed in a worker process with limits on memory, CPU and
wall time (``archive.extraction.worker``), so a hostile file fails with a reason instead
of taking the importer down. Pages without a usable text layer are rendered by that worker
and read by Tesseract (``archive.extraction.ocr``). docs/files.md explains the choices.
"""

from archive.extraction.extract import Extraction, ExtractionLimits, extract_file

__all__ = ["Extraction", "ExtractionLimits", "extract_file"]
