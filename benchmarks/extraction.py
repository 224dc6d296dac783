"""Extraction benchmark: our text layer and OCR paths beside poppler and bare Tesseract.

Text PDFs (``../shared/data/pdf`` and ~40 generated from Karlsruhe file texts) are read by
``extract_file(ocr=False)`` and by ``pdftotext FILE -`` in the same run (files/s, ratio, and
word agreement: the share of pdftotext's lowercased ``\\w+`` tokens, as a multiset, found in
ours). Scan pages are read by our OCR path (one core) and by ``tesseract IMG stdout -l deu``
on the same rendered pages; word recall (words hyphenated at a line end joined on both sides)
is measured against ``groundtruth/``, for ours and for bare tesseract. One table.

    python -m benchmarks.extraction            # the full run (a few minutes)
    python -m benchmarks.extraction --quick    # 2 text files, 1 scan page (tests)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from archive.extraction import extract_file
from archive.extraction.ocr import LANGUAGE, OCR_DPI
from archive.files import LAYER
from benchmarks.harness import render_table

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("RATSARCHIV_SHARED_DATA") or REPO.parent / "shared" / "data")
PDFS = DATA / "pdf"
WORDPROTOKOLLE = (
    "koeln_wortprotokoll-rat_2021-08-23.pdf",
    "koeln_wortprotokoll-rat_2022-08-17.pdf",
)
GROUNDTRUTH = {"121798": "antrag-bv-porz", "129244": "anfrage-bv-porz",
               "344624": "anfrage-bv-lindenthal", "345174": "anfrage-bv-chorweiler"}  # fmt: skip
KARLSRUHE_FILES = 76_000
SCAN_SHARE = 14 / 40
SAMPLE = 40
MAX_SAMPLE_CHARS = 30_000
WORD = re.compile(r"\w+")
LINE_END_HYPHEN = re.compile(r"(\w)-[ \t]*\n\s*(\w)")


def tokens(text: str) -> Counter:
    """Lowercased words; a word hyphenated at a line end is one word on both sides."""
    return Counter(WORD.findall(LINE_END_HYPHEN.sub(r"\1\2", text).lower()))


def found_share(reference: Counter, ours: Counter) -> float:
    """The share of ``reference``'s tokens (multiset) that ``ours`` has too."""
    total = sum(reference.values())
    return sum(min(n, ours[w]) for w, n in reference.items()) / total if total else 1.0


def pdftotext(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8", "replace")


def karlsruhe_sample(workdir: Path, count: int) -> list[Path]:
    """Text PDFs of the first ``count`` Karlsruhe files with text (a fixed sample)."""
    sys.path.insert(0, str(REPO / "tests"))
    from generated_pdfs import pages_of, write_pdf

    paths: list[Path] = []
    with gzip.open(DATA / "oparl-karlsruhe" / "papers.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            paper = json.loads(line)
            for file in [paper.get("mainFile") or {}, *(paper.get("auxiliaryFile") or [])]:
                text = (file.get("text") or "")[:MAX_SAMPLE_CHARS]
                if len(text) > 500 and len(paths) < count:
                    paths.append(write_pdf(pages_of(text), workdir / f"ka-{len(paths):02d}.pdf"))
            if len(paths) >= count:
                return paths
    return paths


def text_rows(files: list[Path]) -> tuple[list[dict], dict[str, Any]]:
    ours_s, ref_s, ours_t, ref_t, koeln = [], [], Counter(), Counter(), {}
    pages = 0
    for path in files:
        start = time.perf_counter()
        got = extract_file(path, ocr=False)
        ours_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        reference = pdftotext(path)
        ref_s.append(time.perf_counter() - start)
        mine, theirs = tokens("\n".join(got.pages)), tokens(reference)
        ours_t, ref_t = ours_t + mine, ref_t + theirs
        pages += got.page_count or 0
        if path.name in WORDPROTOKOLLE:
            koeln[path.name] = found_share(theirs, mine)
    ours_rate, ref_rate = len(files) / sum(ours_s), len(files) / sum(ref_s)
    ratio = ours_rate / ref_rate
    share = found_share(ref_t, ours_t)
    rows = [
        _row("text_speed", f"Text PDFs read ({len(files)} files, {pages} pages)",
             f"{ours_rate:.1f} files/s (median {statistics.median(ours_s) * 1000:.0f} ms)",
             f"pdftotext {ref_rate:.1f} files/s (median {statistics.median(ref_s) * 1000:.0f} ms)",
             f"{ratio:.2f}×", "≥ 0.8×", ratio >= 0.8),
        _row("text_agreement", "Words of pdftotext found in ours (all text PDFs)",
             f"{share:.2%}", f"{sum(ref_t.values())} tokens", "", "≥ 99.5 %", share >= 0.995),
    ]  # fmt: skip
    if koeln:
        low = min(koeln.values())
        rows.append(_row("text_agreement_koeln", "… in the two Köln Wortprotokolle",
                         " / ".join(f"{v:.2%}" for v in koeln.values()), "", "",
                         "≥ 99.5 %", low >= 0.995))  # fmt: skip
    return rows, {"pages": pages, "files": len(files), "seconds_per_file": sum(ours_s) / len(files)}


def render(path: Path, outdir: Path) -> list[Path]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    images = []
    for number in range(len(document)):
        target = outdir / f"{path.stem}-{number + 1}.png"
        document[number].render(scale=OCR_DPI / 72, grayscale=True).to_pil().save(target)
        images.append(target)
    document.close()
    return images


def ocr_rows(scans: list[Path], text_stats: dict[str, Any]) -> list[dict]:
    ours_s = ref_s = 0.0
    pages, recalls, found, bare_found, total = 0, {}, 0, 0, 0
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        for path in scans:
            start = time.perf_counter()
            got = extract_file(path, jobs=1)
            ours_s += time.perf_counter() - start
            pages += len(got.ocr_pages)
            bare = []
            for image in render(path, Path(tmp)):
                start = time.perf_counter()
                done = subprocess.run(["tesseract", str(image), "stdout", "-l", LANGUAGE],
                                      capture_output=True, check=True, env=env)  # fmt: skip
                ref_s += time.perf_counter() - start
                bare.append(done.stdout.decode("utf-8", "replace"))
            number = path.stem.rsplit("_", 1)[-1]
            if number in GROUNDTRUTH:
                reference = (PDFS / "groundtruth" / f"koeln_{number}.referenz.txt").read_text()
                expected, read = tokens(reference), tokens("\n".join(got.pages))
                plain = tokens("\n".join(bare))
                recalls[number] = found_share(expected, read)
                found += sum(min(n, read[w]) for w, n in expected.items())
                bare_found += sum(min(n, plain[w]) for w, n in expected.items())
                total += sum(expected.values())
    ours_ppm, ref_ppm = pages / ours_s * 60, pages / ref_s * 60
    mean_pages = text_stats["pages"] / text_stats["files"]
    seconds = KARLSRUHE_FILES * (
        SCAN_SHARE * mean_pages * 60 / ours_ppm + (1 - SCAN_SHARE) * text_stats["seconds_per_file"]
    )
    hours = seconds / (os.cpu_count() or 1) / 3600
    rows = [
        _row("ocr_speed", f"OCR pages/min per core ({pages} scan pages)", f"{ours_ppm:.1f}",
             f"bare tesseract {ref_ppm:.1f}", f"{ours_ppm / ref_ppm:.2f}×", "", None),
        _row("council_estimate",
             f"Karlsruhe ({KARLSRUHE_FILES} files, 14/40 scans, {mean_pages:.1f} pages/file)",
             f"≈ {hours:.0f} h on {os.cpu_count()} cores", "", "", "", None),
    ]  # fmt: skip
    if recalls:
        overall = found / total if total else 1.0
        each = " / ".join(f"{v:.1%}" for v in recalls.values())
        bare_overall = bare_found / total if total else 1.0
        rows.append(_row("ocr_recall", f"OCR word recall vs groundtruth ({len(recalls)} scans)",
                         f"{overall:.1%} ({each})",
                         f"bare tesseract {bare_overall:.1%} ({total} words)",
                         f"{overall - bare_overall:+.1%}", "≥ 97 %", overall >= 0.97))  # fmt: skip
    return rows


def _row(key, label, ours, reference, ratio, target, ok) -> dict:
    status = "" if ok is None else ("met" if ok else "MISSED")
    return {"key": key, "label": label, "ratsarchiv": ours, "reference": reference,
            "ratio": ratio, "target": target, "status": status}  # fmt: skip


def run(quick: bool) -> list[dict]:
    if quick:
        texts = [
            PDFS / WORDPROTOKOLLE[0],
            PDFS / "stuttgart_niederschrift-gemeinderat_EF323DF3.pdf",
        ]
        scans = [PDFS / "koeln_anfrage-bv-chorweiler_345174.pdf"]
        return _rows(texts, scans)
    with tempfile.TemporaryDirectory() as tmp:
        real = sorted(PDFS.glob("*.pdf"))
        kinds = {p: extract_file(p, ocr=False).status for p in real}
        texts = [p for p in real if kinds[p] == LAYER] + karlsruhe_sample(Path(tmp), SAMPLE)
        scans = sorted(p for p in real if p.name.startswith("koeln_a") and kinds[p] != LAYER)
        return _rows(texts, scans)


def _rows(texts: list[Path], scans: list[Path]) -> list[dict]:
    rows, stats = text_rows(texts)
    return rows + ocr_rows(scans, stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extraction")
    parser.add_argument("--quick", action="store_true", help="2 text files and 1 scan page")
    parser.add_argument("--output", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    print(render_table(rows))
    if args.output:
        args.output.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
