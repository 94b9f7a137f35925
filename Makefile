# Two commands do all the set-up on a fresh machine:
#   make book   -> creates .venv, installs blog2book, builds build/medias-sociaux.{pdf,epub}
#   make test   -> creates .venv, installs blog2book with its test extra, runs the whole suite
# No system package is needed for the print files: their CMYK profiles ship in the package
# (src/blog2book/render/print/icc/, origin and licence beside them).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test test-lowest-weasyprint fast-test bench identical clean chromium system-deps ace

# The tests check every PDF they write with Ghostscript and qpdf (tests/pdfcheck.py), and re-save the
# editors' DOCX with LibreOffice (tests/test_docx.py; skipped without it). Installed once,
# as root (CI); elsewhere the command to run is printed. (The print profiles' CMYK profiles ship with
# blog2book: render/print/icc/.)
system-deps:
	@missing=""; \
	command -v gs >/dev/null || missing="$$missing ghostscript"; \
	command -v qpdf >/dev/null || missing="$$missing qpdf"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "the tests' PDF checks need$$missing: sudo apt-get install$$missing"; fi; \
	fi; \
	if ! command -v soffice >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui; } >/dev/null 2>&1 \
	      || echo "LibreOffice could not be installed: the DOCX re-save test will be skipped"; \
	  else echo "the DOCX re-save test needs LibreOffice: sudo apt-get install libreoffice-writer-nogui"; fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/blog2book build manuscripts/medias-sociaux.yml -o build
	@echo "blog2book is installed in $(VENV): run it as $(BIN)/blog2book, or activate the venv first (. $(BIN)/activate)"

test: $(STAMP) chromium system-deps ace
	$(BIN)/python -m pytest

# The engine boundary (render/pdf/engine/) against the lowest WeasyPrint pyproject.toml allows (the
# main venv has the highest): its own venv, the tests that lay pages out and read them back.
LOWEST_WEASYPRINT := 68.0
LOWEST := .venv-lowest
ENGINE_TESTS := tests/unit/test_engine_boundary.py tests/unit/test_pagefix.py tests/unit/test_finalpass.py \
	tests/unit/test_pagemarks.py tests/unit/test_corrections.py tests/unit/test_fetch.py tests/test_renumber.py tests/test_sample_book.py
$(LOWEST)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/pip install --quiet --upgrade pip
	$(LOWEST)/bin/pip install --quiet -e '.[test]' 'weasyprint==$(LOWEST_WEASYPRINT)'
	touch $@

test-lowest-weasyprint: $(LOWEST)/.installed system-deps
	$(LOWEST)/bin/python -m pytest -p no:cacheprovider $(ENGINE_TESTS)

# DAISY Ace (the EPUB accessibility checker, tests/test_accessibility.py) from the npm registry, into
# .tools/ace (ignored by git), run with Debian's Chromium (no browser or Electron downloaded);
# without npm the Ace tests are skipped and say why.
ACE_VERSION := 1.4.6
ACE := .tools/ace/node_modules/.bin/ace-puppeteer
ace:
	@if [ -x $(ACE) ] && grep -q '"version": "$(ACE_VERSION)"' .tools/ace/node_modules/@daisy/ace/package.json; then :; \
	elif command -v npm >/dev/null; then \
		echo "installing DAISY Ace $(ACE_VERSION) into .tools/ace"; \
		PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
			npm install --silent --no-audit --no-fund --prefix .tools/ace @daisy/ace@$(ACE_VERSION) \
			|| echo "DAISY Ace could not be installed: the Ace tests will be skipped"; \
	else echo "npm is missing: DAISY Ace is not installed, the Ace tests will be skipped"; fi

# The preview's browser test needs headless Chromium: installed from Debian's packages when it is
# missing and we are root (CI); elsewhere the test is skipped and says why.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
			|| echo "chromium could not be installed: the browser test will be skipped"; \
	fi

fast-test: $(STAMP) system-deps
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes 10,300 --reference

# The same bytes out for the same inputs as BASE's code (a refactoring's proof): the sample and 300 posts.
BASE ?= HEAD
identical: $(STAMP)
	$(BIN)/python bench/identical.py --base $(BASE) --posts 300 --formats md,pdf,epub

clean:
	rm -rf build .blog2book-cache $(LOWEST)
