"""A private D-Bus session bus for tests (dbus-daemon), and `playerctl` on it.

The bus is the keyring tests' (no service activation, so nothing of the desktop's
starts on it); only the processes given its address see it.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

from keyring_service import _BUS_CONFIG, _stop


@dataclass
class SessionBus:
    address: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """The bus goes away, as when a desktop session ends."""
        _stop(self.process)


@contextmanager
def private_session_bus(root: Path) -> Iterator[SessionBus]:
    """A dbus-daemon listening under `root`, while it runs."""
    if shutil.which("dbus-daemon") is None:
        raise RuntimeError("dbus-daemon not found: install the Debian package dbus-daemon")
    root.mkdir(parents=True, exist_ok=True)
    config = root / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket=root / "bus"))
    with (root / "dbus.log").open("wb") as log:
        dbus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=log,
        )
        try:
            assert dbus.stdout is not None
            address = dbus.stdout.readline().decode().strip()
            if not address:
                raise RuntimeError(f"dbus-daemon did not start: see {root / 'dbus.log'}")
            yield SessionBus(address, dbus)
        finally:
            _stop(dbus)


def playerctl(
    address: str, *args: str, player: str = "setlist"
) -> subprocess.CompletedProcess[str]:
    """`playerctl -p PLAYER ARGS` on the bus at `address` (`player=""`: all players)."""
    if shutil.which("playerctl") is None:
        raise RuntimeError("playerctl not found: install the Debian package playerctl")
    chosen = ["-p", player] if player else []
    return subprocess.run(
        ["playerctl", *chosen, *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address),
    )


class Follower:
    """`playerctl -p setlist ARGS --follow`: a line each time what it shows changes,
    read on a thread so that a test waits for one with a limit."""

    def __init__(self, address: str, *args: str) -> None:
        self.process = subprocess.Popen(
            ["playerctl", "-p", "setlist", *args, "--follow"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address),
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.strip())
        self._lines.put(None)

    def next(self, within: float = 15.0) -> str:
        try:
            line = self._lines.get(timeout=within)
        except queue.Empty:
            raise AssertionError(f"playerctl said nothing in {within} s") from None
        assert line is not None, "playerctl ended"
        return line

    def until(self, wanted: str, within: float = 15.0) -> None:
        """Read lines until `wanted` (AssertionError when it does not come in time)."""
        deadline = time.monotonic() + within
        seen = []
        while (line := self.next(max(0.0, deadline - time.monotonic()))) != wanted:
            seen.append(line)
            if time.monotonic() > deadline:
                raise AssertionError(f"never {wanted!r}; said {seen}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def call(address: str, name: str, path: str, interface: str, method: str) -> tuple[object, ...]:
    """Call a method without arguments (one playerctl has no command for, such as Quit)."""
    return call_with(address, path, interface, method, None, (), name=name)


def call_with(
    address: str,
    path: str,
    interface: str,
    method: str,
    signature: str | None,
    body: tuple[object, ...],
    *,
    name: str = "org.mpris.MediaPlayer2.setlist",
) -> tuple[object, ...]:
    """Call a method of `name` on the bus at `address`; the reply's values."""
    connection = open_dbus_connection(bus=address)
    try:
        address_of = DBusAddress(path, bus_name=name, interface=interface)
        reply = connection.send_and_get_reply(
            new_method_call(address_of, method, signature, body), timeout=10
        )
        assert reply.header.message_type.name == "method_return", reply.body
        return tuple(reply.body)
    finally:
        connection.close()
