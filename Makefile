# Two commands do all the set-up on a fresh machine:
#   make book   -> creates .venv, installs blog2book, builds build/medias-sociaux.{pdf,epub}
#   make test   -> creates .venv, installs blog2book with its test extra, runs the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test fast-test bench clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/blog2book build manuscripts/medias-sociaux.yml -o build

test: $(STAMP) chromium
	$(BIN)/python -m pytest

# The preview's browser test needs headless Chromium: installed from Debian's packages when it is
# missing and we are root (CI); elsewhere the test is skipped and says why.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
			|| echo "chromium could not be installed: the browser test will be skipped"; \
	fi

fast-test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes 10,300 --reference

clean:
	rm -rf build .blog2book-cache
