"""The freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC) over D-Bus, with jeepney.

keyring's own Secret Service backend goes through SecretStorage, which loads
`cryptography` and its bundled OpenSSL (about 9 MB resident for the life of the
player) to encrypt secrets on their way over the session bus. The session bus
is already private to the user, and the specification allows the "plain"
algorithm for exactly this case, so this client sends them as they are.

Items are stored as keyring stores them (attributes `service`, `username` and
`application`, the same label, the default collection), so a token saved by
either can be read by the other and by `keyring get`.

Each call opens its own connection, like keyring does, since calls come from
short-lived threads (see tokens.KeyringStore).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from jeepney import DBusAddress, DBusErrorResponse, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

BUS_NAME = "org.freedesktop.secrets"
APPLICATION = "Python keyring library"  # what keyring's SecretService backend writes
_SERVICE = DBusAddress(
    "/org/freedesktop/secrets", bus_name=BUS_NAME, interface="org.freedesktop.Secret.Service"
)
_NO_OBJECT = "/"
_ITEM = "org.freedesktop.Secret.Item"
_COLLECTION = "org.freedesktop.Secret.Collection"
_PROMPT = "org.freedesktop.Secret.Prompt"
PROMPT_TIMEOUT = 120.0  # seconds for the user to answer an unlock prompt


class SecretServiceError(Exception):
    """The Secret Service refused or failed a request."""


class SecretServiceLocked(SecretServiceError):
    """The keyring is locked and the user did not unlock it."""


def is_available(bus: str = "SESSION") -> bool:
    """Whether a Secret Service runs on the session bus or can be started there."""
    with _connection(bus) as connection:
        if _call(connection, message_bus.NameHasOwner(BUS_NAME))[0]:
            return True
        return BUS_NAME in _call(connection, message_bus.ListActivatableNames())[0]


class SecretServiceKeyring:
    """get_password / set_password / delete_password, as a keyring backend has them."""

    def __init__(self, bus: str = "SESSION") -> None:
        self._bus = bus

    def get_password(self, service: str, username: str) -> str | None:
        with self._session() as (connection, session):
            # A locked keyring is unlocked first, as keyring does: so the first lookup
            # (tokens.KeyringStore.open) finds out, even when nothing is stored yet.
            _default_collection(connection)
            items = _matching(connection, service, username)
            if not items:
                return None
            item = _preferred(connection, items)
            secret = _call(
                connection, new_method_call(_at(item, _ITEM), "GetSecret", "o", (session,))
            )[0]
            return bytes(secret[2]).decode("utf-8")

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._session() as (connection, session):
            collection = _default_collection(connection)
            properties = {
                f"{_ITEM}.Label": ("s", f"Password for '{username}' on '{service}'"),
                f"{_ITEM}.Attributes": (
                    "a{ss}",
                    {**_query(service, username), "application": APPLICATION},
                ),
            }
            secret = (session, b"", password.encode("utf-8"), "text/plain; charset=utf8")
            message = new_method_call(
                _at(collection, _COLLECTION),
                "CreateItem",
                "a{sv}(oayays)b",
                (properties, secret, True),
            )
            item, prompt = _call(connection, message)
            if item == _NO_OBJECT and not _complete(connection, prompt):
                raise SecretServiceLocked("saving was not allowed")

    def delete_password(self, service: str, username: str) -> None:
        """Delete every item for it (signing out leaves no copy); none is no error."""
        with _connection(self._bus) as connection:
            for item in _matching(connection, service, username):
                (prompt,) = _call(connection, new_method_call(_at(item, _ITEM), "Delete"))
                if prompt != _NO_OBJECT and not _complete(connection, prompt):
                    raise SecretServiceLocked("deleting was not allowed")

    @contextlib.contextmanager
    def _session(self) -> Iterator[tuple[DBusConnection, str]]:
        with _connection(self._bus) as connection:
            _, session = _call(connection, _service("OpenSession", "sv", ("plain", ("s", ""))))
            try:
                yield connection, session
            finally:
                with contextlib.suppress(DBusErrorResponse, OSError):
                    close = new_method_call(
                        DBusAddress(session, BUS_NAME, "org.freedesktop.Secret.Session"), "Close"
                    )
                    _call(connection, close)

    def __repr__(self) -> str:
        return "SecretServiceKeyring()"


@contextlib.contextmanager
def _connection(bus: str) -> Iterator[DBusConnection]:
    try:
        connection = open_dbus_connection(bus=bus)
    except (OSError, KeyError, ValueError, RuntimeError) as exc:
        # KeyError: no DBUS_SESSION_BUS_ADDRESS; ValueError, RuntimeError: an address
        # jeepney cannot parse or a transport it has not (tcp:, launchd:).
        raise SecretServiceError(f"cannot reach the D-Bus session bus ({exc})") from None
    with contextlib.closing(connection):
        yield connection


def _call(connection: DBusConnection, message: Message) -> Any:
    try:
        return unwrap_msg(connection.send_and_get_reply(message))
    except DBusErrorResponse as exc:
        raise SecretServiceError(f"{exc.name}: {' '.join(map(str, exc.data))}".strip()) from None


def _service(method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> Message:
    return new_method_call(_SERVICE, method, signature, body)


def _at(path: str, interface: str) -> DBusAddress:
    return DBusAddress(path, bus_name=BUS_NAME, interface=interface)


def _query(service: str, username: str) -> dict[str, str]:
    return {"service": service, "username": username}


def _matching(connection: DBusConnection, service: str, username: str) -> list[str]:
    """The items stored for service and username, unlocked."""
    query = _service("SearchItems", "a{ss}", (_query(service, username),))
    unlocked, locked = _call(connection, query)
    return [*unlocked, *_unlock(connection, locked)]


def _preferred(connection: DBusConnection, items: list[str]) -> str:
    """Of several items, one setlist (or keyring) saved: another tool may have added one
    without the application attribute, which saving does not replace."""
    for item in items if len(items) > 1 else ():
        get = new_method_call(
            _at(item, "org.freedesktop.DBus.Properties"), "Get", "ss", (_ITEM, "Attributes")
        )
        if _call(connection, get)[0][1].get("application") == APPLICATION:
            return item
    return items[0]


def _unlock(connection: DBusConnection, paths: list[str]) -> list[str]:
    """The given objects unlocked, asking the user through the service's prompt if needed."""
    if not paths:
        return []
    unlocked, prompt = _call(connection, _service("Unlock", "ao", (paths,)))
    if unlocked:
        return list(unlocked)
    if prompt == _NO_OBJECT or not _complete(connection, prompt):
        raise SecretServiceLocked("the keyring is locked")
    return list(paths)


def _default_collection(connection: DBusConnection) -> str:
    (path,) = _call(connection, _service("ReadAlias", "s", ("default",)))
    if path == _NO_OBJECT:
        properties = {f"{_COLLECTION}.Label": ("s", "Default keyring")}
        path, prompt = _call(
            connection, _service("CreateCollection", "a{sv}s", (properties, "default"))
        )
        if path == _NO_OBJECT:
            if not _complete(connection, prompt):
                raise SecretServiceError("creating the default keyring was not allowed")
            (path,) = _call(connection, _service("ReadAlias", "s", ("default",)))
    locked = _call(
        connection,
        new_method_call(
            _at(path, "org.freedesktop.DBus.Properties"), "Get", "ss", (_COLLECTION, "Locked")
        ),
    )[0][1]
    if locked:
        _unlock(connection, [path])
    return path  # type: ignore[no-any-return]  # a D-Bus object path (str); jeepney is untyped


def _complete(connection: DBusConnection, prompt: str) -> bool:
    """Show the service's prompt and wait for the user; False if they dismissed it or
    did not answer within PROMPT_TIMEOUT (the prompt is then withdrawn)."""
    rule = MatchRule(type="signal", interface=_PROMPT, member="Completed", path=prompt)
    _call(connection, message_bus.AddMatch(rule))
    with connection.filter(rule) as signals:
        _call(connection, new_method_call(_at(prompt, _PROMPT), "Prompt", "s", ("",)))
        try:
            dismissed, _result = connection.recv_until_filtered(
                signals, timeout=PROMPT_TIMEOUT
            ).body
        except TimeoutError:
            with contextlib.suppress(SecretServiceError):
                _call(connection, new_method_call(_at(prompt, _PROMPT), "Dismiss"))
            return False
    return not dismissed
