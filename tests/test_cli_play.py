"""`setlist play`: headless play in a subprocess, with real libmpv writing what it plays.

mpv's `pcm` output writes the decoded audio to a file (`playback_audio`): as fast as
it decodes, or paced with `arealtime` when the test has to act while a track plays.
Each demo track is a tone of its own pitch, so the audio tells what was heard.
"""

from __future__ import annotations

import functools
import json
import os
import pty
import queue
import select
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pytest

from cli_support import CliHome, make_home
from playback_audio import RATE, pcm_options, pitch_sequence, read_pcm
from setlist.core.items import Item, MissingFile, file_track, parse_item, url_track
from setlist.core.queue import Queue, RepeatMode
from setlist.demo.catalog import load, media_dir
from setlist.demo.server import DemoServer
from setlist.store.state import PlayerState, StateStore
from yourmusic_support import NO_THROTTLE

CATALOG = load()
TONE_LINES = [
    "▶ Morning Tone — The Sine Waves (Tone Studies) [yourmusic]",
    "▶ Evening Tone — The Sine Waves (Tone Studies) [yourmusic]",
    "▶ Noon Tone — The Sine Waves (Tone Studies) [yourmusic]",
    "▶ Midnight Tone — The Sine Waves (Tone Studies) [yourmusic]",
    "▶ Twilight Tone — The Sine Waves (Tone Studies) [yourmusic]",
    "▶ The Long Tone (Extended) — The Sine Waves (Tone Studies) [yourmusic]",
]


def ym_pitch(track_id: str) -> float:
    return CATALOG.ym_track_by_id[int(track_id)].pitch_hz


def jm_pitch(track_id: str) -> float:
    return CATALOG.jm_track_by_id[track_id].pitch_hz


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliHome:
    return make_home(tmp_path, monkeypatch)


@pytest.fixture
def demo_home(home: CliHome, make_demo: Callable[..., DemoServer]) -> CliHome:
    home.attach(make_demo(**NO_THROTTLE))
    return home


def audio_args(out: Path, *, speed: float | None = None) -> list[str]:
    """`--mpv-option`s writing the decoded audio to `out` (paced at `speed` x real time)."""
    options = pcm_options(out, speed=speed)
    if speed is None:
        options["untimed"] = "yes"
    return [arg for key, value in options.items() for arg in ("--mpv-option", f"{key}={value}")]


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "setlist", "play", *args]


def run(*args: str, stdin: Any = subprocess.DEVNULL, timeout: float = 60) -> Any:
    return subprocess.run(
        command(*args), stdin=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )


def saved_state(home: CliHome) -> PlayerState:
    """What `setlist play` saved (for --resume): its own, apart from the app's."""
    state = StateStore(home.dirs["XDG_STATE_HOME"] / "setlist" / "play").load()
    assert state is not None
    return state


def app_state(home: CliHome) -> PlayerState:
    """What the app and the daemon saved."""
    state = StateStore(home.dirs["XDG_STATE_HOME"] / "setlist").load()
    assert state is not None
    return state


def current_track_id(state: PlayerState) -> str:
    entries = {e.id: e for e in state.queue.entries}
    assert state.queue.current is not None
    return entries[state.queue.current].track.id


class Lines:
    """Lines a running process writes, read on a thread so a test can wait with a limit."""

    def __init__(self, stream: Any) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def next(self, within: float = 30.0) -> str:
        line = self._lines.get(timeout=within)
        assert line is not None, f"the output ended; it was {self.seen}"
        self.seen.append(line)
        return line


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def start(processes: list[subprocess.Popen[str]], *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        command(*args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.append(process)
    return process


def wait_for_state(home: CliHome, ready: Callable[[PlayerState], bool], within: float = 15) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if ready(saved_state(home)):
                return
        except (FileNotFoundError, msgspec.DecodeError, AssertionError, KeyError):
            pass
        time.sleep(0.1)
    raise AssertionError("the state file never got there")


def wait_for_audio(out: Path, pitch: float, within: float = 15) -> None:
    """Until the decoded audio so far ends in `pitch`: that track is being heard."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        data = out.read_bytes() if out.exists() else b""
        samples = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2") / 32768.0  # mid-write
        heard = pitch_sequence(samples, min_length=0.2)
        if heard and heard[-1] == pitch:
            return
        time.sleep(0.1)
    raise AssertionError(f"{pitch} Hz was never heard")


# -- what a listener sees and hears


def test_a_search_plays_its_tracks_in_order_and_exits_at_the_end(demo_home, tmp_path):
    result = run("--demo", "tone", *audio_args(tmp_path / "a.pcm"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == TONE_LINES  # the first catalog set up: YourMusic
    assert "Traceback" not in result.stderr


def test_provider_picks_the_catalog_searched(demo_home, tmp_path):
    result = run("--demo", "--provider", "jamendo", "tone", *audio_args(tmp_path / "p.pcm"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "▶ Neon Tone — Pulse Garden (Neon Night Circuits) [jamendo]"
    assert len(lines) > 1 and all(line.endswith("[jamendo]") for line in lines)


def test_three_tracks_are_heard_in_queue_order(demo_home, tmp_path):
    ids = ["3002", "3004", "3003"]
    out = tmp_path / "three.pcm"
    result = run("--demo", *(f"track:{i}" for i in ids), *audio_args(out))
    assert result.returncode == 0, result.stderr
    assert [line.split(" — ")[0] for line in result.stdout.splitlines()] == [
        "▶ Noon Tone",
        "▶ Twilight Tone",
        "▶ Midnight Tone",
    ]
    audio = read_pcm(out)
    assert pitch_sequence(audio) == [ym_pitch(i) for i in ids]
    expected = sum(CATALOG.ym_track_by_id[int(i)].duration for i in ids)
    assert len(audio) / RATE == pytest.approx(expected, abs=0.2)


def test_json_lines_name_the_event_entry_track_and_position(demo_home, tmp_path):
    args = ("--json", "yourmusic:track:3002", "jamendo:track:1008", "jamendo:track:1008")
    result = run("--demo", *args, *audio_args(tmp_path / "j.pcm"))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["event"] for line in lines] == ["track", "track", "track", "end"]
    tracks = [line["track"] for line in lines[:3]]
    assert [(t["provider"], t["id"], t["title"]) for t in tracks] == [
        ("yourmusic", "3002", "Noon Tone"),
        ("jamendo", "1008", "Warm Tone"),
        ("jamendo", "1008", "Warm Tone"),
    ]
    assert tracks[1]["artist_name"] == "Pulse Garden" and tracks[1]["album_title"] == "Warm Static"
    assert len({line["entry"] for line in lines[:3]}) == 3  # the same track twice: two entries
    assert all(line["position"] == 0 for line in lines[:3])


def test_a_local_file_plays_without_any_catalog(home, tmp_path):
    song = media_dir() / "jm" / "1002.mp3"
    out = tmp_path / "local.pcm"
    result = run(str(song), *audio_args(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["▶ 1002 [local]"]
    assert pitch_sequence(read_pcm(out)) == [jm_pitch("1002")]


def test_stdin_that_is_not_a_terminal_is_left_alone(home, tmp_path):
    # "q" through a pipe is not a key press: the track plays to its end.
    song = media_dir() / "jm" / "1004.mp3"
    out = tmp_path / "piped.pcm"
    result = subprocess.run(
        command(str(song), *audio_args(out)),
        input="q\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["▶ 1004 [local]"]
    assert "Keys:" not in result.stderr
    assert len(read_pcm(out)) / RATE == pytest.approx(4.0, abs=0.2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("track:3002", Item("track", "3002")),
        ("album:2000", Item("album", "2000")),
        ("yourmusic:playlist:7a12", Item("playlist", "7a12", "yourmusic")),
        ("jamendo:album:601", Item("album", "601", "jamendo")),
        ("jamendo:1008", Item("track", "1008", "jamendo")),  # a Track's key, as search prints
        ("https://example.com/a%20b.mp3", Item("url", "https://example.com/a%20b.mp3")),
        ("morning tone", Item("search", "morning tone")),
        ("AC/DC", Item("search", "AC/DC")),
    ],
)
def test_item_forms(text, expected):
    assert parse_item(text) == expected


def test_provider_applies_to_items_that_name_none():
    assert parse_item("album:601", provider="jamendo") == Item("album", "601", "jamendo")
    assert parse_item("tone", provider="jamendo") == Item("search", "tone", "jamendo")
    assert parse_item("yourmusic:track:1", provider="jamendo").provider == "yourmusic"


def test_files_play_by_path_or_file_url(tmp_path, monkeypatch):
    song = tmp_path / "My Song.flac"
    song.write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    expected = Item("file", str(song))
    assert parse_item("My Song.flac") == expected
    assert parse_item(f"file://{song}") == expected
    assert file_track(song).title == "My Song"
    assert url_track("https://example.com/music/Best%20Of.ogg").title == "Best Of"
    with pytest.raises(MissingFile, match="Not a file"):
        parse_item(str(tmp_path))


# -- what goes wrong, said in one line


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("spotify:track:4uLU6hMCjMI75M1A2tKUQC", "setlist: Unknown item “spotify:track:"),
        ("yourmusic:artist:1000", "setlist: Unknown item “yourmusic:artist:1000”"),
        ("ftp://example.com/a.mp3", "setlist: Cannot play ftp:// addresses"),
        ("./no-such-song.mp3", "setlist: No such file: ./no-such-song.mp3"),
    ],
)
def test_an_item_that_cannot_be_played_is_one_line_and_exit_1(home, item, message):
    result = run(item)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(message)
    assert "setlist: setlist" not in result.stderr


def test_a_file_that_is_not_audio_is_an_error_line_and_exit_1(home, tmp_path):
    broken = tmp_path / "Broken Song.mp3"
    broken.write_text("not audio at all\n" * 100)
    result = run(str(broken), *audio_args(tmp_path / "b.pcm"))
    assert result.returncode == 1
    assert result.stdout == ""  # it never started: no “▶ Broken Song” line
    assert result.stderr.startswith("setlist: Could not play “Broken Song”")
    assert "Traceback" not in result.stderr


@pytest.fixture
def song_server() -> Iterator[str]:
    """A plain HTTP server on loopback serving the demo's Jamendo files: its base URL."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(media_dir() / "jm"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_url_is_labelled_as_a_url(home, tmp_path, song_server):
    out = tmp_path / "url.pcm"
    result = run(f"{song_server}/1002.mp3", *audio_args(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["▶ 1002 [url]"]
    assert pitch_sequence(read_pcm(out)) == [jm_pitch("1002")]


def test_a_url_that_cannot_be_reached_prints_no_track_line(home, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(f"http://127.0.0.1:{port}/x.mp3", *audio_args(tmp_path / "x.pcm"))
    assert result.returncode == 1
    assert result.stdout == ""  # no “▶ x [local]” for a track that never played
    assert result.stderr.startswith("setlist: Could not play “x”")


def test_no_match_says_so_and_keeps_the_saved_queue(demo_home, tmp_path):
    song = media_dir() / "jm" / "1004.mp3"
    assert run(str(song), *audio_args(tmp_path / "x.pcm")).returncode == 0
    before = saved_state(demo_home)

    result = run("--demo", "zzqxv no such thing")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "setlist: No tracks found for “zzqxv no such thing” on YourMusic or Jamendo."
    )
    assert saved_state(demo_home) == before
    assert run("--demo", "track:999999").stderr.splitlines()[-1] == (
        "setlist: No track 999999 on YourMusic or Jamendo."
    )
    assert run("--demo", "track:doesnotexist").stderr.splitlines()[-1] == (
        "setlist: No track doesnotexist on YourMusic or Jamendo."
    )


def test_a_missing_libmpv_is_one_line_saying_how_to_install_it(home):
    hide_libmpv = (
        "import sys\n"
        "class NoLibmpv:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'mpv':\n"
        "            raise OSError('Cannot find libmpv in the usual places.')\n"
        "sys.meta_path.insert(0, NoLibmpv())\n"
        "from setlist.cli import main\n"
        "sys.exit(main())\n"
    )
    song = str(media_dir() / "jm" / "1004.mp3")
    result = subprocess.run(
        [sys.executable, "-c", hide_libmpv, "play", song],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "setlist: libmpv is not installed: sudo apt-get install libmpv2\n"


# -- stopping and coming back


def test_sigterm_mid_track_stops_cleanly_and_saves_where_it_was(demo_home, tmp_path, processes):
    out = tmp_path / "term.pcm"
    process = start(processes, "--demo", "--json", "track:3005", *audio_args(out, speed=4))
    lines = Lines(process.stdout)
    first = json.loads(lines.next())
    assert first["track"]["title"] == "The Long Tone (Extended)"
    wait_for_state(demo_home, lambda s: s.queue.current == first["entry"])
    wait_for_audio(out, ym_pitch("3005"))
    time.sleep(1.0)
    before = saved_state(demo_home).position

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 143
    assert "Traceback" not in process.stderr.read()
    state = saved_state(demo_home)
    assert state.queue.current == first["entry"]
    heard = len(read_pcm(out)) / RATE
    # Saved at the stop (the last periodic save was seconds of audio before), and no
    # later than what mpv had decoded.
    assert before + 2.0 < state.position <= heard


@pytest.mark.fault(
    "kill -9 of `setlist play` mid-track",
    "`--resume` continues the same entry where the last save had it",
)
def test_kill_9_then_resume_continues_the_same_entry_where_it_was(home, tmp_path, processes):
    # No demo attached: each run starts a demo server of its own, on a new port.
    args = ("--demo", "--json", "jamendo:track:1007", "yourmusic:track:3002")
    # At 2x the 45 s track lasts 22 s: the position saved every 10 s lands inside it
    # even on a loaded machine (at 4x it had 1 s to spare).
    process = start(processes, *args, *audio_args(tmp_path / "first.pcm", speed=2))
    first = json.loads(Lines(process.stdout).next())
    assert first["track"]["title"] == "Slow Tide"
    wait_for_state(home, lambda s: s.queue.current == first["entry"] and s.position > 1)
    process.kill()
    process.wait(timeout=10)
    saved = saved_state(home)

    out = tmp_path / "resumed.pcm"
    result = run("--demo", "--json", "--resume", *audio_args(out))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["entry"] == first["entry"]
    assert lines[0]["track"]["title"] == "Slow Tide"
    assert lines[0]["position"] == pytest.approx(saved.position, abs=0.05)
    assert [line["event"] for line in lines] == ["track", "track", "end"]
    assert lines[1]["entry"] == saved.queue.entries[1].id

    audio = read_pcm(out)
    assert pitch_sequence(audio) == [jm_pitch("1007"), ym_pitch("3002")]
    slow_tide = CATALOG.jm_track_by_id["1007"].duration
    noon = CATALOG.ym_track_by_id[3002].duration
    assert len(audio) / RATE == pytest.approx(slow_tide - saved.position + noon, abs=0.5)


def test_a_one_off_play_leaves_the_apps_queue_volume_shuffle_and_repeat_alone(home, tmp_path):
    # What a person built in the app (or the daemon): two songs, shuffle, repeat, volume.
    songs = [media_dir() / "jm" / "1002.mp3", media_dir() / "jm" / "1004.mp3"]
    built = Queue()
    built.append(file_track(song) for song in songs)
    built.set_shuffle(True)
    built.repeat = RepeatMode.ALL
    built.advance()
    app_store = StateStore(home.dirs["XDG_STATE_HOME"] / "setlist")
    app_store.save(PlayerState(queue=built.snapshot(), position=12.5, volume=40.0, muted=True))
    before = app_state(home)

    other = media_dir() / "jm" / "1001.mp3"
    result = run(str(other), *audio_args(tmp_path / "once.pcm"))
    assert result.returncode == 0, result.stderr
    assert app_state(home) == before

    # `--resume` continues the one-off play's own queue, not the app's.
    resumed = run("--json", "--resume", *audio_args(tmp_path / "again.pcm"))
    assert resumed.returncode == 0, resumed.stderr
    played = [json.loads(line) for line in resumed.stdout.splitlines()]
    assert [line["track"]["title"] for line in played if line["event"] == "track"] == ["1001"]
    assert app_state(home) == before


def test_resume_with_nothing_saved_says_so(home):
    result = run("--resume")
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[-1]
        == "setlist: Nothing saved to resume: give something to play."
    )


# -- keys on a terminal


class Terminal:
    """`setlist play` on a pseudo-terminal, as if typed in a shell: its keys, its output."""

    def __init__(self, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: its controlling terminal is the pty
            os.execv(sys.executable, command(*args))
        self.output = ""
        self.status: int | None = None

    def wait_for(self, text: str, within: float = 30.0) -> None:
        deadline = time.monotonic() + within
        while text not in self.output:
            assert time.monotonic() < deadline, f"never printed {text!r}: {self.output!r}"
            self._read(0.1)

    def press(self, key: str) -> None:
        os.write(self.fd, key.encode())

    def exit_code(self, within: float = 15.0) -> int:
        deadline = time.monotonic() + within
        while self.status is None:
            assert time.monotonic() < deadline, f"still running: {self.output!r}"
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def settings(self) -> int:
        return termios.tcgetattr(self.fd)[3] & (termios.ICANON | termios.ECHO)

    def close(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                self.output += os.read(self.fd, 4096).decode(errors="replace")
            except OSError:  # EIO: the child closed the terminal
                time.sleep(timeout)


@pytest.fixture
def terminal() -> Iterator[Callable[..., Terminal]]:
    opened: list[Terminal] = []

    def open_terminal(*args: str) -> Terminal:
        opened.append(Terminal(*args))
        return opened[-1]

    yield open_terminal
    for term in opened:
        term.close()


def test_keys_on_a_terminal_skip_and_quit_and_leave_it_as_it_was(demo_home, tmp_path, terminal):
    out = tmp_path / "keys.pcm"
    term = terminal("--demo", "track:3005", "track:3002", "track:3003", *audio_args(out, speed=2))
    cooked = termios.ICANON | termios.ECHO
    term.wait_for("▶ The Long Tone (Extended)")
    assert "Keys: space/p pause · > next · < previous" in term.output
    assert term.settings() != cooked  # single keys, no echo, while it plays

    wait_for_audio(out, ym_pitch("3005"))
    term.press("p")  # pauses, as in the app (not "previous")
    term.wait_for("Paused")
    term.press(" ")
    term.wait_for("Resumed")
    term.press("-")
    term.wait_for("Volume 95%")
    term.press("=")
    term.wait_for("Volume 100%")
    term.press("=")  # as loud as it goes: said again rather than nothing
    term.wait_for("Volume 100%\r\nVolume 100%")
    term.press(">")
    term.wait_for("▶ Noon Tone")
    wait_for_audio(out, ym_pitch("3002"))
    term.press("q")
    assert term.exit_code() == 0
    assert term.settings() == cooked
    assert "Midnight Tone" not in term.output
    assert current_track_id(saved_state(demo_home)) == "3002"
    assert pitch_sequence(read_pcm(out), min_length=0.2) == [ym_pitch("3005"), ym_pitch("3002")]


def test_next_at_the_end_of_the_queue_says_so(home, tmp_path, terminal):
    song = media_dir() / "jm" / "1002.mp3"
    out = tmp_path / "end.pcm"
    term = terminal(str(song), *audio_args(out, speed=1))
    term.wait_for("▶ 1002 [local]")
    wait_for_audio(out, jm_pitch("1002"))
    term.press(">")
    term.wait_for("End of the queue")
    term.press(">")
    term.wait_for("End of the queue: nothing after “1002”.\r\nEnd of the queue")
    term.press("q")
    assert term.exit_code() == 0


def test_ctrl_c_on_a_terminal_stops_cleanly_and_saves(demo_home, tmp_path, terminal):
    term = terminal("--demo", "track:3005", *audio_args(tmp_path / "c.pcm", speed=2))
    term.wait_for("▶ The Long Tone (Extended)")
    wait_for_state(demo_home, lambda s: current_track_id(s) == "3005" and s.position > 1)
    term.press("\x03")  # the terminal turns it into SIGINT
    assert term.exit_code() == 130
    assert "Traceback" not in term.output
    assert term.settings() == termios.ICANON | termios.ECHO
    assert saved_state(demo_home).position > 1
