"""`setlist ctl COMMAND`: remote control for the running daemon, for people and scripts."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec

from setlist.cli.ctl_output import (
    added_line,
    event_line,
    now_line,
    queue_table,
    radio_line,
    status_lines,
    track_text,
)
from setlist.cli.output import print_json, say, tell, to_json, wants_json
from setlist.core.items import FORMS, ItemError, parse_item, portable_path
from setlist.core.queue import QueueEntry, QueueListing
from setlist.core.text import plain
from setlist.daemon import client as daemon_client
from setlist.daemon.client import (
    DaemonClient,
    DaemonConnectionLost,
    DaemonError,
    DaemonNotAnswering,
    DaemonNotRunning,
    DaemonRequestError,
)
from setlist.daemon.instance import holder_pid, log_file
from setlist.daemon.protocol import QUEUE_PAGE, Added, Liked, Status, Step

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_DAEMON = 0, 1, 2, 3
EPILOG = f"""\
ENTRY is a queue entry: its number in `setlist ctl queue` (1 is the first) or its id
(any unique start of it, at least 4 characters).
{textwrap.fill(f"ITEM is {FORMS}.", 84)}

--json prints the daemon's reply as one JSON document (for `events`, one per line).
A negative M:SS for seek needs `--` before it: setlist ctl seek -- -1:30

exit codes:
  0  done
  1  the daemon refused or failed the command, or the track it started could not
     play (play and jump wait up to 15 s to know; the reason is on stderr)
  2  bad usage
  3  no daemon is running, it is not answering, or the connection to it was lost
"""
QUIT_WAIT_STEPS = 200  # of 50 ms: how long `quit` waits for the daemon to be gone
_TIME = re.compile(r"^([+-]?)(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d*)?)$")

Action = Callable[[DaemonClient, argparse.Namespace], Awaitable[int]]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ctl",
        help="control the running daemon (status, play, pause, the queue...)",
        description="Send one command to this user's setlist daemon (`setlist daemon`).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _json_flag(parser)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    def command(name: str, action: Action, help: str, *aliases: str) -> argparse.ArgumentParser:
        child = commands.add_parser(name, help=help, description=help, aliases=list(aliases))
        _json_flag(child)
        child.set_defaults(handler=handle, action=action)
        return child

    command("status", _status, "what plays, where, and the settings")
    play = command("play", _play, "play ITEMs now (after the current entry); none: resume")
    play.add_argument("items", nargs="*", metavar="ITEM")
    play.add_argument("--replace", action="store_true", help="clear the queue first")
    _provider_flag(play)
    command("pause", _simple("pause"), "pause")
    command("toggle", _simple("toggle"), "pause or resume")
    command("stop", _simple("stop"), "stop (the queue stays)")
    command("next", _step("next"), "skip to the next entry")
    command("prev", _step("previous"), "back to the previous entry", "previous")
    seek = command("seek", _seek, "seek: 30 or 1:30 from the start, +10 or -10 from here")
    seek.add_argument("to", type=_seek_target, metavar="[+-]SECONDS")
    volume = command("volume", _volume, "show or set the volume: 50, +5 or -5")
    volume.add_argument("level", nargs="?", type=_volume_level, metavar="[+-]N")
    mute = command("mute", _mute, "mute or unmute (no argument: toggle)")
    mute.add_argument("state", nargs="?", choices=("on", "off"))
    listed = command("queue", _queue, "list the queue (--json: all of it, as it comes)")
    listed.add_argument(
        "--offset", type=_count(0), default=0, metavar="N", help="skip the first N entries"
    )
    listed.add_argument("--limit", type=_count(1), metavar="N", help="at most N entries")
    add = command("add", _add, "add ITEMs at the end of the queue")
    add.add_argument("items", nargs="+", metavar="ITEM")
    add.add_argument("--next", action="store_true", help="right after the current entry")
    _provider_flag(add)
    move = command("move", _move, "move ENTRY to position POS (1 is the first)")
    move.add_argument("entry", metavar="ENTRY")
    move.add_argument("position", type=int, metavar="POS")
    remove = command("remove", _remove, "remove entries from the queue")
    remove.add_argument("entries", nargs="+", metavar="ENTRY")
    command("clear", _clear, "stop and empty the queue")
    shuffle = command("shuffle", _shuffle, "shuffle on or off, or draw again (no argument: toggle)")
    shuffle.add_argument("mode", nargs="?", choices=("on", "off", "again"))
    repeat = command("repeat", _repeat, "repeat off, all or one (no argument: the next mode)")
    repeat.add_argument("mode", nargs="?", choices=("off", "all", "one"))
    jump = command("jump", _jump, "play ENTRY")
    jump.add_argument("entry", metavar="ENTRY")
    command("like", _like, "like the track that plays (on Jamendo, signed in)")
    radio = command(
        "radio",
        _radio,
        "replace the queue with a radio: ITEM's track (default: what plays) and tracks like it",
    )
    radio.add_argument("item", nargs="?", metavar="ITEM")
    _provider_flag(radio)
    autoplay = command(
        "autoplay",
        _autoplay,
        "when the queue ends, play similar tracks: on or off "
        "(no argument: toggle; kept in the config)",
    )
    autoplay.add_argument("state", nargs="?", choices=("on", "off"))
    events = command("events", _events, "print what happens until Ctrl-C")
    events.add_argument("--progress", action="store_true", help="also the position, each second")
    command("quit", _quit, "stop the daemon (it saves the queue first)")


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print the daemon's reply as JSON",
    )


def _provider_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--provider",
        choices=("yourmusic", "jamendo"),
        help="the catalog for searches and ids (default: the first with a match)",
    )


def handle(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_run(args))
    except KeyboardInterrupt:
        return EXIT_OK if args.action is _events else 130


async def _run(args: argparse.Namespace) -> int:
    try:
        client = await DaemonClient.connect(reply_timeout=daemon_client.REPLY_TIMEOUT)
    except DaemonNotRunning as exc:
        message = str(exc)
        pid = holder_pid()
        if pid:  # between its socket going (logout) and the daemon making it again
            message = f"the daemon (pid {pid}) is not answering yet; try again"
        tell(f"setlist: {message}")
        return EXIT_NO_DAEMON
    except DaemonError as exc:
        tell(f"setlist: {exc}")
        return EXIT_NO_DAEMON
    async with client:
        try:
            return await args.action(client, args)
        except DaemonRequestError as exc:
            tell(f"setlist: {plain(exc.message)}")
            return EXIT_FAILED
        except DaemonConnectionLost:
            tell("setlist: the daemon went away")
            return EXIT_NO_DAEMON
        except DaemonNotAnswering as exc:
            tell(f"setlist: {exc}")
            return EXIT_NO_DAEMON
        except (ItemError, EntryError) as exc:
            tell(f"setlist: {plain(exc.message)}")
            return EXIT_FAILED


# -- the commands


def _show(args: argparse.Namespace, result: Any, *lines: str) -> int:
    if wants_json(args):
        print_json(result)
    else:
        for line in lines:
            say(line)
    return EXIT_OK


async def _status(client: DaemonClient, args: argparse.Namespace) -> int:
    status = await client.call("status", Status)
    return _show(args, status, *status_lines(status))


def _simple(cmd: str) -> Action:
    async def run(client: DaemonClient, args: argparse.Namespace) -> int:
        status = await client.call(cmd, Status)
        return _show(args, status, now_line(status))

    return run


def _step(cmd: str) -> Action:
    async def run(client: DaemonClient, args: argparse.Namespace) -> int:
        step = await client.call(cmd, Step)
        if step.entry is None and not wants_json(args):
            say("There is nothing " + ("after" if cmd == "next" else "before") + " this entry.")
        return _show(args, step, now_line(step.status))

    return run


async def _play(client: DaemonClient, args: argparse.Namespace) -> int:
    if not args.items:
        status = await client.call("play", Status, {"wait": True})
        return _show(args, status, now_line(status))
    where = "replace" if args.replace else "now"
    added = await _play_items(client, args, where)
    return _show(args, added, added_line(added.entries, playing=True))


async def _add(client: DaemonClient, args: argparse.Namespace) -> int:
    added = await _play_items(client, args, "next" if args.next else "end")
    return _show(args, added, added_line(added.entries, playing=False))


async def _play_items(client: DaemonClient, args: argparse.Namespace, where: str) -> Added:
    items = [_portable(text, args.provider) for text in args.items]
    request: dict[str, Any] = {"items": items, "where": where, "wait": where in ("now", "replace")}
    if args.provider:
        request["provider"] = args.provider
    return await client.call("play_items", Added, request)


def _portable(text: str, provider: str | None) -> str:
    """The item as the daemon must get it: a file as its absolute path (the daemon's
    directory is not ours). Bad items are refused here, before the daemon sees them."""
    item = parse_item(text, provider=provider)
    return portable_path(item.value) if item.kind == "file" else text


async def _seek(client: DaemonClient, args: argparse.Namespace) -> int:
    seconds, relative = args.to
    status = await client.call("seek", Status, {"seconds": seconds, "relative": relative})
    return _show(args, status, now_line(status))


async def _volume(client: DaemonClient, args: argparse.Namespace) -> int:
    if args.level is None:
        status = await client.call("status", Status)
    else:
        value, relative = args.level
        status = await client.call("volume", Status, {"volume": value, "relative": relative})
    line = f"volume {status.volume:.0f}" + (" (muted)" if status.muted else "")
    return _show(args, status, line)


async def _mute(client: DaemonClient, args: argparse.Namespace) -> int:
    request = {} if args.state is None else {"muted": args.state == "on"}
    status = await client.call("mute", Status, request)
    return _show(args, status, "muted" if status.muted else "unmuted")


async def _queue(client: DaemonClient, args: argparse.Namespace) -> int:
    pages = _pages(client, args.offset, args.limit)
    if wants_json(args):
        await _stream_json(pages)
        return EXIT_OK
    listing = await _joined(pages)
    if not listing.entries and listing.total:
        say(f"No entries after the first {args.offset}: the queue has {listing.total}.")
    else:
        say(queue_table(listing))
    return EXIT_OK


async def _pages(
    client: DaemonClient, offset: int, limit: int | None
) -> AsyncIterator[QueueListing]:
    """The queue from `offset`, at most `limit` entries, a page per reply: a reply
    holding a long queue whole would pass the socket's limit. A queue changed by
    someone else meanwhile may show an entry twice or not at all, as any paging."""
    end = None if limit is None else offset + limit
    while True:
        size = QUEUE_PAGE if end is None else min(QUEUE_PAGE, end - offset)
        args = {"offset": offset, "limit": size}
        page = await client.call("queue.list", QueueListing, args)
        yield page
        offset += len(page.entries)
        if not page.entries or offset >= page.total or (end is not None and offset >= end):
            return


async def _stream_json(pages: AsyncIterator[QueueListing]) -> None:
    """One JSON object, as `queue.list` gives a page, its entries written as they come."""
    started = written = False
    async for page in pages:
        if not started:
            head = msgspec.to_builtins(page)
            del head["entries"]
            sys.stdout.write(to_json(head).removesuffix("}") + ',"entries":[')
            started = True
        if page.entries:
            sys.stdout.write(("," if written else "") + ",".join(map(to_json, page.entries)))
            written = True
        sys.stdout.flush()
    sys.stdout.write("]}\n")
    sys.stdout.flush()


async def _whole_queue(client: DaemonClient) -> QueueListing:
    return await _joined(_pages(client, 0, None))


async def _joined(pages: AsyncIterator[QueueListing]) -> QueueListing:
    """The pages as one listing (the first page's fields, every page's entries)."""
    first = None
    entries: list[QueueEntry] = []
    async for page in pages:
        first = first or page
        entries += page.entries
    assert first is not None  # _pages yields at least one
    return msgspec.structs.replace(first, entries=entries)


async def _move(client: DaemonClient, args: argparse.Namespace) -> int:
    listing = await _whole_queue(client)
    entry = _entry(listing, args.entry)
    if args.position < 1:
        raise EntryError(f"POS counts from 1, not {args.position}")
    result = await client.request("queue.move", {"entry": entry, "index": args.position - 1})
    title = track_text(_by_id(listing, entry).track)
    return _show(args, result, f"Moved {title} to {min(args.position, len(listing.entries))}.")


async def _remove(client: DaemonClient, args: argparse.Namespace) -> int:
    listing = await _whole_queue(client)
    ids = list(dict.fromkeys(_entry(listing, ref) for ref in args.entries))
    result = await client.request("queue.remove", {"entries": ids})
    removed = result.get("removed", 0) if isinstance(result, dict) else 0
    return _show(args, result, f"Removed {removed} {'entry' if removed == 1 else 'entries'}.")


async def _clear(client: DaemonClient, args: argparse.Namespace) -> int:
    result = await client.request("queue.clear")
    return _show(args, result, "Cleared the queue.")


async def _shuffle(client: DaemonClient, args: argparse.Namespace) -> int:
    if args.mode == "again":
        status = await client.call("reshuffle", Status)
        return _show(args, status, "Shuffled again.")
    request = {} if args.mode is None else {"on": args.mode == "on"}
    status = await client.call("shuffle", Status, request)
    return _show(args, status, f"shuffle {'on' if status.shuffle else 'off'}")


async def _repeat(client: DaemonClient, args: argparse.Namespace) -> int:
    mode = args.mode
    if mode is None:
        current = (await client.call("status", Status)).repeat
        mode = {"off": "all", "all": "one"}.get(current, "off")
    status = await client.call("repeat", Status, {"mode": mode})
    return _show(args, status, f"repeat {status.repeat}")


async def _jump(client: DaemonClient, args: argparse.Namespace) -> int:
    listing = await _whole_queue(client)
    entry = _entry(listing, args.entry)
    status = await client.call("queue.jump", Status, {"entry": entry, "wait": True})
    return _show(args, status, now_line(status))


async def _radio(client: DaemonClient, args: argparse.Namespace) -> int:
    request: dict[str, Any] = {}
    if args.item is not None:
        request["item"] = _portable(args.item, args.provider)
    if args.provider:
        request["provider"] = args.provider
    added = await client.call("radio", Added, request)
    return _show(args, added, radio_line(added.entries))


async def _autoplay(client: DaemonClient, args: argparse.Namespace) -> int:
    request = {} if args.state is None else {"on": args.state == "on"}
    status = await client.call("autoplay", Status, request)
    kept = [n for n in status.notices if n.startswith("Autoplay is")]
    return _show(args, status, f"autoplay {'on' if status.autoplay else 'off'}", *kept)


async def _like(client: DaemonClient, args: argparse.Namespace) -> int:
    liked = await client.call("like", Liked)
    return _show(args, liked, f"Liked {track_text(liked.track)}.")


async def _events(client: DaemonClient, args: argparse.Namespace) -> int:
    as_json = wants_json(args)
    events = client.events()  # listening before subscribing: no event is missed
    status = await client.call("subscribe", Status, {"progress": as_json or args.progress})
    if not as_json:
        for line in status_lines(status):
            say(line)
    async for event in events:
        if as_json:
            print_json(event)
        elif (text := event_line(event)) is not None:
            say(text)
    raise DaemonConnectionLost()


async def _quit(client: DaemonClient, args: argparse.Namespace) -> int:
    # The daemon saves the state before it answers: a failed save is its answer.
    failed: DaemonRequestError | None = None
    try:
        result = await client.request("shutdown")
    except DaemonRequestError as exc:
        failed, result = exc, None
    try:
        async with asyncio.timeout(QUIT_WAIT_STEPS * 0.05):
            await client.wait_closed()
    except TimeoutError:
        tell(
            "setlist: the daemon said it would stop, but it is still running after "
            f"{QUIT_WAIT_STEPS * 0.05:.0f} s; see its log, {log_file()}"
        )
        return EXIT_FAILED
    # The daemon hangs up first, then lets mpv go: wait for its socket to go.
    for _ in range(QUIT_WAIT_STEPS):
        if not client.path.exists():
            break
        await asyncio.sleep(0.05)
    if failed is not None:
        tell(f"setlist: the daemon has stopped, but {plain(failed.message)}")
        return EXIT_FAILED
    return _show(args, result, "The daemon has stopped.")


# -- arguments


MIN_ID_START = 4


class EntryError(ItemError):
    """An ENTRY that names no entry of the queue."""


def _entry(listing: QueueListing, ref: str) -> str:
    """The id of the entry `ref` names: a number in queue order, or an id's start.

    An id's start may be all digits (ids are hex): a number past the queue's end
    is tried as one before it is an error. Like an abbreviated git hash, it has at
    least MIN_ID_START characters: a short number past the end is not one.
    """
    entries = listing.entries
    number = int(ref) if ref.isdigit() else None
    if number is not None and 1 <= number <= len(entries):
        return entries[number - 1].id
    found = []
    if len(ref) >= MIN_ID_START:
        found = [e.id for e in entries if e.id.startswith(ref.lower())]
    if len(found) == 1:
        return found[0]
    if not found:
        if number is not None:
            raise EntryError(f"no entry {number}: the queue has {len(entries)}")
        if len(ref) < MIN_ID_START:
            raise EntryError(
                f"no queue entry {ref!r}: an entry id's start has at least "
                f"{MIN_ID_START} characters"
            )
        raise EntryError(f"no queue entry {ref!r}")
    raise EntryError(f"{ref!r} is the start of {len(found)} entry ids; give more of it")


def _by_id(listing: QueueListing, entry_id: str) -> Any:
    return next(e for e in listing.entries if e.id == entry_id)


def _count(least: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is less than {least}")
        return value

    return parse


def _seek_target(text: str) -> tuple[float, bool]:
    match = _TIME.match(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a time: {text!r} (try 90, 1:30, +10 or -10)")
    sign, first, second, last = match.groups()
    parts = [float(p) for p in (first, second, last) if p is not None]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return (-seconds if sign == "-" else seconds), bool(sign)


def _volume_level(text: str) -> tuple[float, bool]:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a volume: {text!r} (try 50, +5 or -5)") from None
    return value, text.strip().startswith(("+", "-"))
