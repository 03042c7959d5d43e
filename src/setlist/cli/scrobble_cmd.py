"""`setlist scrobble status [--json]`: Last.fm scrobbling at a glance.

Reads the spool and its status file, and whether a session is stored; makes no
network request and never prints a credential.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from typing import Any

from setlist.cli.output import print_json, say, wants_json
from setlist.cli.runner import add_demo_flag, add_json_flag, run_with_services
from setlist.core.text import plain
from setlist.services import Services
from setlist.services.scrobbling import lastfm_credentials, spool_for
from setlist.store.tokens import SecretStoreError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "scrobble",
        help="Last.fm scrobbling: what waits to be sent, what went wrong",
        description="Scrobbles are kept on disk until Last.fm has taken them. Sign in "
        "with `setlist login lastfm`; switch scrobbling off with `enabled = false` "
        "(or per catalog with `providers = [...]`) in the [scrobble] section of the config.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status", help="scrobbles waiting, last sent, last error, scrobbles Last.fm ignored"
    )
    add_demo_flag(status)
    add_json_flag(status)
    status.set_defaults(handler=handle_status)


def handle_status(args: argparse.Namespace) -> int:
    async def body(services: Services) -> int:
        report = await asyncio.to_thread(scrobble_report, services)
        if wants_json(args):
            print_json(report)
        else:
            say(describe(report))
        return 0

    return run_with_services(args, body, auto_sign_in=False)


def scrobble_report(services: Services) -> dict[str, Any]:
    config = services.config.scrobble
    spool = spool_for(services.demo)
    waiting = spool.oldest(limit=1)
    status = spool.status()
    try:
        credentials = lastfm_credentials(services)
        signed_in: bool | None = credentials is not None and credentials.session_key is not None
    except SecretStoreError:
        signed_in = None  # the keyring cannot say
    return {
        "demo": services.demo,
        "enabled": config.enabled,
        "providers": list(config.providers),
        "signed_in": signed_in,
        "needs_sign_in": status.needs_sign_in,
        "waiting": spool.count(),
        "oldest_waiting": waiting[0][1].timestamp if waiting else None,
        "last_sent_at": status.last_sent_at,
        "last_sent_count": status.last_sent_count,
        "sent_total": status.sent_total,
        "last_error": status.last_error,
        "last_error_at": status.last_error_at,
        "ignored": [
            {
                "artist": note.artist,
                "track": note.track,
                "timestamp": note.timestamp,
                "code": note.code,
                "reason": note.reason,
                "at": note.at,
            }
            for note in status.ignored
        ],
    }


def _when(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe(report: dict[str, Any]) -> str:
    if not report["enabled"]:
        scrobbling = "off (enabled = false in the [scrobble] section of the config)"
    else:
        scrobbling = "on, for " + ", ".join(report["providers"]) if report["providers"] else "on"
    if report["needs_sign_in"]:
        session = "Last.fm refused the session: run `setlist login lastfm` again"
    elif report["signed_in"]:
        session = "signed in"
    elif report["signed_in"] is None:
        session = "unknown: the keyring could not be read"
    else:
        session = "not signed in, nothing is scrobbled: run `setlist login lastfm`"
    count = report["waiting"]
    waiting = "none"
    if count:
        plural = "scrobble" if count == 1 else "scrobbles"
        waiting = f"{count} {plural}, the oldest played {_when(report['oldest_waiting'])}"
    sent = _when(report["last_sent_at"])
    if report["last_sent_at"] is not None:
        sent += f" ({report['last_sent_count']}; {report['sent_total']} in all)"
    error = "none"
    if report["last_error"]:
        error = f"{_when(report['last_error_at'])}: {report['last_error']}"
    rows = [
        ["Scrobbling", scrobbling],
        ["Last.fm", session],
        ["Waiting", waiting],
        ["Last sent", sent],
        ["Last error", error],
    ]
    for note in report["ignored"][-5:]:
        rows.append(
            [
                "Ignored",
                f"{note['artist']} – {note['track']} ({_when(note['timestamp'])}): "
                f"{note['reason']} (code {note['code']})",
            ]
        )
    return "\n".join(f"{label:<12}{plain(value)}" for label, value in rows)
