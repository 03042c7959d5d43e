"""Faults on demand, through the real demo server: each kind does what a client would see."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from setlist.demo.catalog import (
    DEMO_EMAIL,
    DEMO_OTP_CODE,
    DEMO_TENANT_SLUG,
    JAMENDO_DEMO_CLIENT_ID,
    load,
)
from setlist.demo.server import CONTROL_HEADER, DemoServer

TRACKS = "/jamendo/v3.0/tracks/"
TRACKS_GLOB = "/jamendo/v3.0/tracks*"
PARAMS = {"client_id": JAMENDO_DEMO_CLIENT_ID, "limit": 50}


@pytest.fixture
def http(demo: DemoServer) -> Iterator[httpx.Client]:
    """A client of the demo, holding the token its control routes ask for."""
    headers = {CONTROL_HEADER: demo.control_token}
    with httpx.Client(base_url=demo.base_url, timeout=10, headers=headers) as client:
        yield client


def tracks(client: httpx.Client) -> httpx.Response:
    return client.get(TRACKS, params=PARAMS)


def test_latency_delays_then_answers(http: httpx.Client, demo: DemoServer) -> None:
    demo.faults.add(TRACKS_GLOB, "latency", delay=0.4, times=1)
    started = time.monotonic()
    response = tracks(http)
    assert time.monotonic() - started >= 0.4
    assert response.status_code == 200 and response.json()["headers"]["code"] == 0


def test_status_answers_a_server_error(http: httpx.Client, demo: DemoServer) -> None:
    demo.faults.add(TRACKS_GLOB, "status", times=1)
    assert tracks(http).status_code == 503
    demo.faults.add(TRACKS_GLOB, "status", status=502, times=1)
    failed = tracks(http)
    assert failed.status_code == 502 and b"demo fault" in failed.content
    assert tracks(http).status_code == 200


def test_drop_closes_the_connection_mid_body(http: httpx.Client, demo: DemoServer) -> None:
    demo.faults.add(TRACKS_GLOB, "drop", times=1)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        tracks(http)
    assert tracks(http).json()["headers"]["code"] == 0  # the next request is healthy


def test_a_dropped_connection_prints_no_traceback_where_the_server_runs(tmp_path: Path) -> None:
    # `setlist demo --serve` in a terminal of its own, as a developer runs it.
    command = [sys.executable, "-m", "setlist", "demo", "--serve"]
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)}
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        urls = dict(server.stdout.readline().split() for _ in range(3))
        base = urls["YourMusic"].removesuffix("/yourmusic")
        banner = [server.stdout.readline() for _ in range(2)]
        assert banner[1].startswith(f"Control token (header {CONTROL_HEADER}, for /_demo/): ")
        token = banner[1].rsplit(" ", 1)[1].strip()
        with httpx.Client(base_url=base, timeout=10) as client:
            fault = {"path": TRACKS_GLOB, "kind": "drop", "times": 1}
            assert client.post("/_demo/faults", json=fault).status_code == 403
            headers = {CONTROL_HEADER: token}
            assert client.post("/_demo/faults", json=fault, headers=headers).status_code == 201
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                tracks(client)
            assert tracks(client).json()["headers"]["code"] == 0
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "Traceback" not in err and "Exception in ASGI" not in err


def test_rate_limit_is_429_with_retry_after(http: httpx.Client, demo: DemoServer) -> None:
    demo.faults.add(TRACKS_GLOB, "rate_limit", retry_after=7, times=1)
    response = tracks(http)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["message"]


def test_malformed_json_no_longer_parses(http: httpx.Client, demo: DemoServer) -> None:
    healthy = tracks(http).content
    demo.faults.add(TRACKS_GLOB, "malformed_json", times=1)
    broken = tracks(http)
    assert broken.status_code == 200
    assert healthy.startswith(broken.content) and len(broken.content) < len(healthy)
    with pytest.raises(json.JSONDecodeError):
        broken.json()


def test_jamendo_code_is_a_failed_envelope_with_http_200(
    http: httpx.Client, demo: DemoServer
) -> None:
    demo.faults.add(TRACKS_GLOB, "jamendo_code", times=1)
    response = tracks(http)
    assert response.status_code == 200
    headers = response.json()["headers"]
    assert (headers["status"], headers["code"]) == ("failed", 6)
    assert tracks(http).json()["headers"]["code"] == 0


def test_stall_sends_half_then_the_rest_after_the_delay(
    http: httpx.Client, demo: DemoServer
) -> None:
    healthy = tracks(http).content
    demo.faults.add(TRACKS_GLOB, "stall", delay=0.5, times=1)
    started = time.monotonic()
    with http.stream("GET", TRACKS, params=PARAMS) as response:
        headers_after = time.monotonic() - started
        body = response.read()
    assert headers_after < 0.5  # the answer starts at once...
    assert time.monotonic() - started >= 0.5  # ...and ends after the stall
    assert body == healthy


def test_times_counts_matching_requests(http: httpx.Client, demo: DemoServer) -> None:
    fault = demo.faults.add(TRACKS_GLOB, "status", times=2)
    assert [tracks(http).status_code for _ in range(3)] == [503, 503, 200]
    assert fault.hits == 2
    assert demo.faults.list() == []


def test_a_fault_matches_only_its_method_and_path(http: httpx.Client, demo: DemoServer) -> None:
    demo.faults.add(TRACKS_GLOB, "status", method="POST")
    demo.faults.add("/jamendo/v3.0/albums*", "status")
    assert tracks(http).status_code == 200
    assert http.post(TRACKS, data=PARAMS).status_code == 503
    assert http.get("/jamendo/v3.0/albums/", params=PARAMS).status_code == 503


def test_faults_over_http_control_routes(http: httpx.Client) -> None:
    added = http.post("/_demo/faults", json={"path": TRACKS_GLOB, "kind": "status", "status": 500})
    assert added.status_code == 201
    assert added.json()["kind"] == "status" and added.json()["hits"] == 0
    assert tracks(http).status_code == 500
    [listed] = http.get("/_demo/faults").json()
    assert listed["path"] == TRACKS_GLOB and listed["hits"] == 1
    assert http.delete("/_demo/faults").status_code == 204
    assert http.get("/_demo/faults").json() == []
    assert tracks(http).status_code == 200


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_control_routes_refuse_a_request_without_the_token(
    demo: DemoServer, token: str | None
) -> None:
    headers = {CONTROL_HEADER: token} if token is not None else {}
    with httpx.Client(base_url=demo.base_url, timeout=10, headers=headers) as stranger:
        fault = {"path": TRACKS_GLOB, "kind": "status"}
        for method, path in [
            ("POST", "/_demo/faults"),
            ("GET", "/_demo/faults"),
            ("DELETE", "/_demo/faults"),
            ("GET", "/_demo/requests"),
        ]:
            answer = stranger.request(method, path, json=fault if method == "POST" else None)
            assert answer.status_code == 403, (method, path)
            assert CONTROL_HEADER in answer.json()["error"]
        assert demo.faults.list() == []
        assert tracks(stranger).status_code == 200  # the catalog itself needs no token


@pytest.mark.parametrize(
    "body",
    [
        {"path": TRACKS_GLOB, "kind": "explode"},
        {"kind": "status"},
        {"path": TRACKS_GLOB, "kind": "status", "colour": "red"},
    ],
)
def test_bad_faults_are_refused_with_the_kinds(http: httpx.Client, body: dict[str, Any]) -> None:
    response = http.post("/_demo/faults", json=body)
    assert response.status_code == 422
    assert "truncated_hls" in response.json()["kinds"]
    assert http.get("/_demo/faults").json() == []


# HLS faults, on a YourMusic stream manifest


@pytest.fixture
def stream(make_demo: Any) -> Iterator[tuple[DemoServer, httpx.Client, str]]:
    """A private server, a client signed in to YourMusic, and a stream manifest path."""
    server = make_demo(otp_min_interval=0.0)
    with httpx.Client(base_url=server.yourmusic_url, timeout=10) as client:
        who = {"tenant": DEMO_TENANT_SLUG, "email": DEMO_EMAIL}
        assert client.post("/auth/email/otp", json=who).status_code == 202
        session = client.post(
            "/auth/email/verify",
            json={**who, "code": DEMO_OTP_CODE, "device_id": str(uuid.uuid4())},
        ).json()
        client.headers["Authorization"] = f"Bearer {session['access_token']}"
        track = next(t for t in load().ym_tracks if len(t.variants) == 1)
        yield server, client, f"/stream/{track.stream_id}"


def test_truncated_hls_cuts_the_playlist(stream: tuple[DemoServer, httpx.Client, str]) -> None:
    server, client, path = stream
    healthy = client.get(path)
    assert healthy.status_code == 200 and "#EXT-X-ENDLIST" in healthy.text
    server.faults.add("/yourmusic/stream/*", "truncated_hls", times=1)
    cut = client.get(path)
    assert cut.status_code == 200
    assert cut.text.startswith("#EXTM3U")
    assert "#EXT-X-ENDLIST" not in cut.text and len(cut.text) < len(healthy.text)
    assert client.get(path).text == healthy.text


def test_hls_faults_leave_segments_alone(stream: tuple[DemoServer, httpx.Client, str]) -> None:
    server, client, path = stream
    segment = path + "/v0/seg0.ts"
    healthy = client.get(segment).content
    server.faults.add("/yourmusic/stream/*", "truncated_hls")  # every request, segments too
    assert "#EXT-X-ENDLIST" not in client.get(path).text
    response = client.get(segment)
    assert response.status_code == 200 and response.content == healthy


def test_invalid_hls_is_not_a_playlist(stream: tuple[DemoServer, httpx.Client, str]) -> None:
    server, client, path = stream
    server.faults.add("/yourmusic/stream/*", "invalid_hls", times=1)
    broken = client.get(path)
    assert broken.status_code == 200
    assert not broken.text.startswith("#EXTM3U")
    assert client.get(path).text.startswith("#EXTM3U")
