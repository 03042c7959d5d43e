"""Helpers for the CLI tests: a private home (XDG dirs), running `setlist`, the demo link.

Every test gets its own XDG_CONFIG/STATE/DATA/CACHE/RUNTIME dirs, and keyring's
null backend unless it asks for the real Secret Service: nothing reaches the
user's files or keyring. `CliHome.attach(server)` announces a test's demo server
in runtime_dir()/demo.json, exactly as `setlist demo --serve` does, so
`setlist ... --demo` (in a subprocess or in-process) uses that server and the
test can look at its state.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring.core
import pytest

from keyring_service import SecretService, forget_keyring_backends
from setlist.cli import main
from setlist.demo.server import DemoServer
from setlist.services.demo_running import announce

XDG = ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR")
NULL_KEYRING = "keyring.backends.null.Keyring"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class CliHome:
    root: Path
    dirs: dict[str, Path]

    @property
    def config_file(self) -> Path:
        return self.dirs["XDG_CONFIG_HOME"] / "setlist" / "config.toml"

    def write_config(self, text: str) -> None:
        self.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(text, encoding="utf-8")

    def attach(self, server: DemoServer) -> None:
        """Make `--demo` commands use `server` (this test process stands in for its pid)."""
        announce(server.base_url, server.yourmusic_url, server.jamendo_url, server.lastfm_url)

    def run(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """`python -m setlist ARGS` in a fresh process; output as bytes (to look for ESC)."""
        return subprocess.run(
            [sys.executable, "-m", "setlist", *args],
            input=input.encode() if input is not None else None,
            capture_output=True,
            env={**os.environ, **(env or {})},
            timeout=60,
            check=False,
        )

    def files_containing(self, needle: str) -> list[Path]:
        data = needle.encode()
        return [
            path
            for base in self.dirs.values()
            for path in base.rglob("*")
            if path.is_file() and data in path.read_bytes()
        ]


def make_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliHome:
    dirs = {name: tmp_path / name.lower() for name in XDG}
    for name, path in dirs.items():
        path.mkdir(mode=0o700)
        monkeypatch.setenv(name, str(path))
    for name in list(os.environ):
        if name.startswith("SETLIST_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", NULL_KEYRING)
    monkeypatch.setenv("COLUMNS", "160")
    _forget_keyring(monkeypatch)
    return CliHome(tmp_path, dirs)


def use_secret_service(
    home: CliHome, service: SecretService, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CliHome]:
    """Point `home` at a real Secret Service (the secret_service fixture's)."""
    # The secret_service fixture moved XDG_CONFIG_HOME and XDG_DATA_HOME: back to ours.
    for name, path in home.dirs.items():
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.address)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    _forget_keyring(monkeypatch)
    yield home
    forget_keyring_backends()


def _forget_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # keyring picks its backend once per process; in-process main() must pick again.
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    forget_keyring_backends()


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """`setlist ARGS` in this process (faster than a subprocess); exit 2 for usage errors."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
