"""The scrobbler: Last.fm's rules on the player's clock, the spool on disk, and
sending it to the demo's Last.fm (offline, rate limited, ignored, signed out)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from setlist.core.models import Track
from setlist.core.queue import QueueEntry, RepeatMode
from setlist.core.scrobbles import Scrobble
from setlist.demo.lastfm_scrobble import state
from setlist.demo.server import DemoServer
from setlist.playback.events import NowPlaying, PlayerEvent, Progress, StateChanged
from setlist.providers.lastfm.scrobbling import ScrobbleClient
from setlist.services.demo_identity import LASTFM_DEMO_API_KEY, LASTFM_DEMO_API_SECRET
from setlist.services.scrobbling import SIGN_IN_AGAIN, Credentials, Scrobbler
from setlist.store.config import ScrobbleConfig
from setlist.store.scrobble_spool import Spool
from setlist.store.tokens import KeyringUnavailable
from waiting import wait_until


class Events:
    """Stands in for the player's event source: the test says what the player tells."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[PlayerEvent], None]] = []

    def subscribe(self, callback: Callable[[PlayerEvent], None]) -> Callable[[], None]:
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    def tell(self, *events: PlayerEvent) -> None:
        for event in events:
            for listener in list(self._listeners):
                listener(event)


def track(n: int, duration: float | None = 40.0, provider: str = "jamendo") -> Track:
    return Track(
        provider=provider,
        id=str(n),
        title=f"Song {n}",
        artist_name="Ana",
        album_title="First",
        duration=duration,
    )


def playing(paused: bool = False) -> StateChanged:
    return StateChanged(
        playing=True, paused=paused, volume=100, muted=False, shuffle=False, repeat=RepeatMode.OFF
    )


def start(events: Events, n: int, duration: float | None = 40.0, provider: str = "jamendo") -> None:
    entry = QueueEntry(id=f"e{n}", track=track(n, duration, provider))
    events.tell(NowPlaying(entry), playing())


def ticks(events: Events, first: float, last: float, duration: float | None = 40.0) -> None:
    """Progress every second from `first` to `last`, as the player tells it."""
    second = first
    while second <= last:
        events.tell(Progress(second, duration))
        second += 1.0


class Home:
    def __init__(self, server: DemoServer, folder: Path) -> None:
        self.server = server
        self.spool = Spool(folder)
        self.session: str | None = None
        self.told: list[str] = []

    async def sign_in(self) -> None:
        async with self.client(self.credentials()) as client:
            token = await client.get_token()
            async with httpx.AsyncClient() as browser:
                (await browser.get(client.auth_page(token))).raise_for_status()
            self.session = (await client.get_session(token)).key

    def credentials(self) -> Credentials:
        return Credentials(
            self.server.lastfm_url,
            self.server.lastfm_auth_url,
            LASTFM_DEMO_API_KEY,
            LASTFM_DEMO_API_SECRET,
            self.session,
        )

    def client(self, credentials: Credentials) -> ScrobbleClient:
        return ScrobbleClient(
            credentials.base_url,
            credentials.api_key,
            credentials.api_secret,
            auth_url=credentials.auth_url,
        )

    def scrobbler(self, config: ScrobbleConfig | None = None) -> Scrobbler:
        async def credentials() -> Credentials:
            return self.credentials()

        return Scrobbler(
            config or ScrobbleConfig(),
            self.spool,
            credentials,
            self.client,
            notify=self.told.append,
            first_backoff=0.2,
            max_backoff=0.5,
        )

    def received(self) -> list[tuple[str, str, int]]:
        return state(self.server.ctx).received()


@pytest.fixture
async def home(fresh_server: DemoServer, tmp_path: Path) -> AsyncIterator[Home]:
    h = Home(fresh_server, tmp_path / "spool")
    await h.sign_in()
    yield h


@pytest.fixture
async def running(home: Home) -> AsyncIterator[tuple[Events, Scrobbler]]:
    events = Events()
    scrobbler = home.scrobbler()
    scrobbler.attach(events)  # type: ignore[arg-type]  # only subscribe is used
    yield events, scrobbler
    await scrobbler.close()


def titles(home: Home) -> list[str]:
    return [t for _, t, _ in home.received()]


# -- the rules, on the player's clock


async def test_a_40_s_track_scrobbles_after_20_s_of_listening(
    home: Home, running: tuple[Events, Scrobbler]
) -> None:
    events, _ = running
    start(events, 1)
    ticks(events, 0, 19)
    await wait_until(lambda: state(home.server.ctx).now_playing, within=5)
    assert state(home.server.ctx).now_playing[-1]["track"] == "Song 1"
    await asyncio.sleep(0.3)  # a moment for anything wrongly sent
    assert titles(home) == [] and home.spool.count() == 0
    ticks(events, 20, 20)
    await wait_until(lambda: home.received(), within=5)
    assert titles(home) == ["Song 1"]
    ticks(events, 21, 39)
    start(events, 2)  # the next track: Song 1 is not scrobbled again
    await asyncio.sleep(0.3)  # a moment for anything wrongly sent
    assert titles(home) == ["Song 1"]


async def test_pauses_and_seeks_do_not_count(home: Home, running: tuple[Events, Scrobbler]) -> None:
    events, _ = running
    start(events, 1)
    ticks(events, 0, 10)  # 10 s listened
    events.tell(playing(paused=True))
    ticks(events, 10, 15)  # paused: positions told (a seek while paused), not listened
    events.tell(playing())
    events.tell(Progress(30.0, 40.0))  # a seek forward
    ticks(events, 31, 39)  # 9 s more: 19 s in all, short of 20
    await asyncio.sleep(0.5)  # a moment for anything wrongly sent
    assert titles(home) == [] and home.spool.count() == 0
    events.tell(Progress(10.0, 40.0))  # back, by seeking
    ticks(events, 11, 12)  # 2 s more: 21 s listened
    await wait_until(lambda: home.received(), within=5)
    assert titles(home) == ["Song 1"]


async def test_short_tracks_never_and_long_tracks_at_four_minutes(
    home: Home, running: tuple[Events, Scrobbler]
) -> None:
    events, _ = running
    start(events, 1, duration=30.0)
    ticks(events, 0, 30, duration=30.0)
    start(events, 2, duration=600.0)
    ticks(events, 0, 239, duration=600.0)
    await asyncio.sleep(0.3)  # a moment for anything wrongly sent
    assert titles(home) == []
    ticks(events, 240, 240, duration=600.0)
    await wait_until(lambda: home.received(), within=5)
    assert titles(home) == ["Song 2"]


async def test_a_provider_switched_off_is_not_scrobbled(home: Home) -> None:
    events = Events()
    scrobbler = home.scrobbler(ScrobbleConfig(providers=["yourmusic"]))
    scrobbler.attach(events)  # type: ignore[arg-type]
    try:
        start(events, 1, provider="jamendo")
        ticks(events, 0, 39)
        start(events, 2, provider="yourmusic")
        ticks(events, 0, 39)
        await wait_until(lambda: home.received(), within=5)
        await asyncio.sleep(0.3)  # a moment for anything wrongly sent
        assert titles(home) == ["Song 2"]
        assert [n["track"] for n in state(home.server.ctx).now_playing] == ["Song 2"]
    finally:
        await scrobbler.close()


# -- the spool


async def test_offline_scrobbles_wait_on_disk_then_arrive_once_in_order(
    home: Home, running: tuple[Events, Scrobbler]
) -> None:
    events, _ = running
    fault = home.server.faults.add("/lastfm/2.0/*", "unreachable")
    for n in range(1, 4):
        start(events, n)
        ticks(events, 0, 39)
    await wait_until(lambda: home.spool.count() == 3, within=5)
    await wait_until(lambda: home.spool.status().last_error, within=5)
    assert "Could not reach Last.fm" in (home.spool.status().last_error or "")
    assert home.received() == []
    home.server.faults.clear()
    assert fault.hits >= 1
    await wait_until(lambda: home.spool.count() == 0, within=10)
    assert titles(home) == ["Song 1", "Song 2", "Song 3"]
    status = home.spool.status()
    assert status.sent_total == 3 and status.last_sent_at is not None


async def test_more_than_50_go_in_batches_oldest_first(home: Home) -> None:
    now = int(time.time()) - 7200
    for n in reversed(range(120)):  # kept newest first: sent oldest first all the same
        home.spool.add(Scrobble(id=f"s{n}", artist="Ana", track=f"T{n}", timestamp=now + n))
    scrobbler = home.scrobbler()
    scrobbler.attach(Events())  # type: ignore[arg-type]
    try:
        await wait_until(lambda: home.spool.count() == 0, within=10)
    finally:
        await scrobbler.close()
    assert titles(home) == [f"T{n}" for n in range(120)]
    assert state(home.server.ctx).calls == 3


async def test_rate_limit_backs_off_then_sends(
    home: Home, running: tuple[Events, Scrobbler]
) -> None:
    events, _ = running
    home.server.faults.add("/lastfm/2.0/*", "lastfm_code", code=29, times=2)
    start(events, 1)
    ticks(events, 0, 39)
    await wait_until(lambda: home.received(), within=10)
    assert titles(home) == ["Song 1"]
    assert "limiting" in (home.spool.status().last_error or "")


async def test_ignored_scrobbles_are_reported_not_retried(home: Home) -> None:
    old = int(time.time()) - 30 * 86400
    home.spool.add(Scrobble(id="old", artist="Ana", track="Ancient", timestamp=old))
    scrobbler = home.scrobbler()
    scrobbler.attach(Events())  # type: ignore[arg-type]
    try:
        await wait_until(lambda: home.spool.count() == 0, within=5)
    finally:
        await scrobbler.close()
    assert home.received() == []
    [note] = home.spool.status().ignored
    assert (note.track, note.code) == ("Ancient", 3)
    assert "too old" in note.reason


async def test_an_invalid_session_asks_to_sign_in_again_once(home: Home) -> None:
    home.session = "revoked"
    events = Events()
    scrobbler = home.scrobbler()
    scrobbler.attach(events)  # type: ignore[arg-type]
    try:
        for n in (1, 2):
            start(events, n)
            ticks(events, 0, 39)
        await wait_until(lambda: home.spool.count() == 2, within=5)
        await wait_until(lambda: home.spool.status().needs_sign_in, within=5)
        assert home.told == [SIGN_IN_AGAIN]
        assert "setlist login lastfm" in SIGN_IN_AGAIN
        # Signed in again: the next scrobble sends all that waited.
        await home.sign_in()
        start(events, 3)
        ticks(events, 0, 39)
        await wait_until(lambda: home.spool.count() == 0, within=10)
    finally:
        await scrobbler.close()
    assert titles(home) == ["Song 1", "Song 2", "Song 3"]
    assert not home.spool.status().needs_sign_in


async def test_nothing_is_kept_when_nobody_signed_in(home: Home) -> None:
    home.session = None
    events = Events()
    scrobbler = home.scrobbler()
    scrobbler.attach(events)  # type: ignore[arg-type]
    try:
        start(events, 1)
        ticks(events, 0, 39)
        await asyncio.sleep(0.5)  # a moment for a scrobble to be written, if it were
    finally:
        await scrobbler.close()
    assert home.spool.count() == 0 and home.received() == []
    assert state(home.server.ctx).now_playing == []


async def test_repeat_one_scrobbles_each_playing(
    home: Home, running: tuple[Events, Scrobbler]
) -> None:
    events, _ = running
    for _ in range(2):  # the same entry, announced again when it starts over
        start(events, 1)
        ticks(events, 0, 39)
    # Both sent (in the test they start within the same second, which Last.fm, and so
    # the demo, would count once; a real repeat starts a track's length later).
    await wait_until(lambda: state(home.server.ctx).offered == 2, within=5)
    assert titles(home) == ["Song 1"]


async def test_a_keyring_that_cannot_be_read_keeps_the_scrobbles_of_a_scrobbler(
    home: Home,
) -> None:
    failing = {"now": False}
    events = Events()

    async def credentials() -> Credentials:
        if failing["now"]:
            raise KeyringUnavailable("The system keyring is locked and was not unlocked")
        return home.credentials()

    scrobbler = Scrobbler(ScrobbleConfig(), home.spool, credentials, home.client, first_backoff=0.2)
    scrobbler.attach(events)  # type: ignore[arg-type]
    try:
        start(events, 1)
        ticks(events, 0, 39)
        await wait_until(lambda: home.received(), within=5)  # it has scrobbled before
        failing["now"] = True
        start(events, 2)
        ticks(events, 0, 39)
        await wait_until(lambda: home.spool.count() == 1, within=5)
        failing["now"] = False
        start(events, 3)
        ticks(events, 0, 39)
        await wait_until(lambda: len(home.received()) == 3, within=10)
    finally:
        await scrobbler.close()
    assert titles(home) == ["Song 1", "Song 2", "Song 3"]


async def test_a_keyring_that_never_worked_keeps_nothing(home: Home) -> None:
    async def credentials() -> Credentials:
        raise KeyringUnavailable("No system keyring")

    events = Events()
    scrobbler = Scrobbler(ScrobbleConfig(), home.spool, credentials, home.client)
    scrobbler.attach(events)  # type: ignore[arg-type]
    try:
        start(events, 1)
        ticks(events, 0, 39)
        await asyncio.sleep(0.5)  # a moment for a scrobble to be written, if it were
    finally:
        await scrobbler.close()
    assert home.spool.count() == 0


async def test_a_batch_refused_as_invalid_is_set_aside_and_the_rest_go(home: Home) -> None:
    now = int(time.time()) - 3600
    home.spool.add(Scrobble(id="bad", artist="", track="No artist", timestamp=now))
    damaged = home.spool.folder / f"{now + 1:012d}-0-garbled.json"
    damaged.write_bytes(b"{not json")
    scrobbler = home.scrobbler()
    events = Events()
    scrobbler.attach(events)  # type: ignore[arg-type]
    try:
        await wait_until(lambda: home.spool.status().last_error, within=5)
        start(events, 1)
        ticks(events, 0, 39)
        await wait_until(lambda: home.received(), within=10)
    finally:
        await scrobbler.close()
    assert titles(home) == ["Song 1"]
    assert home.spool.count() == 0
    assert "set aside" in (home.spool.status().last_error or "")
    [rejected] = (home.spool.folder / "rejected").iterdir()
    assert rejected.name.endswith("-bad.json")
    assert (home.spool.folder / "damaged" / damaged.name).read_bytes() == b"{not json"
