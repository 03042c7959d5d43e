"""The config file as a user meets it: defaults, every section, and errors that say what to fix."""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path

import pytest

from cli_support import make_home
from setlist.core.errors import ConfigError
from setlist.store import paths
from setlist.store.config import load_config, save_config_value

FULL = """\
# my setlist
[yourmusic]
base_url = "http://127.0.0.1:8765"
tenant = "acme"
email = "me@example.com"  # work address
device_id = "123e4567-e89b-12d3-a456-426614174000"
user_id = "u-1"
client_id = "cli-1"

[jamendo]
base_url = "http://127.0.0.1:8765/v3.0"
client_id = "jm-client"
audioformat = "flac"

[lastfm]
base_url = "http://127.0.0.1:8765/2.0/"
api_key = "lf-key"
lang = "fr"
username = "rj_listens"

[playback]
quality = 128000
mpv = { volume = 70, "audio-device" = "pulse", gapless-audio = true, speed = 1.5 }

[providers]
enabled = ["jamendo"]

[keys]
"player.toggle" = "space"
"queue.move_down" = "J"

[ui]
theme = "nord"

[store]
plaintext_tokens = true
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SETLIST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "runtime").mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "config.toml"
    file.write_text(text, encoding="utf-8")
    return file


def error_for(tmp_path: Path, text: str) -> str:
    file = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(file)
    message = str(raised.value)
    assert str(file) in message
    assert "Traceback" not in message
    return message


# Paths


def test_paths_follow_the_xdg_variables(tmp_path: Path) -> None:
    assert paths.config_file() == tmp_path / "config" / "setlist" / "config.toml"
    assert paths.state_dir() == tmp_path / "state" / "setlist"
    assert paths.cache_dir() == tmp_path / "cache" / "setlist"
    assert paths.log_dir().is_relative_to(tmp_path / "state" / "setlist")
    assert paths.runtime_dir() == tmp_path / "runtime" / "setlist"


def test_runtime_dir_falls_back_to_the_state_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "no-such-dir"))
    assert paths.runtime_dir() == paths.state_dir()


def test_setlist_config_points_at_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('[ui]\ntheme = "gruvbox"\n')
    monkeypatch.setenv("SETLIST_CONFIG", str(elsewhere))
    assert paths.config_file() == elsewhere
    assert load_config().ui.theme == "gruvbox"
    save_config_value("ui", "theme", "nord")
    assert 'theme = "nord"' in elsewhere.read_text()
    assert not (tmp_path / "config" / "setlist" / "config.toml").exists()


@pytest.mark.parametrize("command", [["whoami"], ["--no-daemon"], ["play", "--resume"]])
def test_a_setlist_config_that_does_not_exist_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    home = make_home(tmp_path, monkeypatch)
    missing = tmp_path / "no-such-config.toml"
    result = home.run(*command, env={"SETLIST_CONFIG": str(missing)})
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode() == (
        f"setlist: SETLIST_CONFIG names {missing}, which does not exist: create it "
        f"(an empty file will do), or unset SETLIST_CONFIG to use {home.config_file}.\n"
    )


# Loading


def test_no_file_means_defaults(tmp_path: Path) -> None:
    config = load_config()
    assert config.yourmusic.base_url == "https://api.yourmusic.today"
    assert config.yourmusic.email is None
    assert config.jamendo.base_url == "https://api.jamendo.com/v3.0"
    assert config.jamendo.audioformat == "mp32"
    assert config.jamendo.client_id is None
    assert config.lastfm.base_url == "https://ws.audioscrobbler.com/2.0/"
    assert config.lastfm.api_key is None
    assert (config.lastfm.lang, config.lastfm.username) == ("en", None)
    assert config.playback.quality == "highest"
    assert config.playback.mpv == {}
    assert config.providers.enabled == ["yourmusic", "jamendo"]
    assert config.keys == {}
    assert config.ui.theme is None
    assert config.store.plaintext_tokens is False
    assert not (tmp_path / "config").exists()  # loading never writes the config


def test_device_id_is_made_once_and_remembered(tmp_path: Path) -> None:
    first = load_config().yourmusic.device_id
    assert isinstance(first, uuid.UUID)
    assert load_config().yourmusic.device_id == first
    remembered = tmp_path / "state" / "setlist" / "device_id"
    assert remembered.read_text().strip() == str(first)


def test_every_section_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    ym = config.yourmusic
    assert ym.base_url == "http://127.0.0.1:8765"
    assert (ym.tenant, ym.email, ym.user_id, ym.client_id) == (
        "acme",
        "me@example.com",
        "u-1",
        "cli-1",
    )
    assert ym.device_id == uuid.UUID("123e4567-e89b-12d3-a456-426614174000")
    assert config.jamendo.client_id == "jm-client"
    assert config.jamendo.audioformat == "flac"
    assert config.lastfm.api_key == "lf-key"
    assert config.lastfm.base_url == "http://127.0.0.1:8765/2.0/"
    assert (config.lastfm.lang, config.lastfm.username) == ("fr", "rj_listens")
    assert config.playback.quality == 128000
    assert config.playback.mpv == {
        "volume": 70,
        "audio-device": "pulse",
        "gapless-audio": True,
        "speed": 1.5,
    }
    assert config.providers.enabled == ["jamendo"]
    assert config.keys == {"player.toggle": "space", "queue.move_down": "J"}
    assert config.ui.theme == "nord"
    assert config.store.plaintext_tokens is True
    # A device id from the file is used as is, and nothing is remembered.
    assert not (tmp_path / "state" / "setlist" / "device_id").exists()


def test_environment_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SETLIST_JAMENDO_CLIENT_ID", "from-env")
    monkeypatch.setenv("SETLIST_LASTFM_API_KEY", "lf-env")
    monkeypatch.setenv("SETLIST_PLAINTEXT_TOKENS", "1")
    config = load_config(write(tmp_path, '[jamendo]\nclient_id = "from-file"\n'))
    assert config.jamendo.client_id == "from-env"
    assert config.lastfm.api_key == "lf-env"
    assert config.store.plaintext_tokens is True


def test_a_bad_plaintext_flag_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SETLIST_PLAINTEXT_TOKENS", "maybe")
    with pytest.raises(ConfigError, match="SETLIST_PLAINTEXT_TOKENS must be 1 or 0"):
        load_config()


# Errors


def test_a_typo_in_a_section_name(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[yourmusc]\nemail = "me@example.com"\n')
    assert message.startswith("unknown key 'yourmusc' in ")
    sections = (
        "jamendo, keys, lastfm, mpris, notifications, playback, providers, scrobble, store, "
        "timeouts, ui, "
        "yourmusic"
    )
    assert f"expected one of: {sections}" in message
    assert "did you mean 'yourmusic'?" in message


def test_a_typo_in_a_key(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[jamendo]\naudiofromat = "ogg"\n')
    assert "unknown key 'jamendo.audiofromat'" in message
    assert "expected one of: audioformat, base_url, client_id" in message


def test_a_client_secret_in_the_config_is_refused_without_echoing_it(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[yourmusic]\nclient_secret = "s3cr3t-value"\n')
    assert "unknown key 'yourmusic.client_secret'" in message
    assert "SETLIST_YOURMUSIC_CLIENT_SECRET" in message
    assert "s3cr3t-value" not in message


@pytest.mark.parametrize(
    ("text", "key", "expected", "got"),
    [
        (
            '[playback]\nquality = "best"\n',
            "'playback.quality'",
            '"highest" or a bandwidth',
            '"best"',
        ),
        ("[playback]\nquality = 0\n", "'playback.quality'", "a positive integer", "integer 0"),
        ('[jamendo]\naudioformat = "mp3"\n', "'jamendo.audioformat'", '"mp31", "mp32"', '"mp3"'),
        ("[ui]\ntheme = 3\n", "'ui.theme'", "expected a string", "integer 3"),
        (
            '[store]\nplaintext_tokens = "yes"\n',
            "'store.plaintext_tokens'",
            "true or false",
            '"yes"',
        ),
        (
            '[notifications]\nenabled = "yes"\n',
            "'notifications.enabled'",
            'true or false or "auto"',
            '"yes"',
        ),
        ('[lastfm]\nbase_url = "ws.example"\n', "'lastfm.base_url'", "https:// URL", "ws.example"),
        ('[lastfm]\nlang = "French"\n', "'lastfm.lang'", "ISO 639-1", '"French"'),
        ('[lastfm]\nusername = "a b"\n', "'lastfm.username'", "a Last.fm user name", '"a b"'),
        ('[yourmusic]\ndevice_id = "phone"\n', "'yourmusic.device_id'", "a UUID", '"phone"'),
        ("[playback.mpv]\nvolume = [1]\n", "'playback.mpv.volume'", "a string, a number", "a list"),
        ("[keys]\nquit = 1\n", "'keys.quit'", "a string", "integer 1"),
        ('yourmusic = "me"\n', "'yourmusic'", "a table", '"me"'),
        ('[providers]\nenabled = "jamendo"\n', "'providers.enabled'", "a list", '"jamendo"'),
        (
            '[providers]\nenabled = ["jamendo", "spotify"]\n',
            "'providers.enabled' (item 2)",
            '"yourmusic", "jamendo"',
            '"spotify"',
        ),
    ],
)
def test_a_value_of_the_wrong_type(
    tmp_path: Path, text: str, key: str, expected: str, got: str
) -> None:
    message = error_for(tmp_path, text)
    assert message.startswith(f"invalid value for {key} in ")
    wanted, found = message.split("; got", 1)
    assert expected in wanted
    assert got in found


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[ui]\ntheme = "nord"\nfoo bar = 1\n', "line 3, column 5"),
        ("[ui]\ntheme = \n", "line 2, column 9"),
        ('[ui]\ntheme = "a"\n[ui]\n', "line 3, column 4"),
        ('[ui]\ntheme = "unclosed\n', "line 2"),
    ],
)
def test_bad_toml_names_the_line_and_column(tmp_path: Path, text: str, where: str) -> None:
    message = error_for(tmp_path, text)
    assert message.startswith("invalid TOML in ")
    assert where in message


def test_a_file_that_is_not_text(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_bytes(b"[ui]\ntheme = \xff\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(file)


def test_a_config_path_that_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_config(tmp_path)


# Saving


def test_save_keeps_the_other_values_and_the_comments(tmp_path: Path) -> None:
    file = write(tmp_path, FULL)
    file.chmod(0o640)
    save_config_value("ui", "theme", "gruvbox", path=file)
    save_config_value("yourmusic", "email", "new@example.com", path=file)
    text = file.read_text()
    assert text.startswith("# my setlist\n")
    assert 'email = "new@example.com"  # work address' in text
    config = load_config(file)
    assert config.ui.theme == "gruvbox"
    assert config.yourmusic.email == "new@example.com"
    assert config.playback.mpv["audio-device"] == "pulse"
    assert config.keys["queue.move_down"] == "J"
    assert stat.S_IMODE(file.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_save_creates_the_file_and_its_section(tmp_path: Path) -> None:
    file = save_config_value("yourmusic", "email", "me@example.com")
    assert file == tmp_path / "config" / "setlist" / "config.toml"
    assert load_config().yourmusic.email == "me@example.com"
    save_config_value("keys", "player.toggle", "p")
    assert load_config().keys == {"player.toggle": "p"}


def test_save_refuses_what_the_loader_would_refuse(tmp_path: Path) -> None:
    file = write(tmp_path, '[ui]\ntheme = "nord"\n')
    with pytest.raises(ConfigError, match=r"unknown key 'ui\.thme'"):
        save_config_value("ui", "thme", "gruvbox", path=file)
    with pytest.raises(ConfigError, match=r"invalid value for 'playback\.quality'"):
        save_config_value("playback", "quality", -1, path=file)
    assert file.read_text() == '[ui]\ntheme = "nord"\n'


def test_save_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    file = write(tmp_path, "[ui\ntheme = 1\n")
    with pytest.raises(ConfigError, match=r"invalid TOML in .* at line 1"):
        save_config_value("ui", "theme", "nord", path=file)
    assert file.read_text() == "[ui\ntheme = 1\n"


def test_save_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "setlist.toml"
    real.parent.mkdir()
    real.write_text("# kept in git\n")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_config_value("ui", "theme", "nord", path=link)
    assert link.is_symlink()
    assert real.read_text() == '# kept in git\n\n[ui]\ntheme = "nord"\n'


def test_timeouts_are_read_and_checked(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[timeouts]\napi = 5\nsign_in = 12.5\n"))
    assert (config.timeouts.api, config.timeouts.sign_in, config.timeouts.stream) == (
        5.0,
        12.5,
        10.0,
    )
    expected = "expected a number of seconds, more than 0 and at most 600"
    message = error_for(tmp_path, "[timeouts]\napi = 0\n")
    assert f"invalid value for 'timeouts.api' in {tmp_path}" in message and expected in message
    message = error_for(tmp_path, '[timeouts]\nstream = "fast"\n')
    assert "'timeouts.stream'" in message and 'got the string "fast"' in message
    message = error_for(tmp_path, "[timeouts]\nsignin = 5\n")
    assert "did you mean 'timeouts.sign_in'?" in message


def test_cover_art_is_on_by_default_and_a_setting_turns_it_off(tmp_path: Path) -> None:
    assert load_config().ui.art is True
    assert load_config(write(tmp_path, "[ui]\nart = false\n")).ui.art is False
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, '[ui]\nart = "no"\n'))
    assert "'ui.art'" in str(raised.value) and "expected true or false" in str(raised.value)


def test_scrobble_settings_are_checked(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[scrobble]\nproviders = ["jamendo", "spotify"]\n')
    assert "scrobble.providers" in message
    assert "yourmusic" in message and "local" in message
    off = tmp_path / "off.toml"
    off.write_text('[scrobble]\nenabled = false\nproviders = ["jamendo"]\n', encoding="utf-8")
    config = load_config(off)
    assert config.scrobble.enabled is False
    assert config.scrobble.providers == ["jamendo"]
