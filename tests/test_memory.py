"""Big buffers a long-running setlist frees go back to the system."""

from __future__ import annotations

import subprocess
import sys

# Buffers of a few MB, like the JSON of a saved 10,000-track queue, made and freed
# again and again; how much of them is still resident afterwards, in MB.
SCRIPT = """
import sys
from setlist.process.memory import give_back_big_blocks
if sys.argv[1] == "on":
    give_back_big_blocks()

def resident():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

first = bytearray(b"x" * (6 << 20))  # one big buffer, made and freed
del first
before = resident()
kept = []
for _ in range(5):
    buffer = bytearray(b"x" * (4 << 20))  # the next save's buffer
    kept.append(bytearray(b"y" * 1024))  # something small made meanwhile, still used
    del buffer
print(f"{resident() - before:.1f}")
"""


def kept(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return float(done.stdout)


def test_freed_big_buffers_do_not_stay_resident():
    assert kept("on") < 2.0
    assert kept("off") > 6.0  # what glibc does left alone: the test can tell


def test_httpx_comes_without_its_command_line_client():
    script = (
        "import sys, setlist.providers.http, httpx\n"
        "assert httpx.AsyncClient\n"
        "print(sorted({'click', 'pygments'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
