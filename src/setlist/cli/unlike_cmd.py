"""`setlist unlike ITEM`: take back the like of a Jamendo track.

Jamendo has no call that only removes a like: `setuser/dislike` is the one that
does, and the track is then marked disliked. Nothing is sent for a track that is
not liked. Jamendo cannot take an album out of your albums at all.
"""

from __future__ import annotations

import argparse

from setlist.cli.library_edit import Entity, described, register_change
from setlist.core.models import Album, Track
from setlist.core.protocols import Library


def register(sub: argparse._SubParsersAction) -> None:
    register_change(
        sub,
        "unlike",
        help="take back the like of a Jamendo track (it is then marked disliked)",
        kinds=("track", "album"),
        change=_unlike,
    )


async def _unlike(library: Library, entity: Entity) -> tuple[bool, str]:
    if isinstance(entity, Album):
        await library.remove_album(entity)  # refused: Jamendo offers no way
    assert isinstance(entity, Track)
    if not await library.unlike(entity):
        return False, f"{described(entity)} is not among your likes; nothing changed."
    return True, (
        f"Unliked {described(entity)} (Jamendo has no plain unlike: it is marked disliked)."
    )
