"""The `setlist` command line: the app by default, and subcommands for scripts.

Each subcommand lives in its own module with a `register(subparsers)` function
that adds its parser and sets `handler` (a function taking the parsed args and
returning an exit code).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from setlist import __version__
from setlist.core.errors import SetlistError
from setlist.core.text import plain

# Modules under setlist.cli that register a subcommand, in --help order.
SUBCOMMANDS: tuple[str, ...] = (
    "play_cmd",
    "daemon_cmd",
    "ctl_cmd",
    "search_cmd",
    "playlists_cmd",
    "login_cmd",
    "logout_cmd",
    "whoami_cmd",
    "demo_cmd",
)

Handler = Callable[[argparse.Namespace], int]
# Set to 1 for tracebacks and debug logging instead of one-line errors.
ENV_DEBUG = "SETLIST_DEBUG"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="setlist",
        description="A keyboard-first terminal music player. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"setlist {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="use the built-in demo catalog (no account needed)"
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in SUBCOMMANDS:
        import_module(f"setlist.cli.{name}").register(sub)
    return parser


def run_app(args: argparse.Namespace) -> int:
    """The terminal app (on the demo catalog with --demo, or when no account is set up)."""
    from setlist.ui.launch import run

    return run(demo=bool(args.demo))


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Exit codes: 0 done, 1 failed (one line on stderr), 2 bad usage."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", run_app)
    _log_warnings_to_stderr()
    try:
        return handler(args)
    except SetlistError as exc:
        # Messages may quote a server: plain() keeps its escape sequences off the terminal.
        print(f"setlist: {plain(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`setlist search x | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:
        from setlist.cli.runner import as_setlist_error

        if os.environ.get(ENV_DEBUG):
            raise
        error = as_setlist_error(exc)
        if error is not None:
            print(f"setlist: {error}", file=sys.stderr)
        else:
            print(
                f"setlist: unexpected error ({type(exc).__name__}); this is a bug, please "
                f"report it. {ENV_DEBUG}=1 shows the details.",
                file=sys.stderr,
            )
        return 1


def _log_warnings_to_stderr() -> None:
    # No-op when logging is set up already (the app, pytest).
    level = logging.DEBUG if os.environ.get(ENV_DEBUG) else logging.WARNING
    logging.basicConfig(level=level, format="setlist: %(message)s")
