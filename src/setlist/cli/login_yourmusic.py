"""Signing in to YourMusic from the terminal: email and one-time code, or device mode."""

from __future__ import annotations

import asyncio

from setlist.cli import prompts
from setlist.cli.output import say, tell
from setlist.core.errors import ConfigError, InvalidRequest, SetlistError
from setlist.core.text import plain
from setlist.providers.yourmusic import (
    ENV_TOKEN,
    DeviceCredentials,
    OnboardingRequired,
    StoredSession,
    YourMusicAuth,
    YourMusicClient,
)
from setlist.services import Services, deadlines
from setlist.services.demo_identity import DEMO_EMAIL, DEMO_OTP_CODE
from setlist.store import paths
from setlist.store.config import save_config_value
from setlist.store.tokens import SecretStoreError, client_account


async def log_in_user(services: Services, email: str | None) -> int:
    client = _client(services)
    auth = client.auth
    if auth.uses_env_token:
        # The variable wins over any stored session, and the store will not replace it.
        raise SetlistError(
            f"{ENV_TOKEN} is set, and setlist uses that token instead of a sign-in: "
            "unset it to sign in."
        )
    default = DEMO_EMAIL if services.demo else services.config.yourmusic.email
    address = email or prompts.ask_valid("Email", prompts.email, default=default)
    await auth.request_code(address)
    hint = f" (the demo's code is always {DEMO_OTP_CODE})" if services.demo else ""
    tell(f"A one-time code was sent to {address}{hint}.")
    outcome = await _verify(auth, address)
    if isinstance(outcome, OnboardingRequired):
        tell(f"There is no account for {address} yet: a few details create one.")
        first = prompts.ask_valid("First name", prompts.not_empty)
        last = prompts.ask_valid("Last name", prompts.not_empty)
        born = prompts.ask_valid("Date of birth (YYYY-MM-DD)", prompts.birth_date)
        session = await auth.onboard(outcome, first, last, born)
    else:
        session = outcome
    await _check_kept(services, session.account)
    if not services.demo:
        save_config_value("yourmusic", "email", address)
    name = plain(session.user.display_name) if session.user else ""
    who = f"{name} <{session.account}>" if name and name != session.account else session.account
    where = "the demo catalog" if services.demo else "YourMusic"
    say(f"Signed in to {where} as {who}.")
    return 0


async def _verify(auth: YourMusicAuth, address: str) -> StoredSession | OnboardingRequired:
    for attempt in range(prompts.ATTEMPTS):
        code = prompts.ask_valid("Code", prompts.not_empty)
        try:
            return await auth.verify(address, code)
        except InvalidRequest as exc:
            if "code" not in exc.fields or attempt == prompts.ATTEMPTS - 1:
                raise
            tell("That code is not right (or has expired). Try again.")
    raise AssertionError("unreachable")  # pragma: no cover


async def log_in_device(services: Services) -> int:
    """Device mode: the tenant's client credentials, issuing tokens for one user id."""
    _client(services)  # the tenant must be set up
    ym = services.config.yourmusic
    client_id = prompts.ask_valid("Client id", prompts.not_empty, default=ym.client_id)
    secret = prompts.ask_valid("Client secret", prompts.not_empty, secret=True)
    user_id = prompts.ask_valid("User id", prompts.not_empty, default=ym.user_id)
    assert ym.tenant is not None and ym.device_id is not None
    device = DeviceCredentials(client_id, secret, user_id, str(ym.device_id))
    auth = YourMusicAuth(services.secrets, device=device)
    timeouts = deadlines(services.config)
    async with YourMusicClient(ym.base_url, ym.tenant, auth, deadlines=timeouts) as probe:
        await probe.auth.refresh()  # a first token proves the credentials and the user id
    await asyncio.to_thread(services.secrets.save, "yourmusic", client_account(client_id), secret)
    save_config_value("yourmusic", "client_id", client_id)
    save_config_value("yourmusic", "user_id", user_id)
    say(f"YourMusic device mode is set up, acting for user {user_id}.")
    return 0


def _client(services: Services) -> YourMusicClient:
    if services.yourmusic is not None:
        return services.yourmusic
    if "yourmusic" not in services.config.providers.enabled:
        raise ConfigError(
            f"YourMusic is switched off: add it to enabled under [providers] in "
            f"{paths.config_file()}."
        )
    raise ConfigError(
        "YourMusic needs a tenant: run `setlist login --tenant NAME`, or set tenant "
        f"under [yourmusic] in {paths.config_file()}."
    )


async def _check_kept(services: Services, account: str) -> None:
    # The auth keeps going when the store fails (it only logs); a login must not.
    if not await asyncio.to_thread(services.secrets.load, "yourmusic", account):
        raise SecretStoreError(
            f"Signed in, but the session could not be kept in {services.secrets_place}, so the "
            "next command would not know it (see the warning above)."
        )
