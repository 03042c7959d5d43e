"""`kill -9` in the middle of every kind of save: what is read back is whole.

A child process saves, over and over, one of two versions of something (the
queue and position, a sign-in in the token file) with setlist's own code, big
enough that most of the time goes into writing. The test kills it at random
moments, many times, and reads back with setlist's own loaders: each time, one
version or the other, never a mix, never a damaged file.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import setlist
from setlist.store.state import StateStore
from setlist.store.tokens import FileStore

KILLS = 12
SRC = str(Path(setlist.__file__).parents[1])

SAVERS = {
    "queue and position": """
        from setlist.core.models import Track
        from setlist.core.queue import QueueEntry, QueueSnapshot
        from setlist.store.state import PlayerState, StateStore
        store = StateStore(folder)
        def version(n, size):
            entries = [QueueEntry(id=f"{n}{i:07d}", track=Track(provider="jamendo",
                       id=str(i), title=f"v{n} " + "x" * 200)) for i in range(size)]
            snap = QueueSnapshot(entries=entries, current=entries[-1].id)
            return PlayerState(queue=snap, position=float(n))
        versions = [version(1, 3000), version(2, 5000)]
        def save(n):
            store.save(versions[n])
    """,
    "token file": """
        from setlist.store.tokens import FileStore
        store = FileStore(folder / "tokens.json")
        secrets = [("1" * 200_000), ("2" * 300_000)]
        def save(n):
            store.save("yourmusic", "listener", secrets[n])
    """,
}


def saver(kind: str, folder: Path) -> subprocess.Popen[str]:
    code = (
        "import sys\nfrom pathlib import Path\nfolder = Path(sys.argv[1])\n"
        + textwrap.dedent(SAVERS[kind])
        + "\nprint('ready', flush=True)\nn = 0\nwhile True:\n    save(n % 2)\n    n += 1\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin", "HOME": str(folder)},
    )


def kill_at_random(kind: str, folder: Path, read_back) -> list[object]:
    """Kill the saver at random moments; what was read back after each kill."""
    seen = []
    rng = random.Random(f"{kind}-kills")
    for _ in range(KILLS):
        process = saver(kind, folder)
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.05, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        seen.append(read_back())
    return seen


@pytest.mark.fault(
    "kill -9 while the queue and position are being saved (3,000/5,000 entries)",
    "the next start reads one whole queue with its own position, never a mix or damage",
)
def test_queue_and_position(tmp_path):
    def read_back() -> tuple[int, float, bool]:
        store = StateStore(tmp_path)
        state = store.load()
        assert state is not None and store.warning is None, store.warning
        entries = state.queue.entries
        # The place read back belongs to the queue read back.
        mine = state.queue.current == entries[-1].id and entries[0].id[0] == str(
            int(state.position)
        )
        return len(entries), state.position, mine

    seen = kill_at_random("queue and position", tmp_path, read_back)
    assert set(seen) <= {(3000, 1.0, True), (5000, 2.0, True)}
    assert len(set(seen)) == 2, f"every kill landed on the same version: {seen}"


@pytest.mark.fault(
    "kill -9 while a sign-in is being written to the plain token file",
    "the token file holds the old secret or the new one, and still reads",
)
def test_token_file(tmp_path):
    def read_back() -> str | None:
        secret = FileStore(tmp_path / "tokens.json").load("yourmusic", "listener")
        assert secret is not None
        return secret[0] * 2 + str(len(secret))

    assert set(kill_at_random("token file", tmp_path, read_back)) <= {"11200000", "22300000"}
