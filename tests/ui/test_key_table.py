"""The README's key table is the app's keymap, and a key means one thing everywhere."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.keys import format_key

from setlist.cli.play_cmd import _KEY_ACTIONS
from setlist.ui.keys import GLOBAL_BINDINGS
from setlist.ui.widgets.track_table import TrackTable

README = Path(__file__).parents[2] / "README.md"
HEADER = "| keys | what they do | id |"

# A track list takes these for itself, and says so in the README: space selects
# there (p pauses everywhere), and escape clears a selection before it goes back.
TRACK_LIST_OWN = {"space", "escape"}


def bindings() -> list[Binding]:
    """The keys on every screen, then those of every track list, as the app binds them."""
    return [b for b in [*GLOBAL_BINDINGS, *TrackTable.BINDINGS] if isinstance(b, Binding)]


def keys_of(binding: Binding) -> list[str]:
    return [key.strip() for key in binding.key.split(",")]


def readme_rows() -> list[tuple[str, str, str]]:
    """The README's key tables, one after the other: (keys, what they do, id) for each row."""
    rows = []
    in_table = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line == HEADER:
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("|---"):
            keys, text, key_id = (cell.strip() for cell in line.strip("|").split(" | "))
            rows.append((keys, text, key_id))
    return rows


def shown(key: str) -> str:
    """A key as the README writes it: the character it types, else its name (`enter`)."""
    character = format_key(key)
    return character if len(character) == 1 and "!" <= character <= "~" else key


def row_of(binding: Binding) -> tuple[str, str, str]:
    keys = " ".join(f"`{shown(key)}`" for key in keys_of(binding))
    return (keys, binding.description, f"`{binding.id}`")


def test_the_readme_key_table_is_the_keymap():
    expected = [row_of(b) for b in bindings()]
    table = "\n".join(f"| {' | '.join(row)} |" for row in expected)
    assert readme_rows() == expected, f"The README's key table should read:\n{table}"


def test_a_key_means_one_thing_on_every_screen_and_in_every_track_list():
    meanings: dict[str, set[str]] = {}
    for binding in bindings():
        for key in keys_of(binding):
            if key not in TRACK_LIST_OWN:
                meanings.setdefault(key, set()).add(binding.action)
    twice = {key: actions for key, actions in meanings.items() if len(actions) > 1}
    assert twice == {}


# What `setlist play` does on a key, as the id of the app's binding that does the same.
PLAY_ACTION_IDS = {
    "pause": {"playback.toggle", "playback.toggle_p"},
    "next": {"playback.next"},
    "previous": {"playback.previous"},
    "louder": {"volume.up"},
    "quieter": {"volume.down"},
    "mute": {"volume.mute"},
    "forward": {"playback.forward"},
    "back": {"playback.back"},
    "quit": {"quit"},
}


def test_setlist_play_keys_mean_what_they_mean_in_the_app():
    """`setlist play` speaks the app's keys: p pauses, < and > skip, = and - set the volume."""
    app_ids: dict[str, str | None] = {}
    for binding in bindings():  # a track list's own space (select) comes after the app's
        for key in keys_of(binding):
            app_ids.setdefault(shown(key), binding.id)
    play = {("space" if key == " " else key): action for key, action in _KEY_ACTIONS.items()}
    play = {key: action for key, action in play.items() if key.isprintable()}
    for key, action in play.items():
        assert app_ids.get(key) in PLAY_ACTION_IDS[action], (
            f"{key!r} is {action!r} in setlist play but {app_ids.get(key)!r} in the app"
        )
    for action, ids in PLAY_ACTION_IDS.items():
        for key in (shown(k) for b in bindings() if b.id in ids for k in keys_of(b)):
            if len(key) == 1 or key == "space":
                assert play.get(key) == action, f"{key!r} does {action!r} in the app only"
