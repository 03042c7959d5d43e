"""`setlist library [SECTION]`: what the user keeps, as tables or as JSON.

Liked tracks, favorites, followed artists and saved albums are Jamendo's; the
playlists are YourMusic's. With no SECTION every section is listed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from setlist.cli.output import print_json, render_table, say, tell, wants_json
from setlist.cli.runner import add_demo_flag, add_json_flag, run_with_services
from setlist.cli.search_cmd import VIEWS
from setlist.core.errors import ConfigError, SignInRequired
from setlist.core.library import SECTION_TITLES, SECTIONS, Section
from setlist.core.protocols import Library
from setlist.core.text import plain
from setlist.services import Services
from setlist.services.library import library_of

EMPTY: dict[Section, str] = {
    "liked": "No liked tracks yet: like one with `setlist like jamendo:track:ID`.",
    "favorites": "No favorite tracks yet.",
    "artists": "You follow no artists yet: `setlist follow jamendo:artist:ID`.",
    "albums": "No albums yet: add one with `setlist like jamendo:album:ID`.",
    "playlists": "You have no playlists yet: `setlist playlists create NAME`.",
}
_VIEW: dict[Section, str] = {
    "liked": "tracks",
    "favorites": "tracks",
    "artists": "artists",
    "albums": "albums",
    "playlists": "playlists",
}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "library",
        help="list your likes, favorites, followed artists, albums and playlists",
        description="List what you keep: liked and favorite tracks, the artists you follow "
        "and your albums (Jamendo, signed in), and your playlists (YourMusic). With no "
        "SECTION, all of them; --json prints one document (an object of sections, or "
        "the section's array).",
    )
    parser.add_argument(
        "section",
        nargs="?",
        choices=SECTIONS,
        metavar="SECTION",
        help=f"one of {', '.join(SECTIONS)}",
    )
    add_demo_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    async def body(services: Services) -> int:
        library = library_of(services)
        if args.section is not None:
            items = await _read(library, args.section)
            if wants_json(args):
                print_json(items)
            else:
                _show(args.section, items)
            return 0
        return await _everything(library, args)

    return run_with_services(args, body)


async def _everything(library: Library, args: argparse.Namespace) -> int:
    jamendo: list[Section] = ["liked", "favorites", "artists", "albums"]
    found = await asyncio.gather(*(_read(library, s) for s in jamendo))
    sections: dict[str, list[Any] | None] = dict(zip(jamendo, found, strict=True))
    try:
        sections["playlists"] = await library.playlists()
    except (ConfigError, SignInRequired) as exc:
        # The Jamendo sections stand on their own: say why playlists are missing.
        tell(f"setlist: {plain(str(exc))}")
        sections["playlists"] = None
    if wants_json(args):
        print_json(sections)
        return 0
    for i, section in enumerate(SECTIONS):
        items = sections[section]
        if items is None:
            continue
        if i:
            say("")
        say(f"{SECTION_TITLES[section]} ({len(items)})")
        _show(section, items)
    return 0


def _read(library: Library, section: Section) -> Awaitable[list[Any]]:
    readers: dict[Section, Callable[[], Awaitable[list[Any]]]] = {
        "liked": library.liked_tracks,
        "favorites": library.favorite_tracks,
        "artists": library.followed_artists,
        "albums": library.saved_albums,
        "playlists": library.playlists,
    }
    return readers[section]()


def _show(section: Section, items: list[Any]) -> None:
    if not items:
        say(EMPTY[section])
        return
    columns, row = VIEWS[_VIEW[section]]
    say(render_table(columns, [row(item) for item in items]))
