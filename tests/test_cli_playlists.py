"""`setlist playlists`: list, show and edit, checked against the demo server's own state."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from cli_support import CliHome, make_home, run_main, use_secret_service
from keyring_service import SecretService
from setlist.demo import yourmusic
from setlist.demo.server import DemoServer
from setlist.demo.ym_state import DEMO_USER_ID, OTHER_PUBLIC_PLAYLIST_ID
from setlist.process.log_file import log_file
from setlist.services.demo_running import DemoEndpoints, find_running, read_announcement

TONE_LADDER = "7a127812-f29c-5ee5-86a1-1474291fd493"


@pytest.fixture
def home(tmp_path, monkeypatch, fresh_server: DemoServer) -> CliHome:
    home = make_home(tmp_path, monkeypatch)
    home.attach(fresh_server)
    return home


@pytest.fixture
def cli(home: CliHome, capsys: pytest.CaptureFixture[str]) -> Callable[..., object]:
    """Run `setlist ARGS --demo --json` in-process and return the parsed JSON."""

    def run(*args: str) -> object:
        result = run_main(capsys, *args, "--demo", "--json")
        assert result.code == 0, result.err
        return json.loads(result.out)

    return run


def errors(stderr: str) -> list[str]:
    """The error lines (other lines are notices, such as the demo's sign-in)."""
    return [line for line in stderr.splitlines() if line.startswith("setlist: ")]


def server_order(fresh_server: DemoServer, playlist_id: str) -> list[str]:
    state = yourmusic.state_of(fresh_server.ctx)
    with state.lock:
        return [e.track_id for e in state.playlists[playlist_id].entries]


def test_listing_shows_the_signed_in_users_playlists(home: CliHome, capsys) -> None:
    result = run_main(capsys, "playlists", "--demo")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].split() == ["ID", "NAME", "VISIBILITY", "TRACKS", "UPDATED"]
    assert "Morning Commute" in result.out and "Tone Ladder" in result.out
    assert "[bold]Weird[/bold] Names" in result.out
    assert "Robin's Road Trip" not in result.out  # someone else's


def test_show_lists_entries_in_order_with_their_ids(home: CliHome, capsys, cli) -> None:
    shown = cli("playlists", "show", TONE_LADDER)
    assert shown["playlist"]["name"] == "Tone Ladder"
    assert [e["track_id"] for e in shown["entries"]] == ["3000", "3001", "3002", "3003", "3004"]
    assert [e["order"] for e in shown["entries"]] == [1, 2, 3, 4, 5]
    assert shown["entries"][0]["track"]["title"] == "Morning Tone"

    table = run_main(capsys, "playlists", "show", TONE_LADDER, "--demo")
    lines = table.out.splitlines()
    assert lines[0] == "“Tone Ladder” (private), 5 tracks"
    assert lines[1].split() == ["#", "ENTRY", "TRACK", "TITLE", "ARTIST", "TIME"]
    assert shown["entries"][0]["id"] in lines[2] and "Morning Tone" in lines[2]


def test_create_add_move_remove_change_the_server_state(
    fresh_server: DemoServer, home: CliHome, cli
) -> None:
    created = cli("playlists", "create", "Road Songs")
    pid = created["id"]
    assert created["name"] == "Road Songs" and created["public"] is False
    state = yourmusic.state_of(fresh_server.ctx)
    assert state.playlists[pid].user_id == DEMO_USER_ID

    added = cli("playlists", "add", pid, "3000", "3007", "3016", "3000")
    assert [e["track_id"] for e in added] == ["3000", "3007", "3016", "3000"]
    assert server_order(fresh_server, pid) == ["3000", "3007", "3016", "3000"]

    third = added[2]["id"]
    moved = cli("playlists", "move", pid, third, "1")
    assert moved["order"] == 1
    assert server_order(fresh_server, pid) == ["3016", "3000", "3007", "3000"]

    # The same track twice: removing one entry keeps the other.
    second_copy = added[3]["id"]
    left = cli("playlists", "remove", pid, second_copy)
    assert [e["track_id"] for e in left] == ["3016", "3000", "3007"]
    assert server_order(fresh_server, pid) == ["3016", "3000", "3007"]

    shown = cli("playlists", "show", pid)
    assert [e["track_id"] for e in shown["entries"]] == ["3016", "3000", "3007"]


def test_rename_and_visibility(fresh_server: DemoServer, home: CliHome, capsys, cli) -> None:
    pid = cli("playlists", "create", "Draft", "--public")["id"]
    assert yourmusic.state_of(fresh_server.ctx).playlists[pid].public is True

    renamed = run_main(capsys, "playlists", "rename", pid, "Final Cut", "--demo")
    assert renamed.code == 0
    assert renamed.out.strip() == "Renamed: “Final Cut” (public)."
    assert cli("playlists", "private", pid)["public"] is False
    playlist = yourmusic.state_of(fresh_server.ctx).playlists[pid]
    assert (playlist.name, playlist.public) == ("Final Cut", False)
    assert cli("playlists", "public", pid)["public"] is True


def test_human_output_of_edits(home: CliHome, capsys, cli) -> None:
    pid = cli("playlists", "create", "Human")["id"]
    added = run_main(capsys, "playlists", "add", pid, "3001", "--demo")
    assert added.out.startswith("Added track 3001 at position 1 (entry ")
    entry = cli("playlists", "show", pid)["entries"][0]["id"]
    removed = run_main(capsys, "playlists", "remove", pid, entry, "--demo")
    assert removed.out.strip() == "Removed 1 entry; 0 tracks left."


def test_removing_an_unknown_entry_changes_nothing(
    fresh_server: DemoServer, home: CliHome, capsys
) -> None:
    before = server_order(fresh_server, TONE_LADDER)
    result = run_main(capsys, "playlists", "remove", TONE_LADDER, "no-such-entry", "--demo")
    assert result.code == 1
    [error] = errors(result.err)
    assert error.startswith("setlist: Playlist ") and "no-such-entry" in error
    assert server_order(fresh_server, TONE_LADDER) == before


def test_someone_elses_playlist_cannot_be_edited(
    fresh_server: DemoServer, home: CliHome, capsys
) -> None:
    result = run_main(capsys, "playlists", "add", OTHER_PUBLIC_PLAYLIST_ID, "3000", "--demo")
    assert result.code == 1
    [error] = errors(result.err)
    assert "YourMusic" in error
    assert len(server_order(fresh_server, OTHER_PUBLIC_PLAYLIST_ID)) == 3


def test_playlists_need_a_sign_in_outside_the_demo(
    fresh_server: DemoServer, home: CliHome, capsys
) -> None:
    home.write_config(f'[yourmusic]\nbase_url = "{fresh_server.yourmusic_url}"\ntenant = "demo"\n')
    result = run_main(capsys, "playlists")
    assert result.code == 1
    assert "not signed in to YourMusic" in result.err and "setlist login" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ("playlists", "move", TONE_LADDER, "entry", "0"),
        ("playlists", "move", TONE_LADDER, "entry", "first"),
        ("playlists", "add", TONE_LADDER),
        ("playlists", "nonsense"),
    ],
)
def test_usage_errors_exit_2(home: CliHome, capsys, args: tuple[str, ...]) -> None:
    assert run_main(capsys, *args).code == 2


def test_a_subprocess_run_shares_the_demo_state(fresh_server: DemoServer, home: CliHome) -> None:
    created = home.run("playlists", "create", "From Another Process", "--demo", "--json")
    assert created.returncode == 0, created.stderr
    pid = json.loads(created.stdout)["id"]
    assert yourmusic.state_of(fresh_server.ctx).playlists[pid].name == "From Another Process"


@pytest.fixture
def keyring_home(tmp_path, monkeypatch, secret_service: SecretService) -> Iterator[CliHome]:
    yield from use_secret_service(make_home(tmp_path, monkeypatch), secret_service, monkeypatch)


def test_commands_share_the_state_of_a_served_demo(keyring_home: CliHome) -> None:
    # Sign-ins are kept in the keyring: without one, each command would ask the
    # served demo for a new code and run into its 30 s per-address throttle.
    home = keyring_home
    serving = subprocess.Popen(
        [sys.executable, "-m", "setlist", "demo", "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        announcement = wait_for_announcement(serving)
        assert announcement.pid == serving.pid

        created = home.run("playlists", "create", "Shared", "--demo", "--json")
        assert created.returncode == 0, created.stderr
        assert created.stderr == b""
        signed_in = "Signed in to the demo catalog"
        assert log_file().read_text(encoding="utf-8").count(signed_in) == 1
        pid = json.loads(created.stdout)["id"]

        listed = home.run("playlists", "--demo")  # another process, the same server
        assert "Shared" in listed.stdout.decode()
        # The kept session: no second sign-in.
        assert log_file().read_text(encoding="utf-8").count(signed_in) == 1
    finally:
        serving.send_signal(signal.SIGTERM)
        serving.communicate(timeout=30)
    assert serving.returncode == 0
    assert read_announcement() is None  # the server withdrew its announcement
    # With no server announced, a command runs a demo of its own, without that playlist.
    alone = home.run("playlists", "--demo", "--json")
    assert alone.returncode == 0, alone.stderr
    assert pid not in [p["id"] for p in json.loads(alone.stdout)]


def wait_for_announcement(serving: subprocess.Popen[bytes]) -> DemoEndpoints:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert serving.poll() is None, serving.communicate()
        found = find_running()
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError("setlist demo --serve did not announce itself")


def test_a_served_demo_works_command_after_command_without_a_keyring(tmp_path, monkeypatch) -> None:
    # No keyring: every command signs in to the served demo again, within seconds.
    home = make_home(tmp_path, monkeypatch)
    serving = subprocess.Popen(
        [sys.executable, "-m", "setlist", "demo", "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_announcement(serving)
        created = home.run("playlists", "create", "Twice Quickly", "--demo", "--json")
        assert created.returncode == 0, created.stderr
        listed = home.run("playlists", "--demo")
        assert listed.returncode == 0, listed.stderr
        assert "Twice Quickly" in listed.stdout.decode(), (created.stderr, listed.stderr)
    finally:
        serving.send_signal(signal.SIGTERM)
        serving.communicate(timeout=30)


def test_entry_ids_hold_across_moves_and_a_remove_says_they_changed(
    fresh_server: DemoServer, home: CliHome
) -> None:
    def run(*args: str) -> str:
        result = home.run("playlists", *args, "--demo")
        assert result.returncode == 0, result.stderr
        return result.stdout.decode()

    pid = json.loads(run("create", "Scripted", "--json"))["id"]
    run("add", pid, "3000", "3001", "3002")

    def entry_ids() -> list[str]:
        return [e["id"] for e in json.loads(run("show", pid, "--json"))["entries"]]

    first, second, third = entry_ids()
    run("move", pid, third, "1")
    assert entry_ids() == [third, first, second]  # a move keeps every id

    removed = run("remove", pid, first)
    assert removed.splitlines() == [
        "Removed 1 entry; 2 tracks left.",
        "YourMusic removes entries by rewriting the playlist: the entries left have new ids "
        f"(`setlist playlists show {pid}` lists them).",
    ]
    assert not {third, second} & set(entry_ids())


def test_listings_fill_the_tracks_and_owner_columns(home: CliHome) -> None:
    def out(*args: str) -> list[list[str]]:
        result = home.run(*args, "--demo")
        assert result.returncode == 0, result.stderr
        return [line.split("  ") for line in result.stdout.decode().splitlines()]

    def cells(rows: list[list[str]], name: str) -> list[str]:
        [row] = [r for r in rows if name in (c.strip() for c in r)]
        return [c.strip() for c in row if c.strip()]

    mine = out("playlists")
    assert cells(mine, "Tone Ladder")[2:4] == ["private", "5"]  # VISIBILITY, TRACKS

    found = out("search", "road", "--type", "playlists")
    assert found[0][0].split()[0] == "CATALOG"
    assert cells(found, "Robin's Road Trip")[3:] == ["someone else", "3"]  # OWNER, TRACKS
