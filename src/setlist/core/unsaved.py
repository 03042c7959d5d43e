"""Quitting with playlist edits still on their way: wait for them, a bounded time.

`finish_edits` waits until every busy session has sent its edits, or until the
time is up (or the user will not wait). What the server refused or never
confirmed comes back as `Unsaved`: the edits by name, why, and the playlist as
the user left it, so they can be kept in a file and made again by hand.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from setlist.core.models import Track
from setlist.core.playlist_edits import EditEvent, EditSession, Refused, Saved

QUIT_WAIT = 5.0  # seconds quitting waits for playlist edits still on their way
GAVE_UP = "you quit without waiting for it"


@dataclass(frozen=True, slots=True)
class Unsaved:
    """A playlist's edits that did not reach the server (or were not confirmed)."""

    playlist_id: str | None
    playlist_name: str  # as the user left it (a rename not saved included)
    edits: list[str]  # what the user did, oldest first: "move “Noon Tone” down"
    reason: str
    tracks: list[Track]  # the list as the user left it
    public: bool | None


def timed_out(seconds: float) -> str:
    return f"the server had not answered after {seconds:g} s"


async def finish_edits(
    sessions: Sequence[EditSession],
    within: float = QUIT_WAIT,
    *,
    give_up: asyncio.Event | None = None,
    remaining: Callable[[int], None] | None = None,
) -> list[Unsaved]:
    """Wait up to `within` seconds (or until `give_up` is set) for the sessions' edits.

    `remaining(n)` hears how many edits are still on their way after each one is
    saved. Sessions whose edits did not all get through are abandoned: nothing
    more is sent once this returns.
    """
    busy = [s for s in sessions if s.busy]
    left = {s: [r.track for r in s.rows] for s in busy}
    pending = {s: s.unsent() for s in busy}
    saved = dict.fromkeys(busy, 0)
    refused: dict[EditSession, Refused] = {}
    count = sum(len(edits) for edits in pending.values())

    def listen(session: EditSession) -> Callable[[EditEvent], None]:
        def hear(event: EditEvent) -> None:
            nonlocal count
            if isinstance(event, Saved):
                saved[session] += 1
                count -= 1
                if remaining is not None:
                    remaining(count)
            elif isinstance(event, Refused):
                refused[session] = event

        return hear

    names = {s: s.name for s in busy}
    public = {s: s.public for s in busy}
    stops = [s.subscribe(listen(s)) for s in busy]
    everything = asyncio.gather(*(s.idle() for s in busy))
    watched: set[asyncio.Future[Any]] = {everything}
    if give_up is not None:
        watched.add(asyncio.ensure_future(give_up.wait()))
    try:
        await asyncio.wait(watched, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for stop in stops:
            stop()
        for waiting in watched:
            waiting.cancel()
    why_not = GAVE_UP if give_up is not None and give_up.is_set() else timed_out(within)
    unsaved: list[Unsaved] = []
    for session in busy:
        edits = pending[session][saved[session] :]
        if session in refused:
            reason = refused[session].error.message
        elif session.busy:
            reason = why_not
            session.abandon()
        else:
            continue
        if edits:
            playlist = session.playlist
            unsaved.append(
                Unsaved(
                    playlist_id=None if playlist is None else playlist.id,
                    playlist_name=names[session],
                    edits=edits,
                    reason=reason,
                    tracks=left[session],
                    public=public[session],
                )
            )
    return unsaved


def report(unsaved: Sequence[Unsaved], kept: Path | None, failure: str | None = None) -> list[str]:
    """What to tell the user: each playlist's edits not saved, why, and where they are kept."""
    count = sum(len(u.edits) for u in unsaved)
    lines = [f"{count} playlist {'edit was' if count == 1 else 'edits were'} not saved:"]
    for item in unsaved:
        lines.append(f"  “{item.playlist_name}”: {', '.join(item.edits)} ({item.reason})")
    if kept is not None:
        lines.append(f"They are kept, with each playlist as you left it, in {kept}")
    else:
        lines.append(f"They could not be kept in a file either ({failure}).")
    return lines


def plural_edits(count: int) -> str:
    return f"{count} edit" if count == 1 else f"{count} edits"
