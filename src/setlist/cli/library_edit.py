"""`setlist like`, `unlike` and `follow`: change the user's Jamendo library by ITEM.

Each names one track, album or artist by id, looks it up first (Jamendo keeps a like
of an id it does not have without a word, and never shows it), then changes it.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

import msgspec

from setlist.cli.ctl_output import track_text
from setlist.cli.output import print_json, say, wants_json
from setlist.cli.runner import add_demo_flag, add_json_flag, run_with_services
from setlist.core.library import FORMS, LibraryKind, parse_library_item
from setlist.core.models import Album, Artist, Track
from setlist.core.protocols import Library
from setlist.core.text import plain
from setlist.services import Services
from setlist.services.library import library_of

Entity = Track | Album | Artist
# Changes the library; returns whether anything changed and the line to print.
Change = Callable[[Library, Entity], Awaitable[tuple[bool, str]]]


class Changed(msgspec.Struct, kw_only=True):
    """What --json prints: the action, what it was done to, whether anything changed."""

    action: str
    kind: str
    item: Entity
    changed: bool


def register_change(
    sub: argparse._SubParsersAction,
    name: str,
    *,
    help: str,
    kinds: tuple[LibraryKind, ...],
    change: Change,
) -> None:
    parser = sub.add_parser(
        name,
        help=help,
        description=f"{help[0].upper()}{help[1:]}. ITEM is "
        + " or ".join(FORMS[kind] for kind in kinds)
        + ".",
    )
    parser.add_argument("item", metavar="ITEM")
    add_demo_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=lambda args: _run(args, name, kinds, change))


def _run(
    args: argparse.Namespace, action: str, kinds: tuple[LibraryKind, ...], change: Change
) -> int:
    # Refused before any service opens: a typo costs no round trip.
    item = parse_library_item(args.item, allowed=kinds)

    async def body(services: Services) -> int:
        library = library_of(services)
        entity = await library.lookup(item)
        changed, line = await change(library, entity)
        if wants_json(args):
            print_json(Changed(action=action, kind=item.kind, item=entity, changed=changed))
        else:
            say(line)
        return 0

    return run_with_services(args, body)


def described(entity: Entity) -> str:
    if isinstance(entity, Track):
        return track_text(entity)
    if isinstance(entity, Album):
        text = f"“{plain(entity.title)}”"
        return text + (f" — {plain(entity.artist_name)}" if entity.artist_name else "")
    return f"“{plain(entity.name)}”"
