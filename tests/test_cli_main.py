"""The top of the command line: --help, --version, and loading only the command run."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from setlist import __version__
from setlist.cli import SUBCOMMANDS, build_parser
from setlist.cli.ctl_cmd import EntryError, _entry
from setlist.core.models import Track
from setlist.core.queue import QueueEntry, QueueListing


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "setlist", *args], capture_output=True, text=True, timeout=60
    )


def test_version_and_help_list_every_command() -> None:
    assert run("--version").stdout.strip() == f"setlist {__version__}"
    shown = run("--help")
    assert shown.returncode == 0
    for name, (_, summary) in SUBCOMMANDS.items():
        assert name in shown.stdout
        assert summary.split()[0] in shown.stdout


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_each_commands_summary_is_the_one_its_module_gives(name: str) -> None:
    # --help shows the table's summary; the module's own parser must say the same.
    parser = build_parser([name])
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    assert helps[name] == SUBCOMMANDS[name][1]


def test_help_and_ctl_load_no_network_stack() -> None:
    probe = (
        "import sys; from setlist.cli import build_parser; "
        "build_parser(['ctl', 'status']); build_parser(['--help']); "
        "print(sorted(m for m in ('httpx', 'textual', 'mpv', 'starlette') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_an_entry_id_that_starts_with_digits_is_found_by_its_start() -> None:
    # Entry ids are hex: about one in a hundred starts with ten digits.
    track = Track(provider="jamendo", id="1001", title="Tone")
    ids = ["4417502963ab", "c0ffee", "d00d"]
    listing = QueueListing(entries=[QueueEntry(id=i, track=track) for i in ids])
    assert _entry(listing, "2") == "c0ffee"  # a number in the queue is a position
    assert _entry(listing, "4417502963") == "4417502963ab"
    with pytest.raises(EntryError, match="no entry 7: the queue has 3"):
        _entry(listing, "7")
    # A short number past the end is no id's start, even when an id begins with it:
    # `ctl jump 4` on this queue once jumped to the first entry.
    with pytest.raises(EntryError, match="no entry 4: the queue has 3"):
        _entry(listing, "4")
    with pytest.raises(EntryError, match="at least 4 characters"):
        _entry(listing, "c0f")
    assert _entry(listing, "c0ff") == "c0ffee"
