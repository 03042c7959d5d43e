"""HLS streams: `/stream/{stream_id}` and the variant playlists and segments it names.

A track with one variant gets its media playlist at `/stream/{id}`, its segment
URIs rewritten to `{id}/v0/seg<n>.ts`; a track with several variants gets a
master playlist naming `{id}/v<k>/index.m3u8`. The URIs are relative: resolved
against `/stream/{id}` (no trailing slash, so the last segment is replaced) they
land under `/stream/{id}/v<k>/`. Every request needs the bearer token.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from setlist.demo.catalog import YMTrack, media_dir
from setlist.demo.ym_common import USER_TOKENS, endpoint, require_grant, ym
from setlist.demo.ym_http import not_found

HLS_TYPE = "application/vnd.apple.mpegurl"
TS_TYPE = "video/mp2t"
AAC_LC = "mp4a.40.2"


def _track(request: Request) -> YMTrack:
    require_grant(request, USER_TOKENS)
    track = ym(request).ctx.catalog.ym_track_by_stream.get(request.path_params["stream_id"])
    if track is None:
        raise not_found("Stream not found.")
    return track


def _variant_dir(track: YMTrack, k: int) -> Path:
    if not 0 <= k < len(track.variants):
        raise not_found("Variant not found.")
    return media_dir() / "ym" / str(track.id) / f"v{k}"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise not_found("Stream file not found.") from None


def _prefixed(playlist: str, prefix: str) -> str:
    """A media playlist with its URI lines made relative to the folder above."""
    lines = [
        line if not line.strip() or line.startswith("#") else prefix + line
        for line in playlist.splitlines()
    ]
    return "\n".join(lines) + "\n"


def _master(track: YMTrack) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3"]
    for k, variant in enumerate(track.variants):
        lines.append(f'#EXT-X-STREAM-INF:BANDWIDTH={variant.bandwidth},CODECS="{AAC_LC}"')
        lines.append(f"{track.stream_id}/v{k}/index.m3u8")
    return "\n".join(lines) + "\n"


async def manifest(request: Request) -> Response:
    track = _track(request)
    if len(track.variants) > 1:
        return Response(_master(track), media_type=HLS_TYPE)
    media = _read(_variant_dir(track, 0) / "index.m3u8").decode()
    return Response(_prefixed(media, f"{track.stream_id}/v0/"), media_type=HLS_TYPE)


async def variant(request: Request) -> Response:
    folder = _variant_dir(_track(request), request.path_params["k"])
    return Response(_read(folder / "index.m3u8"), media_type=HLS_TYPE)


async def segment(request: Request) -> Response:
    folder = _variant_dir(_track(request), request.path_params["k"])
    return Response(_read(folder / f"seg{request.path_params['n']}.ts"), media_type=TS_TYPE)


def routes() -> list[Route]:
    return [
        endpoint("/stream/{stream_id}", GET=manifest),
        endpoint("/stream/{stream_id}/v{k:int}/index.m3u8", GET=variant),
        endpoint("/stream/{stream_id}/v{k:int}/seg{n:int}.ts", GET=segment),
    ]
