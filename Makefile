# The two commands of the README:
#   make run    sets up what is missing, then opens setlist on the built-in demo catalog
#   make test   sets up what is missing, then runs the whole test suite
# Other targets: make bench, make lint, make audio (regenerates the demo audio; needs ffmpeg).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

RUN_DEBS  := libmpv2
TEST_DEBS := libmpv2 dbus-daemon gnome-keyring ffmpeg
# The playback benchmark measures setlist against the mpv command line.
BENCH_DEBS := $(TEST_DEBS) mpv

# Installs the Debian packages named in $(1) that are missing: through apt when root,
# otherwise prints the exact command and stops.
define apt_need
	@if command -v dpkg >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      echo "Installing system packages:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	    else \
	      echo "setlist needs these system packages:$$missing"; \
	      echo "Install them with:  sudo apt-get install$$missing"; \
	      exit 1; \
	    fi; \
	  fi; \
	else \
	  echo "Not a Debian system: make sure libmpv (mpv's library) is installed."; \
	fi
endef

# An editable install leaves src/ uncompiled, and with PYTHONDONTWRITEBYTECODE set
# (common in containers) every start compiles it again: about 70 ms of each start,
# and the tests start setlist many times.
COMPILE = $(BIN)/python -m compileall -q src

.PHONY: run test bench lint audio clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.run-deps

run:
	$(call apt_need,$(RUN_DEBS))
	@$(MAKE) --no-print-directory $(VENV)/.run-deps
	@$(COMPILE)
	$(BIN)/setlist --demo

test:
	$(call apt_need,$(TEST_DEBS))
	@$(MAKE) --no-print-directory $(VENV)/.test-deps
	@$(COMPILE)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest

bench:
	$(call apt_need,$(BENCH_DEBS))
	@$(MAKE) --no-print-directory $(VENV)/.test-deps
	@$(COMPILE)
	$(BIN)/python -m bench

lint: $(VENV)/.test-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

audio: $(VENV)/.run-deps
	$(BIN)/python assets/demo/make_audio.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
