"""`setlist search QUERY`: search the catalogs, as a table or as JSON."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from setlist.cli.output import Column, duration, print_json, render_table, say, tell, wants_json
from setlist.cli.runner import (
    add_demo_flag,
    add_json_flag,
    positive_int,
    run_with_services,
)
from setlist.core.errors import ConfigError, SetlistError
from setlist.core.models import Album, Artist, Page, Playlist, Track
from setlist.core.protocols import CatalogProvider
from setlist.core.text import plain
from setlist.services import Services
from setlist.store import paths

TYPES = ("tracks", "albums", "artists", "playlists")
PROVIDERS = ("yourmusic", "jamendo", "all")
DEFAULT_LIMIT = 10
MAX_PAGES = 20  # a bound on the pages fetched to reach --limit
LABELS = {"yourmusic": "YourMusic", "jamendo": "Jamendo"}  # in messages about set-up


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "search",
        help="search the catalogs",
        description="Search YourMusic and Jamendo. Prints a table sized to the terminal, "
        "or with --json a JSON array of the results as the services sent them.",
    )
    parser.add_argument("query", nargs="?", help="what to look for")
    parser.add_argument(
        "--clear-history",
        action="store_true",
        help="forget the searches the app keeps for the up arrow in its search box",
    )
    parser.add_argument("--type", choices=TYPES, default="tracks", help="default: tracks")
    parser.add_argument(
        "--provider", choices=PROVIDERS, default="all", help="default: all that are set up"
    )
    parser.add_argument(
        "--limit",
        type=positive_int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"results per catalog (default {DEFAULT_LIMIT})",
    )
    add_demo_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.clear_history:
        return _clear_history()
    if not args.query:
        tell("setlist search: say what to look for (setlist search QUERY), or --clear-history.")
        return 2

    async def body(services: Services) -> int:
        catalogs = _chosen(services, args.provider)
        outcomes = await asyncio.gather(
            *(_search(c, args.type, args.query, args.limit) for c in catalogs),
            return_exceptions=True,
        )
        found: list[Any] = []
        failed = False
        for outcome in outcomes:
            if isinstance(outcome, SetlistError):
                tell(f"setlist: {plain(str(outcome))}")
                failed = True
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                found.extend(outcome)
        if wants_json(args):
            print_json(found)
        elif found:
            columns, row = VIEWS[args.type]
            say(render_table(columns, [row(item) for item in found]))
        elif not failed:
            say(f"No {args.type} found for “{plain(args.query)}”.")
        return 1 if failed else 0

    return run_with_services(args, body)


def _clear_history() -> int:
    from setlist.store.search_history import SearchHistory

    history = SearchHistory()
    try:
        history.clear()
    except OSError as exc:
        tell(f"setlist: could not clear the search history {history.path}: {exc.strerror or exc}")
        return 1
    say("Search history cleared.")
    return 0


def _chosen(services: Services, provider: str) -> list[CatalogProvider]:
    available = services.providers
    if provider != "all":
        if provider not in available:
            raise ConfigError(_not_set_up(services, provider))
        return [available[provider]]
    if not available:
        raise ConfigError(
            f"No catalog is set up: set a YourMusic tenant or a Jamendo client id in "
            f"{paths.config_file()}, or try the built-in demo with --demo."
        )
    return list(available.values())


def _not_set_up(services: Services, provider: str) -> str:
    label = LABELS[provider]
    if provider not in services.config.providers.enabled:
        return f"{label} is switched off (providers.enabled in {paths.config_file()})."
    what = "a tenant" if provider == "yourmusic" else "a client id"
    return f"{label} is not set up: it needs {what} under [{provider}] in {paths.config_file()}."


async def _search(catalog: CatalogProvider, kind: str, query: str, limit: int) -> list[Any]:
    """Up to `limit` results, following pages as far as needed."""
    method: Callable[..., Any] = getattr(catalog, f"search_{kind}")
    items: list[Any] = []
    cursor: int | None = None
    for _ in range(MAX_PAGES):
        page: Page[Any] = await method(query, cursor)
        items.extend(page.items)
        cursor = page.next
        if len(items) >= limit or cursor is None or not page.items:
            break
    return items[:limit]


def _track_row(t: Track) -> list[str]:
    return [t.provider, t.id, t.title, t.artist_name, t.album_title, duration(t.duration)]


def _album_row(a: Album) -> list[str]:
    return [a.provider, a.id, a.title, a.artist_name, str(a.year or "")]


def _artist_row(a: Artist) -> list[str]:
    return [a.provider, a.id, a.name]


def _playlist_row(p: Playlist) -> list[str]:
    count = "—" if p.track_count is None else str(p.track_count)
    return [p.provider, p.id, p.name, p.owner, count]


_SOURCE = [Column("CATALOG"), Column("ID")]
VIEWS: dict[str, tuple[Sequence[Column], Callable[[Any], list[str]]]] = {
    "tracks": (
        [
            *_SOURCE,
            Column("TITLE", flex=True),
            Column("ARTIST", flex=True),
            Column("ALBUM", flex=True),
            Column("TIME", right=True),
        ],
        _track_row,
    ),
    "albums": (
        [*_SOURCE, Column("TITLE", flex=True), Column("ARTIST", flex=True), Column("YEAR")],
        _album_row,
    ),
    "artists": ([*_SOURCE, Column("NAME", flex=True)], _artist_row),
    "playlists": (
        [
            *_SOURCE,
            Column("NAME", flex=True),
            Column("OWNER", flex=True),
            Column("TRACKS", right=True),
        ],
        _playlist_row,
    ),
}
