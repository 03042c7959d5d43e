"""Starting a daemon from another program (the app's `setlist --daemon`).

The daemon is started as `setlist daemon` in a process of its own, not forked from
the caller: forking a process that runs threads (Textual, mpv) is unsafe.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from pathlib import Path

from setlist.daemon.client import DaemonError
from setlist.daemon.instance import find_daemon

START_TIMEOUT = 120.0  # seconds: `setlist daemon` waits up to 90 for the daemon's word


async def start_daemon(*, demo: bool = False, mpv_options: Iterable[str] = ()) -> Path:
    """This user's daemon socket, starting `setlist daemon` (detached) when none runs.

    `mpv_options` are `KEY=VALUE` strings, as `--mpv-option` takes them.
    """
    found = find_daemon()
    if found is not None:
        return found
    args = [sys.executable, "-m", "setlist", "daemon"]
    if demo:
        args.append("--demo")
    for option in mpv_options:
        args += ["--mpv-option", option]
    process = await asyncio.create_subprocess_exec(
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        async with asyncio.timeout(START_TIMEOUT):
            _, err = await process.communicate()
    except TimeoutError:
        process.kill()
        raise DaemonError("the setlist daemon did not start in time") from None
    found = find_daemon()  # a daemon started meanwhile by someone else counts too
    if found is not None:
        return found
    reason = err.decode(errors="replace").strip().removeprefix("setlist: ")
    raise DaemonError(reason or f"the setlist daemon did not start (exit {process.returncode})")
