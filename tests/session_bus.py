"""A private D-Bus session bus for tests (dbus-daemon), and `playerctl` on it.

The bus is the keyring tests' (no service activation, so nothing of the desktop's
starts on it); only the processes given its address see it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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


def call(address: str, name: str, path: str, interface: str, method: str) -> None:
    """Call a method without arguments (one playerctl has no command for, such as Quit)."""
    connection = open_dbus_connection(bus=address)
    try:
        reply = connection.send_and_get_reply(
            new_method_call(DBusAddress(path, bus_name=name, interface=interface), method),
            timeout=10,
        )
        assert reply.header.message_type.name == "method_return", reply.body
    finally:
        connection.close()
