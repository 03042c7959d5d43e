"""`setlist follow artist:ID`: become a fan of a Jamendo artist (`setuser/fan`)."""

from __future__ import annotations

import argparse

from setlist.cli.library_edit import Entity, described, register_change
from setlist.core.models import Artist
from setlist.core.protocols import Library


def register(sub: argparse._SubParsersAction) -> None:
    register_change(
        sub, "follow", help="follow a Jamendo artist", kinds=("artist",), change=_follow
    )


async def _follow(library: Library, entity: Entity) -> tuple[bool, str]:
    assert isinstance(entity, Artist)
    await library.follow(entity)
    return True, f"Following {described(entity)} on Jamendo."
