"""`setlist login [yourmusic|jamendo|lastfm]`: sign in interactively, keep it in the keyring.

The flows themselves are in login_yourmusic.py and login_jamendo.py; Last.fm's
(one API key, checked once) is here.
"""

from __future__ import annotations

import argparse
import asyncio

from setlist.cli import prompts
from setlist.cli.login_jamendo import ENV_REDIRECT_URI, log_in
from setlist.cli.login_yourmusic import log_in_device, log_in_user
from setlist.cli.output import say, tell
from setlist.cli.runner import add_demo_flag, run_with_services, wants_demo
from setlist.core.errors import SetlistError
from setlist.daemon.client import tell_credentials_changed
from setlist.providers.lastfm import LastfmClient
from setlist.providers.lastfm.errors import API_ACCOUNT_URL, TokenNotAuthorized
from setlist.services import LASTFM_ACCOUNT, Services, deadlines
from setlist.services.scrobbling import SignIn
from setlist.store.config import save_config_value

PROVIDERS = ("yourmusic", "jamendo", "lastfm")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "login",
        help="sign in to a service",
        description="Sign in to YourMusic (email and one-time code), Jamendo (in a "
        "browser, then paste the address it ends on) or Last.fm (an API key, and with its "
        "secret a sign-in for scrobbling: open the address shown in any browser, then "
        "press Enter). "
        "Sessions and keys go to the system keyring, never to the config file.",
    )
    parser.add_argument(
        "provider", nargs="?", default="yourmusic", choices=PROVIDERS, help="default: yourmusic"
    )
    parser.add_argument("--email", help="YourMusic: the address to sign in with")
    parser.add_argument("--tenant", help="YourMusic: the tenant to use (saved in the config)")
    parser.add_argument(
        "--device",
        action="store_true",
        help="YourMusic: device mode (the tenant's client id and secret, acting for a user id)",
    )
    parser.add_argument(
        "--redirect-uri",
        help="Jamendo: the redirect URI registered for your app (default: "
        f"${ENV_REDIRECT_URI}, else a loopback address that needs no server)",
    )
    add_demo_flag(parser)
    parser.set_defaults(handler=lambda args: handle(args, parser))


def handle(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    demo = wants_demo(args)
    if args.provider != "yourmusic" and (args.email or args.tenant or args.device):
        parser.error("--email, --tenant and --device are for yourmusic")
    if args.provider != "jamendo" and args.redirect_uri:
        parser.error("--redirect-uri is for jamendo")
    if demo and (args.tenant or args.device):
        parser.error("--tenant and --device are not available with --demo")
    if args.email is not None:
        try:
            prompts.email(args.email)
        except ValueError as exc:
            parser.error(str(exc))
    if args.tenant:
        save_config_value("yourmusic", "tenant", args.tenant)

    async def body(services: Services) -> int:
        code = await log_in_to(services)
        if code == 0 and (problem := await tell_credentials_changed()):
            tell(problem)
        return code

    async def log_in_to(services: Services) -> int:
        if not services.demo and services.keyring_problem is not None:
            raise services.keyring_problem
        if args.provider == "yourmusic":
            if args.device:
                return await log_in_device(services)
            return await log_in_user(services, args.email)
        if args.provider == "jamendo":
            return await log_in(services, args.redirect_uri)
        return await log_in_lastfm(services)

    return run_with_services(args, body, auto_sign_in=False)


async def log_in_lastfm(services: Services) -> int:
    key = prompts.ask_valid("Last.fm API key", prompts.not_empty, secret=True)
    if services.demo_endpoints is not None:
        base_url = services.demo_endpoints.lastfm_url
    else:
        base_url = services.config.lastfm.base_url
    async with LastfmClient(base_url, key, deadlines=deadlines(services.config)) as probe:
        await probe.check_key()
    await asyncio.to_thread(services.secrets.save, "lastfm", LASTFM_ACCOUNT, key)
    if not services.demo and services.config.lastfm.api_key:
        tell("Note: the API key in the config or SETLIST_LASTFM_API_KEY is used before this one.")
    say(f"Last.fm API key checked and kept in {services.secrets_place}.")
    secret = _optional_secret("Last.fm API secret, to scrobble (Enter to skip)")
    if not secret:
        tell(f"Scrobbling is not set up: it needs the API account's secret ({API_ACCOUNT_URL}).")
        return 0
    return await sign_in_to_scrobble(services, key, secret)


async def sign_in_to_scrobble(services: Services, key: str, secret: str) -> int:
    """Last.fm's desktop flow: a token, an address the user opens anywhere, the session."""
    sign_in = SignIn(services, key, secret)
    try:
        address = await sign_in.begin()
        say("Open this address in a browser, on this machine or any other, and allow setlist:")
        say(f"  {address}")
        for attempt in range(prompts.ATTEMPTS):
            prompts.ask("Press Enter once you have allowed it")
            try:
                name = await sign_in.finish()
            except TokenNotAuthorized:
                if attempt == prompts.ATTEMPTS - 1:
                    raise
                tell(
                    "Last.fm says setlist is not allowed yet: open the address, allow it, "
                    "then press Enter."
                )
                continue
            place = services.secrets_place
            say(f"Scrobbling to Last.fm as {name}; the session is kept in {place}.")
            return 0
    finally:
        await sign_in.aclose()
    raise AssertionError("unreachable")  # pragma: no cover


def _optional_secret(question: str) -> str:
    """An answer, or "" when the user pressed Enter or the input ended."""
    try:
        return prompts.ask(question, secret=True)
    except SetlistError:  # the input ended: nothing more to ask
        return ""
