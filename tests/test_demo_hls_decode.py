"""libmpv itself decodes a demo HLS track fetched with the bearer token (and not without)."""

from __future__ import annotations

import locale
import threading
from pathlib import Path

import httpx
import mpv
import pytest

from playback_audio import dominant_frequency, pcm_options, read_pcm
from setlist.demo.catalog import DEMO_OTP_CODE, DEMO_TENANT_SLUG, load
from setlist.demo.server import DemoServer

TRACK = load().ym_track_by_id[3002]  # one variant: a media playlist of relative segment URIs


def token_for(server: DemoServer) -> str:
    email = "decoder@demo.setlist"
    with httpx.Client(base_url=server.yourmusic_url) as http:
        http.post("/auth/email/otp", json={"tenant": DEMO_TENANT_SLUG, "email": email})
        verified = http.post(
            "/auth/email/verify",
            json={
                "tenant": DEMO_TENANT_SLUG,
                "email": email,
                "code": DEMO_OTP_CODE,
                "device_id": "550e8400-e29b-41d4-a716-446655440000",
            },
        ).json()
        session = http.post(
            "/auth/onboarding",
            json={
                "onboarding_token": verified["onboarding_token"],
                "first_name": "De",
                "last_name": "Coder",
                "date_of_birth": "1990-01-15",
            },
        ).json()
    return session["access_token"]


def decode(url: str, out: Path, headers: list[str]) -> str | None:
    """Play `url` to a pcm file as fast as mpv decodes; the end-file error, if any."""
    locale.setlocale(locale.LC_NUMERIC, "C")
    player = mpv.MPV(ytdl=False, video=False, untimed=True, **pcm_options(out))
    ended = threading.Event()
    reason: dict[str, str | None] = {}

    @player.event_callback("end-file")
    def on_end(event: mpv.MpvEvent) -> None:
        data = event.data
        if data is not None and getattr(data, "reason", None) == mpv.MpvEventEndFile.ERROR:
            reason["error"] = str(data.error)
        ended.set()

    try:
        player["http-header-fields"] = headers
        player.play(url)
        assert ended.wait(30), "mpv never finished the stream"
    finally:
        player.terminate()
    return reason.get("error")


def test_libmpv_decodes_the_stream_with_the_token_at_the_catalogs_pitch(server, tmp_path):
    url = f"{server.yourmusic_url}/stream/{TRACK.stream_id}"
    out = tmp_path / "with-token.pcm"
    error = decode(url, out, [f"Authorization: Bearer {token_for(server)}"])
    audio = read_pcm(out)
    assert error is None
    assert len(audio) / 44100 == pytest.approx(TRACK.duration, abs=0.1)
    assert dominant_frequency(audio) == pytest.approx(TRACK.pitch_hz, abs=2)


def test_without_the_token_the_stream_fails(server, tmp_path):
    url = f"{server.yourmusic_url}/stream/{TRACK.stream_id}"
    out = tmp_path / "without-token.pcm"
    error = decode(url, out, [])
    assert error is not None
    assert not out.exists() or out.stat().st_size == 0
