"""`setlist radio ITEM` and `setlist play radio:ID` in a subprocess, on the demo catalog,
with real libmpv (ao=null)."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_support import make_home


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo):
    home = make_home(tmp_path, monkeypatch)
    home.attach(demo)
    return home


def play_lines(args: list[str], wanted: int, *, within: float = 30.0) -> list[dict]:
    """The first `wanted` JSON lines of `setlist ARGS --json`, then SIGTERM."""
    process = subprocess.Popen(
        [sys.executable, "-m", "setlist", *args, "--json", "--mpv-option", "ao=null"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[dict] = []
    deadline = time.monotonic() + within
    try:
        assert process.stdout is not None
        while len(lines) < wanted:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([process.stdout], [], [], max(0.0, left))
            if not ready:
                break
            line = process.stdout.readline()  # setlist play writes whole lines, flushed
            if not line:
                break
            lines.append(json.loads(line))
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert len(lines) >= wanted, (lines, err)
    return lines


def test_setlist_radio_plays_the_track_then_similar_ones(home):
    lines = play_lines(["radio", "--demo", "jamendo:track:1004"], 2)
    tracks = [line["track"] for line in lines if line["event"] == "track"]
    assert tracks[0]["id"] == "1004"
    assert tracks[1]["id"] != "1004" and tracks[1]["provider"] == "jamendo"


def test_setlist_play_of_a_radio_names_each_song_it_plays(home):
    # The demo's radio stream is one short song: looped, the entry plays on while the
    # radio's schedule moves to its next songs (4 to 7 s each).
    args = ["play", "--demo", "radio:1", "--mpv-option", "loop-file=inf"]
    lines = play_lines(args, 3, within=40)
    tracks = [line for line in lines if line["event"] == "track"]
    assert len({t["entry"] for t in tracks}) == 1, "one entry, renamed"
    songs = [t["track"]["album_title"] for t in tracks]
    assert len(set(songs)) == len(songs) == 3, songs
    assert all(t["track"]["title"] == "Electronic" for t in tracks)
