"""Cover art on disk and over the network: the size bound, the oldest out first, and
a picture that cannot be had is None, never an error."""

from __future__ import annotations

import asyncio
import io
import os
import time
from pathlib import Path

from PIL import Image

from setlist.demo.server import DemoServer
from setlist.services.art import MAX_IMAGE_BYTES, ArtFetcher
from setlist.store.art_cache import ArtCache
from setlist.ui.widgets.cover_art import halfblock_lines


def test_the_cache_evicts_the_least_recently_used_pictures_first(tmp_path: Path):
    cache = ArtCache(tmp_path / "art", max_bytes=3000)
    now = time.time()
    for n, url in enumerate(("http://a/1", "http://a/2", "http://a/3")):
        cache.put(url, bytes([n]) * 1000)
        os.utime(cache.path_for(url), (now - 100 + n, now - 100 + n))
    assert cache.get("http://a/1") == b"\x00" * 1000  # read now: the newest use
    cache.put("http://a/4", b"\x04" * 1000)
    files = {p.name for p in (tmp_path / "art").iterdir()}
    assert cache.path_for("http://a/2").name not in files  # the oldest use went
    assert {cache.path_for(u).name for u in ("http://a/1", "http://a/3", "http://a/4")} == files
    assert cache.size() <= 3000
    assert cache.get("http://a/2") is None


def test_a_picture_larger_than_the_whole_cache_is_not_kept(tmp_path: Path):
    cache = ArtCache(tmp_path / "art", max_bytes=100)
    cache.put("http://a/big", b"x" * 101)
    assert cache.get("http://a/big") is None


def art_requests(server: DemoServer) -> list[str]:
    return [r.path for r in server.requests if r.path.startswith("/_art/")]


async def test_a_fetched_picture_is_read_from_disk_next_time(demo: DemoServer, tmp_path: Path):
    url = demo.ctx.catalog.jm_albums[1].image
    before = len(art_requests(demo))
    fetcher = ArtFetcher(ArtCache(tmp_path / "art"))
    data = await fetcher.image(url)
    await fetcher.aclose()
    assert data is not None and data.startswith(b"\x89PNG")
    again = ArtFetcher(ArtCache(tmp_path / "art"))  # a new run: memory is empty
    assert await again.image(url) == data
    await again.aclose()
    assert len(art_requests(demo)) == before + 1
    assert not any(r.authorization for r in demo.requests if r.path.startswith("/_art/"))


async def test_a_missing_slow_or_non_picture_url_gives_none(demo: DemoServer, tmp_path: Path):
    fetcher = ArtFetcher(ArtCache(tmp_path / "art"), deadline=0.5)
    try:
        assert await fetcher.image(demo.base_url + "/_art/jm-album/nope.jpg") is None
        assert await fetcher.image(demo.jamendo_url + "/albums/") is None  # JSON, not a picture
        assert await fetcher.image("file:///etc/passwd") is None
        demo.faults.add("/_art/*", "latency", delay=3.0)
        started = time.monotonic()
        assert await fetcher.image(demo.ctx.catalog.jm_albums[2].image) is None
        assert time.monotonic() - started < 2.0
    finally:
        await fetcher.aclose()
    assert not list((tmp_path / "art").glob("*.img"))


async def test_a_picture_past_the_byte_bound_is_not_read_to_its_end(tmp_path: Path):
    sent = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal sent
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n")
        try:
            for _ in range(64):  # 64 MB, far past the bound
                writer.write(b"\0" * 1024 * 1024)
                await writer.drain()
                sent += 1
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    fetcher = ArtFetcher(ArtCache(tmp_path / "art"))
    try:
        assert await fetcher.image(f"http://127.0.0.1:{port}/huge.png") is None
    finally:
        await fetcher.aclose()
        server.close()
    assert sent < 64  # the connection was dropped once the bound was passed
    assert not list((tmp_path / "art").glob("*.img"))


def test_a_picture_of_too_many_pixels_or_no_picture_is_not_drawn():
    huge = io.BytesIO()
    Image.new("1", (5000, 5000)).save(huge, format="PNG")  # a few KB on the wire
    assert len(huge.getvalue()) < MAX_IMAGE_BYTES
    assert halfblock_lines(huge.getvalue(), 8, 4) is None
    assert halfblock_lines(b"<html>not a picture</html>", 8, 4) is None
    small = io.BytesIO()
    Image.new("RGB", (50, 50), (200, 10, 10)).save(small, format="JPEG")
    lines = halfblock_lines(small.getvalue(), 8, 4)
    assert lines is not None and [line.cell_len for line in lines] == [8, 8, 8, 8]
