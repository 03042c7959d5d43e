"""Secret stores for two special cases: no keyring at all, and the demo's own namespace.

- `MemoryStore`: credentials kept for this process only (the demo without a keyring).
- `NoKeyring`: nothing stored, and saving says why (no keyring, no opt-in file);
  guests can still browse, and credentials from the environment still work.
- `DemoSecrets`: the demo's credentials in the same store as the real ones, under
  provider names with a "-demo" suffix ("yourmusic-demo:current" in the keyring),
  so a demo sign-in can never replace or be mistaken for a real one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from setlist.core.protocols import SecretStore
    from setlist.store.tokens import KeyringUnavailable

DEMO_SUFFIX = "-demo"
# Which demo server the stored demo credentials were issued by (see DemoSecrets.claim).
_SERVER_PROVIDER = "setlist" + DEMO_SUFFIX
_SERVER_ACCOUNT = "server"


class MemoryStore:
    """A SecretStore in a dict: forgotten when the process ends."""

    def __init__(self) -> None:
        self._secrets: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def load(self, provider: str, account: str) -> str | None:
        with self._lock:
            return self._secrets.get((provider, account))

    def save(self, provider: str, account: str, secret: str) -> None:
        with self._lock:
            self._secrets[(provider, account)] = secret

    def delete(self, provider: str, account: str) -> None:
        with self._lock:
            self._secrets.pop((provider, account), None)

    def __repr__(self) -> str:
        return "MemoryStore()"


class NoKeyring:
    """Stands in for a keyring that is not there: holds nothing, refuses to keep anything."""

    def __init__(self, problem: KeyringUnavailable) -> None:
        self.problem = problem

    def load(self, provider: str, account: str) -> str | None:
        return None

    def save(self, provider: str, account: str, secret: str) -> None:
        raise self.problem

    def delete(self, provider: str, account: str) -> None:
        return None

    def __repr__(self) -> str:
        return "NoKeyring()"


class DemoSecrets:
    """The demo's credentials inside another store, under "<provider>-demo" names."""

    def __init__(self, inner: SecretStore) -> None:
        self.inner = inner

    def load(self, provider: str, account: str) -> str | None:
        return self.inner.load(provider + DEMO_SUFFIX, account)

    def save(self, provider: str, account: str, secret: str) -> None:
        self.inner.save(provider + DEMO_SUFFIX, account, secret)

    def delete(self, provider: str, account: str) -> None:
        self.inner.delete(provider + DEMO_SUFFIX, account)

    def claim(self, server_instance: str) -> None:
        """Tie the stored demo sign-ins to this demo server, dropping those of another.

        A demo server keeps its sessions in memory, so tokens issued by another
        instance (an earlier run) are dead: they are removed rather than sent.
        """
        if self.inner.load(_SERVER_PROVIDER, _SERVER_ACCOUNT) == server_instance:
            return
        current = self.load("yourmusic", "current")
        if current:
            self.delete("yourmusic", current)
        self.delete("yourmusic", "current")
        self.delete("jamendo", "default")
        self.inner.save(_SERVER_PROVIDER, _SERVER_ACCOUNT, server_instance)

    def __repr__(self) -> str:
        return f"DemoSecrets({self.inner!r})"
