"""Talking to the daemon: `DaemonClient` (requests, replies, pushed events) and `find_daemon`.

`RemotePlayer` (in `setlist.daemon.remote`, also importable from here) is the
Player-shaped layer over a client that the app is handed instead of a Player.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from setlist.core.errors import SetlistError
from setlist.daemon.instance import find_daemon, log_file, socket_path
from setlist.daemon.protocol import encode
from setlist.playback.events import PlayerEvent

log = logging.getLogger(__name__)

__all__ = [  # and RemotePlayer, loaded on first use (it imports this module)
    "DaemonClient",
    "DaemonConnectionLost",
    "DaemonError",
    "DaemonNotAnswering",
    "DaemonNotRunning",
    "DaemonRequestError",
    "find_daemon",
]

CONNECT_TIMEOUT = 5.0
# How long `setlist ctl` waits for a reply. Longer than the slowest command takes while
# the daemon works (a play resolving a stream within its HTTP deadlines, a final save).
REPLY_TIMEOUT = 60.0
REPLY_LIMIT = 256 * 1024 * 1024  # a line from the daemon: a whole queue can be long
R = TypeVar("R")

NOT_RUNNING = "no daemon is running (start one with `setlist daemon`)"


class DaemonError(SetlistError):
    """Base of the errors of talking to the daemon."""


class DaemonNotRunning(DaemonError):
    def __init__(self, message: str = NOT_RUNNING) -> None:
        super().__init__(message)


class DaemonConnectionLost(DaemonError):
    def __init__(self, message: str = "the connection to the setlist daemon was lost") -> None:
        super().__init__(message)


class DaemonNotAnswering(DaemonError):
    """The daemon took the connection but sent no reply within the deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the daemon accepted the connection but did not answer within {seconds:g} s; "
            f"it may be stuck: see its log, {log_file()}"
        )


class DaemonRequestError(DaemonError):
    """The daemon answered a request with an error; `code` is the protocol's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


_event_decoder = msgspec.json.Decoder(PlayerEvent)


class DaemonClient:
    """One connection. Requests may overlap; replies are matched by id."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        path: Path,
        *,
        reply_timeout: float | None = None,
    ) -> None:
        self.path = path
        self.reply_timeout = reply_timeout  # None: wait for replies as long as it takes
        self._reader = reader
        self._writer = writer
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._listeners: list[Callable[[PlayerEvent], None]] = []
        self._on_close: list[Callable[[], None]] = []
        self._closed = asyncio.Event()
        self._reading = asyncio.create_task(self._read_loop(), name="daemon-client")

    @classmethod
    async def connect(
        cls, path: Path | None = None, *, reply_timeout: float | None = None
    ) -> DaemonClient:
        """Connect to the daemon at `path` (default: this user's); DaemonNotRunning if none.

        With `reply_timeout`, a request whose reply takes longer raises DaemonNotAnswering.
        """
        path = path or socket_path()
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                reader, writer = await asyncio.open_unix_connection(str(path), limit=REPLY_LIMIT)
        except (FileNotFoundError, ConnectionRefusedError):
            raise DaemonNotRunning() from None
        except TimeoutError:
            raise DaemonError(f"the daemon at {path} does not accept connections") from None
        except OSError as exc:
            raise DaemonError(f"cannot connect to the daemon at {path}: {exc.strerror}") from None
        return cls(reader, writer, path, reply_timeout=reply_timeout)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    async def request(self, cmd: str, args: dict[str, Any] | None = None) -> Any:
        """Send a request; its result (decoded JSON), or DaemonRequestError."""
        if self.closed:
            raise DaemonConnectionLost()
        request_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        message: dict[str, Any] = {"id": request_id, "cmd": cmd}
        if args:
            message["args"] = args
        try:
            self._writer.write(encode(message))
            await self._writer.drain()
        except (ConnectionError, OSError):
            self._pending.pop(request_id, None)
            raise DaemonConnectionLost() from None
        if self.reply_timeout is None:
            return await future
        try:
            async with asyncio.timeout(self.reply_timeout):
                return await future
        except TimeoutError:
            self._pending.pop(request_id, None)
            raise DaemonNotAnswering(self.reply_timeout) from None

    async def call(self, cmd: str, kind: type[R], args: dict[str, Any] | None = None) -> R:
        """`request`, its result converted to `kind` (a protocol Struct)."""
        result = await self.request(cmd, args)
        try:
            return msgspec.convert(result, kind)
        except msgspec.ValidationError as exc:
            raise DaemonError(
                f"the daemon sent a {cmd} result setlist cannot read: {exc}"
            ) from None

    def on_event(self, callback: Callable[[PlayerEvent], None]) -> Callable[[], None]:
        """Call `callback` with every pushed event (after a `subscribe` request)."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call `callback` once when the connection ends, whichever side ended it."""
        self._on_close.append(callback)

    def events(self) -> AsyncIterator[PlayerEvent]:
        """Every pushed event from now until the connection closes (listening starts at
        this call, not at the first iteration: send `subscribe` after it)."""
        inbox: asyncio.Queue[PlayerEvent | None] = asyncio.Queue()
        unsubscribe = self.on_event(inbox.put_nowait)
        self.on_close(lambda: inbox.put_nowait(None))
        if self.closed:
            inbox.put_nowait(None)
        return _drain(inbox, unsubscribe)

    async def wait_closed(self) -> None:
        await self._closed.wait()

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(Exception):
            await self._writer.wait_closed()
        self._reading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reading
        self._finish()

    async def __aenter__(self) -> DaemonClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- reading

    async def _read_loop(self) -> None:
        try:
            while line := await self._reader.readline():
                self._dispatch(line)
        except (ConnectionError, OSError, ValueError) as exc:  # ValueError: a line over the limit
            log.debug("the daemon connection failed: %s", exc)
        finally:
            self._finish()

    def _dispatch(self, line: bytes) -> None:
        if line.startswith(b'{"event":'):  # the daemon writes the tag first: decode once
            self._deliver(line)
            return
        try:
            message = msgspec.json.decode(line)
        except msgspec.DecodeError:
            log.warning("the daemon sent a line that is not JSON")
            return
        if not isinstance(message, dict):
            return
        if "event" in message:
            self._deliver(line)
            return
        future = self._reply_future(message.get("id"))
        if future is None or future.done():
            return
        if message.get("ok"):
            future.set_result(message.get("result"))
        else:
            error = message.get("error") or {}
            future.set_exception(
                DaemonRequestError(
                    str(error.get("code", "failed")), str(error.get("message", "request failed"))
                )
            )

    def _reply_future(self, request_id: object) -> asyncio.Future[Any] | None:
        if isinstance(request_id, int) and request_id in self._pending:
            return self._pending.pop(request_id)
        # A reply without a usable id (forbidden, too_large): it answers the oldest request.
        if request_id is None and self._pending:
            oldest = min(self._pending)
            return self._pending.pop(oldest)
        return None

    def _deliver(self, line: bytes) -> None:
        try:
            event = _event_decoder.decode(line)
        except msgspec.MsgspecError as exc:
            log.debug("skipped an event setlist cannot read: %s", exc)
            return
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a daemon event listener failed")

    def _finish(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(DaemonConnectionLost())
        self._pending.clear()
        for callback in self._on_close:
            try:
                callback()
            except Exception:
                log.exception("a daemon close listener failed")


async def tell_credentials_changed(within: float = 5.0) -> str | None:
    """Have a running daemon read the stored sign-ins again (`setlist login`, `logout`).

    None when it heard, or when no daemon runs; else what to tell the user.
    """
    try:
        async with asyncio.timeout(within):
            async with await DaemonClient.connect() as client:
                await client.request("credentials.changed")
    except DaemonNotRunning:
        return None
    except (DaemonError, TimeoutError) as exc:
        problem = str(exc) or "it did not answer"
        return (
            f"The running daemon could not be told of the change ({problem}); it keeps "
            "the sign-in it had until restarted (setlist ctl quit, then setlist daemon)."
        )
    return None


async def _drain(
    inbox: asyncio.Queue[PlayerEvent | None], unsubscribe: Callable[[], None]
) -> AsyncIterator[PlayerEvent]:
    try:
        while (event := await inbox.get()) is not None:
            yield event
    finally:
        unsubscribe()


def __getattr__(name: str) -> Any:
    # RemotePlayer lives in `remote`, which imports this module.
    if name == "RemotePlayer":
        from setlist.daemon.remote import RemotePlayer

        return RemotePlayer
    raise AttributeError(name)
