"""The mpv engine against real libmpv: what it plays, the events it sends, and that it
never holds up the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from playback_audio import (
    RATE,
    dominant_frequency,
    pcm_options,
    read_pcm,
    realtime_options,
    tones,
)
from setlist.core.errors import ConfigError
from setlist.core.protocols import StreamSource
from setlist.demo.catalog import load, media_dir
from setlist.playback import engine as engine_module
from setlist.playback.engine import (
    LIBMPV_MISSING,
    Engine,
    EngineEvent,
    Paused,
    Resumed,
    SecondReached,
    TrackEnded,
    TrackStarted,
    VolumeChanged,
)
from setlist.playback.mpv_options import encode_file_options, merge_options, parse_mpv_options

CATALOG = load()
JM = media_dir() / "jm"


def jm_pitch(track_id: str) -> float:
    return CATALOG.jm_track_by_id[track_id].pitch_hz


def jm_file(track_id: str, ext: str = "mp3") -> StreamSource:
    return StreamSource(url=str(JM / f"{track_id}.{ext}"))


@pytest.fixture
async def make_engine() -> AsyncIterator[Callable[..., Engine]]:
    engines: list[Engine] = []

    def make(options: dict[str, str], **kwargs: float) -> Engine:
        engine = Engine(options, **kwargs)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        await engine.shutdown()


async def next_event(engine: Engine, kind: type, *, within: float = 10.0) -> EngineEvent:
    """The next event of `kind`, skipping others."""
    deadline = time.monotonic() + within
    while True:
        event = await asyncio.wait_for(engine.events.get(), deadline - time.monotonic())
        if isinstance(event, kind):
            return event


async def collect_until_ended(engine: Engine, tag: str, *, within: float = 20.0) -> list:
    events = []
    deadline = time.monotonic() + within
    while True:
        event = await asyncio.wait_for(engine.events.get(), deadline - time.monotonic())
        events.append((time.monotonic(), event))
        if isinstance(event, TrackEnded) and event.tag == tag and event.reason != "redirect":
            return events


class LoopLag:
    """The longest the event loop went without running a 5 ms ticker, in ms."""

    def __init__(self) -> None:
        self.worst_ms = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            late = (time.perf_counter() - before - 0.005) * 1000
            self.worst_ms = max(self.worst_ms, late)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_plays_a_demo_mp3_at_its_catalog_pitch(make_engine, tmp_path):
    out = tmp_path / "out.pcm"
    engine = make_engine(pcm_options(out))
    await engine.start()
    tag = await engine.load(jm_file("1003"))
    await collect_until_ended(engine, tag)

    audio = read_pcm(out)
    assert len(audio) / RATE == pytest.approx(CATALOG.jm_track_by_id["1003"].duration, abs=0.05)
    middle = audio[RATE : 2 * RATE]
    assert dominant_frequency(middle) == pytest.approx(jm_pitch("1003"), abs=1.0)


async def test_events_come_in_order_and_the_queued_file_follows_gaplessly(make_engine, tmp_path):
    out = tmp_path / "out.pcm"
    engine = make_engine(pcm_options(out))
    await engine.start()
    first = await engine.load(jm_file("1004"), tag="first")
    second = await engine.queue_next(jm_file("1002", "ogg"), tag="second")
    assert (first, second) == ("first", "second")
    events = [e for _, e in await collect_until_ended(engine, "second")]

    lifecycle = [
        (type(e).__name__, e.tag, getattr(e, "reason", None))
        for e in events
        if isinstance(e, TrackStarted | TrackEnded)
    ]
    assert lifecycle == [
        ("TrackStarted", "first", None),
        ("TrackEnded", "first", "eof"),
        ("TrackStarted", "second", None),
        ("TrackEnded", "second", "eof"),
    ]
    ended = events[-1]
    assert ended.error is None
    assert [t.pitch for t in tones(read_pcm(out))] == [jm_pitch("1004"), jm_pitch("1002")]


async def test_a_broken_file_handed_over_next_is_not_the_playing_files_trouble(
    make_engine, tmp_path
):
    # mpv opens the file that follows before the playing one ends; its failure to
    # open belongs to it alone, not to the track the listener is hearing.
    engine = make_engine(pcm_options(tmp_path / "out.pcm", speed=4.0))
    await engine.start()
    await engine.load(jm_file("1003"), tag="first")
    missing = StreamSource(url=str(tmp_path / "missing.mp3"))
    await engine.queue_next(missing, tag="broken")
    ends = [e for _, e in await collect_until_ended(engine, "broken") if isinstance(e, TrackEnded)]
    first_end = ends[0]
    assert (first_end.tag, first_end.reason, first_end.error) == ("first", "eof", None)
    assert ends[-1].tag == "broken" and ends[-1].reason == "error"


async def test_a_position_event_comes_once_a_second_of_audio(make_engine):
    engine = make_engine(realtime_options(speed=2.0))
    await engine.start()
    tag = await engine.load(jm_file("1001"))  # 6 s of audio: 3 s of wall time
    sampled: list[float] = []

    async def sample() -> None:
        while True:
            await asyncio.sleep(0.03)
            if engine.current == tag and engine.position is not None:
                sampled.append(engine.position)

    sampler = asyncio.create_task(sample())
    try:
        events = await collect_until_ended(engine, tag)
    finally:
        sampler.cancel()

    positions = [e for _, e in events if isinstance(e, SecondReached)]
    assert all(e.tag == tag for e in positions)
    # One as each second begins, in order: when what the progress display shows changes.
    assert [int(e.time_pos) for e in positions] == list(range(6))
    assert all(e.time_pos - int(e.time_pos) < 0.5 for e in positions)
    assert positions[-1].duration == pytest.approx(6.0, abs=0.1)
    # In between, the position still moves on (a state saved mid-second holds it).
    assert sampled == sorted(sampled) and sampled[-1] > 5.0
    assert len({round(p % 1, 1) for p in sampled}) >= 6


async def test_a_track_stopped_part_way_ends_at_the_exact_position(make_engine, tmp_path):
    # Where a resume starts (after an expired token, or a quit). mpv reports the
    # position as a whole second while it plays, and exactly as the file closes.
    # Paced by a filter at 4x, the audio runs ahead of the wall clock: a position
    # reckoned from whole seconds and the clock would fall behind it.
    out = tmp_path / "out.pcm"
    engine = make_engine(pcm_options(out, speed=4.0))
    await engine.start()
    tag = await engine.load(jm_file("1007"))  # 45 s long
    while (await next_event(engine, SecondReached)).time_pos < 3.0:
        pass
    await asyncio.sleep(0.3)  # about 1.2 s of audio
    await engine.stop()
    ended = await next_event(engine, TrackEnded)
    assert ended.tag == tag and ended.reason == "stop"
    decoded = len(read_pcm(out)) / RATE
    assert ended.position is not None and ended.position > 3.5
    # What was decoded runs ahead of what was heard by mpv's audio buffer, no more.
    assert 0.0 <= decoded - ended.position < 0.6


async def test_a_start_part_way_in_is_the_position_from_the_first_moment(make_engine):
    engine = make_engine(realtime_options())
    await engine.start()
    await engine.load(jm_file("1007"), start=2.6)
    first = await next_event(engine, SecondReached)
    assert 2.6 <= first.time_pos < 3.0
    position = engine.position
    assert position is not None and 2.6 <= position < 3.0  # not 2, the whole second


async def test_a_seek_while_paused_holds_its_target_until_play_resumes(make_engine):
    engine = make_engine(realtime_options())
    await engine.start()
    await engine.load(jm_file("1007"))
    await next_event(engine, SecondReached)
    await engine.pause()
    await next_event(engine, Paused)
    assert await engine.seek(20.05)
    await asyncio.sleep(0.5)  # mpv reports where it stands meanwhile (a little short)
    assert engine.position == pytest.approx(20.05, abs=0.001)
    await engine.resume()
    position = await next_event(engine, SecondReached)
    assert 20.05 <= position.time_pos < 21.5


async def test_pause_stops_position_events_until_resumed(make_engine):
    engine = make_engine(realtime_options())
    await engine.start()
    await engine.load(jm_file("1007"))  # 45 s long
    while (await next_event(engine, SecondReached)).time_pos < 1.0:
        pass
    await engine.pause()
    paused = await next_event(engine, Paused)
    assert engine.paused and paused.tag == engine.current
    await asyncio.sleep(0.1)
    held = engine.position
    assert held is not None and held >= 1.0

    quiet = []
    with pytest.raises(TimeoutError):
        while True:
            quiet.append(await asyncio.wait_for(engine.events.get(), 1.0))
    assert not [e for e in quiet if isinstance(e, SecondReached)]
    assert engine.position == pytest.approx(held, abs=0.01)

    await engine.resume()
    await next_event(engine, Resumed)
    position = await next_event(engine, SecondReached)
    assert position.time_pos >= held


async def test_seek_volume_and_mute(make_engine):
    engine = make_engine(realtime_options())
    await engine.start()
    await engine.load(jm_file("1007"))
    await next_event(engine, SecondReached)
    assert await engine.seek(30.0)
    while (await next_event(engine, SecondReached)).time_pos < 30.0:
        pass
    assert await engine.seek(-10.0, relative=True)
    position = await next_event(engine, SecondReached)
    assert 19.5 <= position.time_pos < 25.0

    await engine.set_volume(35)
    changed = await next_event(engine, VolumeChanged)
    assert changed.volume == 35 and engine.volume == 35
    await engine.set_mute(True)
    while not (await next_event(engine, VolumeChanged)).muted:
        pass
    assert engine.muted


async def test_load_can_start_part_way_in(make_engine, tmp_path):
    out = tmp_path / "out.pcm"
    engine = make_engine(pcm_options(out))
    await engine.start()
    tag = await engine.load(jm_file("1005"), start=4.0)  # 6 s long
    await collect_until_ended(engine, tag)
    assert len(read_pcm(out)) / RATE == pytest.approx(2.0, abs=0.1)


async def test_a_missing_file_ends_with_an_error_the_user_can_read(make_engine, tmp_path):
    engine = make_engine(realtime_options())
    await engine.start()
    tag = await engine.load(StreamSource(url=str(tmp_path / "gone.mp3")))
    started_or_ended = await next_event(engine, TrackStarted | TrackEnded)
    assert isinstance(started_or_ended, TrackEnded)
    assert started_or_ended.tag == tag and started_or_ended.reason == "error"
    assert started_or_ended.error


async def test_the_loop_never_waits_on_mpv_while_a_slow_stream_loads(make_engine, demo):
    demo.faults.add("/jamendo/v3.0/_media/*", "latency", delay=1.5)
    engine = make_engine(realtime_options(speed=4.0))
    with LoopLag() as lag:
        await engine.start()
        tag = await engine.load(StreamSource(url=demo.jamendo_url + "/_media/1001.mp3"))
        await engine.queue_next(StreamSource(url=demo.jamendo_url + "/_media/1002.mp3"))
        await engine.set_volume(80)
        await engine.pause()
        await engine.resume()
        await engine.seek(1.0)
        started = await next_event(engine, TrackStarted)
        assert started.tag == tag
        await engine.stop()
        await engine.shutdown()
    print(f"\nworst event-loop lag while loading a slow stream: {lag.worst_ms:.1f} ms")
    assert lag.worst_ms < 20


async def test_shutdown_is_bounded_even_while_a_stream_hangs(make_engine):
    # A server that accepts and never answers: mpv sits in its open.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    try:
        engine = make_engine(realtime_options())
        await engine.start()
        await engine.load(StreamSource(url=f"http://127.0.0.1:{port}/never.mp3"))
        await asyncio.sleep(0.5)
        start = time.monotonic()
        await engine.shutdown(limit=2.0)
        assert time.monotonic() - start < 2.5
        assert not engine.running
    finally:
        listener.close()


def test_mpv_options_from_the_command_line():
    assert parse_mpv_options(
        ["ao=pcm", "--audio-device=alsa/default", "cache_secs=5", "gapless"]
    ) == {
        "ao": "pcm",
        "audio-device": "alsa/default",
        "cache-secs": "5",
        "gapless": "yes",
    }
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_mpv_options(["=oops"])
    merged = merge_options({"volume_max": 150, "cache": False}, {"cache": "yes"})
    assert merged["volume-max"] == "150" and merged["cache"] == "yes" and merged["ytdl"] == "no"
    with pytest.raises(ConfigError, match="ytdl"):
        merge_options({"ytdl": "yes"})


def test_file_options_quote_commas_and_list_items():
    options = encode_file_options({"http-header-fields": ["A: 1,2", "B: x"], "start": "1.5"})
    assert options == r"http-header-fields=%12%A: 1\,2,B: x,start=%3%1.5"


async def test_an_unknown_mpv_option_is_a_config_error_naming_it():
    before = mpv_threads()
    engine = Engine({"no-such-option": "1"})
    with pytest.raises(ConfigError, match="no-such-option"):
        await engine.start()
    await asyncio.sleep(0.2)
    assert new_threads(before) == []  # the refused instance does not linger


async def test_mpvs_lua_scripts_for_a_video_window_are_not_started(make_engine, tmp_path):
    before = mpv_threads()
    engine = make_engine(pcm_options(tmp_path / "out.pcm"))
    await engine.start()
    assert new_threads(before) == ["mpv/mpv core"]  # no "mpv/lua script"


async def test_a_script_switch_this_mpv_lacks_is_left_out(make_engine, tmp_path, monkeypatch):
    # What a newer mpv's switch (or an older mpv's missing one) looks like to libmpv.
    monkeypatch.setitem(engine_module.SCRIPTS_OFF, "load-from-another-mpv", "no")
    before = mpv_threads()
    out = tmp_path / "out.pcm"
    engine = make_engine(pcm_options(out))
    await engine.start()
    assert new_threads(before) == ["mpv/mpv core"]
    tag = await engine.load(jm_file("1001"))
    await collect_until_ended(engine, tag)
    assert dominant_frequency(read_pcm(out)[RATE // 2 : RATE]) == pytest.approx(
        jm_pitch("1001"), abs=3
    )
    # Set by the user, the same unknown switch is their mistake to hear about.
    with pytest.raises(ConfigError, match="load-from-another-mpv"):
        await make_engine({"load-from-another-mpv": "no"}).start()


def mpv_threads() -> dict[str, str]:
    """This process's mpv threads, id to name ("mpv/mpv core", "mpv/lua script", ...)."""
    threads = {}
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            name = (task / "comm").read_text().strip()
            if name.startswith("mpv/"):
                threads[task.name] = name
    return threads


def new_threads(before: dict[str, str]) -> list[str]:
    """The names of mpv threads started since `before`."""
    return sorted(name for tid, name in mpv_threads().items() if tid not in before)


def test_without_libmpv_the_error_is_one_clear_line(tmp_path: Path):
    script = textwrap.dedent(
        """
        import asyncio, ctypes.util, sys
        ctypes.util.find_library = lambda name: None  # as on a machine without libmpv
        from setlist.playback.engine import Engine
        try:
            asyncio.run(Engine().start())
        except Exception as exc:
            print(type(exc).__name__)
            print(exc)
            sys.exit(3)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout.splitlines() == ["LibmpvMissing", LIBMPV_MISSING]
