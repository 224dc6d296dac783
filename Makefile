# Ratsarchiv: `make run` serves the shipped corpus (`make corpus` remakes it), `make test`
# runs every test, `make test-fast` the edit-test loop.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CORPUS ?= corpus
INDEX  ?= var/index
PORT   ?= 8080
FAST   := not karlsruhe and not browser and not slow

.PHONY: run corpus test test-fast lint format eval bench chromium tesseract clean

$(VENV)/.installed-run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

## run: set up, build the index from corpus/ and serve on http://127.0.0.1:8080
run: $(VENV)/.installed-run
	$(BIN)/ratsarchiv reindex --full --corpus $(CORPUS) --index $(INDEX)
	$(BIN)/ratsarchiv serve --corpus $(CORPUS) --index $(INDEX) --host 127.0.0.1 --port $(PORT)

## corpus: rebuild corpus/ from ../shared/data with the importers (tools/make_corpus.py)
corpus: $(VENV)/.installed-run
	$(BIN)/python tools/make_corpus.py --corpus $(CORPUS)

## test: set up (Python packages and Debian's Chromium) and run the whole suite
test: $(VENV)/.installed-test chromium tesseract
	$(BIN)/ruff check .
	$(BIN)/pytest

## test-fast: the edit-test loop, under a minute: no Karlsruhe data, no browser, no long runs
test-fast: $(VENV)/.installed-test
	$(BIN)/pytest -m "$(FAST)"

## chromium: Debian's Chromium for the browser tests (apt-get; needs root)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium (apt-get) for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## tesseract: Debian's Tesseract with its German model, and poppler's tools (apt-get; needs
## root): OCR of scanned files, and pdftotext as the benchmark's reference
tesseract:
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx deu \
	   && command -v pdftotext >/dev/null 2>&1; } || { \
	  echo "installing Debian's tesseract-ocr, tesseract-ocr-deu and poppler-utils (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    tesseract-ocr tesseract-ocr-deu poppler-utils >/dev/null; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## eval: search quality (MRR@10) on the Karlsruhe papers
eval: $(VENV)/.installed-test tesseract
	$(BIN)/python -m benchmarks.eval_quality

## bench: speed on the whole Karlsruhe archive
bench: $(VENV)/.installed-test tesseract
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.extraction

clean:
	rm -rf var build *.egg-info .pytest_cache .ruff_cache
