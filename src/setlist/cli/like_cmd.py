"""`setlist like ITEM`: like a Jamendo track, or add an album to your albums."""

from __future__ import annotations

import argparse

from setlist.cli.library_edit import Entity, described, register_change
from setlist.core.models import Album, Track
from setlist.core.protocols import Library


def register(sub: argparse._SubParsersAction) -> None:
    register_change(
        sub,
        "like",
        help="like a Jamendo track (an album: add it to your albums)",
        kinds=("track", "album"),
        change=_like,
    )


async def _like(library: Library, entity: Entity) -> tuple[bool, str]:
    if isinstance(entity, Track):
        await library.like(entity)
        return True, f"Liked {described(entity)}."
    assert isinstance(entity, Album)
    await library.save_album(entity)
    return True, f"Added {described(entity)} to your albums."
