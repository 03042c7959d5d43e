"""Waiting in tests until something is true, within a time limit.

`wait_for` is for a test that blocks (daemons in subprocesses, files growing);
`wait_until` is for a test on the event loop, and with a Textual pilot lets the app
run between checks, or waits until the app has settled.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

from textual.pilot import Pilot

T = TypeVar("T")


def wait_for(check: Callable[[], T], within: float = 10.0, step: float = 0.05) -> T:
    """Call `check` until it returns something true, and return that.

    AssertionError when it is still false after `within` seconds.
    """
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {within} s: {check}")
        time.sleep(step)


async def wait_until(
    check: Callable[[], T] | None = None,
    within: float = 5.0,
    *,
    pilot: Pilot[Any] | None = None,
    step: float = 0.02,
) -> T | None:
    """`wait_for` on the event loop: what the test waits for arrives through the loop.

    With a `pilot`, the app runs between checks. With a pilot and no `check`, it
    waits until the app has settled: every worker (and every worker they start)
    done, and the screen drawn.
    """
    if check is None:
        if pilot is None:
            raise TypeError("wait_until needs a check, a pilot, or both")
        await _settled(pilot, within)
        return None
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {within} s: {check}")
        if pilot is None:
            await asyncio.sleep(step)
        else:
            await pilot.pause(step)


async def _settled(pilot: Pilot[Any], within: float) -> None:
    deadline = time.monotonic() + within
    workers = pilot.app.workers
    await pilot.pause()
    while any(worker.is_running for worker in workers):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"the app's workers still run after {within} s: {list(workers)}")
        try:
            async with asyncio.timeout(remaining):
                await workers.wait_for_complete()
        except TimeoutError:
            raise AssertionError(
                f"the app's workers still run after {within} s: {list(workers)}"
            ) from None
        await pilot.pause()
    await pilot.pause()
