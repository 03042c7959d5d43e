"""Where setlist keeps its files, from platformdirs.

Functions rather than module constants: every call reads the environment, so
tests (and users) can point XDG_* or SETLIST_CONFIG elsewhere at any time.
Nothing here creates a directory; writers call `ensure_dir`.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "setlist"
CONFIG_ENV = "SETLIST_CONFIG"
CONFIG_FILE_NAME = "config.toml"


def _dirs() -> PlatformDirs:
    # appauthor=False: no "setlist\setlist" nesting on Windows.
    return PlatformDirs(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The config file: $SETLIST_CONFIG if set, else config.toml in the user config dir."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return default_config_file()


def config_file_named() -> bool:
    """Whether $SETLIST_CONFIG names the config file (then it has to exist)."""
    return bool(os.environ.get(CONFIG_ENV))


def default_config_file() -> Path:
    return _dirs().user_config_path / CONFIG_FILE_NAME


def state_dir() -> Path:
    """Data that should survive a restart but is not config: device id, opted-in tokens."""
    return _dirs().user_state_path


def play_state_dir() -> Path:
    """`setlist play`'s own saved queue: a one-off play leaves the app's and daemon's alone."""
    return state_dir() / "play"


def cache_dir() -> Path:
    """Cover art and downloads to come; nothing kept here yet."""
    return _dirs().user_cache_path


def log_dir() -> Path:
    return _dirs().user_log_path


def runtime_dir() -> Path:
    """Where a daemon's socket goes; the state dir on systems without a runtime dir.

    On Linux platformdirs answers $XDG_RUNTIME_DIR/setlist, or /run/user/<uid>/setlist
    even when /run/user/<uid> does not exist (containers, cron, su): only a base that
    exists counts.
    """
    with warnings.catch_warnings():
        # A runtime dir of the wrong mode makes platformdirs warn on stderr and fall
        # back to /tmp/runtime-<uid>; the daemon's own 0700 folder inside it suffices.
        warnings.simplefilter("ignore")
        runtime = _dirs().user_runtime_path
    if runtime.parent.is_dir() and os.access(runtime.parent, os.W_OK | os.X_OK):
        return runtime
    return state_dir()


def ensure_dir(path: Path, mode: int = 0o700) -> Path:
    """Create `path` (and its parents) if missing; private to the user by default."""
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    return path
