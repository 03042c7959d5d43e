"""`setlist demo --serve`: run the built-in demo catalog server alone."""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from setlist.demo.catalog import DEMO_EMAIL, DEMO_OTP_CODE, DEMO_TENANT_SLUG


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
    from setlist.demo.server import DemoServer
    from setlist.demo.settings import DemoSettings

    settings = DemoSettings(
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
        print(f"YourMusic  {demo.yourmusic_url}", flush=True)
        print(f"Jamendo    {demo.jamendo_url}", flush=True)
        print(f"Last.fm    {demo.lastfm_url}", flush=True)
        print(
            f"Sign in with any address (e.g. {DEMO_EMAIL}) on tenant '{DEMO_TENANT_SLUG}'; "
            f"the one-time code is {DEMO_OTP_CODE}. Ctrl-C stops the server.",
            flush=True,
        )
        stop.wait()
    return 0
