"""The config file: TOML, decoded into typed Structs, every error a ConfigError.

A missing file means all defaults. Credentials never live here: the YourMusic
client secret and sign-in tokens are in the keyring (see store.tokens) or in
environment variables.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
import uuid
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from setlist.core.errors import ConfigError
from setlist.store import paths
from setlist.store.atomic import read_regular, write_atomic
from setlist.store.config_check import check, toml_error

log = logging.getLogger(__name__)

ENV_JAMENDO_CLIENT_ID = "SETLIST_JAMENDO_CLIENT_ID"
ENV_LASTFM_API_KEY = "SETLIST_LASTFM_API_KEY"
ENV_PLAINTEXT_TOKENS = "SETLIST_PLAINTEXT_TOKENS"
DEVICE_ID_FILE = "device_id"

ProviderName = Literal["yourmusic", "jamendo"]
PROVIDERS: tuple[ProviderName, ...] = ("yourmusic", "jamendo")
AudioFormat = Literal["mp31", "mp32", "ogg", "flac"]
Url = Annotated[str, Meta(pattern=r"^https?://\S+$", description="an http:// or https:// URL")]
Quality = Annotated[
    Literal["highest"] | Annotated[int, Meta(gt=0)],
    Meta(description='"highest" or a bandwidth cap in bit/s (a positive integer)'),
]
Seconds = Annotated[
    float,
    Meta(gt=0, le=600, description="a number of seconds, more than 0 and at most 600"),
]
LanguageCode = Annotated[
    str,
    Meta(pattern=r"^[a-z]{2}$", description='a two-letter ISO 639-1 language code, such as "en"'),
]
LastfmUser = Annotated[
    str,
    Meta(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]{1,14}$",
        description="a Last.fm user name (2 to 15 letters, digits, _ or -, a letter first)",
    ),
]
MpvValue = Annotated[str | int | float | bool, Meta(description="a string, a number or true/false")]


class _Section(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    pass


class YourMusicConfig(_Section, frozen=True):
    base_url: Url = "https://api.yourmusic.today"
    tenant: str | None = None
    email: str | None = None
    # Filled by load_config from the state dir when the file has none.
    device_id: uuid.UUID | None = None
    # Device mode: the client secret is a credential, kept in the keyring or
    # SETLIST_YOURMUSIC_CLIENT_SECRET (store.tokens.client_account).
    user_id: str | None = None
    client_id: str | None = None
    # Leave explicit tracks and releases out of searches (the API's excludeExplicitContent).
    exclude_explicit: bool = False


class JamendoConfig(_Section, frozen=True):
    base_url: Url = "https://api.jamendo.com/v3.0"
    client_id: str | None = None
    audioformat: AudioFormat = "mp32"


class LastfmConfig(_Section, frozen=True):
    base_url: Url = "https://ws.audioscrobbler.com/2.0/"
    # Where the desktop sign-in sends the user to allow scrobbling.
    auth_url: Url = "https://www.last.fm/api/auth/"
    api_key: str | None = None
    # The language of album summaries; Last.fm falls back to English where it has none.
    lang: LanguageCode = "en"
    # Whose plays the album page counts ("your plays"); none when unset.
    username: LastfmUser | None = None


ScrobbledFrom = Literal["yourmusic", "jamendo", "local"]


class ScrobbleConfig(_Section, frozen=True):
    """Last.fm scrobbling, once signed in with `setlist login lastfm`."""

    enabled: bool = True
    # The catalogs whose tracks are scrobbled ("local": plain files and URLs).
    providers: list[ScrobbledFrom] = msgspec.field(
        default_factory=lambda: ["yourmusic", "jamendo", "local"]
    )


class PlaybackConfig(_Section, frozen=True):
    quality: Quality = "highest"
    # When the queue ends, go on with tracks like the last ones played.
    autoplay: bool = False
    mpv: dict[str, MpvValue] = {}


class ProvidersConfig(_Section, frozen=True):
    enabled: list[ProviderName] = msgspec.field(default_factory=lambda: list(PROVIDERS))


class UiConfig(_Section, frozen=True):
    theme: str | None = None
    # Cover art on the album page and in the now-playing bar; off fetches no pictures.
    art: bool = True


class StoreConfig(_Section, frozen=True):
    plaintext_tokens: bool = False


class TimeoutsConfig(_Section, frozen=True):
    """How long a whole call to a service may take (connection, answer and retries)."""

    api: Seconds = 15.0  # catalog reads and writes: search, Home, playlists
    sign_in: Seconds = 20.0  # one-time codes, tokens
    stream: Seconds = 10.0  # a stream's manifest, fetched when a track starts


class MprisConfig(_Section, frozen=True):
    """Media keys and desktop widgets: the player on the D-Bus session bus, when there is one."""

    enabled: bool = True


class NotificationsConfig(_Section, frozen=True):
    """A desktop notification when the track changes. "auto": where there is a display
    (DISPLAY or WAYLAND_DISPLAY is set), not over SSH or in a plain console."""

    enabled: bool | Literal["auto"] = "auto"


class Config(_Section, frozen=True):
    yourmusic: YourMusicConfig = YourMusicConfig()
    jamendo: JamendoConfig = JamendoConfig()
    lastfm: LastfmConfig = LastfmConfig()
    scrobble: ScrobbleConfig = ScrobbleConfig()
    playback: PlaybackConfig = PlaybackConfig()
    providers: ProvidersConfig = ProvidersConfig()
    # Action id -> key, applied with App.set_keymap.
    keys: dict[str, str] = {}
    ui: UiConfig = UiConfig()
    store: StoreConfig = StoreConfig()
    timeouts: TimeoutsConfig = TimeoutsConfig()
    mpris: MprisConfig = MprisConfig()
    notifications: NotificationsConfig = NotificationsConfig()


_HINTS = {
    "yourmusic.client_secret": (
        "The client secret is a credential and never goes in the config file: "
        "set SETLIST_YOURMUSIC_CLIENT_SECRET or keep it in the keyring"
    ),
}


def load_config(path: Path | None = None) -> Config:
    """Read the config file (default: paths.config_file()), then the environment.

    Environment variables win over the file: SETLIST_JAMENDO_CLIENT_ID,
    SETLIST_LASTFM_API_KEY, SETLIST_PLAINTEXT_TOKENS. `yourmusic.device_id` is
    never None in the result: when the file has none, the one remembered in the
    state dir is used (generated on first use).
    """
    file = path if path is not None else paths.config_file()
    raw = _read(file, named=path is None and paths.config_file_named())
    check(raw, Config, file, _HINTS)
    config = msgspec.convert(raw, Config)
    return _with_environment(config, os.environ)


def _read(file: Path, *, named: bool = False) -> dict[str, Any]:
    """The file's TOML; none is an empty config, unless $SETLIST_CONFIG `named` it."""
    try:
        data = read_regular(file)
    except FileNotFoundError:
        if named:
            raise ConfigError(
                f"{paths.CONFIG_ENV} names {file}, which does not exist: create it (an empty "
                f"file will do), or unset {paths.CONFIG_ENV} to use {paths.default_config_file()}."
            ) from None
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {file}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"the config file {file} is not UTF-8 text (byte {exc.start + 1})"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(file, exc) from None


def _with_environment(config: Config, env: Mapping[str, str]) -> Config:
    jamendo = config.jamendo
    if env.get(ENV_JAMENDO_CLIENT_ID):
        jamendo = msgspec.structs.replace(jamendo, client_id=env[ENV_JAMENDO_CLIENT_ID])
    lastfm = config.lastfm
    if env.get(ENV_LASTFM_API_KEY):
        lastfm = msgspec.structs.replace(lastfm, api_key=env[ENV_LASTFM_API_KEY])
    store = config.store
    if plaintext_tokens_from_env(env):
        store = msgspec.structs.replace(store, plaintext_tokens=True)
    yourmusic = config.yourmusic
    if yourmusic.device_id is None:
        yourmusic = msgspec.structs.replace(yourmusic, device_id=remembered_device_id())
    return msgspec.structs.replace(
        config, yourmusic=yourmusic, jamendo=jamendo, lastfm=lastfm, store=store
    )


def plaintext_tokens_from_env(env: Mapping[str, str]) -> bool:
    """SETLIST_PLAINTEXT_TOKENS as a flag: 1/true/yes/on or 0/false/no/off (or unset)."""
    value = env.get(ENV_PLAINTEXT_TOKENS, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{ENV_PLAINTEXT_TOKENS} must be 1 or 0, not {value!r}")


def remembered_device_id() -> uuid.UUID:
    """This installation's device id, kept in the state dir; made on first use."""
    file = paths.state_dir() / DEVICE_ID_FILE
    try:
        return uuid.UUID(read_regular(file).decode("ascii").strip())
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        log.warning("%s is unreadable; making a new device id", file)
    device_id = uuid.uuid4()
    try:
        write_atomic(file, f"{device_id}\n".encode("ascii"))
    except OSError as exc:
        # Still usable for this run; the next run will try to remember one again.
        log.warning("cannot remember the device id in %s: %s", file, exc.strerror)
    return device_id


TomlValue = str | int | float | bool | list[Any] | dict[str, Any]


def save_config_value(
    section: str, key: str, value: TomlValue, *, path: Path | None = None
) -> Path:
    """Set `[section] key = value` in the config file and return the file's path.

    Edits the file with tomlkit, so the user's other values, comments and layout
    stay as they were. The result is validated before anything is written (a value
    the loader would reject raises ConfigError and leaves the file alone), and the
    file is replaced atomically, keeping its permissions; a symlinked file is
    written through the link.
    """
    # Only here: every start reads the config, few ever write it.
    import tomlkit
    import tomlkit.exceptions

    file = path if path is not None else paths.config_file()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file {file}: {exc}") from None
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(
            f"invalid TOML in {file} at line {exc.line}, column {exc.col}; "
            f"not changing it (fix the file first)"
        ) from None
    table = doc.get(section)
    if table is None:
        table = tomlkit.table()
        doc.add(section, table)
    elif not isinstance(table, MutableMapping):
        raise ConfigError(f"'{section}' in {file} is a value, not a table; not changing it")
    table[key] = value
    check(doc.unwrap(), Config, file, _HINTS)
    mode = stat.S_IMODE(file.stat().st_mode) if file.exists() else 0o644
    write_atomic(file, doc.as_string().encode("utf-8"), mode=mode)
    return file
