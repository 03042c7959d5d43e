"""Playback: how soon audio starts after `play`, and the gap between consecutive tracks.

Everything plays from a demo catalog server run as `setlist demo --serve` in a process
of its own, so serving costs the same whoever asks. mpv writes what it decodes to a
file (`ao=pcm`, s16 mono 44.1 kHz); "first audio" is the moment the first non-silent
sample of the track appears in that file, polled every half millisecond.

(a) Time to first audio on the same demo HLS stream (YourMusic track 3002, bearer token):
    - setlist in this process, `Player.play()` with its engine already running (the app
      and the daemon start mpv once per run), against `mpv` idle with `loadfile` sent
      over its IPC socket: the same work on both sides;
    - `setlist ctl play track:3002` from exec, a setlist daemon running, against the
      `mpv` command line from exec: from a command typed to sound;
    - the whole `setlist play track:3002` command from exec, against the `mpv` command
      line from exec: start-up included (Python's and its imports, mpv's).
    setlist looks the track up and fetches its manifest; mpv is handed the manifest's
    URL. Both are signed in to the same demo server. Medians of RUNS runs; goal
    (issue 4): setlist / mpv <= 1.15.
(b) The silence decoded between consecutive tracks (`setlist play`, paced at 8x real
    time as in the player tests), MP3 (Jamendo) and HLS/AAC (YourMusic), next to the
    mpv command line on the same streams and to the codec's own priming.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.terminal import isolated_env
from setlist.demo.catalog import DEMO_EMAIL, DEMO_OTP_CODE, DEMO_TENANT_SLUG, load
from setlist.playback.engine import Engine
from setlist.playback.player import Player
from setlist.playback.streams import make_resolver
from setlist.providers.yourmusic import YourMusicAuth, YourMusicClient
from setlist.store.secret_fallbacks import MemoryStore

# The decoded-audio analysis of the player tests (pitch runs, silences), reused as is.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from playback_audio import RATE, longest_silence_near, pcm_options, tones

RUNS = 25  # each side; the warm figures are ~8 ms, so a run-to-run jitter of 1 ms needs many
WARM_UP = 3  # runs of each side left out: the first loads are slower on both sides
HLS_TRACK = "3002"
# label, provider, track ids
GAP_RUNS = (
    ("MP3 (Jamendo 1001-1003)", "jamendo", ("1001", "1002", "1003")),
    ("HLS/AAC (YourMusic 3002-3004)", "yourmusic", ("3002", "3003", "3004")),
)
AAC_PRIMING_MS = 1024 / RATE * 1000  # the AAC encoder's first frame, before the audio
LOUD = 0.01 * 32768  # a sample above this is sound, not silence
PACE = 8.0  # real time multiple for the gap runs


def main() -> None:
    env = isolated_env()
    with demo_server(env) as urls, tempfile.TemporaryDirectory(prefix="setlist-pcm-") as tmp:
        work = Path(tmp)
        stream = asyncio.run(hls_stream(urls["YourMusic"]))
        first_audio(stream, env, work)
        gaps(urls, stream, env, work)


# -- the demo server and its stream


@contextlib.contextmanager
def demo_server(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """`setlist demo --serve` in its own process: its URLs by name (YourMusic, Jamendo)."""
    command = [sys.executable, "-m", "setlist", "demo", "--serve"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    urls: dict[str, str] = {}
    for line in process.stdout:
        name, _, url = line.partition(" ")
        if name in ("YourMusic", "Jamendo", "Last.fm"):
            urls[name] = url.strip()
        if len(urls) == 3:
            break
    # Keep reading what it prints (sign-in codes), so its pipe never fills.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    try:
        yield urls
    finally:
        process.terminate()
        process.wait(10)


@dataclass(frozen=True)
class Stream:
    yourmusic_url: str
    manifest_url: str
    header: str  # "Authorization: Bearer ..."


async def signed_in(yourmusic_url: str) -> YourMusicClient:
    client = YourMusicClient(yourmusic_url, DEMO_TENANT_SLUG, YourMusicAuth(MemoryStore()))
    await client.auth.request_code(DEMO_EMAIL)
    await client.auth.verify(DEMO_EMAIL, DEMO_OTP_CODE)
    return client


async def hls_stream(yourmusic_url: str) -> Stream:
    async with await signed_in(yourmusic_url) as client:
        url, _ = await client.stream_manifest(await client.track(HLS_TRACK))
        token = await client.auth.token()
    # mpv's side of the comparison is given the token the way setlist no longer does.
    return Stream(yourmusic_url, url, f"Authorization: Bearer {token}")


# -- (a) time to first audio


def first_audio(stream: Stream, env: dict[str, str], work: Path) -> None:
    print(f"Time to first audio, demo HLS stream (YourMusic {HLS_TRACK}), median of {RUNS}")
    print("  (the two sides of each pair alternate, run by run, so both see the same load)")
    with SetlistRunning(stream, work / "player.pcm") as ours, MpvRunning(stream, work) as theirs:
        warm_setlist, warm_mpv = interleaved(ours.play, theirs.play)
    signed = signed_in_env(stream)
    with DaemonRunning(signed, work / "daemon.pcm") as daemon:
        ctl, ctl_mpv = interleaved(daemon.play, lambda: mpv_from_exec(stream, work))
    cold_setlist, cold_mpv = interleaved(
        lambda: setlist_play_from_exec(signed, work), lambda: mpv_from_exec(stream, work)
    )
    report("setlist Player.play(), engine running", warm_setlist)
    report("mpv running, loadfile over IPC", warm_mpv)
    ratio("setlist / mpv, both running", warm_setlist, warm_mpv)
    report("setlist ctl play track:ID, from exec", ctl)
    report("mpv command line, from exec", ctl_mpv)
    ratio("setlist ctl play (daemon running) / mpv", ctl, ctl_mpv)
    report("setlist play track:ID, from exec", cold_setlist)
    report("mpv command line, from exec", cold_mpv)
    ratio("setlist play / mpv command line", cold_setlist, cold_mpv)
    print()


def signed_in_env(stream: Stream) -> dict[str, str]:
    """An environment for setlist signed in to the demo server's YourMusic with the
    bench's token (SETLIST_YOURMUSIC_TOKEN), as mpv is with its header."""
    config = f'[yourmusic]\nbase_url = "{stream.yourmusic_url}"\ntenant = "{DEMO_TENANT_SLUG}"\n'
    env = isolated_env(config)
    env["SETLIST_YOURMUSIC_TOKEN"] = stream.header.removeprefix("Authorization: Bearer ")
    return env


def interleaved(
    ours: Callable[[], float], theirs: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """RUNS timings of each, after WARM_UP unreported runs (connections, caches)."""
    mine: list[float] = []
    other: list[float] = []
    for run in range(WARM_UP + RUNS):
        pair = [(ours, mine), (theirs, other)]
        for measure, into in pair if run % 2 else reversed(pair):
            into.append(measure())
    return mine[WARM_UP:], other[WARM_UP:]


class SetlistRunning:
    """`Player.play()` in a process of its own (as mpv is), told to play over a pipe."""

    def __init__(self, stream: Stream, out: Path) -> None:
        self.out = out
        command = [sys.executable, "-m", "bench.bench_playback", stream.yourmusic_url, str(out)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def __enter__(self) -> SetlistRunning:
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the player process did not start")
        return self

    def play(self) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        offset = settled_size(self.out)
        started = time.perf_counter()
        self.process.stdin.write("play\n")
        self.process.stdin.flush()
        elapsed = first_sound(self.out, offset, started)
        self.process.stdin.write("stop\n")
        self.process.stdin.flush()
        self.process.stdout.readline()
        return elapsed

    def __exit__(self, *_: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


async def player_worker(yourmusic_url: str, out: Path) -> None:
    """The other end of `SetlistRunning`: a Player that plays on "play", stops on "stop"."""
    client = await signed_in(yourmusic_url)
    player = Player(Engine(pcm_options(out)), make_resolver({"yourmusic": client}))
    await player.start(restore=False)
    track = await client.track(HLS_TRACK)
    lines = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(lines), sys.stdin)
    print("ready", flush=True)
    try:
        while line := (await lines.readline()).decode().strip():
            if line == "play":
                await player.add([track], where="now")
            else:
                await player.clear()
                print("stopped", flush=True)
    finally:
        await player.close()
        await client.aclose()


class MpvRunning:
    """`mpv --idle`, told to `loadfile` over its IPC socket."""

    def __init__(self, stream: Stream, work: Path) -> None:
        self.stream = stream
        self.out = work / "ipc.pcm"
        socket_path = work / "mpv.sock"
        args = ["--idle=yes", f"--input-ipc-server={socket_path}"]
        command = mpv_command(self.out, stream.header, *args)
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        self.connection = connect(socket_path)

    def __enter__(self) -> MpvRunning:
        return self

    def play(self) -> float:
        offset = settled_size(self.out)
        started = time.perf_counter()
        send(self.connection, ["loadfile", self.stream.manifest_url, "replace"])
        elapsed = first_sound(self.out, offset, started)
        send(self.connection, ["stop"])
        return elapsed

    def __exit__(self, *_: object) -> None:
        self.connection.close()
        self.process.terminate()
        self.process.wait(10)


def mpv_from_exec(stream: Stream, work: Path) -> float:
    out = fresh(work / "mpv-exec.pcm")
    started = time.perf_counter()
    command = mpv_command(out, stream.header, stream.manifest_url)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    try:
        return first_sound(out, 0, started)
    finally:
        process.terminate()
        process.wait(10)


class DaemonRunning:
    """`setlist daemon`, told to play with `setlist ctl play` (a process per run)."""

    def __init__(self, env: dict[str, str], out: Path) -> None:
        self.env = env
        self.out = out
        command = [sys.executable, "-m", "setlist", "daemon", "--foreground", *mpv_flags(out)]
        self.process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self) -> DaemonRunning:
        deadline = time.monotonic() + 20
        while self.ctl("status").returncode != 0:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError("the daemon did not start")
            time.sleep(0.1)
        return self

    def ctl(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "setlist", "ctl", *args]
        return subprocess.run(command, env=self.env, capture_output=True, check=False)

    def play(self) -> float:
        offset = settled_size(self.out)
        started = time.perf_counter()
        command = [
            *(sys.executable, "-m", "setlist", "ctl", "play", "--replace"),
            *("--provider", "yourmusic", f"track:{HLS_TRACK}"),
        ]
        process = subprocess.Popen(
            command, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
        elapsed = first_sound(self.out, offset, started)
        process.wait(10)
        self.ctl("stop")
        return elapsed

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(10)


def mpv_flags(out: Path, speed: float | None = None) -> list[str]:
    """setlist's --mpv-option flags for the pcm output to `out`."""
    options = pcm_options(out, speed=speed)
    return [a for k, v in options.items() for a in ("--mpv-option", f"{k}={v}")]


def setlist_play_from_exec(env: dict[str, str], work: Path) -> float:
    out = fresh(work / "play-exec.pcm")
    command = [
        *(sys.executable, "-m", "setlist", "play", "--provider", "yourmusic"),
        *(f"track:{HLS_TRACK}", *mpv_flags(out)),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return first_sound(out, 0, started)
    finally:
        process.terminate()
        process.wait(10)


def fresh(path: Path) -> Path:
    path.unlink(missing_ok=True)
    return path


def mpv_command(out: Path, header: str, *args: str) -> list[str]:
    options = [f"--{key}={value}" for key, value in pcm_options(out).items()]
    return [
        "mpv",
        "--no-config",
        "--no-video",
        "--really-quiet",
        "--ytdl=no",
        f"--http-header-fields={header}",
        *options,
        *args,
    ]


def first_sound(path: Path, offset: int, started: float, limit: float = 20.0) -> float:
    """Seconds from `started` until `path` holds a non-silent sample past `offset`."""
    position = offset
    while (elapsed := time.perf_counter() - started) < limit:
        size = path.stat().st_size if path.exists() else 0
        if size - position >= 2:
            with path.open("rb") as file:
                file.seek(position)
                data = file.read((size - position) // 2 * 2)
            if np.any(np.abs(np.frombuffer(data, dtype="<i2")) > LOUD):
                return time.perf_counter() - started
            position += len(data)
        time.sleep(0.0005)
    return elapsed  # no sound within the limit: reported as such, never an exception


def settled_size(path: Path) -> int:
    """The file's size once mpv has stopped writing to it (the end of the last run)."""
    size = -1
    while True:
        current = path.stat().st_size if path.exists() else 0
        if current == size:
            return size
        size = current
        time.sleep(0.05)


def connect(sock: Path, limit: float = 10.0) -> socket.socket:
    deadline = time.monotonic() + limit
    while True:
        try:
            connection = socket.socket(socket.AF_UNIX)
            connection.connect(str(sock))
            return connection
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def send(connection: socket.socket, command: list[str]) -> None:
    connection.sendall(json.dumps({"command": command}).encode() + b"\n")


# -- (b) the gap between tracks


def gaps(urls: dict[str, str], stream: Stream, env: dict[str, str], work: Path) -> None:
    print(f"Silence decoded between consecutive tracks (paced at {PACE:g}x), per boundary")
    catalog = load()
    for label, provider, ids in GAP_RUNS:
        if provider == "jamendo":
            direct = [f"{urls['Jamendo']}/_media/{i}.mp3" for i in ids]
        else:
            direct = [
                f"{urls['YourMusic']}/stream/{catalog.ym_track_by_id[int(i)].stream_id}"
                for i in ids
            ]
        ours, theirs = work / f"gap-setlist-{provider}.pcm", work / f"gap-mpv-{provider}.pcm"
        run_setlist_play(env, ours, [f"{provider}:track:{i}" for i in ids])
        run_mpv(theirs, stream.header, direct)
        print(f"  {label}")
        print(f"    setlist play   {describe(boundary_gaps(ours), len(ids))}")
        print(f"    mpv            {describe(boundary_gaps(theirs), len(ids))}")
    print(
        f"  Codec priming: AAC {AAC_PRIMING_MS:.1f} ms (one 1024-sample frame); MP3 0 ms "
        "(LAME's header gives its delay and padding, which the decoder trims)"
    )


def run_setlist_play(env: dict[str, str], out: Path, items: list[str]) -> None:
    command = [sys.executable, "-m", "setlist", "play", "--demo", *items, *mpv_flags(out, PACE)]
    subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def run_mpv(out: Path, header: str, urls: list[str]) -> None:
    command = mpv_command(out, header, f"--af=lavfi=[arealtime=speed={PACE}]", *urls)
    subprocess.run(command, stdin=subprocess.DEVNULL, timeout=120, check=False)


def boundary_gaps(path: Path) -> list[float]:
    """Milliseconds of silence at each change of pitch (one tone per demo track)."""
    if not path.exists():
        return []
    samples = np.frombuffer(path.read_bytes(), dtype="<i2").astype(np.float64) / 32768.0
    runs = [t for t in tones(samples) if t.length >= 0.5]
    changes = [b.start for a, b in itertools.pairwise(runs) if a.pitch != b.pitch]
    return [longest_silence_near(samples, at) * 1000 for at in changes]


def describe(found: list[float], tracks: int) -> str:
    if len(found) != tracks - 1:
        return f"{len(found)} boundaries heard of {tracks - 1} (a track missing?)"
    return ", ".join(f"{gap:.1f} ms" for gap in found)


# -- printing


def report(label: str, seconds: list[float]) -> None:
    values = " ".join(f"{s * 1000:.0f}" for s in seconds)
    print(f"  {label:<42} {statistics.median(seconds) * 1000:7.1f} ms   (runs: {values})")


def ratio(label: str, ours: list[float], theirs: list[float]) -> None:
    value = statistics.median(ours) / statistics.median(theirs)
    verdict = "meets" if value <= 1.15 else "misses"
    print(f"  {label:<42} {value:7.2f}      ({verdict} the goal of 1.15)")


if __name__ == "__main__":  # the player process of `setlist_running`
    asyncio.run(player_worker(sys.argv[1], Path(sys.argv[2])))
