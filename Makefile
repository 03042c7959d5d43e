# The two commands of the README:
#   make run    sets up what is missing, then opens setlist on the built-in demo catalog
#   make test   sets up what is missing, then runs the whole test suite
# Other targets: make faults, make bench, make lint, make lock, make audio (regenerates
# the demo audio; needs ffmpeg).
#
# Python packages come from uv.lock, installed with `uv sync --locked`: every
# machine gets exactly the versions the lock names. uv itself is installed from
# the package index into .tools/ (a virtual environment of its own), so nothing
# but python3 and make needs to be there first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

UV_VERSION := 0.13.9
TOOLS      := .tools
UV         := $(TOOLS)/bin/uv
UV_STAMP   := $(TOOLS)/.uv-$(UV_VERSION)
# uv uses the system's python3 and never downloads an interpreter of its own.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# The uv cache and the checkout are often on different file systems.
export UV_LINK_MODE ?= copy
# Trust the system's certificate store, as pip and curl do (a proxy's own CA).
export UV_SYSTEM_CERTS ?= 1
SYNC := $(UV) sync --locked --python $(PYTHON) --quiet

# pytest-xdist workers: one per core. The tests that cannot share a run with
# others in parallel carry an xdist_group mark and run in one worker.
TEST_JOBS ?= auto

RUN_DEBS  := libmpv2
TEST_DEBS := libmpv2 dbus-daemon gnome-keyring ffmpeg playerctl
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

.PHONY: run test faults bench lint lock audio clean run-deps test-deps

$(UV_STAMP):
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@touch $@

# The runtime set; --inexact keeps the test packages a `make test` installed.
run-deps: $(UV_STAMP)
	@$(SYNC) --inexact

# The runtime and the test set, and nothing else.
test-deps: $(UV_STAMP)
	@$(SYNC) --extra test

run:
	$(call apt_need,$(RUN_DEBS))
	@$(MAKE) --no-print-directory run-deps
	@$(COMPILE)
	$(BIN)/setlist --demo

test:
	$(call apt_need,$(TEST_DEBS))
	@$(MAKE) --no-print-directory test-deps
	@$(COMPILE)
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup

# The fault suite alone: the tests marked @pytest.mark.fault (tests/fault_report.py
# prints what each fault tried and whether what had to hold held).
faults:
	$(call apt_need,$(TEST_DEBS))
	@$(MAKE) --no-print-directory test-deps
	@$(COMPILE)
	$(BIN)/python -m pytest -m fault -n $(TEST_JOBS) --dist loadgroup

bench:
	$(call apt_need,$(BENCH_DEBS))
	@$(MAKE) --no-print-directory test-deps
	@$(COMPILE)
	$(BIN)/python -m bench

# ruff, the import contracts between the layers ([tool.importlinter] in pyproject.toml)
# and the type checker ([tool.mypy]).
lint: test-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# After a change to the dependencies in pyproject.toml: writes uv.lock again,
# keeping every version it can. `make lock UPGRADE=1` takes the newest allowed.
lock: $(UV_STAMP)
	$(UV) lock $(if $(UPGRADE),--upgrade)

audio: run-deps
	$(BIN)/python assets/demo/make_audio.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache
