"""`setlist radio ITEM`: `setlist play` of a radio from a track, with no screen.

The queue is ITEM's first track, then tracks like it (`services.radio` says how
each catalog finds them); everything else is `setlist play`'s.
"""

from __future__ import annotations

import argparse
import textwrap

from setlist.cli import play_cmd
from setlist.core.items import FORMS

EPILOG = "\n\n".join(
    textwrap.fill(paragraph, 78)
    for paragraph in (
        f"ITEM is {FORMS}; the radio starts from its first track.",
        "Jamendo finds similar tracks itself (tracks/similar). YourMusic has no such "
        "call: its radio is the rest of the track's release, then the artist's other "
        "tracks and releases. Keys and exit status are those of `setlist play`.",
    )
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "radio",
        help="play a track then similar tracks, with no screen",
        description="Play ITEM's track, then tracks like it, with no screen (as `setlist play`).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("item", metavar="ITEM", help="the track to start from (see below)")
    parser.add_argument(
        "--provider",
        choices=("yourmusic", "jamendo"),
        help="the catalog for searches and ids (default: the first set up that has a match)",
    )
    play_cmd.add_demo_flag(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="one JSON object per line (event, entry id, track, position) instead of text",
    )
    parser.add_argument(
        "--mpv-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an mpv option for this run, e.g. audio-device=... (repeatable)",
    )
    parser.add_argument(
        "--quality",
        type=play_cmd.quality_arg,
        help="HLS quality: highest, or a bandwidth cap in bit/s (default: the config's)",
    )

    def handle(args: argparse.Namespace) -> int:
        args.items, args.resume, args.radio = [args.item], False, True
        return play_cmd.handle(args, parser)

    parser.set_defaults(handler=handle)
