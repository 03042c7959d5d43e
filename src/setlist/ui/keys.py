"""The keys that work on every screen. Each has an id: `[keys]` in the config remaps it.

The README's key table lists these and a track list's, and a test holds it to them.

Seeking has two keys each: h/l and the arrows. A focused text box keeps its
arrows, and many terminals swallow Shift+arrows, so Shift+Left/Right have the
letter twins H/L.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from textual.binding import Binding, BindingType

SEEK_SHORT = 5.0
SEEK_LONG = 30.0
VOLUME_STEP = 5.0

GLOBAL_BINDINGS: list[BindingType] = [
    # Screens
    Binding("1", "switch_mode('home')", "Home", id="go.home"),
    Binding("2", "switch_mode('search')", "Search", show=False, id="go.search"),
    Binding("3", "switch_mode('playlists')", "Playlists", show=False, id="go.playlists"),
    Binding("4", "switch_mode('queue')", "Queue", show=False, id="go.queue"),
    Binding("5", "accounts", "Accounts", show=False, id="go.accounts"),
    Binding("6", "switch_mode('library')", "Library", show=False, id="go.library"),
    Binding("slash", "search", "Search", id="search"),
    Binding("question_mark", "help", "Keys", id="help"),
    Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette"),
    Binding("escape", "back", "Back", show=False, id="back"),
    Binding("q", "quit", "Quit", id="quit"),
    # Playback
    Binding("space", "toggle_pause", "Pause", id="playback.toggle"),
    # Track lists take space to select: p pauses there too.
    Binding("p", "toggle_pause", "Pause", show=False, id="playback.toggle_p"),
    Binding("greater_than_sign", "next_track", "Next track", show=False, id="playback.next"),
    Binding(
        "less_than_sign", "previous_track", "Previous track", show=False, id="playback.previous"
    ),
    Binding("l,right", f"seek({SEEK_SHORT})", "Seek +5 s", show=False, id="playback.forward"),
    Binding("h,left", f"seek({-SEEK_SHORT})", "Seek -5 s", show=False, id="playback.back"),
    Binding(
        "L,shift+right", f"seek({SEEK_LONG})", "Seek +30 s", show=False, id="playback.forward_long"
    ),
    Binding(
        "H,shift+left", f"seek({-SEEK_LONG})", "Seek -30 s", show=False, id="playback.back_long"
    ),
    # Not +: in a track list + adds to a playlist, and a key means one thing everywhere.
    Binding("equals_sign", f"volume({VOLUME_STEP})", "Volume up", show=False, id="volume.up"),
    Binding("minus", f"volume({-VOLUME_STEP})", "Volume down", show=False, id="volume.down"),
    Binding("m", "mute", "Mute", show=False, id="volume.mute"),
    Binding("s", "shuffle", "Shuffle", show=False, id="playback.shuffle"),
    Binding("r", "repeat", "Repeat: off, all, one", show=False, id="playback.repeat"),
    Binding("c", "current", "Go to the current track", show=False, id="playback.current"),
    # Only while the daemon the app drives is gone (the now-playing bar offers them).
    Binding("D", "start_daemon", "Start the stopped player again", show=False, id="player.start"),
    Binding("I", "play_here", "Play in the app instead", show=False, id="player.play_here"),
    # Your library (Jamendo's): the track under the cursor, else the one playing.
    Binding("y", "like", "Like (artist: follow, album: add)", show=False, id="library.like"),
    Binding("x", "dislike", "Dislike", show=False, id="library.dislike"),
    Binding("F", "favorite", "Favorite", show=False, id="library.favorite"),
    # What a track belongs to, and more of it: the track under the cursor, else the one playing.
    Binding("b", "go_album", "Go to the album", show=False, id="go.album"),
    Binding("o", "go_artist", "Go to the artist", show=False, id="go.artist"),
    Binding("i", "track_details", "Track details", show=False, id="track.details"),
    Binding("e", "lyrics", "Lyrics of the playing track", show=False, id="track.lyrics"),
    # Similar tracks: the track under the cursor, else the one playing.
    Binding("w", "radio", "Radio from this track", show=False, id="playback.radio"),
    Binding("W", "autoplay", "Autoplay on or off", show=False, id="playback.autoplay"),
]


def key_of(binding_id: str, keymap: Mapping[str, str]) -> str:
    """The key a binding of GLOBAL_BINDINGS answers to, as [keys] may have remapped it."""
    keys = keymap.get(binding_id) or next(
        b.key for b in GLOBAL_BINDINGS if isinstance(b, Binding) and b.id == binding_id
    )
    return keys.split(",")[0].strip()


def binding_ids() -> set[str]:
    """Every id a binding of setlist's app, screens and widgets has: what [keys] may name."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import setlist.ui.screens
    import setlist.ui.widgets

    for package in (setlist.ui.screens, setlist.ui.widgets):
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    ids = {b.id for b in GLOBAL_BINDINGS if isinstance(b, Binding) and b.id}
    classes: list[type] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("setlist."):
            bindings = cls.__dict__.get("BINDINGS", [])
            ids.update(b.id for b in bindings if isinstance(b, Binding) and b.id)
    return ids


def unknown_key_ids(keymap: dict[str, str]) -> list[str]:
    """A message for each id in the config's [keys] that no binding has."""
    if not keymap:
        return []
    known = binding_ids()
    messages = []
    for name in sorted(set(keymap) - known):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        messages.append(f"No key has the id {name!r} given in [keys]{hint}; ? lists the ids.")
    return messages
