"""Finding a demo server that is already running, so separate commands share its state.

`setlist demo --serve` announces itself in runtime_dir()/demo.json (its URLs,
pid and a random instance id) and removes the file when it stops. A command run
with --demo uses that server when the file names a live process whose port
answers; otherwise it starts a demo server of its own.

This module does not import the server (uvicorn, starlette): attaching to a
running demo stays cheap.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from setlist.store import paths
from setlist.store.atomic import write_atomic

DEMO_FILE = "demo.json"
_CONNECT_TIMEOUT = 0.5


@dataclass(frozen=True)
class DemoEndpoints:
    """Where a demo server answers, and which run of it this is."""

    base_url: str
    yourmusic_url: str
    jamendo_url: str
    lastfm_url: str
    instance: str
    pid: int


def demo_file() -> Path:
    return paths.runtime_dir() / DEMO_FILE


def announce(base_url: str, yourmusic_url: str, jamendo_url: str, lastfm_url: str) -> DemoEndpoints:
    """Write demo.json for this process's server; returns what was written."""
    endpoints = DemoEndpoints(
        base_url=base_url,
        yourmusic_url=yourmusic_url,
        jamendo_url=jamendo_url,
        lastfm_url=lastfm_url,
        instance=uuid.uuid4().hex,
        pid=os.getpid(),
    )
    file = demo_file()
    paths.ensure_dir(file.parent)
    write_atomic(file, json.dumps(asdict(endpoints), indent=2).encode("utf-8"))
    return endpoints


def withdraw(endpoints: DemoEndpoints) -> None:
    """Remove demo.json if it still announces `endpoints` (a newer server may have replaced it)."""
    file = demo_file()
    if read_announcement(file) == endpoints:
        with contextlib.suppress(OSError):
            file.unlink()


def read_announcement(file: Path | None = None) -> DemoEndpoints | None:
    """What demo.json says, or None when it is missing or unreadable."""
    try:
        data = json.loads((file or demo_file()).read_text(encoding="utf-8"))
        return DemoEndpoints(**{k: data[k] for k in DemoEndpoints.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_running() -> DemoEndpoints | None:
    """The announced demo server if it is alive: its process exists and its port answers."""
    endpoints = read_announcement()
    if endpoints is None or not _process_exists(endpoints.pid):
        return None
    return endpoints if _answers(endpoints.base_url) else None


def _process_exists(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, though not a demo of ours
        return True
    except OSError:
        return False
    return True


def _answers(base_url: str) -> bool:
    parts = urlsplit(base_url)
    if parts.hostname is None or parts.port is None:
        return False
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=_CONNECT_TIMEOUT):
            return True
    except OSError:
        return False
