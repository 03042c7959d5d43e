"""`setlist logout [PROVIDER | --all]`: forget a sign-in (and end it on the service)."""

from __future__ import annotations

import argparse
import asyncio

from setlist.cli.output import say, tell
from setlist.cli.runner import add_demo_flag, run_with_services
from setlist.daemon.client import tell_credentials_changed
from setlist.services import LASTFM_ACCOUNT, Services
from setlist.services.scrobbling import LASTFM_SECRET_ACCOUNT, LASTFM_SESSION_ACCOUNT
from setlist.store.config import ENV_LASTFM_API_KEY
from setlist.store.tokens import client_account

PROVIDERS = ("yourmusic", "jamendo", "lastfm")
LABELS = {"yourmusic": "YourMusic", "jamendo": "Jamendo", "lastfm": "Last.fm"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "logout",
        help="sign out of a service",
        description="Sign out of a service: the session is ended on the service when it "
        "allows that, and removed from the keyring.",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "provider", nargs="?", choices=PROVIDERS, help="the service (default: yourmusic)"
    )
    which.add_argument("--all", action="store_true", help="sign out of every service")
    add_demo_flag(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    chosen = PROVIDERS if args.all else (args.provider or "yourmusic",)

    async def body(services: Services) -> int:
        for provider in chosen:
            say(await _LOGOUTS[provider](services))
        if problem := await tell_credentials_changed():
            tell(problem)
        return 0

    return run_with_services(args, body, auto_sign_in=False)


async def yourmusic(services: Services) -> str:
    client = services.yourmusic
    if client is None:
        return "YourMusic is not set up; nothing to sign out of."
    auth = client.auth
    if auth.uses_env_token:
        tell("SETLIST_YOURMUSIC_TOKEN is set: unset it too, or setlist stays signed in.")
    session = auth.session
    client_id = services.config.yourmusic.client_id
    # auth.user_id without a user session: device mode (client credentials in the keyring).
    device = auth.user_id is not None and (session is None or session.kind == "device")
    if session is None and not device:
        return "Not signed in to YourMusic."
    await auth.logout()
    if device and client_id:
        # The stored client secret is what signs a device in again: forget it too.
        await asyncio.to_thread(services.secrets.delete, "yourmusic", client_account(client_id))
        return "Signed out of YourMusic (device mode)."
    assert session is not None
    return f"Signed out of YourMusic ({session.account})."


async def jamendo(services: Services) -> str:
    client = services.jamendo
    if client is None:
        return "Jamendo is not set up; nothing to sign out of."
    if not await client.oauth.signed_in():
        return "Not signed in to Jamendo."
    await client.sign_out()
    return "Signed out of Jamendo."


async def lastfm(services: Services) -> str:
    stored = await asyncio.to_thread(services.secrets.load, "lastfm", LASTFM_ACCOUNT)
    if stored:
        await asyncio.to_thread(services.secrets.delete, "lastfm", LASTFM_ACCOUNT)
    # The scrobbling sign-in goes with the key; scrobbles not yet sent stay on disk.
    for account in (LASTFM_SESSION_ACCOUNT, LASTFM_SECRET_ACCOUNT):
        await asyncio.to_thread(services.secrets.delete, "lastfm", account)
    if not services.demo and services.config.lastfm.api_key:
        tell(
            f"A Last.fm API key is still set in the config or {ENV_LASTFM_API_KEY}; "
            "remove it there to stop using it."
        )
    if not stored:
        return "No Last.fm API key stored."
    return f"Removed the Last.fm API key from {services.secrets_place}."


_LOGOUTS = {"yourmusic": yourmusic, "jamendo": jamendo, "lastfm": lastfm}
