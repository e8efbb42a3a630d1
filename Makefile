# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# torch is pinned to the CPU wheel on local disk (constraints.txt) in every pip call.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PIP     := $(BIN)/pip -q --disable-pip-version-check
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: venv demo test test-deps regress schema bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install -c constraints.txt "torch==2.13.0"
	$(PIP) install -c constraints.txt -e ".[dev]"
	$(BIN)/python -m quotecheck.embed_onnx build || echo "make: warning: no ONNX export; the torch encoder is used" >&2
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/quotecheck check seeds/000_77f9f5edfd3afcc6.txt

# Headless Chromium (Debian package `chromium`) renders the HTML report in tests/unit/test_html.py.
# Installed when missing (needs root and apt); when that fails the render test is skipped with
# the reason, never passed.
test-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "make: warning: could not install chromium; the HTML render test will be skipped" >&2; \
	  else \
	    echo "make: warning: chromium missing and not root; the HTML render test will be skipped" >&2; \
	  fi; }

test: $(STAMP) test-deps
	$(BIN)/python -m pytest -q

# The project's own fixture cases, as a user's CI would run them (exit 1 when a case fails).
regress: $(STAMP)
	$(BIN)/quotecheck regress fixtures/ --junit build/regress-junit.xml

# Regenerate the shipped JSON Schema of fixture files from the pydantic models.
schema: $(STAMP)
	$(BIN)/quotecheck schema fixture > quotecheck/testing/fixture.schema.json

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/table.py --write README.md

clean:
	rm -rf $(VENV) build *.egg-info
