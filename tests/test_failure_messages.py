"""Failures say what failed, where, and what to do: not a misleading reason."""

from __future__ import annotations

import asyncio
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from cli_support import CliHome, make_home
from setlist.cli.runner import as_setlist_error
from setlist.core.errors import BadResponse, MalformedResponse, NetworkError
from setlist.demo.catalog import DEMO_CLIENT_ID, DEMO_EMAIL, DEMO_TENANT_SLUG, media_dir
from setlist.providers.http import RetryPolicy, make_client, send
from setlist.providers.jamendo.client import JamendoClient
from setlist.providers.yourmusic import ENV_TOKEN, YourMusicAuth, YourMusicClient
from yourmusic_support import NO_THROTTLE


@pytest.mark.fault(
    "a catalog host name that does not resolve",
    "the message names the host and says it was not found",
)
def test_a_host_name_that_does_not_resolve_is_not_called_refused() -> None:
    async def fetch() -> None:
        async with make_client("http://nonexistent.invalid") as client:
            await send(client, "POST", "/v1/x", provider="yourmusic")

    with pytest.raises(NetworkError) as caught:
        asyncio.run(fetch())
    message = str(caught.value)
    assert "refused" not in message
    assert "nonexistent.invalid" in message
    assert "could not be found" in message


def test_the_address_named_for_a_host_not_found_carries_no_secret() -> None:
    async def fetch() -> None:
        async with make_client("http://someone:hunter2@catalog.invalid/v3.0") as client:
            await send(
                client,
                "GET",
                "/tracks",
                params={"access_token": "tok-123"},
                provider="jamendo",
                retry=RetryPolicy(attempts=1),
            )

    with pytest.raises(NetworkError) as caught:
        asyncio.run(fetch())
    message = str(caught.value)
    assert message.startswith("Could not reach Jamendo at http://catalog.invalid/v3.0: ")
    assert "hunter2" not in message and "someone" not in message
    assert "tok-123" not in message


@pytest.mark.fault(
    "the configured base_url names a host that does not resolve (RFC 6761 .invalid)",
    "setlist names the service, the address in the config, and that the host was not found",
)
def test_an_unresolvable_base_url_is_named_with_its_host_not_found(tmp_path, monkeypatch):
    home = make_home(tmp_path, monkeypatch)
    # Without a network the lookup may wait for a name server instead of failing at once:
    # glibc's resolver is told to wait 1 s, once, and the call has its deadline.
    home.write_config(
        '[yourmusic]\nbase_url = "http://catalog.invalid/v1"\ntenant = "demo"\n'
        '[providers]\nenabled = ["yourmusic"]\n[timeouts]\napi = 15\n'
    )
    started = time.monotonic()
    result = home.run(
        "search", "tone", env={ENV_TOKEN: "a-token", "RES_OPTIONS": "timeout:1 attempts:1"}
    )
    assert time.monotonic() - started < 30
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert err.splitlines() == [
        "setlist: Could not reach YourMusic at http://catalog.invalid/v1: the host name "
        "catalog.invalid could not be found (check that address in the config, and your "
        "network or DNS)."
    ]


@contextmanager
def answering(status: int, content_type: str, body: bytes) -> Iterator[str]:
    """A loopback server that answers every request with the same response."""

    class Same(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Same)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


PORTAL = b"<!doctype html><html><body><h1>Welcome to Airport Wi-Fi</h1></body></html>"


@pytest.mark.fault(
    "an HTML page with status 200 (a captive portal) answers the code request",
    "setlist says no code was sent",
)
def test_a_code_request_answered_by_a_captive_portal_is_not_code_sent() -> None:
    async def request_code(base_url: str) -> None:
        auth = YourMusicAuth(None, environ={})
        async with YourMusicClient(base_url, DEMO_TENANT_SLUG, auth) as client:
            await client.auth.request_code(DEMO_EMAIL)

    with answering(200, "text/html", PORTAL) as base_url, pytest.raises(BadResponse) as caught:
        asyncio.run(request_code(base_url))
    message = str(caught.value)
    assert "no code was sent" in message.lower()
    assert "captive portal" in message


def test_a_code_request_answered_with_the_documented_json_is_code_sent() -> None:
    async def request_code(base_url: str) -> None:
        auth = YourMusicAuth(None, environ={})
        async with YourMusicClient(base_url, DEMO_TENANT_SLUG, auth) as client:
            await client.auth.request_code(DEMO_EMAIL)

    with answering(202, "application/json", b'{"message": "sent"}') as base_url:
        asyncio.run(request_code(base_url))


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.fault(
    "deeply nested JSON from YourMusic",
    "a clear 'malformed response' message, no internal error",
)
def test_deeply_nested_json_from_a_server_is_a_malformed_response() -> None:
    async def search(base_url: str) -> None:
        auth = YourMusicAuth(None, environ={ENV_TOKEN: "a-token"})
        async with YourMusicClient(base_url, DEMO_TENANT_SLUG, auth) as client:
            await client.search_tracks("tone")

    body = b'{"unknown": ' + DEEP + b"}"  # skipped fields are parsed too
    with answering(200, "application/json", body) as base_url, pytest.raises(BadResponse) as caught:
        asyncio.run(search(base_url))
    assert isinstance(caught.value, MalformedResponse)
    assert str(caught.value).startswith("YourMusic sent a malformed response")


def test_deeply_nested_json_from_jamendo_is_a_malformed_response() -> None:
    async def search(base_url: str) -> None:
        async with JamendoClient(base_url, DEMO_CLIENT_ID) as client:
            await client.search_tracks("tone")

    body = b'{"headers": {"status": "success", "code": 0}, "results": ' + DEEP + b"}"
    with answering(200, "application/json", body) as base_url, pytest.raises(BadResponse) as caught:
        asyncio.run(search(base_url))
    assert str(caught.value).startswith("Jamendo sent a malformed response")


OLD_NAME = b"caf\xe9"  # Latin-1 "café": not UTF-8


def setlist_bytes(home: CliHome, *args: bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"setlist", *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=home.root,
        check=False,
    )


def test_a_file_whose_name_is_not_utf8_plays(tmp_path, monkeypatch) -> None:
    home = make_home(tmp_path, monkeypatch)
    shutil.copy(media_dir() / "jm" / "1001.mp3", os.fsencode(tmp_path) + b"/" + OLD_NAME + b".mp3")

    played = setlist_bytes(home, b"play", b"--mpv-option", b"ao=null", OLD_NAME + b".mp3")

    assert played.returncode == 0, played.stderr
    assert "unexpected error" not in played.stderr
    assert played.stdout.startswith("▶ caf\N{REPLACEMENT CHARACTER} [local]")


def test_a_search_or_an_email_that_is_not_utf8_is_refused_saying_why(tmp_path, monkeypatch):
    home = make_home(tmp_path, monkeypatch)
    searched = setlist_bytes(home, b"--demo", b"search", OLD_NAME)
    assert searched.returncode == 2
    assert searched.stderr.startswith("setlist: the query “caf\N{REPLACEMENT CHARACTER}” has")
    assert "not UTF-8" in searched.stderr

    login = setlist_bytes(home, b"login", b"yourmusic", b"--email", OLD_NAME + b"@example.org")
    assert login.returncode == 2
    assert "the email “caf\N{REPLACEMENT CHARACTER}@example.org” has" in login.stderr

    played = setlist_bytes(home, b"--demo", b"play", OLD_NAME)  # no such file: a search
    assert played.returncode == 1
    assert "not a file, and as a search it is not valid UTF-8 text" in played.stderr


# Not a chmod-ed folder: tests may run as root, whom permissions do not stop. /sys is
# read-only for everyone.
UNWRITABLE = "/sys/kernel/setlist-state"


@pytest.mark.fault(
    "a read-only state folder under the daemon",
    "the message names what cannot be written and what to do",
)
def test_a_daemon_with_a_read_only_state_folder_does_not_point_at_its_log(
    tmp_path, monkeypatch, make_demo
) -> None:
    home = make_home(tmp_path, monkeypatch)
    home.attach(make_demo(**NO_THROTTLE))
    monkeypatch.setenv("XDG_STATE_HOME", UNWRITABLE)

    started = home.run("daemon", "--demo")

    err = started.stderr.decode()
    assert started.returncode == 1
    assert f"cannot write the daemon's log {UNWRITABLE}/setlist/log/daemon.log" in err
    assert "set XDG_STATE_HOME to a folder you can write" in err
    assert "see " not in err


@pytest.mark.fault(
    "a read-only state folder",
    "the message names the folder and what to do",
)
def test_a_read_only_state_folder_says_where_and_what_to_do(tmp_path, monkeypatch, make_demo):
    home = make_home(tmp_path, monkeypatch)
    home.attach(make_demo(**NO_THROTTLE))
    monkeypatch.setenv("XDG_STATE_HOME", UNWRITABLE)

    played = home.run("--demo", "play", "--mpv-option", "ao=null", "track:3000")

    err = played.stderr.decode()
    assert played.returncode == 1
    assert f"setlist: cannot write {UNWRITABLE}" in err
    assert "set XDG_STATE_HOME" in err


def test_a_bare_permission_error_is_not_shown_bare() -> None:
    error = as_setlist_error(PermissionError())
    assert error is not None
    assert str(error) != "PermissionError"
    assert str(error).startswith("permission denied: the system refused")
