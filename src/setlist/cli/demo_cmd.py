"""`setlist demo --serve`: run the built-in demo catalog server alone.

While it runs, runtime_dir()/demo.json announces it (see setlist.services.demo_running),
so commands given --demo in other terminals use this server and share its
state (sign-ins, playlists) instead of starting a demo of their own.
"""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from setlist.core.errors import SetlistError
from setlist.services.demo_identity import DEMO_EMAIL, DEMO_OTP_CODE, DEMO_TENANT_SLUG
from setlist.services.demo_running import announce, demo_file, withdraw


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo",
        help="the built-in demo catalog",
        description="Run the built-in demo catalog: YourMusic, Jamendo and Last.fm "
        "routes with real audio, on loopback.",
    )
    parser.add_argument("--serve", action="store_true", help="run the demo server alone")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: a free one)")
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    from setlist.demo.server import CONTROL_HEADER, DemoServer
    from setlist.demo.settings import DemoSettings

    settings = DemoSettings.interactive(
        host=getattr(args, "host", "127.0.0.1"),
        port=getattr(args, "port", 0),
        print_codes=True,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with DemoServer(settings) as demo:
        try:
            endpoints = announce(
                demo.base_url, demo.yourmusic_url, demo.jamendo_url, demo.lastfm_url
            )
        except OSError as exc:
            raise SetlistError(
                f"cannot announce the demo server in {demo_file()}: {exc.strerror}"
            ) from None
        try:
            _print_banner(demo.yourmusic_url, demo.jamendo_url, demo.lastfm_url)
            # For the person who started it only: the routes that set faults need it.
            print(
                f"Control token (header {CONTROL_HEADER}, for /_demo/): {demo.control_token}",
                flush=True,
            )
            stop.wait()
        finally:
            withdraw(endpoints)
    return 0


def _print_banner(yourmusic_url: str, jamendo_url: str, lastfm_url: str) -> None:
    print(f"YourMusic  {yourmusic_url}", flush=True)
    print(f"Jamendo    {jamendo_url}", flush=True)
    print(f"Last.fm    {lastfm_url}", flush=True)
    print(
        f"Sign in with any address (e.g. {DEMO_EMAIL}) on tenant '{DEMO_TENANT_SLUG}'; "
        f"the one-time code is {DEMO_OTP_CODE}. Commands run with --demo use this "
        "server while it runs. Ctrl-C stops the server.",
        flush=True,
    )
