"""`setlist lyrics ITEM`: a track's lyrics (Jamendo has them for some tracks)."""

from __future__ import annotations

import argparse

from setlist.cli.output import print_json, say, wants_json
from setlist.cli.runner import run_with_services
from setlist.cli.show_cmd import TRACK_FORMS, Lyrics, add_track_arguments, find_track, parse_track
from setlist.core.text import plain
from setlist.services import Services
from setlist.services.track_facts import track_facts_of

NO_LYRICS = "No lyrics for this track."


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "lyrics",
        help="a track's lyrics (Jamendo's; YourMusic's catalog has none)",
        description=f"A track's lyrics. ITEM is {TRACK_FORMS}.",
    )
    add_track_arguments(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    item = parse_track(args.item)

    async def body(services: Services) -> int:
        track = await find_track(services, item)
        words = await track_facts_of(services).lyrics(track)
        if wants_json(args):
            print_json(Lyrics(track=track, lyrics=words))
        else:
            say(plain(words, keep_newlines=True) if words else NO_LYRICS)
        return 0

    return run_with_services(args, body)
