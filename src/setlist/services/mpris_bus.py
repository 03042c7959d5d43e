"""A connection to the D-Bus session bus that serves method calls, with jeepney.

jeepney has no server objects: a method call is a message like any other, so the
router's filter hands every call addressed to us to a queue, and the caller answers
each one (`reply`, `fail`). Opening is bounded by a deadline and closes what it
opened when it fails, so a bus that accepts but never answers costs nothing.
Loaded only when there is a bus to talk to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageFlag,
    MessageType,
    new_error,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.auth import BEGIN, Authenticator
from jeepney.bus import get_connectable_addresses
from jeepney.bus_messages import DBusNameFlags, message_bus
from jeepney.io.asyncio import DBusConnection, DBusRouter
from jeepney.wrappers import unwrap_msg

log = logging.getLogger(__name__)

PRIMARY_OWNER = 1  # RequestName's answer when the name is ours
CLOSE_DEADLINE = 1.0  # seconds to flush what is left to send when closing


@dataclass(frozen=True)
class Call:
    """An incoming method call."""

    message: Message

    def field(self, name: HeaderFields) -> str:
        return str(self.message.header.fields.get(name, ""))

    @property
    def path(self) -> str:
        return self.field(HeaderFields.path)

    @property
    def interface(self) -> str:
        return self.field(HeaderFields.interface)

    @property
    def member(self) -> str:
        return self.field(HeaderFields.member)

    @property
    def signature(self) -> str:
        return self.field(HeaderFields.signature)

    @property
    def args(self) -> tuple[Any, ...]:
        return tuple(self.message.body)

    @property
    def wants_reply(self) -> bool:
        return not self.message.header.flags & MessageFlag.no_reply_expected


class Bus:
    """One open connection: calls arrive in `calls`; answers and signals go out in order."""

    def __init__(self, connection: DBusConnection) -> None:
        self._connection = connection
        self._router = DBusRouter(connection)
        self.calls: asyncio.Queue[Message] = asyncio.Queue()
        self._filter = self._router.filter(MatchRule(type="method_call"), queue=self.calls)

    @classmethod
    async def open(cls, address: str, deadline: float) -> Bus:
        """Connect to the bus at `address` and say Hello, within `deadline` seconds."""
        path = next(get_connectable_addresses(address))
        async with asyncio.timeout(deadline):
            reader, writer = await asyncio.open_unix_connection(path)
            try:
                authenticator = Authenticator()
                for request in authenticator:
                    writer.write(request)
                    await writer.drain()
                    answer = await reader.read(1024)
                    if not answer:
                        raise EOFError("the bus closed the connection while authenticating")
                    authenticator.feed(answer)
                writer.write(BEGIN)
                await writer.drain()
                bus = cls(DBusConnection(reader, writer))
                try:
                    hello = await bus._router.send_and_get_reply(message_bus.Hello())
                    bus._connection.unique_name = unwrap_msg(hello)[0]
                except BaseException:
                    await bus.close()
                    raise
            except BaseException:
                writer.close()
                raise
        return bus

    async def request_name(self, name: str) -> bool:
        """Own `name` unless someone else does (no queueing for it)."""
        reply = await self._router.send_and_get_reply(
            message_bus.RequestName(name, DBusNameFlags.do_not_queue)
        )
        return bool(unwrap_msg(reply)[0] == PRIMARY_OWNER)

    async def call(
        self,
        address: DBusAddress,
        method: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]:
        """Call `method` of another service; its answer's values (DBusErrorResponse
        when it answers with an error)."""
        reply = await self._router.send_and_get_reply(
            new_method_call(address, method, signature, body)
        )
        return tuple(unwrap_msg(reply))

    async def next_call(self) -> Call:
        """The next call to answer; EOFError once the bus has gone away."""
        # The router reads in a task of its own (jeepney keeps it in `_rcv_task`),
        # which ends when the connection does: a call then never comes.
        receiver: asyncio.Task[None] = self._router._rcv_task
        while True:
            if receiver.done():
                raise EOFError("the session bus closed the connection")
            waiting = asyncio.ensure_future(self.calls.get())
            try:
                await asyncio.wait({waiting, receiver}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiting.cancel()
            if waiting.done() and not waiting.cancelled():
                message = waiting.result()
                if message.header.message_type is MessageType.method_call:
                    return Call(message)

    async def reply(
        self, call: Call, signature: str | None = None, body: tuple[Any, ...] = ()
    ) -> None:
        if call.wants_reply:
            await self._send(new_method_return(call.message, signature, body))

    async def fail(self, call: Call, name: str, message: str) -> None:
        """Answer with the D-Bus error `name`, saying `message`."""
        if call.wants_reply:
            await self._send(new_error(call.message, name, "s", (message,)))

    async def signal(
        self, path: str, interface: str, member: str, signature: str, body: tuple[Any, ...]
    ) -> None:
        emitter = DBusAddress(path, interface=interface)
        await self._send(new_signal(emitter, member, signature, body))

    async def _send(self, message: Message) -> None:
        """Send, or nothing once the bus has gone away (`next_call` tells that)."""
        if self._connection.writer.is_closing() or self._router._rcv_task.done():
            return
        try:
            await self._router.send(message)
        except (OSError, EOFError) as exc:
            log.info("MPRIS: could not send to the session bus: %r", exc)

    async def close(self) -> None:
        self._filter.close()
        with contextlib.suppress(Exception):
            await self._router.__aexit__(None, None, None)
        writer = self._connection.writer
        writer.close()
        try:
            # What is still buffered is flushed first: a bus that stopped reading
            # would hold the player's close forever.
            await asyncio.wait_for(writer.wait_closed(), CLOSE_DEADLINE)
        except TimeoutError:
            writer.transport.abort()
        except Exception as exc:
            log.debug("closing the bus connection: %r", exc)
