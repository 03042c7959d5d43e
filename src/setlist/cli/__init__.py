"""The `setlist` command line: the app by default, and subcommands for scripts.

Each subcommand lives in its own module with a `register(subparsers)` function
that adds its parser and sets `handler` (a function taking the parsed args and
returning an exit code).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from setlist import __version__
from setlist.core.errors import SetlistError

# Modules under setlist.cli that register a subcommand, in --help order.
SUBCOMMANDS: tuple[str, ...] = ("demo_cmd",)

Handler = Callable[[argparse.Namespace], int]


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
    from setlist.cli.demo_cmd import serve

    # Until the terminal app lands, `setlist --demo` serves the demo catalog.
    return serve(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", run_app)
    try:
        return handler(args)
    except SetlistError as exc:
        print(f"setlist: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
