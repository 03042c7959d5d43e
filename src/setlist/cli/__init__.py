"""The `setlist` command line: the app by default, and subcommands for scripts.

Each subcommand lives in its own module with a `register(subparsers)` function
that adds its parser and sets `handler` (a function taking the parsed args and
returning an exit code). Only the module of the command being run is imported:
the others stand in --help by name and summary, so that `setlist ctl pause` or
the app do not pay for importing every command.
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
from setlist.process.memory import give_back_big_blocks

# Command name -> (module under setlist.cli, summary for --help), in --help order.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "play": ("play_cmd", "play with no screen (tracks, albums, playlists, a search, files, URLs)"),
    "radio": ("radio_cmd", "play a track then similar tracks, with no screen"),
    "daemon": ("daemon_cmd", "play in the background, controlled with `setlist ctl`"),
    "ctl": ("ctl_cmd", "control the running daemon (status, play, pause, the queue...)"),
    "search": ("search_cmd", "search the catalogs"),
    "playlists": ("playlists_cmd", "list and edit your YourMusic playlists"),
    "library": (
        "library_cmd",
        "list your likes, favorites, followed artists, albums and playlists",
    ),
    "like": ("like_cmd", "like a Jamendo track (an album: add it to your albums)"),
    "unlike": (
        "unlike_cmd",
        "take back the like of a Jamendo track (it is then marked disliked)",
    ),
    "follow": ("follow_cmd", "follow a Jamendo artist"),
    "show": ("show_cmd", "a track's details: artists, album, licence, music info, explicit flag"),
    "lyrics": ("lyrics_cmd", "a track's lyrics (Jamendo's; YourMusic's catalog has none)"),
    "login": ("login_cmd", "sign in to a service"),
    "logout": ("logout_cmd", "sign out of a service"),
    "whoami": ("whoami_cmd", "show who is signed in to each service"),
    "scrobble": ("scrobble_cmd", "Last.fm scrobbling: what waits to be sent, what went wrong"),
    "demo": ("demo_cmd", "the built-in demo catalog"),
}

Handler = Callable[[argparse.Namespace], int]
# Set to 1 for tracebacks and debug logging instead of one-line errors.
ENV_DEBUG = "SETLIST_DEBUG"


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: complete for the command it names, summaries for the rest."""
    parser = argparse.ArgumentParser(
        prog="setlist",
        description="A keyboard-first terminal music player. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"setlist {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="use the built-in demo catalog (no account needed)"
    )
    attach = parser.add_mutually_exclusive_group()
    attach.add_argument(
        "--daemon",
        action="store_true",
        help="start the background player (if none runs) and drive it, so music outlives the app",
    )
    attach.add_argument(
        "--no-daemon",
        action="store_true",
        help="play in the app itself even when a background player runs",
    )
    parser.add_argument(
        "--mpv-option",
        dest="app_mpv_options",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=(
            "an mpv option for the app's player, or the daemon --daemon starts "
            "(ao, audio-device...); may be repeated"
        ),
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    chosen = _command_in(sys.argv[1:] if argv is None else argv)
    for name, (module, summary) in SUBCOMMANDS.items():
        if name == chosen:
            import_module(f"setlist.cli.{module}").register(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    # The top-level options are flags and --mpv-option VALUE: the first other word is
    # the command.
    words = iter(argv)
    for word in words:
        if word == "--mpv-option":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def run_app(args: argparse.Namespace) -> int:
    """The terminal app (on the demo catalog with --demo, or when no account is set up)."""
    from setlist.ui.launch import run

    mpv_options: dict[str, str] = {}
    if args.app_mpv_options:
        from setlist.playback.mpv_options import parse_mpv_options  # only then: a faster start

        mpv_options = parse_mpv_options(args.app_mpv_options)
    return run(
        demo=bool(args.demo),
        daemon=bool(args.daemon),
        no_daemon=bool(args.no_daemon),
        mpv_options=mpv_options,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Exit codes: 0 done, 1 failed (one line on stderr), 2 bad usage."""
    give_back_big_blocks()
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if (refused := _not_text(args)) is not None:
        print(f"setlist: {refused}", file=sys.stderr)
        return 2
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


def _not_text(args: argparse.Namespace) -> str | None:
    """Why an argument cannot be used: bytes that are not UTF-8 (a name from an old
    disk, kept by Python as lone surrogates) in anything but an ITEM, which may be a
    file. None when every argument is text."""
    for name, value in vars(args).items():
        if name in _MAY_BE_FILES:
            continue
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                return (
                    f"the {name.replace('_', ' ')} “{shown}” has bytes that are not UTF-8 "
                    "text (only file names may); type it again in a UTF-8 terminal."
                )
    return None


_MAY_BE_FILES = frozenset({"items"})


def _log_warnings_to_stderr() -> None:
    # No-op when logging is set up already (the app, pytest).
    if logging.getLogger().handlers:
        return
    level = logging.DEBUG if os.environ.get(ENV_DEBUG) else logging.WARNING
    logging.basicConfig(level=level, format="setlist: %(message)s")
    # The handler's own level too: setlist's INFO lines are for the log file (runner).
    logging.getLogger().handlers[0].setLevel(level)
