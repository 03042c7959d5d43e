"""`setlist show ITEM` and `setlist lyrics ITEM`, against the demo server."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from cli_support import CliHome, Result, make_home, run_main
from setlist.demo.server import DemoServer


@pytest.fixture
def home(tmp_path, monkeypatch, server: DemoServer) -> CliHome:
    home = make_home(tmp_path, monkeypatch)
    home.attach(server)
    return home


@pytest.fixture
def cli(capsys, home) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        return run_main(capsys, *args, "--demo")

    return run


def test_show_prints_music_info_literally(cli) -> None:
    result = cli("show", "jamendo:track:1027")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Title: [link=https://example.com]Click[/link]"
    assert "Voice: vocal · [red]male[/red] · en" in lines
    assert "Instruments: [b]drums[/b], ␛[2Jguitar" in lines  # the escape shown, not sent
    assert "Licence: http://creativecommons.org/licenses/by-sa/3.0/" in lines
    assert "Explicit: not said by Jamendo" in lines
    assert "\x1b" not in result.out


def test_show_json_has_the_music_info(cli) -> None:
    result = cli("show", "track:1001", "--json")
    assert result.code == 0, result.err
    details = json.loads(result.out)
    assert details["track"]["title"] == "Night Signal"
    assert details["music_info"]["genres"] == ["electronic", "synthwave"]
    assert details["release_date"] == "2014-05-02"


def test_show_a_yourmusic_track_says_whether_it_is_explicit(cli) -> None:
    result = cli("show", "yourmusic:track:3012")
    assert result.code == 0, result.err
    assert "Explicit: yes" in result.out.splitlines()


def test_show_refuses_what_is_not_a_track(cli) -> None:
    result = cli("show", "album:601")
    assert result.code == 1
    assert "“album:601” does not name a track by id; give track:ID" in result.err


def test_lyrics_of_a_track_with_and_without_words(cli) -> None:
    result = cli("lyrics", "track:1001")
    assert result.code == 0, result.err
    assert result.out.startswith("Night signal on the wire\nCounting lights along the pier\n")
    result = cli("lyrics", "track:1002")
    assert (result.code, result.out) == (0, "No lyrics for this track.\n")


def test_lyrics_json_keeps_the_words_as_sent(cli) -> None:
    result = cli("lyrics", "jamendo:track:1027", "--json")
    assert result.code == 0, result.err
    sent = json.loads(result.out)
    assert sent["track"]["id"] == "1027"
    assert "\x1b[31mred\x1b[0m letters" in sent["lyrics"]
    assert "\x1b" not in result.out  # escaped in the JSON text, not sent to the terminal


def test_yourmusic_lyrics_say_the_catalog_has_none(cli) -> None:
    result = cli("lyrics", "yourmusic:track:3000")
    assert result.code == 1
    assert (
        result.err.strip()
        == "setlist: YourMusic's catalog has no lyrics; Jamendo tracks have them."
    )


def test_without_jamendo_set_up_the_message_says_what_to_do(tmp_path, monkeypatch, capsys) -> None:
    home = make_home(tmp_path, monkeypatch)  # no config, no demo
    result = run_main(capsys, "show", "jamendo:track:1001")
    assert result.code == 1
    assert result.err.strip() == (
        f"setlist: Jamendo is not set up: it needs a client id under [jamendo] in "
        f"{home.config_file}, or try the demo with --demo."
    )
