"""Running a command's async body with the services open, and the flags every command shares.

Errors from the libraries underneath (httpx, keyring, msgspec, the OS) become
SetlistErrors here, so `cli.main` prints one line for them instead of a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator

import httpx
import msgspec

from setlist.cli.output import tell
from setlist.core.errors import BadResponse, NetworkError, SetlistError
from setlist.core.text import plain
from setlist.process.log_file import file_handler
from setlist.services import Services, open_services
from setlist.store.config import load_config
from setlist.store.tokens import SecretStoreError

Body = Callable[[Services], Awaitable[int]]


def add_demo_flag(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a subcommand's default must not undo `setlist --demo COMMAND`.
    parser.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the built-in demo catalog (no account needed)",
    )


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print JSON (one document) instead of a table",
    )


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def wants_demo(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "demo", False))


def run_with_services(args: argparse.Namespace, body: Body, *, auto_sign_in: bool = True) -> int:
    """Load the config, open the services, print their notices, run `body`, close."""
    config = load_config()

    async def run() -> int:
        with translated_errors(), _logged_to_file():
            services = await open_services(config, demo=wants_demo(args), auto_sign_in=auto_sign_in)
            async with services:
                for notice in services.notices:
                    tell(plain(notice))
                return await body(services)

    return asyncio.run(run())


@contextlib.contextmanager
def _logged_to_file() -> Iterator[None]:
    """setlist's own INFO lines (the demo's sign-in...) go to its log, not to stderr."""
    try:
        handler = file_handler()
    except OSError:  # no log folder to write: such notes are not worth failing for
        yield
        return
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise what the libraries throw as a SetlistError with a message fit for a user."""
    try:
        yield
    except SetlistError:
        raise
    except Exception as exc:
        error = as_setlist_error(exc)
        if error is None:
            raise
        raise error from exc


def as_setlist_error(exc: BaseException) -> SetlistError | None:
    """The SetlistError to show for a library's exception; None for anything else."""
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError("the service did not answer in time")
    if isinstance(exc, httpx.HTTPError):
        return NetworkError(f"network error ({type(exc).__name__})")
    if isinstance(exc, httpx.InvalidURL):
        return SetlistError(f"invalid service URL: {exc}")
    keyring_errors = sys.modules.get("keyring.errors")  # imported only where a keyring is used
    if keyring_errors is not None and isinstance(exc, keyring_errors.KeyringError):
        return SecretStoreError(f"the keyring failed ({type(exc).__name__})")
    if isinstance(exc, msgspec.MsgspecError):
        return BadResponse("a service sent data setlist cannot read")
    if isinstance(exc, OSError):
        return SetlistError(os_error_message(exc))
    return None


_CANNOT_WRITE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT})


def os_error_message(exc: OSError) -> str:
    """What failed, where, and what to do, for an error from the OS."""
    what = exc.strerror or ("permission denied" if isinstance(exc, PermissionError) else None)
    what = what or type(exc).__name__
    if not exc.filename:
        return (
            f"{what}: the system refused something setlist needs. Try again; if it keeps "
            "failing, SETLIST_DEBUG=1 shows what it was."
        )
    where = str(exc.filename)
    if isinstance(exc, PermissionError) or exc.errno in _CANNOT_WRITE:
        return (
            f"cannot write {where}: {what}. setlist keeps its settings and state there: "
            "make it writable (or free some space), or set XDG_STATE_HOME / "
            "XDG_CONFIG_HOME / XDG_CACHE_HOME to folders you can write."
        )
    return f"{what} ({where})"
