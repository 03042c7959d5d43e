"""What `setlist ctl` prints for people: the daemon's replies and events as short lines."""

from __future__ import annotations

from setlist.cli.output import Column, duration, render_table
from setlist.core.models import Track, track_source
from setlist.core.queue import QueueEntry, QueueListing
from setlist.core.text import plain
from setlist.daemon.protocol import Status
from setlist.playback.events import (
    NowPlaying,
    PlaybackProblem,
    PlayerEvent,
    Progress,
    QueueChanged,
    StateChanged,
)

QUEUE_COLUMNS = (
    Column(""),
    Column("#", right=True),
    Column("Title", flex=True),
    Column("Artist", flex=True),
    Column("Time", right=True),
    Column("Entry"),
)
# Beside an entry a radio or autoplay queued (the playing one shows ▶ instead).
ORIGIN_MARKS = {"radio": "r", "autoplay": "a"}
SHORT_ID = 8  # characters of an entry id shown; `ctl` takes any unique prefix


def track_text(track: Track) -> str:
    text = f"“{plain(track.title)}”"
    if track.artist_name:
        text += f" — {plain(track.artist_name)}"
    return text


def state_word(status: Status) -> str:
    if not status.playing:
        return "■ Stopped"
    return "⏸ Paused" if status.paused else "▶ Playing"


def now_line(status: Status) -> str:
    """“▶ Playing “Title” — Artist [source]  0:03 / 0:06”, or what is stopped."""
    entry = status.entry
    if entry is None:
        length = status.queue_length
        queued = f"{length} {'entry' if length == 1 else 'entries'} queued" if length else ""
        return f"{state_word(status)}. {queued or 'The queue is empty.'}"
    place = where(status.position, status.duration)
    track = entry.track
    source = plain(track_source(track))
    line = f"{state_word(status)}: {track_text(track)} [{source}]  {place}"
    if source == "jamendo radio" and track.album_title:
        line += f"  on air: “{plain(track.album_title)}”"  # the song the radio plays now
    return line


def where(position: float, length: float | None) -> str:
    """“0:03 / 0:06”, or “0:03” when the length is not known."""
    return duration(position) + (f" / {duration(length)}" if length else "")


def status_lines(status: Status) -> list[str]:
    place = "" if status.index is None else f"entry {status.index + 1} of "
    volume = "muted" if status.muted else f"volume {status.volume:.0f}"
    details = [
        f"{place}{status.queue_length} queued",
        volume,
        f"repeat {status.repeat}",
        f"shuffle {'on' if status.shuffle else 'off'}",
        f"autoplay {'on' if status.autoplay else 'off'}",
    ]
    lines = [now_line(status), "  " + " · ".join(details), *status.notices]
    if status.error:
        lines.append(f"  last error: {plain(status.error)}")
    return lines


def queue_table(listing: QueueListing) -> str:
    if not listing.entries:
        return "The queue is empty."
    marked = listing.playing or listing.current
    rows = [
        [
            "▶" if entry.id == marked else ORIGIN_MARKS.get(entry.origin or "", ""),
            str(number),
            entry.track.title,
            entry.track.artist_name,
            duration(entry.track.duration),
            entry.id[:SHORT_ID],
        ]
        for number, entry in enumerate(listing.entries, listing.offset + 1)
    ]
    return render_table(QUEUE_COLUMNS, rows)


def added_line(entries: list[QueueEntry], *, playing: bool) -> str:
    if not entries:
        return "Nothing was added."
    first = track_text(entries[0].track)
    if playing:
        more = f", {len(entries) - 1} more after it" if len(entries) > 1 else ""
        return f"▶ Playing {first}{more}."
    if len(entries) == 1:
        return f"Queued {first}."
    return f"Queued {len(entries)} tracks, from {first}."


def radio_line(entries: list[QueueEntry]) -> str:
    """What a radio queued: its first track, and how many like it follow."""
    if not entries:
        return "Nothing was queued."
    more = len(entries) - 1
    return f"Radio from {track_text(entries[0].track)}: {more} similar tracks follow it."


def event_line(event: PlayerEvent) -> str | None:
    """A line for a pushed event (progress comes only to `events --progress`)."""
    match event:
        case NowPlaying(entry=None):
            return "■ Nothing is playing."
        case NowPlaying(entry=entry) if entry is not None:
            return f"▶ {track_text(entry.track)}"
        case StateChanged() as state:
            word = "stopped" if not state.playing else "paused" if state.paused else "playing"
            volume = "muted" if state.muted else f"volume {state.volume:.0f}"
            shuffle = "on" if state.shuffle else "off"
            return f"state: {word} · {volume} · repeat {state.repeat} · shuffle {shuffle}"
        case QueueChanged(length=length):
            return f"queue: {length} {'entry' if length == 1 else 'entries'}"
        case PlaybackProblem(message=message):
            return f"error: {plain(message)}"
        case Progress(position=position, duration=length):
            return f"at {where(position, length)}"
    return None
