"""`setlist whoami`: who is signed in where. Reads the stored sessions; never prints a token."""

from __future__ import annotations

import argparse
import os
from typing import Any

from setlist.cli.output import Column, print_json, render_table, say, tell, wants_json
from setlist.cli.runner import add_demo_flag, add_json_flag, run_with_services
from setlist.services import Services
from setlist.store.config import ENV_LASTFM_API_KEY


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "whoami",
        help="show who is signed in to each service",
        description="Show who is signed in to YourMusic and Jamendo, and whether a "
        "Last.fm API key is set. Makes no network request and never prints a token.",
    )
    add_demo_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    async def body(services: Services) -> int:
        report: dict[str, Any] = {
            "demo": services.demo,
            "yourmusic": yourmusic_status(services),
            "jamendo": await jamendo_status(services),
            "lastfm": lastfm_status(services),
        }
        if wants_json(args):
            print_json(report)
            return 0
        if services.keyring_problem is not None:
            tell(f"{services.keyring_problem.reason}: no sign-in can be kept.")
        rows = [
            ["YourMusic", describe_yourmusic(report["yourmusic"])],
            ["Jamendo", describe_jamendo(report["jamendo"])],
            ["Last.fm", describe_lastfm(report["lastfm"])],
        ]
        say(render_table([Column("SERVICE"), Column("STATUS", flex=True)], rows))
        return 0

    return run_with_services(args, body, auto_sign_in=False)


def yourmusic_status(services: Services) -> dict[str, Any]:
    client = services.yourmusic
    if client is None:
        return {"status": _absent(services, "yourmusic")}
    auth = client.auth
    where = {"tenant": client.tenant}
    session = auth.session
    if auth.uses_env_token:
        return {"status": "signed_in", "mode": "token", **where}
    if session is not None and session.kind == "user":
        user = session.user
        return {
            "status": "signed_in",
            "mode": "user",
            "account": session.account,
            "name": user.display_name if user else None,
            "user_id": session.user_id,
            **where,
        }
    if auth.user_id is not None:
        return {"status": "signed_in", "mode": "device", "user_id": auth.user_id, **where}
    return {"status": "signed_out", **where}


async def jamendo_status(services: Services) -> dict[str, Any]:
    client = services.jamendo
    if client is None:
        return {"status": _absent(services, "jamendo")}
    return {"status": "signed_in" if await client.oauth.signed_in() else "signed_out"}


def lastfm_status(services: Services) -> dict[str, Any]:
    if services.lastfm is None or not services.lastfm.enabled:
        return {"status": "no_key"}
    if services.demo:
        source = "demo"
    elif os.environ.get(ENV_LASTFM_API_KEY):
        source = "environment"
    elif services.config.lastfm.api_key:
        source = "config"
    else:
        source = "keyring"
    return {"status": "key_set", "source": source}


def _absent(services: Services, provider: str) -> str:
    return "not_configured" if provider in services.config.providers.enabled else "disabled"


def describe_yourmusic(status: dict[str, Any]) -> str:
    state = status["status"]
    if state == "signed_in":
        tenant = status["tenant"]
        if status["mode"] == "token":
            return f"signed in with the token in SETLIST_YOURMUSIC_TOKEN (tenant {tenant})"
        if status["mode"] == "device":
            return f"device mode, acting for user {status['user_id']} (tenant {tenant})"
        name, account = status.get("name"), status["account"]
        who = f"{name} <{account}>" if name and name != account else account
        return f"signed in as {who} (tenant {tenant})"
    if state == "signed_out":
        return f"not signed in (tenant {status['tenant']})"
    return _describe_absent(state, "set tenant under [yourmusic] in the config")


def describe_jamendo(status: dict[str, Any]) -> str:
    state = status["status"]
    if state == "signed_in":
        return "signed in"
    if state == "signed_out":
        return "not signed in"
    return _describe_absent(state, "set client_id under [jamendo] in the config")


def describe_lastfm(status: dict[str, Any]) -> str:
    if status["status"] == "key_set":
        return f"API key set ({status['source']})"
    return "no API key"


def _describe_absent(state: str, how: str) -> str:
    if state == "disabled":
        return "off (not in providers.enabled)"
    return f"not set up ({how})"
