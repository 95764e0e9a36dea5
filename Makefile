# Two commands on a fresh Debian machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# axe-core (accessibility checks in browser tests), pinned in package-lock.json.
AXE := node_modules/axe-core/axe.min.js
# Debian packages the node and its tests use (speech, browser tests, QR decoding, PostgreSQL,
# HAProxy in front of a centre of several processes, poppler and ffmpeg for signage thumbnails
# and PDF pages, zinnia for handwriting, LibreOffice to convert .doc/.wps/.et catalog files).
SYSTEM_PACKAGES := espeak-ng chromium zbar-tools postgresql sox opus-tools fonts-noto-cjk \
  haproxy poppler-utils ffmpeg libzinnia0 tegaki-zinnia-simplified-chinese \
  libreoffice-writer-nogui libreoffice-calc-nogui
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test lint docs lock bench system-packages clean

run: $(VENV)/.installed system-packages
	$(BIN)/kiosk demo --if-empty
	@echo "触摸屏 http://$(HOST):$(PORT)/ · 信息发布屏 http://$(HOST):$(PORT)/player/demo · 管理后台 http://$(HOST):$(PORT)/admin/"
	$(BIN)/kiosk serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed system-packages $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(VENV)/.installed system-packages
	$(BIN)/python -m bench.run

# The README's configuration and command tables, from the code (checked by a test).
docs: $(VENV)/.installed
	$(BIN)/cog -r README.md

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The exact versions, with hashes, from requirements.lock; pyproject.toml keeps the ranges.
# Reinstall when the lock, the project file or the set of top-level packages changes.
$(VENV)/.installed: requirements.lock pyproject.toml $(wildcard */__init__.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# After changing a dependency in pyproject.toml: write the lock again (uv, from PyPI).
lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 -o requirements.lock -q

$(AXE): package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --silent
	touch $@

# Installs what is missing with apt-get when run as root; otherwise names the command.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages; run: sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info
