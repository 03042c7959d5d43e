"""`setlist search`: the table people read, the JSON scripts read, and the errors both see."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import pytest
from rich.cells import cell_len

from cli_support import CliHome, make_home, run_main
from setlist.cli.output import Column, render_table
from setlist.core.text import plain
from setlist.demo.server import DemoServer
from setlist.process.log_file import log_file
from terminal_cells import drawn_width
from yourmusic_support import NO_THROTTLE

MakeDemo = Callable[..., DemoServer]
HOSTILE = "Escape \x1b[31mRed\x1b[0m Song"


@pytest.fixture
def home(tmp_path, monkeypatch) -> CliHome:
    return make_home(tmp_path, monkeypatch)


@pytest.fixture
def demo_home(home: CliHome, make_demo: MakeDemo) -> CliHome:
    home.attach(make_demo(**NO_THROTTLE))
    return home


def test_the_table_shows_demo_titles_escape_codes_and_all(demo_home: CliHome) -> None:
    result = demo_home.run("search", "escape", "--demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.splitlines()[0].split() == ["CATALOG", "ID", "TITLE", "ARTIST", "ALBUM", "TIME"]
    assert "Escape ␛[31mRed␛[0m Song" in out  # shown as the catalog holds it, not applied
    assert "[@click=app.quit]Don't Quit[/]" in out  # markup look-alikes are just text
    assert b"\x1b" not in result.stdout
    assert b"\x07" not in result.stdout
    assert b"Traceback" not in result.stderr


def test_the_demo_signs_in_by_itself_and_says_so_once_in_the_log(demo_home: CliHome) -> None:
    result = demo_home.run("--demo", "search", "tone")
    assert result.returncode == 0
    assert result.stderr == b""  # the results say it worked
    logged = log_file().read_text(encoding="utf-8")
    assert logged.count("Signed in to the demo catalog as listener@demo.setlist") == 1
    assert "Morning Tone" in result.stdout.decode()


@pytest.mark.parametrize(
    "command", [["search", "x"], ["search", "tone", "--json"], ["playlists"], ["whoami"]]
)
def test_a_demo_command_that_works_is_silent_on_stderr(
    demo_home: CliHome, command: list[str]
) -> None:
    """No keyring here: the demo keeps its sign-ins in memory, which only the log says."""
    result = demo_home.run(*command, "--demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout
    assert result.stderr == b""
    assert "demo sign-ins are kept in memory" in log_file().read_text(encoding="utf-8")


def test_json_is_the_data_as_sent_and_still_safe_to_print(demo_home: CliHome) -> None:
    result = demo_home.run("search", "escape", "--demo", "--json", "--provider", "yourmusic")
    assert result.returncode == 0, result.stderr
    assert b"\x1b" not in result.stdout  # escaped as \u001b
    found = json.loads(result.stdout)
    assert HOSTILE in [t["title"] for t in found]
    assert {t["provider"] for t in found} == {"yourmusic"}
    assert all(t["id"] and "artist_name" in t for t in found)


def test_every_kind_and_catalog_can_be_searched(
    demo_home: CliHome, capsys: pytest.CaptureFixture[str]
) -> None:
    albums = run_main(capsys, "search", "night", "--type", "albums", "--demo", "--json")
    assert albums.code == 0, albums.err
    assert "🎸 Night Drive 🌙" in [a["title"] for a in json.loads(albums.out)]

    artists = run_main(capsys, "search", "sine", "--type", "artists", "--demo")
    assert "The Sine Waves" in artists.out

    playlists = run_main(capsys, "search", "commute", "--type", "playlists", "--demo", "--json")
    assert "Morning Commute" in [p["name"] for p in json.loads(playlists.out)]

    jamendo = run_main(capsys, "search", "tone", "--provider", "jamendo", "--demo", "--json")
    assert jamendo.code == 0
    tracks = json.loads(jamendo.out)
    assert tracks and {t["provider"] for t in tracks} == {"jamendo"}


def test_limit_caps_the_results_of_each_catalog(
    demo_home: CliHome, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_main(capsys, "search", "e", "--limit", "2", "--demo", "--json")
    found = json.loads(result.out)
    by_catalog = [t["provider"] for t in found]
    assert by_catalog.count("yourmusic") == 2
    assert by_catalog.count("jamendo") == 2


def test_the_table_fits_a_narrow_terminal(
    demo_home: CliHome, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    result = run_main(capsys, "search", "e", "--provider", "yourmusic", "--limit", "30", "--demo")
    lines = result.out.splitlines()
    assert len(lines) > 5
    assert all(cell_len(line) <= 70 for line in lines)
    assert any("…" in line for line in lines)  # long titles are cut, not wrapped


def test_demo_is_accepted_before_or_after_the_command(
    demo_home: CliHome, capsys: pytest.CaptureFixture[str]
) -> None:
    before = run_main(capsys, "--demo", "search", "Morning Tone", "--json")
    after = run_main(capsys, "search", "Morning Tone", "--json", "--demo")
    assert before.code == after.code == 0
    assert json.loads(before.out) == json.loads(after.out)


def test_nothing_found_is_not_an_error(demo_home: CliHome, capsys) -> None:
    result = run_main(capsys, "search", "zzzqqq-nothing", "--demo")
    assert result.code == 0
    assert "No tracks found" in result.out


def test_a_dead_server_is_one_line_and_exit_1(home: CliHome) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home.write_config(f'[jamendo]\nbase_url = "http://127.0.0.1:{port}"\nclient_id = "x"\n')
    result = home.run("search", "tone")
    err = result.stderr.decode()
    assert result.returncode == 1
    assert err == "setlist: Could not reach Jamendo: connection refused or host unreachable.\n"
    assert result.stdout == b""


def test_a_dead_server_for_a_signed_in_catalog_too(home: CliHome) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home.write_config(f'[yourmusic]\nbase_url = "http://127.0.0.1:{port}"\ntenant = "demo"\n')
    result = home.run("search", "tone", env={"SETLIST_YOURMUSIC_TOKEN": "a-token"})
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "setlist: Could not reach YourMusic: connection refused or host unreachable."
    ]


def test_a_config_typo_names_the_key_and_the_file(home: CliHome) -> None:
    home.write_config('[yourmusic]\ntenat = "demo"\n')
    result = home.run("search", "tone")
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "tenat" in err and str(home.config_file) in err
    assert "Traceback" not in err


def test_no_catalog_set_up_points_at_the_config_and_the_demo(home: CliHome, capsys) -> None:
    result = run_main(capsys, "search", "tone")
    assert result.code == 1
    assert "--demo" in result.err and str(home.config_file) in result.err


def test_a_catalog_that_is_not_set_up_says_what_it_needs(home: CliHome, capsys) -> None:
    home.write_config('[yourmusic]\ntenant = "demo"\n')
    result = run_main(capsys, "search", "tone", "--provider", "jamendo")
    assert result.code == 1
    assert "Jamendo is not set up" in result.err and "client id" in result.err


@pytest.mark.parametrize(
    "args",
    [("search",), ("search", "x", "--type", "songs"), ("search", "x", "--limit", "0")],
)
def test_usage_errors_exit_2(home: CliHome, capsys, args: tuple[str, ...]) -> None:
    assert run_main(capsys, *args).code == 2


# -- core.text.plain, which every table cell goes through


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (HOSTILE, "Escape ␛[31mRed␛[0m Song"),
        ("Bell\x07 and Tab\t Title", "Bell␇ and Tab  Title"),
        ("Title\x1b]0;new window title\x07 end", "Title␛]0;new window title␇ end"),  # OSC
        ("Copy\x1b]52;c;ZXZpbA==\x1b\\ me", "Copy␛]52;c;ZXZpbA==␛\\ me"),  # OSC 52: clipboard
        ("C1\x9b31mcsi", "C1<U+009B>31mcsi"),
        ("Unterminated \x1bP dcs to the end", "Unterminated ␛P dcs to the end"),
        ("left \u202eevil\u202c right", "left <U+202E>evil<U+202C> right"),  # bidi override
        ("يا ليل يا عين", "يا ليل يا عين"),  # right-to-left letters stay
        ("夜明けのメロディ 👩\u200d👩\u200d👧", "夜明けのメロディ 👩👩👧"),  # no joiners: see below
        ("two\r\nlines", "two lines"),
    ],
)
def test_plain_keeps_letters_and_shows_what_drives_a_terminal(raw: str, shown: str) -> None:
    assert plain(raw) == shown


def test_plain_can_keep_line_breaks_for_longer_text() -> None:
    assert plain("one\r\ntwo\u2028three\x1b[1m!", keep_newlines=True) == "one\ntwo\nthree␛[1m!"


def test_a_table_of_emoji_titles_stays_inside_the_terminal() -> None:
    titles = [
        "Family 👨\u200d👩\u200d👧\u200d👦 Picnic",  # a family joined with ZWJ
        "Thumbs 👍\U0001f3fd Up Tone",  # a skin tone modifier
        "Love \u2764\ufe0f Song",  # an emoji presentation selector
        "A plain title long enough to be cut",
    ]
    columns = [Column("ID"), Column("TITLE", flex=True), Column("TIME", right=True)]
    lines = render_table(columns, [[str(i), t, "3:20"] for i, t in enumerate(titles)], width=34)
    # Drawn code point by code point, as in tmux: no row runs past 34 cells, and the
    # times line up at the right edge.
    assert [drawn_width(line) for line in lines.splitlines()] == [34] * 5
    assert "Family 👨👩👧👦 Picnic" in lines
