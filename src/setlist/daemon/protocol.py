"""The daemon's control protocol: line-delimited JSON over a Unix domain socket.

Where
    The socket is `daemon.sock` in the runtime directory (`$XDG_RUNTIME_DIR/setlist/`,
    or the state directory where there is no runtime directory), mode 0600 in a 0700
    directory; removed (logind clears the runtime directory at logout), it is made
    again within seconds. The daemon asks the kernel who connected (SO_PEERCRED)
    and answers a peer of another user with one `forbidden` error, then hangs up.

Framing
    Every message is one JSON object on one line, UTF-8, ending in "\\n", in both
    directions. A request line may be at most 8 MiB (`MAX_REQUEST_BYTES`): a longer
    one gets a `too_large` error and the daemon skips to the next newline. A line
    that is not JSON, not an object, or not UTF-8 gets a `bad_request` error. The
    connection stays open after any error reply (except `forbidden`).

Requests and replies
    Request: {"id": 1, "cmd": "seek", "args": {"seconds": 30}}
      - `id`: an integer, a string or null, echoed in the reply (optional).
      - `args`: an object (optional; unknown keys are refused).
    Reply:   {"id": 1, "ok": true, "result": ...}
    Error:   {"id": 1, "ok": false, "error": {"code": "not_found", "message": "..."}}
    A connection's requests are answered one at a time, in the order sent; events
    the daemon pushes meanwhile may come before a reply. An event caused by a
    request (a `queue` event after `queue.add`) always comes before its reply.

Error codes
    bad_request      malformed line, missing or ill-typed args
    unknown_command  no such `cmd`
    not_found        no queue entry with that id; an ITEM found nothing
    too_large        the request line is longer than MAX_REQUEST_BYTES
    provider_error   a catalog failed (network, sign-in needed, rate limit...)
    playback_error   the audio engine failed
    failed           any other error the daemon can describe
    forbidden        the peer is another user (then the connection is closed)
    internal         a bug in the daemon (it logs it and keeps running)

Shapes used below
    Track     the domain model's Track: {"provider", "id", "title", "artist_name",
              "album_title", "duration", "stream_id", "audio_url", ...}
    Entry     {"id": "<entry id>", "track": Track, "origin"?: "radio"|"autoplay"};
              entry ids are the queue's own (the same track can be queued twice);
              "origin" says a radio or autoplay queued it
    Status    {"playing": bool (a track is loaded), "paused": bool, "entry": Entry|null
              (the playing entry, else the queue's current one), "position": seconds,
              "duration": seconds|null, "volume": 0-100, "muted": bool,
              "shuffle": bool, "repeat": "off"|"all"|"one", "autoplay": bool,
              "queue_length": int, "index": int|null (the entry's place in queue order, from 0),
              "daemon": {"pid", "socket", "version", "demo"},
              "notices": [str] (what the daemon had to say at start: a damaged
              saved queue, a state another player keeps),
              "error": str|null (the last playback error, until a command plays again)}
    Queue     {"entries": [Entry] (queue order), "current": id|null, "playing": id|null,
              "shuffle": bool, "repeat": str, "history": [id] (oldest first),
              "shuffle_order": [id]|null, "shuffle_decided": int,
              "offset": int, "total": int (the queue's length)}

Commands (`args` → `result`)
    status                                   → Status
    play        {"entry"?: id, "wait"?: bool}  → Status  (no entry: resume, or start
                                                          the current one)
                "wait": true (also for queue.jump and play_items): answer once the
                track that starts plays or fails (at most START_WAIT seconds); its
                failure is the reply's playback_error
    pause | resume | toggle | stop           → Status
    next | previous                          → {"entry": Entry|null, "status": Status}
                                                 (entry: where it moved; null: nowhere)
    seek        {"seconds": float, "relative"?: bool}          → Status
    volume      {"volume": float, "relative"?: bool}  (0-100)  → Status
    mute        {"muted"?: bool}  (absent: toggle)             → Status
    shuffle     {"on"?: bool}  (absent: toggle)                → Status
    reshuffle                                → Status
    repeat      {"mode": "off"|"all"|"one"}  → Status
    queue.list  {"offset"?: int, "limit"?: int}  → Queue
                With "limit", one page: entries[offset:offset+limit] (and "offset",
                "total": the queue's length); "history" and "shuffle_order" are
                left out of a page (empty, null). A reply must fit in 32 MiB: a
                long queue is read page by page (`setlist ctl queue` asks for
                QUEUE_PAGE entries at a time).
    queue.add   {"tracks": [Track], "where"?: "end"|"next"|"now"}  → {"entries": [Entry]}
    queue.move  {"entry": id, "index": int}  (index from 0, clamped)  → {"queue_length": n}
    queue.remove {"entries": [id]}           → {"removed": int, "queue_length": n}
    queue.clear                              → {"queue_length": 0}
    queue.jump  {"entry": id, "wait"?: bool} → Status  (plays that entry)
    play_items  {"items": [ITEM], "where"?: "now"|"next"|"end"|"replace",
                 "provider"?: name, "wait"?: bool}  → {"entries": [Entry]}
                ITEM as `setlist play` reads it: a search query, track:ID, album:ID,
                playlist:ID, radio:ID, a URL or an absolute file path. "now" (the default)
                plays the first at once, after the current entry; "replace"
                clears the queue first.
    subscribe   {"progress"?: bool = true, "queue"?: bool = false}  → Status
                Pushes events to this connection from now on. "queue": true adds
                the whole Queue to `now_playing` and `queue` events (what a mirror
                of the queue needs; costly for long queues).
    unsubscribe                              → {}
    autoplay    {"on"?: bool}  (absent: toggle)  → Status  (also kept in the config)
    radio       {"item"?: ITEM, "track"?: Track, "provider"?: name}  → {"entries": [Entry]}
                replaces the queue with the item's first track (or the track;
                default: what plays) and tracks like it; a track that plays now
                plays on
    like                                     → {"track": Track}  (likes what plays, on
                                                 Jamendo: needs a Jamendo sign-in)
    shutdown                                 → {}  (the daemon saves and exits)
    credentials.changed                      → {}  (`setlist login`/`logout` changed
                                                 the stored sign-ins: read them again)

Events (after subscribe; no `id`): the player's own events (`playback.events`),
each encoded as it is, `event` naming its kind
    {"event": "now_playing", "entry": Entry|null, "queue"?: Queue}
    {"event": "progress", "position": float, "duration": float|null}
        once a second of audio, and at a seek; none otherwise while paused
    {"event": "state", "playing", "paused", "volume", "muted", "shuffle", "repeat",
     "autoplay"}
    {"event": "queue", "length": int, "queue"?: Queue}
    {"event": "error", "message": str, "entry"?: Entry (the entry that failed)}

Slow readers
    Each connection has a bounded outbox (`OUTBOX_BYTES`, 32 MiB); a client that
    lets it fill up is disconnected, so it never holds up the player or other clients.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

import msgspec

from setlist.core.models import Track
from setlist.core.queue import QueueEntry, QueueListing, RepeatMode
from setlist.playback.events import NowPlaying, PlayerEvent, QueueChanged

MAX_REQUEST_BYTES = 8 * 1024 * 1024  # a queue.add of ~20,000 tracks fits
OUTBOX_BYTES = 32 * 1024 * 1024  # unread output a client may have before it is dropped
QUEUE_PAGE = 2000  # entries a page of queue.list holds for ctl (a few hundred bytes each)


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"
    UNKNOWN_COMMAND = "unknown_command"
    NOT_FOUND = "not_found"
    TOO_LARGE = "too_large"
    PROVIDER_ERROR = "provider_error"
    PLAYBACK_ERROR = "playback_error"
    FAILED = "failed"
    FORBIDDEN = "forbidden"
    INTERNAL = "internal"


class RequestError(Exception):
    """A request the daemon answers with an error reply."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


RequestId = int | str | None
A = TypeVar("A")


class Request(msgspec.Struct, kw_only=True):
    cmd: str
    id: RequestId = None
    args: dict[str, Any] = msgspec.field(default_factory=dict)


# -- results


class DaemonInfo(msgspec.Struct, kw_only=True):
    pid: int
    socket: str
    version: str
    demo: bool = False


class Status(msgspec.Struct, kw_only=True):
    playing: bool
    paused: bool
    entry: QueueEntry | None
    position: float
    duration: float | None
    volume: float
    muted: bool
    shuffle: bool
    repeat: RepeatMode
    queue_length: int
    index: int | None
    daemon: DaemonInfo | None = None
    notices: list[str] = msgspec.field(default_factory=list)  # e.g. a damaged saved queue
    autoplay: bool = False
    error: str | None = None  # the last playback error, until a command plays again


class Added(msgspec.Struct, kw_only=True):
    entries: list[QueueEntry]


class Liked(msgspec.Struct, kw_only=True):
    """The track `like` liked: the one playing when it was asked."""

    track: Track


class Step(msgspec.Struct, kw_only=True):
    """Where next/previous went: the entry moved to (None: nowhere), and the status."""

    entry: QueueEntry | None
    status: Status


# -- args, one Struct per command that takes any


class _Args(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class NoArgs(_Args):
    pass


class PlayArgs(_Args):
    entry: str | None = None
    wait: bool = False


class EntryArgs(_Args):
    entry: str
    wait: bool = False


class SeekArgs(_Args):
    seconds: float
    relative: bool = False


class VolumeArgs(_Args):
    volume: float
    relative: bool = False


class MuteArgs(_Args):
    muted: bool | None = None


class ShuffleArgs(_Args):
    on: bool | None = None


class AutoplayArgs(_Args):
    on: bool | None = None


class RadioArgs(_Args):
    item: str | None = None  # None: `track`, else what plays
    track: Track | None = None
    provider: str | None = None


class RepeatArgs(_Args):
    mode: RepeatMode


class AddArgs(_Args):
    tracks: list[Track]
    where: Literal["end", "next", "now"] = "end"


class QueueListArgs(_Args):
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0
    limit: Annotated[int, msgspec.Meta(ge=1)] | None = None  # None: the whole queue


class MoveArgs(_Args):
    entry: str
    index: int


class RemoveArgs(_Args):
    entries: list[str]


class PlayItemsArgs(_Args):
    items: list[str]
    where: Literal["now", "next", "end", "replace"] = "now"
    provider: str | None = None
    wait: bool = False


class SubscribeArgs(_Args):
    progress: bool = True
    queue: bool = False


# -- events


def with_queue(event: PlayerEvent, listing: QueueListing) -> PlayerEvent:
    """The event as sent to a client that asked for the queue: now_playing and queue
    events carry the queue as it now is."""
    if isinstance(event, NowPlaying | QueueChanged):
        return msgspec.structs.replace(event, queue=listing)
    return event


# -- lines

_encoder = msgspec.json.Encoder()
_request_decoder = msgspec.json.Decoder(Request)


def encode(message: Any) -> bytes:
    """One line of the protocol."""
    return _encoder.encode(message) + b"\n"


def reply(request_id: RequestId, result: Any) -> bytes:
    return encode({"id": request_id, "ok": True, "result": result})


def error_reply(request_id: RequestId, code: ErrorCode, message: str) -> bytes:
    return encode({"id": request_id, "ok": False, "error": {"code": code, "message": message}})


def decode_request(line: bytes) -> Request:
    """A request line; RequestError(bad_request) for anything else."""
    try:
        return _request_decoder.decode(line)
    except msgspec.ValidationError as exc:
        raise RequestError(ErrorCode.BAD_REQUEST, f"not a request: {exc}") from None
    except msgspec.DecodeError as exc:
        raise RequestError(ErrorCode.BAD_REQUEST, f"not JSON: {exc}") from None


def request_id_of(line: bytes) -> RequestId:
    """The id of a request that could not be decoded whole, when it has a usable one."""
    try:
        value = msgspec.json.decode(line)
    except msgspec.DecodeError:
        return None
    if isinstance(value, dict):
        rid = value.get("id")
        if isinstance(rid, int | str) and not isinstance(rid, bool):
            return rid
    return None


def convert_args(args: dict[str, Any], kind: type[A]) -> A:
    try:
        return msgspec.convert(args, kind)
    except msgspec.ValidationError as exc:
        raise RequestError(ErrorCode.BAD_REQUEST, f"bad args: {exc}") from None
