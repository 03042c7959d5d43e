"""The control socket: connections, framing, peer checks, and events pushed to subscribers.

Nothing a client does can hold up the player: replies and events are written to
the connection's transport without waiting (asyncio buffers them), and a client
whose unread output passes `OUTBOX_BYTES` is dropped. A connection's requests run
one at a time, so its replies come in order, after the events their commands caused.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import socket
from typing import Any

from setlist.daemon.commands import Commands, listing
from setlist.daemon.instance import LISTEN_BACKLOG, peer_pid, peer_uid
from setlist.daemon.protocol import (
    MAX_REQUEST_BYTES,
    OUTBOX_BYTES,
    ErrorCode,
    NoArgs,
    RequestError,
    SubscribeArgs,
    convert_args,
    decode_request,
    encode,
    error_reply,
    reply,
    request_id_of,
    with_queue,
)
from setlist.playback.events import NowPlaying, PlayerEvent, Progress, QueueChanged

log = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
CLOSE_GRACE = 1.0  # seconds to flush replies to clients when the daemon stops


class Connection:
    def __init__(
        self,
        server: DaemonServer,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        number: int,
    ) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.number = number
        self.name = f"client {number}"
        self.subscribed = False
        self.progress = True
        self.with_queue = False
        self.closed = False

    def send(self, data: bytes) -> None:
        """Queue `data` for the client; never waits. A client that stopped reading goes."""
        if self.closed:
            return
        transport = self.writer.transport
        if transport.is_closing():
            self.closed = True
            return
        transport.write(data)
        if transport.get_write_buffer_size() > OUTBOX_BYTES:
            log.warning("%s is not reading its replies; disconnecting it", self.name)
            self.abort()

    def abort(self) -> None:
        self.closed = True
        self.subscribed = False
        self.writer.transport.abort()

    async def serve(self) -> None:
        sock: socket.socket = self.writer.get_extra_info("socket")
        if peer_uid(sock) != os.geteuid():
            log.warning("refused a connection from another user (pid %s)", peer_pid(sock))
            self.send(error_reply(None, ErrorCode.FORBIDDEN, "this daemon belongs to another user"))
            await self._close()
            return
        self.name = f"client {self.number} (pid {peer_pid(sock)})"
        log.debug("%s connected", self.name)
        try:
            await self._read_lines()
        except (ConnectionError, OSError) as exc:
            log.debug("%s went away: %s", self.name, exc)
        finally:
            self.subscribed = False
            await self._close()
            log.debug("%s disconnected", self.name)

    async def _read_lines(self) -> None:
        buffer = bytearray()
        scanned = 0  # no newline before this offset of `buffer`
        skipping = False  # inside a line already answered with too_large
        while not self.closed:
            chunk = await self.reader.read(READ_CHUNK)
            if not chunk:
                return
            buffer += chunk
            while not self.closed:
                end = buffer.find(b"\n", scanned)
                if end < 0:
                    scanned = len(buffer)
                    if len(buffer) > MAX_REQUEST_BYTES:
                        if not skipping:
                            self._too_large()
                        skipping = True
                        buffer.clear()
                        scanned = 0
                    break
                line = bytes(buffer[:end])
                del buffer[: end + 1]
                scanned = 0
                if skipping:
                    skipping = False
                elif len(line) > MAX_REQUEST_BYTES:
                    self._too_large()
                elif line.strip():
                    await self._handle(line)

    def _too_large(self) -> None:
        limit = MAX_REQUEST_BYTES // (1024 * 1024)
        self.send(
            error_reply(None, ErrorCode.TOO_LARGE, f"a request line is limited to {limit} MiB")
        )

    async def _handle(self, line: bytes) -> None:
        request_id = None
        try:
            request = decode_request(line)
            request_id = request.id
            answer = reply(request_id, await self._run(request.cmd, request.args))
        except RequestError as exc:
            request_id = request_id if request_id is not None else request_id_of(line)
            answer = error_reply(request_id, exc.code, exc.message)
        except Exception:
            log.exception("%s: the daemon failed on a request", self.name)
            answer = error_reply(request_id, ErrorCode.INTERNAL, "the daemon failed; see its log")
        self.send(answer)

    async def _run(self, cmd: str, args: dict[str, Any]) -> Any:
        if cmd == "subscribe":
            options = convert_args(args, SubscribeArgs)
            self.progress, self.with_queue = options.progress, options.queue
            self.subscribed = True
            return self.server.commands.current_status()
        if cmd == "unsubscribe":
            convert_args(args, NoArgs)
            self.subscribed = False
            return {}
        return await self.server.commands.run(cmd, args)

    async def _close(self) -> None:
        self.closed = True
        self.writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.writer.wait_closed(), CLOSE_GRACE)


class DaemonServer:
    def __init__(self, commands: Commands) -> None:
        self.commands = commands
        self.player = commands.player
        self._connections: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._numbers = itertools.count(1)
        self._server: asyncio.AbstractServer | None = None
        self._unsubscribe = self.player.subscribe(self._on_player_event)

    async def start(self, sock: socket.socket) -> None:
        """Listen on `sock`, instead of the socket before it (connections stay)."""
        previous = self._server
        self._server = await asyncio.start_unix_server(
            self._on_connect, sock=sock, limit=READ_CHUNK, backlog=LISTEN_BACKLOG
        )
        if previous is not None:
            previous.close()

    async def close(self) -> None:
        """Stop listening and hang up; what was written to clients is still flushed."""
        self._unsubscribe()
        if self._server is not None:
            self._server.close()
        for connection in list(self._connections):
            connection.subscribed = False
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=CLOSE_GRACE)
        for connection in list(self._connections):
            connection.abort()

    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = Connection(self, reader, writer, next(self._numbers))
        # Served in a task of our own, which close() may cancel: on Python 3.11 the task
        # asyncio runs this callback in must not end cancelled (it logs an error).
        task = asyncio.create_task(connection.serve(), name=connection.name)
        self._connections.add(connection)
        self._tasks.add(task)
        try:
            await asyncio.wait([task])
        finally:
            self._connections.discard(connection)
            self._tasks.discard(task)

    # -- events

    def _on_player_event(self, event: PlayerEvent) -> None:
        listeners = [c for c in self._connections if c.subscribed and not c.closed]
        if isinstance(event, Progress):
            # The player reports once a second of audio (and at a seek): each goes out.
            listeners = [c for c in listeners if c.progress]
        if not listeners:
            return
        bare: bytes | None = None
        full: bytes | None = None
        for connection in listeners:
            if connection.with_queue and isinstance(event, NowPlaying | QueueChanged):
                # Taken now, in the event's moment: the state a reply after it must follow.
                full = full or encode(with_queue(event, listing(self.player)))
                connection.send(full)
            else:
                bare = bare or encode(event)
                connection.send(bare)
