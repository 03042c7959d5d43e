"""Credential stores: the real Secret Service, the opted-in file, the environment, hangs."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.backends.SecretService
import keyring.core
import pytest
import secretstorage
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from keyring_service import (
    SecretService,
    forget_keyring_backends,
    lock_default_collection,
    stored_items,
)
from setlist.store.config import Config, StoreConfig, load_config
from setlist.store.tokens import (
    NO_KEYRING,
    EnvOverlay,
    FileStore,
    KeyringStore,
    KeyringUnavailable,
    SecretStoreError,
    client_account,
    open_secret_store,
)

TOKEN = '{"access_token": "eyJ-very-secret-access", "refresh_token": "rt-very-secret"}'
OPTED_IN = Config(store=StoreConfig(plaintext_tokens=True))


class MemoryKeyring(KeyringBackend):
    # keyring discovers every KeyringBackend subclass: a priority below zero keeps
    # these out of its automatic choice (and its chainer); tests set them explicitly.
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


class HangingKeyring(MemoryKeyring):
    """Answers nothing until released (60 s at most), like a D-Bus call that never returns."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(60)
        return None


class LeakyKeyring(MemoryKeyring):
    """Fails with the secret in its error message, as a careless backend might."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"cannot store {password!r} for {username}")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Own config and state dirs, no SETLIST_* variables, keyring re-detected per test."""
    for name in list(os.environ):
        if name.startswith("SETLIST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)


@pytest.fixture
def hanging() -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    yield backend
    backend.release.set()


def tokens_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "setlist" / "tokens.json"


# The real Secret Service


def test_no_session_bus_means_no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A server, a container, cron: no D-Bus session bus to find a Secret Service on.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    forget_keyring_backends()
    try:
        with pytest.raises(KeyringUnavailable, match="No system keyring was found"):
            open_secret_store(load_config())
    finally:
        forget_keyring_backends()


def test_without_a_session_bus_the_keyring_backends_are_not_even_loaded(tmp_path: Path) -> None:
    # Over SSH with no D-Bus: said at once, without loading SecretStorage and its crypto.
    script = (
        "import sys\n"
        "from setlist.store.config import Config\n"
        "from setlist.store.tokens import KeyringUnavailable, open_secret_store\n"
        "try:\n"
        "    open_secret_store(Config(), env={})\n"
        "except KeyringUnavailable as exc:\n"
        "    print(exc.reason)\n"
        "print(sorted({'keyring', 'secretstorage', 'cryptography'} & set(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if "KEYRING" not in k and "DBUS" not in k}
    env["XDG_CONFIG_HOME"] = str(tmp_path)  # no keyringrc.cfg
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.stdout.splitlines() == [NO_KEYRING, "[]"], done.stderr


def test_tokens_are_kept_in_the_secret_service(secret_service: object) -> None:
    store = open_secret_store(load_config())
    assert isinstance(store, EnvOverlay)
    assert isinstance(store.inner, KeyringStore)

    store.save("yourmusic", "me@example.com", TOKEN)
    assert store.load("yourmusic", "me@example.com") == TOKEN

    # Really in the Secret Service, under service "setlist", username provider:account.
    fresh = keyring.backends.SecretService.Keyring()
    assert fresh.get_password("setlist", "yourmusic:me@example.com") == TOKEN
    assert store.load("jamendo", "me@example.com") is None

    store.delete("yourmusic", "me@example.com")
    assert store.load("yourmusic", "me@example.com") is None
    assert (
        keyring.backends.SecretService.Keyring().get_password("setlist", "yourmusic:me@example.com")
        is None
    )
    store.delete("yourmusic", "me@example.com")  # deleting twice is not an error


def test_a_new_process_finds_the_token(secret_service: object) -> None:
    open_secret_store(load_config()).save("jamendo", "listener", TOKEN)
    keyring.core._keyring_backend = None  # as a new run of setlist would start
    assert open_secret_store(load_config()).load("jamendo", "listener") == TOKEN


def test_a_token_saved_by_keyrings_own_backend_is_found(secret_service: object) -> None:
    # Tokens saved by earlier versions, or with `keyring set setlist yourmusic:me`.
    keyring.backends.SecretService.Keyring().set_password("setlist", "yourmusic:me", TOKEN)
    store = open_secret_store(load_config())
    assert store.load("yourmusic", "me") == TOKEN
    store.delete("yourmusic", "me")
    assert keyring.backends.SecretService.Keyring().get_password("setlist", "yourmusic:me") is None


def test_the_secret_service_is_used_without_loading_keyrings_crypto(
    secret_service: SecretService,
) -> None:
    # keyring's SecretStorage backend would keep cryptography's OpenSSL resident.
    script = (
        "import sys\n"
        "from setlist.store.config import Config\n"
        "from setlist.store.tokens import open_secret_store\n"
        "store = open_secret_store(Config(), env={})\n"
        "store.save('jamendo', 'listener', 'a-token')\n"
        "print(store.load('jamendo', 'listener'))\n"
        "print(sorted({'keyring', 'secretstorage', 'cryptography'} & set(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if "KEYRING" not in k}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.stdout.splitlines() == ["a-token", "[]"], done.stderr
    assert keyring.backends.SecretService.Keyring().get_password("setlist", "jamendo:listener") == (
        "a-token"
    )


def test_a_locked_keyring_is_reported_and_the_token_is_kept(secret_service: SecretService) -> None:
    store = open_secret_store(load_config())
    store.save("yourmusic", "me", TOKEN)
    lock_default_collection(secret_service.address)
    # Unlocking needs the user at a prompt; with no one there it is dismissed.
    with pytest.raises(KeyringUnavailable, match="locked and was not unlocked"):
        store.load("yourmusic", "me")
    with pytest.raises(KeyringUnavailable, match="locked and was not unlocked"):
        store.save("yourmusic", "me", "another token")
    items = stored_items(secret_service.address)
    assert items == [{"service": "setlist", "username": "yourmusic:me"}]


def test_a_locked_keyring_falls_back_to_the_opted_in_file(
    secret_service: SecretService, tmp_path: Path
) -> None:
    lock_default_collection(secret_service.address)
    with pytest.raises(KeyringUnavailable, match="locked and was not unlocked"):
        open_secret_store(load_config())
    store = open_secret_store(OPTED_IN)
    assert isinstance(store, EnvOverlay) and isinstance(store.inner, FileStore)
    store.save("yourmusic", "me", TOKEN)
    assert store.load("yourmusic", "me") == TOKEN


def test_a_copy_saved_by_another_tool_neither_shadows_nor_survives_sign_out(
    secret_service: SecretService,
) -> None:
    # As `secret-tool store service setlist username yourmusic:me` would leave one.
    with closing(secretstorage.dbus_init()) as connection:
        collection = secretstorage.get_default_collection(connection)
        attributes = {"service": "setlist", "username": "yourmusic:me"}
        collection.create_item("by hand", attributes, b"an old token")
    store = open_secret_store(load_config())
    store.save("yourmusic", "me", TOKEN)
    assert len(stored_items(secret_service.address)) == 2
    assert store.load("yourmusic", "me") == TOKEN
    store.delete("yourmusic", "me")
    assert store.load("yourmusic", "me") is None
    assert stored_items(secret_service.address) == []


def test_a_chosen_keyring_backend_is_respected(
    secret_service: SecretService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    store = open_secret_store(load_config())
    assert isinstance(store, EnvOverlay)
    assert "keyring.backends.SecretService.Keyring" in repr(store.inner)
    store.save("yourmusic", "me", TOKEN)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    keyring.core._keyring_backend = None  # as a new run of setlist would start
    assert "SecretServiceKeyring" in repr(open_secret_store(load_config()))
    assert open_secret_store(load_config()).load("yourmusic", "me") == TOKEN


# No working keyring


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (keyring.backends.fail.Keyring(), "No system keyring was found"),
        (keyring.backends.null.Keyring(), "The keyring is switched off"),
    ],
)
def test_no_keyring_says_what_happened_and_how_to_opt_in(
    backend: KeyringBackend, reason: str, tmp_path: Path
) -> None:
    keyring.set_keyring(backend)
    with pytest.raises(KeyringUnavailable) as raised:
        open_secret_store(load_config())
    message = str(raised.value)
    assert message.count(reason) == 1
    assert "plaintext_tokens = true under [store]" in message
    assert str(tmp_path / "config" / "setlist" / "config.toml") in message
    assert "SETLIST_PLAINTEXT_TOKENS=1" in message
    assert "Traceback" not in message


def test_a_keyring_that_fails_its_first_lookup_is_unavailable() -> None:
    class Broken(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise OSError("org.freedesktop.DBus.Error.ServiceUnknown")

    keyring.set_keyring(Broken())
    with pytest.raises(KeyringUnavailable, match="ServiceUnknown"):
        open_secret_store(load_config())


@pytest.mark.parametrize("opt_in", ["config", "env"])
def test_opting_in_keeps_tokens_in_a_private_file(
    opt_in: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    if opt_in == "config":
        config_file = tmp_path / "config" / "setlist" / "config.toml"
        config_file.parent.mkdir(parents=True)
        config_file.write_text("[store]\nplaintext_tokens = true\n")
    else:
        monkeypatch.setenv("SETLIST_PLAINTEXT_TOKENS", "1")
    old_umask = os.umask(0)  # even a careless umask must not widen the file
    try:
        with caplog.at_level(logging.WARNING):
            store = open_secret_store(load_config())
            store.save("yourmusic", "me@example.com", TOKEN)
            store.save("jamendo", "listener", "jm-token")
            again = open_secret_store(load_config())
    finally:
        os.umask(old_umask)

    assert isinstance(store, EnvOverlay)
    assert isinstance(store.inner, FileStore)
    file = tokens_file(tmp_path)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert again.load("yourmusic", "me@example.com") == TOKEN
    # Said once, as the file is made; not again at every later command that reads it.
    warnings = [r for r in caplog.records if "plain file" in r.getMessage()]
    assert len(warnings) == 1
    assert str(file) in warnings[0].getMessage()
    assert [p.name for p in file.parent.iterdir() if p.name.endswith(".tmp")] == []
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        later = FileStore(file)
        later.save("yourmusic", "me@example.com", TOKEN)
    assert later.load("yourmusic", "me@example.com") == TOKEN
    assert "plain file" not in caplog.text

    again.delete("yourmusic", "me@example.com")
    assert again.load("yourmusic", "me@example.com") is None
    assert again.load("jamendo", "listener") == "jm-token"


def test_the_keyring_wins_over_the_opt_in_when_it_works() -> None:
    keyring.set_keyring(MemoryKeyring())
    store = open_secret_store(OPTED_IN)
    assert isinstance(store, EnvOverlay)
    assert isinstance(store.inner, KeyringStore)


def test_a_token_file_readable_by_others_is_made_private(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = FileStore(tmp_path / "tokens.json")
    store.save("yourmusic", "me", TOKEN)
    (tmp_path / "tokens.json").chmod(0o644)
    with caplog.at_level(logging.WARNING):
        assert store.load("yourmusic", "me") == TOKEN
    assert stat.S_IMODE((tmp_path / "tokens.json").stat().st_mode) == 0o600
    assert "readable by other users" in caplog.text


def test_a_damaged_token_file_is_reported_without_its_contents(tmp_path: Path) -> None:
    file = tmp_path / "tokens.json"
    file.write_text(TOKEN[:30])
    with pytest.raises(SecretStoreError) as raised:
        FileStore(file).load("yourmusic", "me")
    assert str(file) in str(raised.value)
    assert "sign in again" in str(raised.value)
    assert "secret" not in str(raised.value)


# A keyring that hangs


def test_a_hanging_keyring_is_given_up_on_within_seconds(hanging: HangingKeyring) -> None:
    keyring.set_keyring(hanging)
    started = time.monotonic()
    with pytest.raises(KeyringUnavailable, match=r"did not answer within 1 s") as raised:
        open_secret_store(load_config(), timeout=1.0)
    assert time.monotonic() - started < 3
    assert "plaintext_tokens = true" in str(raised.value)


def test_a_hanging_keyring_falls_back_to_the_opted_in_file(
    hanging: HangingKeyring, tmp_path: Path
) -> None:
    keyring.set_keyring(hanging)
    started = time.monotonic()
    store = open_secret_store(OPTED_IN, timeout=1.0)
    store.save("yourmusic", "me", TOKEN)
    assert time.monotonic() - started < 3
    assert tokens_file(tmp_path).exists()


def test_calls_after_a_hang_fail_at_once(hanging: HangingKeyring) -> None:
    store = KeyringStore(hanging, timeout=0.5)
    with pytest.raises(KeyringUnavailable):
        store.load("yourmusic", "me")
    started = time.monotonic()
    with pytest.raises(KeyringUnavailable, match="still stuck"):
        store.load("yourmusic", "me")
    assert time.monotonic() - started < 0.2

    hanging.release.set()  # the stuck call returns: the keyring is usable again
    time.sleep(0.1)
    store.save("yourmusic", "me", TOKEN)
    assert hanging.items[("setlist", "yourmusic:me")] == TOKEN


# The environment


def test_env_token_is_used_even_without_a_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.setenv("SETLIST_YOURMUSIC_TOKEN", "env-token")
    store = open_secret_store(load_config())
    assert store.load("yourmusic", "me@example.com") == "env-token"
    store.save("yourmusic", "me@example.com", TOKEN)  # read-only: ignored
    assert store.load("yourmusic", "me@example.com") == "env-token"
    with pytest.raises(KeyringUnavailable, match="plaintext_tokens"):
        store.load("jamendo", "listener")


def test_env_wins_over_the_keyring_and_leaves_it_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = open_secret_store(load_config())
    store.save("yourmusic", "me", "keyring-token")
    monkeypatch.setenv("SETLIST_YOURMUSIC_TOKEN", "env-token")
    assert store.load("yourmusic", "me") == "env-token"
    store.delete("yourmusic", "me")
    assert backend.items[("setlist", "yourmusic:me")] == "keyring-token"
    monkeypatch.delenv("SETLIST_YOURMUSIC_TOKEN")
    assert store.load("yourmusic", "me") == "keyring-token"


def test_client_secret_comes_from_its_own_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setenv("SETLIST_YOURMUSIC_TOKEN", "user-token")
    monkeypatch.setenv("SETLIST_YOURMUSIC_CLIENT_SECRET", "client-secret")
    store = open_secret_store(load_config())
    assert store.load("yourmusic", client_account("cli-1")) == "client-secret"
    assert store.load("yourmusic", "me") == "user-token"
    monkeypatch.delenv("SETLIST_YOURMUSIC_CLIENT_SECRET")
    assert store.load("yourmusic", client_account("cli-1")) is None


# Secrets stay secret


def test_a_token_never_reaches_logs_errors_or_reprs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SETLIST_JAMENDO_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    keyring.set_keyring(LeakyKeyring())
    store = open_secret_store(load_config())
    with pytest.raises(KeyringUnavailable) as raised:
        store.save("yourmusic", "me", TOKEN)
    assert "RuntimeError" in str(raised.value)

    store.save("jamendo", "listener", TOKEN)  # from the environment: ignored
    assert store.load("jamendo", "listener") == TOKEN
    plain = FileStore(tmp_path / "plain.json")
    plain.save("yourmusic", "me", TOKEN)
    plain.load("yourmusic", "me")

    seen = [str(raised.value), repr(raised.value), caplog.text, repr(store), repr(plain)]
    for text in seen:
        for part in ("eyJ-very-secret-access", "rt-very-secret"):
            assert part not in text


def test_the_token_file_holds_json(tmp_path: Path) -> None:
    file = tmp_path / "tokens.json"
    FileStore(file).save("yourmusic", "me", TOKEN)
    assert json.loads(file.read_text())["secrets"] == {"yourmusic": {"me": TOKEN}}
