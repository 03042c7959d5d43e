"""`setlist daemon`: the playback core with no screen, driven over a socket (`setlist ctl`)."""

from __future__ import annotations

import argparse
import sys

from setlist.cli.runner import add_demo_flag, wants_demo
from setlist.core.errors import SetlistError
from setlist.daemon.detach import Readiness, start_detached
from setlist.daemon.instance import check_not_running, log_file, probe
from setlist.daemon.run import DaemonSettings, run_daemon
from setlist.playback.mpv_options import parse_mpv_options
from setlist.store.config import load_config

EPILOG = """\
The daemon keeps playing when the terminal or the SSH session that started it goes
away. Drive it with `setlist ctl`. Its queue is saved as the app's is and comes back
when it starts again. SIGTERM (or `setlist ctl quit`) stops it cleanly.

exit codes: 0 running (or stopped cleanly, with --foreground), 1 it could not start
(a daemon already runs: its pid and socket are printed), 2 bad usage
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "daemon",
        help="play in the background, controlled with `setlist ctl`",
        description="Run the player with no screen, detached from the terminal, with a "
        "control socket in the runtime directory (one daemon per user).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--foreground", action="store_true", help="stay attached to the terminal")
    parser.add_argument(
        "--mpv-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an mpv option (audio-device, ao, cache sizes...); may be repeated",
    )
    add_demo_flag(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = DaemonSettings(
        config=load_config(),
        demo=wants_demo(args),
        mpv_options=parse_mpv_options(args.mpv_option),
        foreground=args.foreground,
    )
    check_not_running()
    if settings.foreground:
        return run_daemon(settings, Readiness())
    outcome = start_detached(lambda readiness: run_daemon(settings, readiness))
    if outcome.kind == "ready":
        if probe() is None:
            raise SetlistError(
                f"the daemon started but its socket does not answer; see {log_file()}"
            )
        print(outcome.message, flush=True)
        return 0
    if outcome.kind == "silent":
        raise SetlistError(f"{outcome.message}; see {log_file()}")
    print(f"setlist: {outcome.message}", file=sys.stderr)
    return 1
