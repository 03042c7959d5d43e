"""Last.fm scrobbling for whichever process plays: the daemon, the app without a
daemon, `setlist play`. An app attached to a daemon has no player of its own and
so never scrobbles: one playing is scrobbled once.

The scrobbler listens to the player's events and counts listening time with the
player's clock: the positions it reports while playing. A pause stops the count;
a seek (a jump in position) adds nothing. Once a track longer than 30 s has been
listened to for half its length or 4 minutes, its scrobble goes to the spool on
disk, and a sender sends the spool in batches of up to 50, oldest first, backing
off while Last.fm cannot be reached or is limiting requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from setlist.core.errors import (
    AuthenticationError,
    InvalidRequest,
    ProviderError,
    RateLimited,
    SetlistError,
)
from setlist.core.models import Track
from setlist.core.scrobbles import BATCH, Ignored, Scrobble, listened_enough
from setlist.playback.events import NowPlaying, PlayerEvent, PlayerEvents, Progress, StateChanged
from setlist.providers.lastfm.errors import SessionInvalid
from setlist.providers.lastfm.scrobbling import ScrobbleClient
from setlist.store import paths
from setlist.store.scrobble_spool import ScrobbleStatus, Spool, ignored_note

if TYPE_CHECKING:
    from setlist.core.protocols import SecretStore
    from setlist.playback.player import Player
    from setlist.services.catalogs import Services
    from setlist.services.player import Catalogs
    from setlist.store.config import ScrobbleConfig

log = logging.getLogger(__name__)

LASTFM_SECRET_ACCOUNT = "api_secret"
LASTFM_SESSION_ACCOUNT = "session"
MAX_STEP = 2.5  # seconds between two positions that still count as listening, not a seek
FIRST_BACKOFF = 5.0
MAX_BACKOFF = 600.0
SIGN_IN_AGAIN = (
    "Last.fm no longer accepts setlist's session: scrobbles are kept until you "
    "sign in again with `setlist login lastfm`."
)


@dataclass(frozen=True)
class Credentials:
    base_url: str
    auth_url: str
    api_key: str
    api_secret: str
    session_key: str | None  # None: nobody signed in for scrobbling

    def __repr__(self) -> str:
        return f"Credentials({self.base_url!r}, signed_in={self.session_key is not None})"


def spool_for(demo: bool) -> Spool:
    """The demo's scrobbles are kept apart from real ones."""
    return Spool(paths.state_dir() / ("scrobbles-demo" if demo else "scrobbles"))


def lastfm_credentials(services: Services) -> Credentials | None:
    """What scrobbling needs, from the config and the credential store (blocking:
    call it on a thread). None without an API key and secret."""
    from setlist.services.catalogs import LASTFM_ACCOUNT
    from setlist.services.demo_identity import LASTFM_DEMO_API_KEY, LASTFM_DEMO_API_SECRET

    secrets: SecretStore = services.secrets
    key = load_secret(secrets, LASTFM_ACCOUNT)
    secret = load_secret(secrets, LASTFM_SECRET_ACCOUNT)
    base_url, auth_url = lastfm_urls(services)
    if services.demo_endpoints is not None:
        key, secret = key or LASTFM_DEMO_API_KEY, secret or LASTFM_DEMO_API_SECRET
    else:
        key = services.config.lastfm.api_key or key
    if not key or not secret:
        return None
    session = load_secret(secrets, LASTFM_SESSION_ACCOUNT)
    return Credentials(base_url, auth_url, key, secret, session or None)


def lastfm_urls(services: Services) -> tuple[str, str]:
    """Last.fm's API and the page where the user allows setlist (the demo's in demo mode)."""
    endpoints = services.demo_endpoints
    if endpoints is not None:
        return endpoints.lastfm_url, demo_auth_url(endpoints.lastfm_url)
    return services.config.lastfm.base_url, services.config.lastfm.auth_url


class SignIn:
    """The desktop sign-in, for `setlist login lastfm` and the Accounts screen:
    `begin` gets a token and the address to open (anywhere: it works over SSH),
    `finish` asks for the session once the user has allowed it and keeps the
    secret and the session key in the credential store."""

    def __init__(self, services: Services, api_key: str, api_secret: str) -> None:
        base_url, auth_url = lastfm_urls(services)
        self.services = services
        self._secret = api_secret
        account = Credentials(base_url, auth_url, api_key, api_secret, None)
        self._client = client_for(services, account)
        self._token: str | None = None

    async def begin(self) -> str:
        """The address the user opens to allow setlist to scrobble."""
        self._token = await self._client.get_token()
        return self._client.auth_page(self._token)

    async def finish(self) -> str:
        """The Last.fm user name, once the session is kept. TokenNotAuthorized while the
        user has not allowed it yet."""
        if self._token is None:
            raise RuntimeError("SignIn.finish before begin")
        session = await self._client.get_session(self._token)
        secrets = self.services.secrets

        def keep() -> None:
            secrets.save("lastfm", LASTFM_SECRET_ACCOUNT, self._secret)
            secrets.save("lastfm", LASTFM_SESSION_ACCOUNT, session.key)

        await asyncio.to_thread(keep)
        await asyncio.to_thread(_signed_in_again, self.services)
        return session.name

    async def aclose(self) -> None:
        await self._client.aclose()


def _signed_in_again(services: Services) -> None:
    """A new session: the status stops asking for a sign-in."""
    spool = spool_for(services.demo)
    status = spool.status()
    if status.needs_sign_in:
        status.needs_sign_in = False
        spool.save_status(status)


def load_secret(secrets: SecretStore, account: str) -> str | None:
    """SecretStoreError when the store cannot be read: not the same as signed out."""
    return secrets.load("lastfm", account)


def demo_auth_url(lastfm_url: str) -> str:
    """The demo's stand-in for https://www.last.fm/api/auth/ (see demo.lastfm_scrobble)."""
    return lastfm_url.rstrip("/").removesuffix("/2.0") + "/api/auth/"


def client_for(services: Services, credentials: Credentials) -> ScrobbleClient:
    from setlist.services.catalogs import deadlines

    return ScrobbleClient(
        credentials.base_url,
        credentials.api_key,
        credentials.api_secret,
        auth_url=credentials.auth_url,
        deadlines=deadlines(services.config),
    )


class ListeningClock:
    """Seconds listened to the playing track, by the player's positions."""

    def __init__(self, position: float = 0.0) -> None:
        self.listened = 0.0
        self._last = position

    def moved(self, position: float, *, playing: bool) -> None:
        step = position - self._last
        if playing and 0.0 < step <= MAX_STEP:
            self.listened += step
        self._last = position


class _Listen:
    def __init__(self, track: Track, position: float) -> None:
        self.track = track
        self.started = int(time.time() - position)
        self.clock = ListeningClock(position)
        self.duration = track.duration
        self.scrobbled = False


class Scrobbler:
    """Turns a player's events into scrobbles on disk, and sends them."""

    def __init__(
        self,
        config: ScrobbleConfig,
        spool: Spool,
        credentials: Callable[[], Awaitable[Credentials | None]],
        make_client: Callable[[Credentials], ScrobbleClient],
        *,
        notify: Callable[[str], None] | None = None,
        first_backoff: float = FIRST_BACKOFF,
        max_backoff: float = MAX_BACKOFF,
    ) -> None:
        self.config = config
        self.spool = spool
        self._credentials = credentials
        self._make_client = make_client
        self._notify = notify
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self._listen: _Listen | None = None
        self._playing = False
        self._kick = asyncio.Event()
        self._writes: set[asyncio.Task[None]] = set()  # scrobbles being kept: awaited on close
        self._calls: set[asyncio.Task[None]] = set()  # now playing: dropped on close
        self._sender: asyncio.Task[None] | None = None
        self._client: tuple[Credentials, ScrobbleClient] | None = None
        self._rejected_session: str | None = None
        self._told_sign_in = False
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, player: PlayerEvents) -> None:
        self._unsubscribe = player.subscribe(self.on_event)
        self._sender = asyncio.create_task(self._send_loop(), name="scrobble-sender")
        self._kick.set()  # what an earlier run left in the spool

    async def close(self) -> None:
        """Stop listening; scrobbles already earned are on disk before this returns."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        for call in list(self._calls):
            call.cancel()
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
        if self._client is not None:
            await self._client[1].aclose()

    # -- listening

    def on_event(self, event: PlayerEvent) -> None:
        match event:
            case NowPlaying(entry=entry):
                # Each announcement is a new playing, the same entry too (repeat one): the
                # player resumes a rescued stream without one.
                self._listen = None
                if entry is not None and self._wanted(entry.track):
                    self._listen = _Listen(entry.track, 0.0)
                    self._spawn(self._now_playing(entry.track), self._calls)
            case StateChanged(playing=playing, paused=paused):
                self._playing = playing and not paused
            case Progress(position=position, duration=duration):
                listen = self._listen
                if listen is None:
                    return
                listen.clock.moved(position, playing=self._playing)
                if duration:
                    listen.duration = duration
                if not listen.scrobbled and listened_enough(listen.clock.listened, listen.duration):
                    listen.scrobbled = True
                    self._spawn(self._keep(_scrobble_of(listen)))

    def _wanted(self, track: Track) -> bool:
        return bool(track.artist_name and track.title) and track.provider in self.config.providers

    def _spawn(self, work: Awaitable[None], tasks: set[asyncio.Task[None]] | None = None) -> None:
        group = self._writes if tasks is None else tasks
        task = asyncio.ensure_future(work)
        group.add(task)
        task.add_done_callback(group.discard)

    async def _keep(self, scrobble: Scrobble) -> None:
        try:
            credentials = await self._credentials()
        except SetlistError as exc:
            # The keyring cannot say now (locked, stuck): kept if setlist has scrobbled
            # before, since a sign-in is then likely; not where no keyring ever worked.
            status = await asyncio.to_thread(self.spool.status)
            if status.last_sent_at is None and not status.needs_sign_in:
                log.debug("no Last.fm sign-in readable (%s): not scrobbled", exc)
                return
            log.info("cannot read the Last.fm sign-in (%s); keeping the scrobble", exc)
        else:
            if credentials is None or credentials.session_key is None:
                # Never signed in: nothing is kept (it would only pile up, and be too old
                # for Last.fm by the time of a sign-in). A refused session still has its key.
                log.debug("not signed in to Last.fm: “%s” is not scrobbled", scrobble.track)
                return
        try:
            await asyncio.to_thread(self.spool.add, scrobble)
        except OSError as exc:
            log.error("cannot keep the scrobble of “%s”: %s", scrobble.track, exc)
            return
        log.info("scrobble kept: %s – %s", scrobble.artist, scrobble.track)
        self._kick.set()

    async def _now_playing(self, track: Track) -> None:
        ready = await self._ready()
        if ready is None:
            return
        client, session_key = ready
        try:
            await client.update_now_playing(session_key, _scrobble_of(_Listen(track, 0.0)))
            self._kick.set()  # Last.fm answers (a new sign-in, say): send what waits
        except SessionInvalid:
            await self._session_refused(session_key)
        except SetlistError as exc:  # now playing is not retried: it is over soon anyway
            log.info("Last.fm did not take “now playing”: %s", exc)

    # -- sending

    async def _ready(self) -> tuple[ScrobbleClient, str] | None:
        """The client and the session key, when signed in with a session not refused."""
        try:
            credentials = await self._credentials()
        except SetlistError as exc:
            log.info("no Last.fm credentials: %s", exc)
            return None
        if credentials is None or credentials.session_key is None:
            return None
        if credentials.session_key == self._rejected_session:
            return None
        if self._client is None or self._client[0] != credentials:
            if self._client is not None:
                await self._client[1].aclose()
            self._client = (credentials, self._make_client(credentials))
        return self._client[1], credentials.session_key

    async def _send_loop(self) -> None:
        delay: float | None = None
        failures = 0
        while True:
            if delay is None:
                await self._kick.wait()
            else:
                # Backing off: a new scrobble does not cut the wait short.
                await asyncio.sleep(delay)
            self._kick.clear()
            try:
                retry = await self._send_all()
            except Exception:
                log.exception("sending scrobbles failed")
                retry = True
            failures = failures + 1 if retry else 0
            delay = None
            if retry:
                delay = min(self._max_backoff, self._first_backoff * 2 ** (failures - 1))

    async def _send_all(self) -> bool:
        """Send the whole spool; True when it should be tried again later."""
        if not await asyncio.to_thread(self.spool.count):
            return False
        ready = await self._ready()
        if ready is None:
            return False  # signed out: kept until a sign-in (checked on the next scrobble)
        client, session_key = ready
        with self.spool.sending() as mine:
            if not mine:
                return True  # another process sends this spool now
            while batch := await asyncio.to_thread(self.spool.oldest, BATCH):
                try:
                    result = await client.scrobble(session_key, [s for _, s in batch])
                except SessionInvalid:
                    await self._session_refused(session_key)
                    return False
                except AuthenticationError as exc:
                    await self._failed(str(exc))
                    return True
                except InvalidRequest as exc:
                    # The same batch would be refused forever and hold up the rest.
                    files = [path for path, _ in batch]
                    folder = await asyncio.to_thread(self.spool.reject, files)
                    await self._failed(f"{exc} {len(files)} scrobble(s) set aside in {folder}.")
                    continue
                except ProviderError as exc:
                    said = "Last.fm is limiting requests" if isinstance(exc, RateLimited) else exc
                    await self._failed(f"{said}; scrobbles are kept and sent later.")
                    return True
                await asyncio.to_thread(self.spool.remove, [path for path, _ in batch])
                await self._sent(len(batch), result.ignored)
        return False

    async def _sent(self, count: int, ignored: tuple[Ignored, ...]) -> None:
        now = time.time()
        for one in ignored:
            log.warning(
                "Last.fm ignored the scrobble of %s – %s: %s (code %d)",
                one.scrobble.artist,
                one.scrobble.track,
                one.reason,
                one.code,
            )

        def update(status: ScrobbleStatus) -> None:
            status.last_sent_at = now
            status.last_sent_count = count
            status.sent_total += count
            status.needs_sign_in = False
            status.ignored.extend(ignored_note(one, now) for one in ignored)

        await self._update_status(update)
        log.info("%d scrobble(s) sent to Last.fm (%d ignored)", count, len(ignored))

    async def _failed(self, message: str) -> None:
        log.info("scrobbles not sent: %s", message)

        def update(status: ScrobbleStatus) -> None:
            status.last_error = message
            status.last_error_at = time.time()

        await self._update_status(update)

    async def _session_refused(self, session_key: str) -> None:
        self._rejected_session = session_key
        # Told before any await: now playing and the sender may both be refused at once.
        if not self._told_sign_in:
            self._told_sign_in = True
            log.info("%s", SIGN_IN_AGAIN)  # said to the user through `notify`
            if self._notify is not None:
                self._notify(SIGN_IN_AGAIN)
        await self._failed(SIGN_IN_AGAIN)

        def update(status: ScrobbleStatus) -> None:
            status.needs_sign_in = True

        await self._update_status(update)

    async def _update_status(self, change: Callable[[ScrobbleStatus], None]) -> None:
        def apply() -> None:
            status = self.spool.status()
            change(status)
            self.spool.save_status(status)

        await asyncio.to_thread(apply)


def _scrobble_of(listen: _Listen) -> Scrobble:
    track = listen.track
    duration = listen.duration
    return Scrobble(
        id=uuid.uuid4().hex,
        artist=track.artist_name,
        track=track.title,
        album=track.album_title,
        timestamp=listen.started,
        duration=round(duration) if duration else None,
        provider=str(track.provider),
    )


def start_scrobbling(
    services: Services, player: PlayerEvents, *, notify: Callable[[str], None] | None = None
) -> Scrobbler | None:
    """Scrobble what `player` plays (None when scrobbling is switched off). Call it
    only in the process that plays: never for a daemon's remote player."""
    config = services.config.scrobble
    if not config.enabled:
        return None

    async def credentials() -> Credentials | None:
        return await asyncio.to_thread(lastfm_credentials, services)

    scrobbler = Scrobbler(
        config,
        spool_for(services.demo),
        credentials,
        lambda c: client_for(services, c),
        notify=notify,
    )
    scrobbler.attach(player)
    return scrobbler


class Scrobbling:
    """Scrobbling as a companion of the player (services.player.companions): it
    starts and stops with the player. The app starts its player while its catalogs
    are still opening: scrobbling then begins once they are open."""

    def __init__(self, catalogs: Catalogs) -> None:
        self._catalogs = catalogs
        self._waiting: asyncio.Task[None] | None = None
        self.scrobbler: Scrobbler | None = None

    def start(self, player: Player) -> None:
        if self._catalogs.services is not None:
            self._begin(self._catalogs.services, player)
        else:
            self._waiting = asyncio.create_task(self._when_open(player), name="scrobbling")

    async def _when_open(self, player: Player) -> None:
        await self._catalogs.opened.wait()
        if self._catalogs.services is not None:
            self._begin(self._catalogs.services, player)

    def _begin(self, services: Services, player: Player) -> None:
        self.scrobbler = start_scrobbling(services, player, notify=player.tell)

    async def close(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._waiting
        if self.scrobbler is not None:
            await self.scrobbler.close()
            self.scrobbler = None
