"""mpv's options: setlist's defaults, those it pins, the config's and the command
line's merged over them, and the per-file option string of `loadfile`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from setlist.core.errors import ConfigError

# The engine relies on these; a config cannot change them.
PINNED_OPTIONS: dict[str, str] = {
    "ytdl": "no",  # never run youtube-dl on a URL
    "video": "no",
    "terminal": "no",
    "input-default-bindings": "no",
    "idle": "yes",  # stay alive between files: one instance for the program's life
}
DEFAULT_OPTIONS: dict[str, str] = {
    "gapless-audio": "yes",
    "prefetch-playlist": "yes",  # open the next file before the current one ends
    "cache": "yes",
    "demuxer-max-bytes": "32MiB",
    "demuxer-max-back-bytes": "8MiB",
    "demuxer-readahead-secs": "20",
    "network-timeout": "15",
    "audio-client-name": "setlist",
}
# mpv's built-in Lua scripts serve a video window and its keys, which setlist has
# not: each is a Lua VM with its own thread, ~2.5 MB resident and ~1 ms of start-up.
# mpv renames and adds such switches between versions (load-osd-console became
# load-console in 0.40); those this libmpv does not know are left out, unless the
# user set them.
SCRIPTS_OFF: dict[str, str] = {
    "load-stats-overlay": "no",
    "load-osd-console": "no",
    "load-console": "no",
    "load-auto-profiles": "no",
    "load-select": "no",
    "load-positioning": "no",
    "load-commands": "no",
    "load-context-menu": "no",
}


def parse_mpv_options(items: Iterable[str]) -> dict[str, str]:
    """`--mpv-option KEY=VALUE` strings as a dict (`KEY` alone means `KEY=yes`)."""
    options: dict[str, str] = {}
    for item in items:
        key, sep, value = item.strip().removeprefix("--").partition("=")
        key = key.strip().replace("_", "-")
        if not key or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
            raise ConfigError(f"--mpv-option expects KEY=VALUE, got {item!r}")
        options[key] = value if sep else "yes"
    return options


def merge_options(*layers: Mapping[str, Any]) -> dict[str, str]:
    """Defaults, then each layer (config file, command line); pinned options last."""
    options = dict(DEFAULT_OPTIONS)
    for layer in layers:
        for raw_key, raw_value in layer.items():
            key = raw_key.replace("_", "-")
            value = _option_text(raw_value)
            if key in PINNED_OPTIONS and value != PINNED_OPTIONS[key]:
                raise ConfigError(f"mpv option {key!r} is set by setlist and cannot be changed")
            options[key] = value
    return {**options, **PINNED_OPTIONS}


def _option_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def encode_file_options(options: Mapping[str, str | Sequence[str]]) -> str:
    """mpv's per-file option string for `loadfile`, every value quoted.

    A list value (`http-header-fields`) is mpv's string list: items joined by commas,
    commas inside an item escaped. The `%n%` quote keeps commas and `=` of a value
    from being read as the next option.
    """
    parts = []
    for key, value in options.items():
        if not isinstance(value, str):
            value = ",".join(v.replace("\\", "\\\\").replace(",", "\\,") for v in value)
        parts.append(f"{key}=%{len(value.encode())}%{value}")
    return ",".join(parts)


_UNKNOWN_OUTPUT = re.compile(r"Audio output (\S+) not found")  # mpv's log line
NO_AUDIO_OUTPUT = (
    "no audio output could be opened (no sound device, or no PulseAudio or PipeWire "
    "in this session). Choose one with `ao` and `audio-device` under [playback.mpv] "
    "in the config, or --mpv-option"
)


def no_output_message(trouble: str | None, ao: str | None) -> str:
    """What to say when no audio output opened, naming a misspelt `ao` when it is one.

    mpv's log line about the cause may come after the event that ends the track (mpv
    hands out events before log lines), so without it the `ao` given is named.
    """
    unknown = _UNKNOWN_OUTPUT.search(trouble or "")
    if unknown:
        return (
            f"mpv has no audio output called “{unknown[1]}”: check `ao` under "
            "[playback.mpv] in the config, or --mpv-option (`mpv --ao=help` lists them)"
        )
    if ao:
        return (
            f"the audio output ao={ao} could not be opened (no such output, or no sound "
            "device for it; `mpv --ao=help` lists the outputs). Choose one with `ao` and "
            "`audio-device` under [playback.mpv] in the config, or --mpv-option"
        )
    return NO_AUDIO_OUTPUT
