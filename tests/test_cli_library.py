"""`setlist like`, `unlike`, `follow` and `library`, against the demo server's own state."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from cli_support import CliHome, Result, make_home, run_main
from daemon_support import DaemonHome, make_daemon_home, remove_home
from setlist.cli import prompts
from setlist.demo.jm_state import DEMO_USER, JamendoState
from setlist.demo.server import DemoServer

SIGN_IN_FIRST = (
    "setlist: Sign in to Jamendo first: setlist login jamendo, or the Accounts screen (key 5)."
)


@pytest.fixture
def home(tmp_path, monkeypatch, fresh_server: DemoServer) -> CliHome:
    home = make_home(tmp_path, monkeypatch)
    # Sign-ins outlive one command only in a store: the token file stands in for a keyring.
    home.write_config("[store]\nplaintext_tokens = true\n")
    home.attach(fresh_server)
    return home


@pytest.fixture
def signed_in(home: CliHome, capsys, monkeypatch) -> CliHome:
    """Signed in to the demo's Jamendo as a user does on a terminal."""
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    result = run_main(capsys, "login", "jamendo", "--demo")
    assert result.code == 0, result.err
    return home


@pytest.fixture
def cli(capsys) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        return run_main(capsys, *args, "--demo")

    return run


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("setlist: ")]


def jamendo_state(server: DemoServer) -> JamendoState:
    state = server.ctx.services["jamendo"]
    assert isinstance(state, JamendoState)
    return state


def listed(cli: Callable[..., Result], section: str) -> list[dict]:
    result = cli("library", section, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_like_then_the_library_shows_it_and_unlike_takes_it_away(
    signed_in: CliHome, cli, fresh_server: DemoServer
) -> None:
    liked = cli("like", "jamendo:track:1013")
    assert liked.code == 0, liked.err
    assert liked.out == "Liked “Blå Måndag” — Åsa Ljungström Trio.\n"
    assert cli("like", "track:1001").code == 0
    state = jamendo_state(fresh_server)
    assert state.related(DEMO_USER.id, "like") == ["1001", "1013"]

    table = cli("library", "liked")
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert lines[0].split() == ["CATALOG", "ID", "TITLE", "ARTIST", "ALBUM", "TIME"]
    assert "Night Signal" in lines[1] and "Blå Måndag" in lines[2]  # the latest like first

    unliked = cli("unlike", "jamendo:track:1013")
    assert unliked.code == 0, unliked.err
    assert unliked.out.startswith("Unliked “Blå Måndag” — Åsa Ljungström Trio")
    assert "marked disliked" in unliked.out
    assert [t["id"] for t in listed(cli, "liked")] == ["1001"]
    assert state.related(DEMO_USER.id, "dislike") == ["1013"]

    # Not liked (any more): nothing is sent, and the user is told so.
    again = cli("unlike", "jamendo:track:1013", "--json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["changed"] is False
    assert cli("unlike", "track:1020").out.endswith("is not among your likes; nothing changed.\n")
    assert state.related(DEMO_USER.id, "dislike") == ["1013"]


def test_json_fields_are_stable(signed_in: CliHome, cli) -> None:
    liked = cli("like", "jamendo:track:1001", "--json")
    assert liked.code == 0, liked.err
    change = json.loads(liked.out)
    assert set(change) == {"action", "kind", "item", "changed"}
    assert (change["action"], change["kind"], change["changed"]) == ("like", "track", True)
    assert change["item"]["title"] == "Night Signal" and change["item"]["provider"] == "jamendo"

    (track,) = listed(cli, "liked")
    assert {"provider", "id", "title", "artist_name", "album_title", "duration"} <= set(track)
    assert (track["id"], track["album_title"]) == ("1001", "Neon Night Circuits")

    everything = cli("library", "--json")
    assert everything.code == 0, everything.err
    sections = json.loads(everything.out)
    assert list(sections) == ["liked", "favorites", "artists", "albums", "playlists"]
    assert [t["id"] for t in sections["liked"]] == ["1001"]
    assert sections["favorites"] == [] and sections["artists"] == [] and sections["albums"] == []
    assert "Tone Ladder" in [p["name"] for p in sections["playlists"]]  # YourMusic's


def test_follow_an_artist_and_add_an_album(
    signed_in: CliHome, cli, fresh_server: DemoServer
) -> None:
    followed = cli("follow", "artist:505")
    assert followed.code == 0, followed.err
    assert followed.out == "Following “🎧 Emoji Collective 🤖” on Jamendo.\n"
    added = cli("like", "jamendo:album:604")
    assert added.code == 0, added.err
    assert added.out == "Added “Nordlys Jazz” — Åsa Ljungström Trio to your albums.\n"

    state = jamendo_state(fresh_server)
    assert state.related(DEMO_USER.id, "fan") == ["505"]
    assert state.related(DEMO_USER.id, "myalbum") == ["604"]
    assert [a["name"] for a in listed(cli, "artists")] == ["🎧 Emoji Collective 🤖"]
    assert [a["title"] for a in listed(cli, "albums")] == ["Nordlys Jazz"]

    table = cli("library")
    assert table.code == 0, table.err
    assert "Artists you follow (1)" in table.out and "Your albums (1)" in table.out
    assert "No liked tracks yet" in table.out

    # Jamendo offers no way to take an album back out: said, not faked.
    removed = cli("unlike", "jamendo:album:604")
    assert removed.code == 1
    assert errors(removed.err) == [
        "setlist: Jamendo's API can add an album to your albums but not take one out: "
        "remove it on jamendo.com."
    ]


def test_without_yourmusic_the_library_has_no_playlists_and_says_why(
    signed_in: CliHome, cli
) -> None:
    signed_in.write_config('[store]\nplaintext_tokens = true\n[providers]\nenabled = ["jamendo"]\n')
    assert cli("like", "track:1001").code == 0
    everything = cli("library", "--json")
    assert everything.code == 0, everything.err
    sections = json.loads(everything.out)
    assert sections["playlists"] is None and [t["id"] for t in sections["liked"]] == ["1001"]
    why = f"YourMusic is switched off (providers.enabled in {signed_in.config_file})."
    assert errors(everything.err) == [f"setlist: Your playlists are YourMusic's: {why}"]

    table = cli("library")
    assert "Liked tracks (1)" in table.out and "playlists (" not in table.out
    alone = cli("library", "playlists")
    assert alone.code == 1
    assert errors(alone.err) == [f"setlist: Your playlists are YourMusic's: {why}"]


def test_a_refused_like_is_one_clear_line_and_changes_nothing(
    signed_in: CliHome, cli, fresh_server: DemoServer
) -> None:
    fresh_server.faults.add("/jamendo/v3.0/setuser/like*", "jamendo_code", code=13, times=1)
    refused = cli("like", "jamendo:track:1001")
    assert refused.code == 1
    assert refused.out == ""
    assert errors(refused.err) == [
        "setlist: Your Jamendo sign-in does not allow this. Sign in to Jamendo again."
    ]
    assert jamendo_state(fresh_server).related(DEMO_USER.id, "like") == []
    assert listed(cli, "liked") == []


def test_signed_out_every_command_says_how_to_sign_in(home: CliHome, cli) -> None:
    for args in (
        ("library",),
        ("library", "artists", "--json"),
        ("like", "jamendo:track:1001"),
        ("unlike", "track:1001"),
        ("follow", "artist:501"),
    ):
        result = cli(*args)
        assert result.code == 1, args
        assert errors(result.err) == [SIGN_IN_FIRST], args
        assert result.out == "", args


def test_items_that_cannot_be_liked_are_refused_clearly(signed_in: CliHome, cli) -> None:
    yourmusic = cli("like", "yourmusic:track:3000")
    assert yourmusic.code == 1
    assert errors(yourmusic.err) == [
        "setlist: YourMusic has no likes, favorites or follows (its API offers none): keep "
        "YourMusic tracks in a playlist instead (`setlist playlists add`)."
    ]
    words = cli("like", "night signal")
    assert words.code == 1
    assert errors(words.err)[0].startswith(
        "setlist: “night signal” does not name a track or album by id; give jamendo:track:ID"
    )
    artist = cli("follow", "jamendo:track:1001")
    assert artist.code == 1
    assert errors(artist.err) == [
        "setlist: “jamendo:track:1001” is a track; give jamendo:artist:ID (or artist:ID)."
    ]
    missing = cli("like", "jamendo:track:99999")
    assert missing.code == 1
    assert errors(missing.err) == ["setlist: Jamendo has no track with id 99999."]


def test_names_from_the_server_are_shown_literally(signed_in: CliHome, cli) -> None:
    assert cli("like", "jamendo:track:1027").code == 0
    assert cli("like", "jamendo:track:1028").code == 0
    table = cli("library", "liked")
    assert table.code == 0, table.err
    assert "$(rm -rf) & <script>" in table.out
    assert "[link=https://example.com]Click[/link]" in table.out
    assert "\x1b" not in table.out


def test_the_subprocess_command_line(signed_in: CliHome) -> None:
    done = signed_in.run("like", "jamendo:track:1017", "--demo")
    assert done.returncode == 0, done.stderr
    shown = signed_in.run("library", "liked", "--demo", "--json")
    assert shown.returncode == 0, shown.stderr
    assert [t["title"] for t in json.loads(shown.stdout)] == ["星の海"]


# -- `setlist ctl like`: what the daemon plays


@pytest.fixture
def daemons(tmp_path, monkeypatch, fresh_server: DemoServer) -> Iterator[DaemonHome]:
    home = make_home(tmp_path, monkeypatch)
    home.write_config("[store]\nplaintext_tokens = true\n")
    daemon_home = make_daemon_home(home, monkeypatch.setenv)
    home.attach(fresh_server)  # after the runtime dir moved: the daemon uses this server
    yield daemon_home
    remove_home(daemon_home)


def test_ctl_like_likes_what_the_daemon_plays(
    daemons: DaemonHome, fresh_server: DemoServer, capsys, monkeypatch
) -> None:
    assert daemons.start().returncode == 0
    idle = daemons.ctl("like")
    assert idle.returncode == 1
    assert idle.stderr == "setlist: Nothing is playing: there is nothing to like.\n"

    played = daemons.ctl("play", "jamendo:track:1007")  # Slow Tide: 45 s, time enough
    assert played.returncode == 0, played.stderr
    signed_out = daemons.ctl("like")
    assert (signed_out.returncode, signed_out.stderr) == (1, SIGN_IN_FIRST + "\n")

    # Signing in tells the running daemon, which likes with the new sign-in.
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    assert run_main(capsys, "login", "jamendo", "--demo").code == 0
    liked = daemons.ctl("like")
    assert liked.returncode == 0, liked.stderr
    assert liked.stdout == "Liked “Slow Tide” — Pulse Garden.\n"
    assert jamendo_state(fresh_server).related(DEMO_USER.id, "like") == ["1007"]
    assert daemons.ctl_json("like")["track"]["id"] == "1007"

    assert daemons.ctl("play", "track:3000").returncode == 0  # a YourMusic track
    refused = daemons.ctl("like")
    assert refused.returncode == 1
    assert refused.stderr.startswith("setlist: YourMusic has no likes")
    assert daemons.status()["playing"] is True  # the music plays on
