"""The terminal driver: Textual's LinuxDriver, with an input thread that sleeps when idle.

Why it exists: Textual's input thread (`LinuxDriver.run_input_thread`) waits on
the terminal with `select(0.1)` in a loop, to see whether it was asked to stop
and to let the parser time out a lone ESC byte into the Escape key. It wakes ten
times a second for as long as the app runs, so a paused setlist never quite
sleeps. Here it blocks until there is input, until the parser's pending timeout
(the time left until it, `constants.ESCAPE_DELAY` after an ESC) or until it is
asked to stop: `exit_event.set()` (`disable_input`, on quit and on suspend) also
writes to a pipe the thread waits on. Everything else is Textual's: the same
parser, the same dispatch (`process_message`: keys, mouse, paste, in-band
resize), and the same last tick a tenth of a second after the stop. The thread
is also named "textual-input" in the OS (Python does that itself only from 3.14),
so that `top -H` and the tests can tell it apart.

It reads two private attributes of Textual (the parser's `_timeout_time`, and
`textual._time.get_time`, the clock that timeout is on), as Textual's own driver
reads private modules; setlist pins Textual to one major version.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
import time
from codecs import getincrementaldecoder
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

# Textual's driver sleeps this long after a stop before its last parser tick.
FINAL_TICK_DELAY = 0.1


class WakingEvent(threading.Event):
    """An Event whose `set` also writes a byte to a pipe a select waits on (`wake_with`)."""

    def __init__(self) -> None:
        super().__init__()
        self._wake_lock = threading.Lock()
        self._wake_fd: int | None = None

    def set(self) -> None:
        super().set()
        with self._wake_lock:
            if self._wake_fd is not None:
                with contextlib.suppress(BlockingIOError):  # full: a wake-up is pending
                    os.write(self._wake_fd, b"\0")

    def wake_with(self, fd: int | None) -> None:
        """Write to `fd` on `set` from now on (None: to nothing; the fd may be closed then)."""
        with self._wake_lock:
            self._wake_fd = fd


def _name_os_thread() -> None:
    """Give the calling thread its Python name in the OS too (Python does so from 3.14)."""
    name = threading.current_thread().name[:15]  # the kernel keeps 15 bytes
    with contextlib.suppress(OSError):  # no /proc (macOS)
        Path(f"/proc/self/task/{threading.get_native_id()}/comm").write_text(name)


class SetlistDriver(LinuxDriver):
    """LinuxDriver whose input thread waits without a timeout when nothing is pending."""

    exit_event: WakingEvent

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.exit_event = WakingEvent()
        terminal = getattr(app, "terminal", None)
        if terminal is not None:  # descriptor 2 is the log meanwhile (setlist.process.stderr)
            self._file = terminal

    def run_input_thread(self) -> None:
        """Wait for input, a parser timeout or a stop, and dispatch events (as Textual's)."""
        _name_os_thread()
        fileno = self.fileno
        selector = selectors.SelectSelector()  # as Textual's: kqueue cannot wait on a tty
        wake_read, wake_write = os.pipe()
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def timeout() -> float | None:
            """Seconds until the parser's pending timeout; None when there is none."""
            due: float | None = parser._timeout_time
            return None if due is None else max(0.0, due - get_time())

        def tick() -> None:
            for event in parser.tick():
                self.process_message(event)

        try:
            os.set_blocking(wake_read, False)
            os.set_blocking(wake_write, False)
            self.exit_event.wake_with(wake_write)  # before the first look at exit_event
            selector.register(fileno, selectors.EVENT_READ)
            selector.register(wake_read, selectors.EVENT_READ)
            while not self.exit_event.is_set():
                ready = {key.fd for key, _events in selector.select(timeout())}
                if wake_read in ready:
                    with contextlib.suppress(BlockingIOError):
                        while os.read(wake_read, 512):
                            pass
                if fileno in ready and (data := decode(os.read(fileno, 1024 * 4))):
                    for event in parser.feed(data):
                        self.process_message(event)
                tick()
            # As Textual's: nothing more is read; a pending escape may still time out.
            time.sleep(FINAL_TICK_DELAY)
            tick()
        finally:
            self.exit_event.wake_with(None)
            selector.close()
            os.close(wake_read)
            os.close(wake_write)
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass
