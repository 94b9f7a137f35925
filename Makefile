# Two commands do all the set-up on a fresh machine:
#   make book   -> creates .venv, installs blog2book, builds build/medias-sociaux.{pdf,epub}
#   make test   -> creates .venv, installs blog2book with its test extra, runs the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test fast-test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/blog2book build manuscripts/medias-sociaux.yml -o build

test: $(STAMP)
	$(BIN)/python -m pytest

fast-test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes 10,300 --reference

clean:
	rm -rf build .blog2book-cache
