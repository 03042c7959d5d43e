"""A private, real Secret Service for tests: its own D-Bus session bus and gnome-keyring.

Nothing touches the user's keyring: the bus is a fresh dbus-daemon with no
service activation, and gnome-keyring keeps its files under a temporary HOME.
Needs the Debian packages dbus-daemon and gnome-keyring (the Makefile's TEST_DEBS).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import keyring.backend
from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

SECRETS_NAME = "org.freedesktop.secrets"
SERVICE = DBusAddress(
    "/org/freedesktop/secrets", bus_name=SECRETS_NAME, interface="org.freedesktop.Secret.Service"
)
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"
KEYRING_PASSWORD = b"setlist-test-keyring"

# A session bus that only does what the tests need: no activation of services
# from /usr/share/dbus-1, so nothing else (a second gnome-keyring) starts on it.
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass(frozen=True)
class SecretService:
    address: str
    # What a process needs to use this service and nothing of the user's.
    env: dict[str, str]
    root: Path


@contextmanager
def running_secret_service(root: Path, *, timeout: float = 15.0) -> Iterator[SecretService]:
    """Start dbus-daemon and an unlocked gnome-keyring under `root`; stop both after."""
    missing = [b for b in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(b) is None]
    if missing:
        raise RuntimeError(
            f"{' and '.join(missing)} not found: install the Debian packages "
            "dbus-daemon and gnome-keyring (make test does)"
        )
    home, runtime = root / "home", root / "runtime"
    home.mkdir(parents=True)
    runtime.mkdir(mode=0o700)
    config = root / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket=root / "bus"))
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(runtime),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    with (root / "dbus.log").open("wb") as dbus_log, (root / "keyring.log").open("wb") as gk_log:
        dbus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=dbus_log,
            env=env,
        )
        keyring_daemon: subprocess.Popen[bytes] | None = None
        try:
            assert dbus.stdout is not None
            address = dbus.stdout.readline().decode().strip()
            if not address:
                raise RuntimeError(f"dbus-daemon did not start: see {root / 'dbus.log'}")
            env["DBUS_SESSION_BUS_ADDRESS"] = address
            keyring_daemon = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=gk_log,
                stderr=gk_log,
                env=env,
            )
            assert keyring_daemon.stdin is not None
            # --unlock reads the login keyring's password from stdin until EOF.
            keyring_daemon.stdin.write(KEYRING_PASSWORD)
            keyring_daemon.stdin.close()
            _wait_for_default_collection(address, keyring_daemon, timeout, root)
            yield SecretService(address=address, env=env, root=root)
        finally:
            for process in (keyring_daemon, dbus):
                if process is not None:
                    _stop(process)


def forget_keyring_backends() -> None:
    """Make keyring look for backends again: it looks once per process and keeps the list."""
    # jaraco.functools.once keeps its result in `saved_result`; its reset() fails when unset.
    vars(keyring.backend.get_all_keyring).pop("saved_result", None)


def lock_default_collection(address: str) -> None:
    """Lock the login keyring, as the session would on screen lock."""
    with closing(open_dbus_connection(bus=address)) as connection:
        lock = new_method_call(SERVICE, "Lock", "ao", ([DEFAULT_COLLECTION],))
        assert connection.send_and_get_reply(lock).body[0] == [DEFAULT_COLLECTION]


def stored_items(address: str) -> list[dict[str, str]]:
    """The service and username of setlist's items, read without unlocking anything."""
    with closing(open_dbus_connection(bus=address)) as connection:
        query = new_method_call(SERVICE, "SearchItems", "a{ss}", ({"service": "setlist"},))
        unlocked, locked = connection.send_and_get_reply(query).body
        found = []
        for path in unlocked + locked:
            item = DBusAddress(path, SECRETS_NAME, "org.freedesktop.DBus.Properties")
            get = new_method_call(item, "Get", "ss", ("org.freedesktop.Secret.Item", "Attributes"))
            attributes = connection.send_and_get_reply(get).body[0][1]
            found.append({k: v for k, v in attributes.items() if k in ("service", "username")})
        return found


def _wait_for_default_collection(
    address: str, daemon: subprocess.Popen[bytes], timeout: float, root: Path
) -> None:
    deadline = time.monotonic() + timeout
    with closing(open_dbus_connection(bus=address)) as connection:
        while time.monotonic() < deadline:
            if daemon.poll() is not None:
                break
            owned = connection.send_and_get_reply(message_bus.NameHasOwner(SECRETS_NAME)).body[0]
            if owned:
                reply = connection.send_and_get_reply(
                    new_method_call(SERVICE, "ReadAlias", "s", ("default",))
                )
                if reply.body and reply.body[0] != "/":
                    return
            time.sleep(0.05)
    raise RuntimeError(f"gnome-keyring did not come up: see {root / 'keyring.log'}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
