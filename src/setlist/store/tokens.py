"""Where credentials live: the OS keyring, an opted-in 0600 file, or the environment.

`open_secret_store(config)` is the one entry point: the keyring when one works,
else the plain file when the user opted in, else KeyringUnavailable with the way
out. Either way an EnvOverlay on top lets SETLIST_<PROVIDER>_TOKEN and
SETLIST_<PROVIDER>_CLIENT_SECRET supply a credential instead (read-only).

No secret ever reaches a log line, an error message or a repr.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import logging
import os
import re
import stat
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from setlist.core.errors import SetlistError
from setlist.store import paths
from setlist.store.atomic import write_atomic
from setlist.store.config import plaintext_tokens_from_env

try:
    import fcntl
except ImportError:  # Windows: FileStore has only its thread lock there
    fcntl = None  # type: ignore[assignment]  # the module or None, tested before use

if TYPE_CHECKING:
    from setlist.core.protocols import SecretStore
    from setlist.store.config import Config

log = logging.getLogger(__name__)

SERVICE = "setlist"
DEFAULT_TIMEOUT = 5.0
TOKENS_FILE = "tokens.json"
CLIENT_ACCOUNT_PREFIX = "client:"
_PROBE_USERNAME = "setlist:probe"
_ENV_CREDENTIAL = re.compile(r"^SETLIST_[A-Z0-9_]+_(TOKEN|CLIENT_SECRET)$")

T = TypeVar("T")


class SecretStoreError(SetlistError):
    """A credential could not be read or written."""


class KeyringUnavailable(SecretStoreError):
    """No working OS keyring, and the user has not opted in to the plain file.

    `reason` is what happened, alone; the message adds how to opt in to the file.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


def client_account(client_id: str) -> str:
    """The account a provider's client secret is stored under (device mode)."""
    return f"{CLIENT_ACCOUNT_PREFIX}{client_id}"


def env_variable(provider: str, account: str) -> str:
    """The variable that supplies this credential: ..._CLIENT_SECRET or ..._TOKEN."""
    name = re.sub(r"[^A-Z0-9]+", "_", provider.upper())
    kind = "CLIENT_SECRET" if account.startswith(CLIENT_ACCOUNT_PREFIX) else "TOKEN"
    return f"SETLIST_{name}_{kind}"


def open_secret_store(
    config: Config,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> SecretStore:
    """The keyring if one works, else the opted-in file, else KeyringUnavailable.

    With no keyring and no opt-in, credentials given in the environment still
    work: the store is returned and only touching a credential that is not in
    the environment raises KeyringUnavailable.
    """
    env = os.environ if env is None else env
    inner: SecretStore
    try:
        inner = KeyringStore.open(timeout=timeout)
    except KeyringUnavailable as exc:
        if config.store.plaintext_tokens or plaintext_tokens_from_env(env):
            log.info("no usable keyring (%s); using the opted-in token file", exc.reason)
            inner = FileStore()
        elif any(_ENV_CREDENTIAL.match(name) and value for name, value in env.items()):
            inner = _Unavailable(exc)
        else:
            raise
    return EnvOverlay(inner, env)


def _unavailable(reason: str) -> KeyringUnavailable:
    state = paths.state_dir() / TOKENS_FILE
    return KeyringUnavailable(
        f"{reason}, so setlist cannot keep sign-in tokens in it. "
        f"To keep them in a plain file readable only by you ({state}) instead, set "
        f"plaintext_tokens = true under [store] in {paths.config_file()}, "
        f"or SETLIST_PLAINTEXT_TOKENS=1.",
        reason=reason,
    )


class _Outcome:
    __slots__ = ("error", "value")

    def __init__(self) -> None:
        self.value: Any = None
        self.error: BaseException | None = None


def _start(fn: Callable[[], Any], name: str) -> tuple[threading.Thread, _Outcome]:
    outcome = _Outcome()

    def target() -> None:
        try:
            outcome.value = fn()
        except BaseException as exc:
            outcome.error = exc

    # A daemon thread: one stuck in D-Bus must not keep setlist from exiting.
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread, outcome


NO_KEYRING = (
    "No system keyring was found (on Linux, a Secret Service such as "
    "GNOME Keyring or KWallet running on the D-Bus session bus)"
)


def _discover() -> _Backend:
    """The backend to use; a reason string in KeyringUnavailable if none is usable.

    On Linux the Secret Service is used directly (see secret_service) unless the
    user chose a keyring backend; otherwise, and when there is no Secret Service
    (KWallet without it, other systems), keyring's own choice.
    """
    if sys.platform.startswith("linux") and not _keyring_chosen():
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and _only_keyrings_own_backends():
            raise _unavailable(NO_KEYRING)
        from setlist.store import secret_service

        try:
            if secret_service.is_available():
                return secret_service.SecretServiceKeyring()
        except secret_service.SecretServiceError as exc:
            log.debug("no Secret Service: %s", exc)
    import keyring
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    backend = keyring.get_keyring()
    if isinstance(backend, keyring.backends.null.Keyring):
        raise _unavailable("The keyring is switched off (keyring's null backend is configured)")
    if isinstance(backend, keyring.backends.fail.Keyring) or (
        isinstance(backend, keyring.backends.chainer.ChainerBackend) and not backend.backends
    ):
        raise _unavailable(NO_KEYRING)
    return backend


def _keyring_chosen() -> bool:
    """Whether the user (or a test) picked a keyring backend: then keyring decides."""
    core = sys.modules.get("keyring.core")  # keyring itself is imported only when needed
    if os.environ.get("PYTHON_KEYRING_BACKEND") or getattr(core, "_keyring_backend", None):
        return True
    # keyring.util.platform_.config_root() on Linux, without importing keyring.
    config_root = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return (Path(config_root) / "python_keyring" / "keyringrc.cfg").exists()


def _only_keyrings_own_backends() -> bool:
    """keyring's own backends need D-Bus on Linux; a third-party one (keyrings.alt) may not."""
    installed = importlib.metadata.entry_points(group="keyring.backends")
    return all(e.value.startswith("keyring.backends.") for e in installed)


class _Backend(Protocol):
    """What KeyringStore uses of a keyring backend."""

    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


class KeyringStore:
    """Secrets in the OS keyring: service "setlist", username "provider:account".

    Every keyring call runs in a daemon thread and is given `timeout` seconds: a
    hung D-Bus call raises KeyringUnavailable instead of hanging setlist. While a
    call that timed out is still stuck, later calls fail at once rather than pile
    up more stuck threads. (A locked keyring whose unlock prompt is still waiting
    for the user also runs into the timeout; the next call works once unlocked.)
    """

    def __init__(self, backend: _Backend, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._backend = backend
        self._timeout = timeout
        self._lock = threading.Lock()
        self._stuck: threading.Thread | None = None

    @classmethod
    def open(cls, *, timeout: float = DEFAULT_TIMEOUT) -> KeyringStore:
        """The system keyring, checked with one lookup; KeyringUnavailable if it does not work."""
        thread, outcome = _start(_discover, "setlist-keyring-discover")
        thread.join(timeout)
        if thread.is_alive():
            raise _unavailable(f"The system keyring did not answer within {timeout:g} s")
        if isinstance(outcome.error, KeyringUnavailable):
            raise outcome.error
        if outcome.error is not None:
            raise _unavailable(f"The system keyring failed: {_describe(outcome.error)}")
        store = cls(outcome.value, timeout=timeout)
        store._call("checking the keyring", store._backend.get_password, SERVICE, _PROBE_USERNAME)
        return store

    def load(self, provider: str, account: str) -> str | None:
        username = _username(provider, account)
        return self._call("reading a credential", self._backend.get_password, SERVICE, username)

    def save(self, provider: str, account: str, secret: str) -> None:
        username = _username(provider, account)
        self._call(
            "saving a credential",
            self._backend.set_password,
            SERVICE,
            username,
            secret,
            secret=secret,
        )

    def delete(self, provider: str, account: str) -> None:
        username = _username(provider, account)
        with contextlib.suppress(_NothingToDelete):
            self._call("deleting a credential", self._backend.delete_password, SERVICE, username)

    def _call(self, what: str, fn: Callable[..., T], *args: str, secret: str | None = None) -> T:
        with self._lock:
            if self._stuck is not None and self._stuck.is_alive():
                raise _unavailable(
                    "The system keyring is still stuck on an earlier request that did not "
                    f"answer within {self._timeout:g} s"
                )
            thread, outcome = _start(lambda: fn(*args), "setlist-keyring")
            thread.join(self._timeout)
            if thread.is_alive():
                self._stuck = thread
                raise _unavailable(
                    f"The system keyring did not answer within {self._timeout:g} s ({what})"
                )
            self._stuck = None
        error = outcome.error
        if error is None:
            return outcome.value  # type: ignore[no-any-return]  # what fn returned, a T
        if _raised(error, "keyring.errors", "PasswordDeleteError"):
            raise _NothingToDelete from None
        if _raised(error, "keyring.errors", "KeyringLocked") or _raised(
            error, "setlist.store.secret_service", "SecretServiceLocked"
        ):
            raise _unavailable(f"The system keyring is locked and was not unlocked ({what})")
        raise _unavailable(f"The system keyring failed ({what}): {_describe(error, secret)}")

    def __repr__(self) -> str:
        kind = type(self._backend)
        return f"KeyringStore({kind.__module__}.{kind.__qualname__}, timeout={self._timeout:g})"


class _NothingToDelete(Exception):
    """keyring's PasswordDeleteError: there was no such credential."""


def _raised(error: BaseException, module: str, name: str) -> bool:
    """Whether `error` is module.name, without importing a module not yet loaded."""
    kind = getattr(sys.modules.get(module), name, None)
    return kind is not None and isinstance(error, kind)


def _username(provider: str, account: str) -> str:
    return f"{provider}:{account}"


def _describe(error: BaseException, secret: str | None = None) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if secret:
        text = text.replace(secret, "***")
    return text


class FileStore:
    """Secrets in a JSON file in the state dir, mode 0600: only when the user opted in.

    Every change rewrites the file atomically (a new 0600 file renamed over the
    old one) under a lock, so two setlist processes do not lose each other's
    tokens. Creating the file logs a warning that tokens are kept in a plain file,
    as `docker login` does: once, when it happens, not at every start of a command.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.state_dir() / TOKENS_FILE
        self._lock = threading.Lock()

    def load(self, provider: str, account: str) -> str | None:
        with self._locked():
            return self._read().get(provider, {}).get(account)

    def save(self, provider: str, account: str, secret: str) -> None:
        with self._locked():
            secrets = self._read()
            secrets.setdefault(provider, {})[account] = secret
            self._write(secrets)

    def delete(self, provider: str, account: str) -> None:
        with self._locked():
            secrets = self._read()
            if account not in secrets.get(provider, {}):
                return
            del secrets[provider][account]
            if not secrets[provider]:
                del secrets[provider]
            self._write(secrets)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            if fcntl is None:
                yield
                return
            lock_file = self.path.with_name(self.path.name + ".lock")
            try:
                paths.ensure_dir(self.path.parent)
                fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise SecretStoreError(f"cannot lock {lock_file}: {exc.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            with self.path.open("rb") as file:
                self._tighten(os.fstat(file.fileno()).st_mode)
                data = file.read()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise SecretStoreError(f"cannot read {self.path}: {exc.strerror}") from None
        try:
            document = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError):
            # The decoder's message quotes the file; only say where it broke.
            raise self._damaged() from None
        secrets = document.get("secrets") if isinstance(document, dict) else None
        if not isinstance(secrets, dict) or not all(
            isinstance(accounts, dict) and all(isinstance(v, str) for v in accounts.values())
            for accounts in secrets.values()
        ):
            raise self._damaged()
        return secrets

    def _write(self, secrets: dict[str, dict[str, str]]) -> None:
        data = json.dumps({"version": 1, "secrets": secrets}, indent=2).encode("utf-8")
        new = not self.path.exists()
        try:
            write_atomic(self.path, data, mode=0o600)
            if os.name == "posix":
                mode = stat.S_IMODE(self.path.stat().st_mode)
                if mode != 0o600:
                    self.path.chmod(0o600)
                    mode = stat.S_IMODE(self.path.stat().st_mode)
                if mode != 0o600:
                    raise SecretStoreError(
                        f"{self.path} has mode {mode:o} and could not be made private (600)"
                    )
        except OSError as exc:
            raise SecretStoreError(f"cannot write {self.path}: {exc.strerror}") from None
        if new:
            log.warning(
                "sign-in tokens are now kept in a plain file, %s (readable only by you), "
                "because plaintext_tokens is on: anyone who can read your files or "
                "backups can use them",
                self.path,
            )

    def _tighten(self, mode: int) -> None:
        if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
            self.path.chmod(0o600)
            log.warning("%s was readable by other users; it is now private (600)", self.path)

    def _damaged(self) -> SecretStoreError:
        return SecretStoreError(
            f"the token file {self.path} is damaged; delete it and sign in again"
        )

    def __repr__(self) -> str:
        return f"FileStore({str(self.path)!r})"


class EnvOverlay:
    """Credentials from the environment first; everything else from `inner`.

    SETLIST_<PROVIDER>_TOKEN answers every account of that provider, and
    SETLIST_<PROVIDER>_CLIENT_SECRET the client secret (see client_account). The
    value is returned as it is. Such a credential is read-only: saving or deleting
    it is ignored, since the environment will supply it again next time.
    """

    def __init__(self, inner: SecretStore, env: Mapping[str, str] | None = None) -> None:
        self.inner = inner
        self._env = os.environ if env is None else env

    def load(self, provider: str, account: str) -> str | None:
        value = self._env.get(env_variable(provider, account))
        if value:
            return value
        return self.inner.load(provider, account)

    def save(self, provider: str, account: str, secret: str) -> None:
        if self._from_env(provider, account):
            return
        self.inner.save(provider, account, secret)

    def delete(self, provider: str, account: str) -> None:
        if self._from_env(provider, account):
            return
        self.inner.delete(provider, account)

    def _from_env(self, provider: str, account: str) -> bool:
        variable = env_variable(provider, account)
        if self._env.get(variable):
            log.debug("%s:%s comes from %s; not changing it", provider, account, variable)
            return True
        return False

    def __repr__(self) -> str:
        return f"EnvOverlay({self.inner!r})"


class _Unavailable:
    """Stands in for the keyring when there is none: raises its error on every use."""

    def __init__(self, error: KeyringUnavailable) -> None:
        self._error = error

    def load(self, provider: str, account: str) -> str | None:
        raise self._fresh()

    def save(self, provider: str, account: str, secret: str) -> None:
        raise self._fresh()

    def delete(self, provider: str, account: str) -> None:
        raise self._fresh()

    def _fresh(self) -> KeyringUnavailable:
        return KeyringUnavailable(self._error.message, reason=self._error.reason)

    def __repr__(self) -> str:
        return "KeyringUnavailable()"
