"""`setlist playlists ...`: list and edit one's own YourMusic playlists."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

from setlist.cli.output import Column, duration, print_json, render_table, say, wants_json
from setlist.cli.runner import (
    add_demo_flag,
    add_json_flag,
    positive_int,
    run_with_services,
)
from setlist.core.errors import ConfigError, NotFound, SignInRequired
from setlist.core.models import Playlist, PlaylistEntry
from setlist.core.text import plain
from setlist.providers.yourmusic import YourMusicClient
from setlist.providers.yourmusic.auth import NOT_SIGNED_IN
from setlist.services import Services
from setlist.store import paths

Action = Callable[[YourMusicClient, argparse.Namespace], Awaitable[int]]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "playlists",
        help="list and edit your YourMusic playlists",
        description="With no action, list your own YourMusic playlists. Entry ids (for "
        "move and remove) are shown by `setlist playlists show ID`; they stay the same "
        "when entries are added or moved, and change when any entry is removed.",
    )
    _common(parser, list_playlists)
    actions = parser.add_subparsers(title="actions", metavar="ACTION")

    show = actions.add_parser("show", help="a playlist's tracks, with their entry ids")
    show.add_argument("playlist_id", metavar="ID")
    _common(show, show_playlist)

    create = actions.add_parser("create", help="create a playlist (private unless --public)")
    create.add_argument("name", metavar="NAME")
    create.add_argument("--public", action="store_true", help="visible to everyone")
    _common(create, create_playlist)

    rename = actions.add_parser("rename", help="rename a playlist")
    rename.add_argument("playlist_id", metavar="ID")
    rename.add_argument("name", metavar="NAME")
    _common(rename, rename_playlist)

    for name, public in (("public", True), ("private", False)):
        visibility = actions.add_parser(name, help=f"make a playlist {name}")
        visibility.add_argument("playlist_id", metavar="ID")
        visibility.set_defaults(public=public)
        _common(visibility, set_visibility)

    add = actions.add_parser("add", help="append tracks, in the order given")
    add.add_argument("playlist_id", metavar="ID")
    add.add_argument("track_ids", metavar="TRACK_ID", nargs="+")
    _common(add, add_tracks)

    move = actions.add_parser("move", help="move an entry to a position (1 = first)")
    move.add_argument("playlist_id", metavar="ID")
    move.add_argument("entry_id", metavar="ENTRY_ID")
    move.add_argument("order", metavar="ORDER", type=positive_int)
    _common(move, move_entry)

    remove = actions.add_parser("remove", help="remove entries (not tracks: a track may repeat)")
    remove.add_argument("playlist_id", metavar="ID")
    remove.add_argument("entry_ids", metavar="ENTRY_ID", nargs="+")
    _common(remove, remove_entries)


def _common(parser: argparse.ArgumentParser, action: Action) -> None:
    add_demo_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=lambda args: _run(args, action))


def _run(args: argparse.Namespace, action: Action) -> int:
    async def body(services: Services) -> int:
        return await action(_editor(services), args)

    return run_with_services(args, body)


def _editor(services: Services) -> YourMusicClient:
    editor = services.editor
    if editor is not None:
        return editor
    if services.yourmusic is None:
        raise ConfigError(
            "Playlists are YourMusic's, and YourMusic is not set up: set tenant under "
            f"[yourmusic] in {paths.config_file()}, or try the demo with --demo."
        )
    raise SignInRequired(NOT_SIGNED_IN, provider="yourmusic")


# -- actions


async def list_playlists(client: YourMusicClient, args: argparse.Namespace) -> int:
    playlists = await client.my_playlists()
    if wants_json(args):
        print_json(playlists)
    elif playlists:
        say(render_table(PLAYLIST_COLUMNS, [_playlist_row(p) for p in playlists]))
    else:
        say("You have no playlists yet: create one with `setlist playlists create NAME`.")
    return 0


async def show_playlist(client: YourMusicClient, args: argparse.Namespace) -> int:
    playlist, entries = await client.playlist_with_entries(args.playlist_id)
    if wants_json(args):
        print_json({"playlist": playlist, "entries": entries})
        return 0
    say(f"{_describe(playlist)}, {_count(len(entries))}")
    if entries:
        say(render_table(ENTRY_COLUMNS, [_entry_row(e) for e in entries]))
    return 0


async def create_playlist(client: YourMusicClient, args: argparse.Namespace) -> int:
    playlist = await client.create_playlist(args.name, public=args.public)
    if wants_json(args):
        print_json(playlist)
    else:
        say(f"Created {_describe(playlist)}: {playlist.id}")
    return 0


async def rename_playlist(client: YourMusicClient, args: argparse.Namespace) -> int:
    playlist = await client.update_playlist(args.playlist_id, name=args.name)
    if wants_json(args):
        print_json(playlist)
    else:
        say(f"Renamed: {_describe(playlist)}.")
    return 0


async def set_visibility(client: YourMusicClient, args: argparse.Namespace) -> int:
    playlist = await client.update_playlist(args.playlist_id, public=args.public)
    if wants_json(args):
        print_json(playlist)
    else:
        say(f"{_describe(playlist)}.")
    return 0


async def add_tracks(client: YourMusicClient, args: argparse.Namespace) -> int:
    # One request per track, in order: the API appends one track at a time.
    added = [await client.add_track(args.playlist_id, t) for t in args.track_ids]
    if wants_json(args):
        print_json(added)
    else:
        for entry in added:
            say(f"Added track {entry.track_id} at position {entry.order} (entry {entry.id}).")
    return 0


async def move_entry(client: YourMusicClient, args: argparse.Namespace) -> int:
    entry = await client.move_entry(args.playlist_id, args.entry_id, args.order)
    if wants_json(args):
        print_json(entry)
    else:
        say(f"Moved entry {entry.id} (track {entry.track_id}) to position {entry.order}.")
    return 0


async def remove_entries(client: YourMusicClient, args: argparse.Namespace) -> int:
    present = {e.id for e in await client.playlist_entries(args.playlist_id)}
    unknown = [e for e in args.entry_ids if e not in present]
    if unknown:
        raise NotFound(
            f"Playlist {args.playlist_id} has no entry {', '.join(unknown)}: nothing was removed "
            "(`setlist playlists show ID` lists the entry ids).",
            provider="yourmusic",
        )
    left = await client.remove_entries(args.playlist_id, args.entry_ids)
    if wants_json(args):
        print_json(left)
    else:
        gone = len(set(args.entry_ids))
        say(f"Removed {_count(gone, 'entry', 'entries')}; {_count(len(left))} left.")
        if any(e.id not in present for e in left):
            say(
                "YourMusic removes entries by rewriting the playlist: the entries left have "
                f"new ids (`setlist playlists show {args.playlist_id}` lists them)."
            )
    return 0


# -- presentation


PLAYLIST_COLUMNS = [
    Column("ID"),
    Column("NAME", flex=True),
    Column("VISIBILITY"),
    Column("TRACKS", right=True),
    Column("UPDATED"),
]
ENTRY_COLUMNS = [
    Column("#", right=True),
    Column("ENTRY"),
    Column("TRACK"),
    Column("TITLE", flex=True),
    Column("ARTIST", flex=True),
    Column("TIME", right=True),
]


def _playlist_row(p: Playlist) -> list[str]:
    count = "—" if p.track_count is None else str(p.track_count)
    return [p.id, p.name, _visibility(p), count, (p.updated_at or "")[:10]]


def _entry_row(e: PlaylistEntry) -> list[str]:
    t = e.track
    title, artist = (t.title, t.artist_name) if t else ("(not in the catalog)", "")
    return [str(e.order), e.id, e.track_id, title, artist, duration(t.duration if t else None)]


def _visibility(p: Playlist) -> str:
    if p.public is None:
        return ""
    return "public" if p.public else "private"


def _describe(p: Playlist) -> str:
    visibility = _visibility(p)
    return f"“{plain(p.name)}”" + (f" ({visibility})" if visibility else "")


def _count(n: int, one: str = "track", many: str = "tracks") -> str:
    return f"{n} {one if n == 1 else many}"
