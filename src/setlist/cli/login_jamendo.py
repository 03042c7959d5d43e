"""Signing in to Jamendo from the terminal: open a link, approve, paste where it ended.

Nothing listens for the redirect, so the default redirect URI is a loopback
address that needs no server: the browser shows "cannot connect" and its
address bar holds the code, which is what the user pastes. The demo's
authorize page approves at once; on a terminal setlist follows it itself,
otherwise (a script, a test) it reads the pasted address from stdin.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

import httpx
import msgspec

from setlist.cli import prompts
from setlist.cli.output import say, tell
from setlist.core.accounts import JAMENDO_REDIRECT_URI
from setlist.core.errors import ConfigError, ProviderError
from setlist.providers.jamendo import JamendoClient
from setlist.services import Services, jamendo_client
from setlist.store import paths
from setlist.store.config import save_config_value
from setlist.store.tokens import SecretStoreError, client_account

ENV_REDIRECT_URI = "SETLIST_JAMENDO_REDIRECT_URI"
TOKENS_ACCOUNT = "default"


@dataclass
class _Setup:
    """The client to sign in with, and what the user typed that is kept once it worked."""

    client: JamendoClient
    new_client_id: str | None = None
    new_secret: str | None = None


async def log_in(services: Services, redirect_uri: str | None) -> int:
    redirect_uri = redirect_uri or os.environ.get(ENV_REDIRECT_URI) or JAMENDO_REDIRECT_URI
    setup = _setup(services)
    client = setup.client
    try:
        url = client.authorize_url(redirect_uri)
        say("Open this address in a browser and let setlist use your Jamendo account:")
        say(url)
        if services.demo and prompts.interactive():
            tell("The demo approves at once; finishing the sign-in here.")
            pasted = await _follow_demo_approval(url)
        else:
            pasted = prompts.ask_valid(
                "Then paste the address the browser ended on (or its code)", prompts.not_empty
            )
        await client.exchange(pasted, redirect_uri=redirect_uri)
    finally:
        if client is not services.jamendo:
            await client.aclose()
    if not await asyncio.to_thread(services.secrets.load, "jamendo", TOKENS_ACCOUNT):
        raise SecretStoreError(
            f"Signed in, but the Jamendo sign-in could not be kept in {services.secrets_place} "
            "(see the warning above)."
        )
    await asyncio.to_thread(_keep_setup, services, setup)
    say("Signed in to the demo's Jamendo." if services.demo else "Signed in to Jamendo.")
    return 0


def _setup(services: Services) -> _Setup:
    config = services.config
    if "jamendo" not in config.providers.enabled:
        raise ConfigError(
            f"Jamendo is switched off: add it to enabled under [providers] in "
            f"{paths.config_file()}."
        )
    if services.demo:
        assert services.jamendo is not None
        return _Setup(services.jamendo)
    client_id = config.jamendo.client_id
    new_client_id = None
    if not client_id:
        tell(
            "Jamendo sign-in needs your app's client id and secret (https://devportal.jamendo.com)."
        )
        client_id = new_client_id = prompts.ask_valid("Jamendo client id", prompts.not_empty)
        config = msgspec.structs.replace(
            config, jamendo=msgspec.structs.replace(config.jamendo, client_id=client_id)
        )
    stored = services.secrets.load("jamendo", client_account(client_id))
    if stored and services.jamendo is not None:
        return _Setup(services.jamendo)
    new_secret = None
    if not stored:
        new_secret = prompts.ask_valid("Jamendo client secret", prompts.not_empty, secret=True)
    client = jamendo_client(config, services.secrets, client_secret=stored or new_secret)
    return _Setup(client, new_client_id, new_secret)


def _keep_setup(services: Services, setup: _Setup) -> None:
    if setup.new_client_id is not None:
        save_config_value("jamendo", "client_id", setup.new_client_id)
    if setup.new_secret is not None:
        client_id = setup.new_client_id or services.config.jamendo.client_id or ""
        services.secrets.save("jamendo", client_account(client_id), setup.new_secret)


async def _follow_demo_approval(url: str) -> str:
    """The address the demo's authorize page redirects to (it holds the code)."""
    async with httpx.AsyncClient(timeout=10.0) as http:
        response = await http.get(url, follow_redirects=False)
    location = response.headers.get("location")
    if not response.is_redirect or not location:
        raise ProviderError(
            f"The demo's Jamendo sign-in page did not approve (HTTP {response.status_code}).",
            provider="jamendo",
        )
    return location
