"""The catalog's token goes to the catalog's origin and nowhere else.

Two loopback servers on two ports: the catalog (the origin of `base_url`) and a
CDN standing in for the other hosts a real service puts its files on. Each test
lays out a stream across them (variants, segments, keys, redirects), plays it
through the real libmpv, and checks what each server saw: the CDN never a
token, and the audio decoded whole.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from playback_audio import pcm_options, pitch_sequence, read_pcm
from setlist.core.errors import NetworkError
from setlist.core.models import Track
from setlist.demo.catalog import load, media_dir
from setlist.playback.engine import Engine
from setlist.playback.events import NowPlaying, PlayerEvent
from setlist.playback.player import Player
from setlist.playback.streams import make_resolver
from setlist.providers.http import Deadlines
from setlist.providers.media_proxy import MediaProxy
from setlist.providers.yourmusic import YourMusicAuth, YourMusicClient
from setlist.store.secret_fallbacks import MemoryStore

TOKEN = "origin-only-token"
TRACK = 3002  # one variant: two segments of the demo's tone
PITCH = load().ym_track_by_id[TRACK].pitch_hz
SEGMENTS = media_dir() / "ym" / str(TRACK) / "v0"
KEY = bytes(range(16))
IV = "0x000102030405060708090a0b0c0d0e0f"


@dataclass
class Seen:
    path: str
    authorization: str | None


Route = Callable[[], tuple[int, dict[str, str], bytes]]


@dataclass
class Host:
    """A loopback HTTP server answering scripted routes and recording each request."""

    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def file(self, path: str, body: bytes, kind: str = "application/octet-stream") -> None:
        self.routes[path] = lambda: (200, {"Content-Type": kind}, body)

    def redirect(self, path: str, to: str) -> None:
        self.routes[path] = lambda: (302, {"Location": to}, b"")

    def authorized(self) -> list[str]:
        return [s.path for s in self.seen if s.authorization]


@pytest.fixture
def hosts() -> Iterator[tuple[Host, Host]]:
    servers, pair = [], (Host(), Host())
    for host in pair:

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            owner = host

            def do_GET(self) -> None:
                self.owner.seen.append(Seen(self.path, self.headers.get("Authorization")))
                route = self.owner.routes.get(self.path.split("?")[0])
                status, headers, body = route() if route else (404, {}, b"not here")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host.url = f"http://127.0.0.1:{server.server_address[1]}"
        servers.append(server)
    yield pair
    for server in servers:
        server.shutdown()
        server.server_close()


def media_playlist(uris: list[str], keys: list[str | None] | None = None) -> bytes:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:5", "#EXT-X-PLAYLIST-TYPE:VOD"]
    durations = ["4.017056", "0.975333"]
    for n, uri in enumerate(uris):
        if keys and keys[n]:
            lines.append(f'#EXT-X-KEY:METHOD=AES-128,URI="{keys[n]}",IV={IV}')
        lines += [f"#EXTINF:{durations[n]},", uri]
    return ("\n".join([*lines, "#EXT-X-ENDLIST"]) + "\n").encode()


def master(variant: str) -> bytes:
    return f'#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS="mp4a.40.2"\n{variant}\n'.encode()


def segment(n: int) -> bytes:
    return (SEGMENTS / f"seg{n}.ts").read_bytes()


def encrypted(n: int) -> bytes:
    padder = padding.PKCS7(128).padder()
    plain = padder.update(segment(n)) + padder.finalize()
    encryptor = Cipher(algorithms.AES(KEY), modes.CBC(bytes.fromhex(IV[2:]))).encryptor()
    return encryptor.update(plain) + encryptor.finalize()


HLS = "application/vnd.apple.mpegurl"


async def play(origin: Host, tmp_path: Path) -> list[float]:
    """Play the origin's stream `s1` as a catalog track; the tones heard."""
    auth = YourMusicAuth(MemoryStore(), environ={"SETLIST_YOURMUSIC_TOKEN": TOKEN})
    track = Track(provider="yourmusic", id=str(TRACK), title="Tone", stream_id="s1")
    out = tmp_path / "out.pcm"
    async with YourMusicClient(origin.url, "demo", auth) as client:
        player = Player(Engine(pcm_options(out)), make_resolver({"yourmusic": client}))
        done = asyncio.Event()

        def on_event(event: PlayerEvent) -> None:
            if isinstance(event, NowPlaying) and event.entry is None:
                done.set()

        player.subscribe(on_event)
        await player.start()
        try:
            await player.add([track], where="now")
            await asyncio.wait_for(done.wait(), 30)
        finally:
            await player.close()
    return pitch_sequence(read_pcm(out))


@pytest.mark.fault(
    "a stream whose segments sit on another host (a CDN)",
    "the CDN never sees the token; the audio plays whole",
)
async def test_segments_on_another_host_get_no_token(hosts, tmp_path):
    origin, cdn = hosts
    origin.file("/stream/s1", master("s1/v0/index.m3u8"), HLS)
    uris = [f"{cdn.url}/seg0.ts", f"{cdn.url}/seg1.ts"]
    origin.file("/stream/s1/v0/index.m3u8", media_playlist(uris), HLS)
    cdn.file("/seg0.ts", segment(0))
    cdn.file("/seg1.ts", segment(1))

    assert await play(origin, tmp_path) == [PITCH]
    assert cdn.authorized() == []
    assert origin.authorized() == ["/stream/s1", "/stream/s1/v0/index.m3u8"]
    assert [s.path for s in cdn.seen] == ["/seg0.ts", "/seg1.ts"]


@pytest.mark.fault(
    "a master playlist naming a variant on another host",
    "the other host never sees the token",
)
async def test_a_variant_on_another_host_gets_no_token(hosts, tmp_path):
    origin, cdn = hosts
    origin.file("/stream/s1", master(f"{cdn.url}/v0/index.m3u8"), HLS)
    cdn.file("/v0/index.m3u8", media_playlist(["seg0.ts", "seg1.ts"]), HLS)
    cdn.file("/v0/seg0.ts", segment(0))
    cdn.file("/v0/seg1.ts", segment(1))

    assert await play(origin, tmp_path) == [PITCH]
    assert cdn.authorized() == []
    assert origin.authorized() == ["/stream/s1"]
    assert {s.path for s in cdn.seen} == {"/v0/index.m3u8", "/v0/seg0.ts", "/v0/seg1.ts"}


@pytest.mark.fault(
    "segments redirected away from the catalog, through a chain",
    "no host but the catalog sees the token",
)
async def test_a_redirect_away_from_the_origin_leaves_the_token_behind(hosts, tmp_path):
    origin, cdn = hosts
    origin.file("/stream/s1", media_playlist(["s1/seg0.ts", "s1/seg1.ts"]), HLS)
    # One segment sent on through the CDN twice, the other straight there.
    origin.redirect("/stream/s1/seg0.ts", f"{cdn.url}/hop/seg0.ts")
    cdn.redirect("/hop/seg0.ts", f"{cdn.url}/seg0.ts")
    origin.redirect("/stream/s1/seg1.ts", f"{cdn.url}/seg1.ts")
    cdn.file("/seg0.ts", segment(0))
    cdn.file("/seg1.ts", segment(1))

    assert await play(origin, tmp_path) == [PITCH]
    assert cdn.authorized() == []
    assert origin.authorized() == ["/stream/s1", "/stream/s1/seg0.ts", "/stream/s1/seg1.ts"]
    assert [s.path for s in cdn.seen] == ["/hop/seg0.ts", "/seg0.ts", "/seg1.ts"]


@pytest.mark.fault(
    "encryption keys at the catalog and on another host",
    "only the catalog's key request carries the token",
)
async def test_keys_get_the_token_only_at_the_origin(hosts, tmp_path):
    origin, cdn = hosts
    keys = ["key/home", f"{cdn.url}/key/away"]
    origin.file("/stream/s1", media_playlist(["s1/seg0.ts", f"{cdn.url}/seg1.ts"], keys), HLS)
    origin.file("/stream/key/home", KEY)
    origin.file("/stream/s1/seg0.ts", encrypted(0))
    cdn.file("/key/away", KEY)
    cdn.file("/seg1.ts", encrypted(1))

    assert await play(origin, tmp_path) == [PITCH]
    assert cdn.authorized() == []
    assert sorted(origin.authorized()) == ["/stream/key/home", "/stream/s1", "/stream/s1/seg0.ts"]
    assert {s.path for s in cdn.seen} == {"/key/away", "/seg1.ts"}


async def test_the_relay_serves_only_what_it_was_given(hosts):
    origin, _ = hosts
    origin.file("/stream/s1/seg0.ts", segment(0))
    auth = YourMusicAuth(MemoryStore(), environ={"SETLIST_YOURMUSIC_TOKEN": TOKEN})
    async with YourMusicClient(origin.url, "demo", auth) as client:
        relayed = await client.stream_url(f"{origin.url}/stream/s1/seg0.ts")
        elsewhere = "https://cdn.example/seg0.ts"
        assert await client.stream_url(elsewhere) == elsewhere
        assert relayed.startswith("http://127.0.0.1:") and TOKEN not in relayed
        async with httpx.AsyncClient() as local:
            assert (await local.get(relayed)).content == segment(0)
            # Another local user knows the port, not the path.
            port_only = relayed.rsplit("/", 2)[0]
            assert (await local.get(f"{port_only}/guess/1.ts")).status_code == 404
            assert (await local.post(relayed)).status_code == 405
    assert origin.authorized() == ["/stream/s1/seg0.ts"]


class Trickle(http.server.BaseHTTPRequestHandler):
    """Answers with a 1000-byte body, one byte every 0.1 s."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

    def log_message(self, *args: object) -> None:
        pass


def trickling_server() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.fault(
    "a catalog that trickles a variant playlist the player waits for",
    "resolving the stream ends at the stream deadline, naming YourMusic",
)
async def test_a_trickled_variant_playlist_ends_at_the_stream_deadline():
    server = trickling_server()
    auth = YourMusicAuth(MemoryStore(), environ={"SETLIST_YOURMUSIC_TOKEN": TOKEN})
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        async with YourMusicClient(base, "demo", auth, deadlines=Deadlines(stream=1.0)) as client:
            started = time.monotonic()
            with pytest.raises(NetworkError, match="YourMusic's stream did not answer within 1 s"):
                await client.stream_playlist(f"{base}/stream/s1/v0/index.m3u8")
            took = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert took < 3.0


@pytest.mark.fault(
    "a catalog that trickles a segment to the relay, a byte at a time",
    "the relay gives the file up at its deadline and closes: mpv moves on",
)
async def test_a_trickled_file_is_given_up_at_its_deadline():
    server = trickling_server()
    try:
        async with httpx.AsyncClient() as catalog:

            async def fetch(url: str, headers: Mapping[str, str]) -> httpx.Response:
                return await catalog.send(catalog.build_request("GET", url), stream=True)

            proxy = MediaProxy(fetch, label="YourMusic", file_seconds=1.0)
            relayed = await proxy.url_for(f"http://127.0.0.1:{server.server_address[1]}/s.ts")
            started = time.monotonic()
            async with httpx.AsyncClient() as mpv:
                with pytest.raises(httpx.RemoteProtocolError):  # the body ends short
                    await mpv.get(relayed, timeout=10)
            took = time.monotonic() - started
            await proxy.aclose()
    finally:
        server.shutdown()
        server.server_close()
    assert 1.0 <= took < 3.0
