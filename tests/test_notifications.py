"""Desktop notifications: each track change told to the notification service on the
session bus, replacing the one before, only where they are wanted.

The service is a small one of the test's own on a private dbus-daemon: it owns
org.freedesktop.Notifications and answers Notify as a desktop's does (an id, the
same one when it replaces), keeping each call as it came over the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import DBusNameFlags, message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import unwrap_msg

from cli_support import CliHome, make_home
from daemon_support import DaemonHome, make_daemon_home, remove_home
from session_bus import SessionBus, private_session_bus
from setlist.core.items import file_track
from setlist.core.models import Track
from setlist.demo.catalog import media_dir
from setlist.playback.player import Player
from setlist.services.notifications import Notifications
from setlist.services.player import Catalogs, make_player
from setlist.store.art_cache import ArtCache
from setlist.store.config import load_config
from setlist.store.state import StateStore
from test_app_attach import ATTACHED, App
from waiting import wait_for, wait_until

SERVICE = "org.freedesktop.Notifications"
FIRST_ID = 42  # the service's first answer: not a number the player could guess
COVER = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class NotificationService:
    """org.freedesktop.Notifications on the bus at `address`, serving on a thread."""

    def __init__(self, address: str) -> None:
        self._connection = open_dbus_connection(bus=address)
        asked = message_bus.RequestName(SERVICE, DBusNameFlags.do_not_queue)
        assert unwrap_msg(self._connection.send_and_get_reply(asked, timeout=10)) == (1,)
        self.calls: list[tuple[Any, ...]] = []  # Notify's arguments, in order
        self._next = FIRST_ID
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._connection.receive(timeout=0.1)
            except TimeoutError:
                continue
            if message.header.message_type is not MessageType.method_call:
                continue
            member = message.header.fields.get(HeaderFields.member)
            if member == "Notify":
                args = tuple(message.body)
                self.calls.append(args)
                shown = args[1] or self._next
                self._next += 1
                self._connection.send(new_method_return(message, "u", (shown,)))
            elif member == "GetCapabilities":
                caps = ["body", "icon-static"]
                self._connection.send(new_method_return(message, "as", (caps,)))
            else:
                unknown = "org.freedesktop.DBus.Error.UnknownMethod"
                self._connection.send(new_error(message, unknown, "s", (str(member),)))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._connection.close()


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliHome:
    made = make_home(tmp_path, monkeypatch)  # the art cache, the state: the test's own
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    return made


@pytest.fixture
def home(cli_home: CliHome) -> Path:
    return cli_home.root


@pytest.fixture
def daemons(cli_home: CliHome, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    made = make_daemon_home(cli_home, monkeypatch.setenv)
    monkeypatch.setenv("SETLIST_PLAINTEXT_TOKENS", "1")  # no keyring daemon needed
    yield made
    remove_home(made)


@pytest.fixture
def session_bus(home: Path) -> Iterator[SessionBus]:
    with private_session_bus(home / "dbus") as running:
        yield running


@pytest.fixture
def service(
    session_bus: SessionBus, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NotificationService]:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.address)
    running = NotificationService(session_bus.address)
    yield running
    running.close()


def song(name: str, title: str, *, image_url: str | None = None) -> Track:
    return msgspec.structs.replace(
        file_track(media_dir() / "jm" / name),
        title=title,
        artist_name="Somebody",
        album_title="Some Album",
        image_url=image_url,
    )


@contextlib.asynccontextmanager
async def player_with(home: Path, setting: str) -> AsyncIterator[Player]:
    config_file = home / "setlist.toml"
    config_file.write_text(f"[notifications]\nenabled = {setting}\n")
    player = make_player(
        load_config(config_file),
        Catalogs(),
        mpv_options={"ao": "null"},
        store=StateStore(home / "state"),
    )
    await player.start()
    try:
        yield player
    finally:
        await player.close()


@pytest.mark.parametrize(
    ("setting", "display"),
    [('"auto"', ("DISPLAY", ":0")), ('"auto"', ("WAYLAND_DISPLAY", "wayland-0")), ("true", None)],
)
async def test_each_track_change_replaces_the_notification_before(
    home, service, monkeypatch, setting, display
):
    if display is not None:
        monkeypatch.setenv(*display)
    cover_url = "https://images.example/cover.jpg"
    ArtCache().put(cover_url, COVER)  # shown before on the album page: on disk
    cover = ArtCache().path_for(cover_url).as_uri()
    first = song("1002.mp3", "Cover Song", image_url=cover_url)
    second = song("1001.mp3", "Second Song", image_url="https://images.example/never.jpg")
    async with player_with(home, setting) as player:
        await player.add([first, second], where="now")
        await wait_until(lambda: len(service.calls) == 1, within=15)
        app, replaces, icon, title, body, actions, hints, expiry = service.calls[0]
        assert (app, replaces, title, body) == ("setlist", 0, "Cover Song", "Somebody — Some Album")
        assert icon == cover and hints["image-path"] == ("s", cover)
        assert (actions, expiry) == ([], -1)

        began = time.monotonic()
        await player.next()
        await wait_until(lambda: len(service.calls) == 2, within=15)
        assert time.monotonic() - began < 5  # the missing cover is not fetched first
        _, replaces, icon, title, body, _, hints, _ = service.calls[1]
        assert (replaces, title, body) == (FIRST_ID, "Second Song", "Somebody — Some Album")
        assert icon == "" and "image-path" not in hints  # no cover on disk: none shown
    assert len(service.calls) == 2


@pytest.mark.parametrize(("setting", "display"), [("false", ":0"), ('"auto"', None)])
async def test_no_notification_when_off_or_with_no_display(
    home, service, monkeypatch, setting, display
):
    if display is not None:
        monkeypatch.setenv("DISPLAY", display)
    async with player_with(home, setting) as player:
        assert not any(isinstance(c, Notifications) for c in player.companions)
        await player.add([song("1002.mp3", "Cover Song")], where="now")
        await wait_until(lambda: player.position > 0.5, within=15)
        await asyncio.sleep(0.5)  # as long as a notification takes when there is one
    assert service.calls == []


@pytest.mark.parametrize("bus", ["none", "nobody there", "no service"])
async def test_without_a_bus_or_a_service_nothing_is_said_and_nothing_waits(
    home, session_bus, monkeypatch, capfd, bus
):
    monkeypatch.setenv("DISPLAY", ":0")
    if bus == "none":
        monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    elif bus == "nobody there":
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={home / 'no-bus'}")
    else:  # a bus, but no notification service on it
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.address)
    began = time.monotonic()
    async with player_with(home, "true") as player:
        notifying = [c for c in player.companions if isinstance(c, Notifications)]
        assert len(notifying) == (0 if bus == "none" else 1)
        await player.add([song("1002.mp3", "Cover Song")], where="now")
        await wait_until(lambda: player.position > 0.5, within=15)
        await asyncio.sleep(0.5)  # a Notify has had time to be refused
    assert time.monotonic() - began < 10
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_daemon_on_a_desktop_notifies_and_an_attached_app_does_not(daemons, service, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")  # started from a desktop session
    started = daemons.start()
    assert started.returncode == 0, started.stderr
    app = App("-m", "setlist", "--demo")
    try:
        assert app.read_until(ATTACHED), bytes(app.output[-2000:])
        for command in (("add", "track:3005", "track:3000"), ("play",)):
            assert daemons.ctl(*command).returncode == 0
        wait_for(lambda: len(service.calls) == 1, within=15)
        title, body = service.calls[0][3:5]
        assert (title, body) == ("The Long Tone (Extended)", "The Sine Waves — Tone Studies")
        assert daemons.ctl("next").returncode == 0
        wait_for(lambda: len(service.calls) == 2, within=15)
        _, replaces, _, title, *_ = service.calls[1]
        assert (replaces, title) == (FIRST_ID, "Morning Tone")
        time.sleep(1.0)  # time for the app to say it too, were it to
        assert len(service.calls) == 2  # one playing, one notification
        app.press("q")
        assert app.wait() == 0
    finally:
        app.close()
