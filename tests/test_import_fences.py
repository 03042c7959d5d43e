"""What each entry point loads, asked of a fresh interpreter.

The import contracts in pyproject.toml check the arrows between setlist's own
packages; these check what a headless command actually pulls in at run time,
where a lazy import the contracts allow could still drag in Textual, libmpv or
the demo server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import setlist

UI_AUDIO_NETWORK = ("textual", "mpv", "httpx", "m3u8")
RICH = ("rich",)  # the CLI measures text widths with rich.cells; the core does not
DEMO_SERVER = ("setlist.demo.server", "starlette", "uvicorn")
PRODUCT = ("core", "store", "providers", "playback", "services", "daemon", "process", "cli")

LOADED = """
import atexit, json, sys
out = sys.argv.pop(1)
atexit.register(
    lambda: open(out, "w").write(json.dumps(sorted(k for k, v in sys.modules.items() if v)))
)
"""


def loaded(tmp_path: Path, code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter has loaded when `code` ends."""
    out = tmp_path / "modules.json"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(Path(setlist.__file__).parents[1]),
    }
    subprocess.run(
        [sys.executable, "-c", LOADED + code, str(out), *args],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return set(json.loads(out.read_text()))


def tops(modules: set[str], names: tuple[str, ...]) -> set[str]:
    return {m for m in modules if m in names or m.split(".")[0] in names or m.startswith(names)}


@pytest.mark.parametrize("command", [["ctl", "status"], ["ctl", "play", "track:3000"]])
def test_setlist_ctl_loads_no_ui_audio_or_network_library(tmp_path, command):
    code = "import sys\nfrom setlist.cli import main\nsys.exit(main(sys.argv[1:]))"
    modules = loaded(tmp_path, code, *command)
    assert "setlist.daemon.client" in modules  # it did run: it looked for the daemon
    assert tops(modules, UI_AUDIO_NETWORK) == set()
    assert tops(modules, DEMO_SERVER) == set()


def test_the_core_loads_no_ui_audio_or_network_library(tmp_path):
    code = (
        "import pkgutil, importlib, setlist.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module(f'setlist.core.{m.name}')"
    )
    modules = loaded(tmp_path, code)
    assert {"setlist.core.queue", "setlist.core.items", "setlist.core.accounts"} <= modules
    assert tops(modules, UI_AUDIO_NETWORK + RICH) == set()


def test_product_code_loads_the_demo_server_only_when_asked(tmp_path):
    packages = ", ".join(repr(f"setlist.{p}") for p in PRODUCT)
    code = (
        "import pkgutil, importlib\n"
        f"for name in ({packages}, 'setlist.ui'):\n"
        "    package = importlib.import_module(name)\n"
        "    for m in pkgutil.walk_packages(package.__path__, name + '.'):\n"
        "        importlib.import_module(m.name)\n"
    )
    modules = loaded(tmp_path, code)
    assert {"setlist.ui.app", "setlist.services.player", "setlist.daemon.run"} <= modules
    assert tops(modules, DEMO_SERVER) == set()
