"""How the app tells the user to sign in: with the Accounts screen's key.

The providers' messages are shared with the command line, where they name a
command (`setlist login yourmusic`); in the app that screen is one key away.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from textual.app import App
from textual.binding import Binding

from setlist.store.config import Config
from setlist.ui.keys import GLOBAL_BINDINGS

ACCOUNTS = "go.accounts"
_COMMAND = re.compile(r"sign in (again )?with `setlist login(?: [a-z]+)?`")


def accounts_key(app: App[Any]) -> str:
    """The key that opens Accounts, as the footer shows it (the user's [keys] applied)."""
    return key_shown(app, ACCOUNTS)


def key_shown(app: App[Any], binding_id: str) -> str:
    """The key of an app-wide binding (ui.keys), as the footer shows it (the user's [keys]
    applied)."""
    for active in app.screen.active_bindings.values():
        if active.binding.id == binding_id:
            return app.get_key_display(active.binding)
    # Not active while a text box takes the printable keys: the binding, remapped as set up.
    binding = next(b for b in GLOBAL_BINDINGS if isinstance(b, Binding) and b.id == binding_id)
    config = getattr(app, "config", None)
    remapped = config.keys.get(binding_id) if isinstance(config, Config) else None
    if remapped:
        binding = replace(binding, key=remapped.split(",")[0].strip())
    return app.get_key_display(binding)


def in_app(text: str, app: App[Any]) -> str:
    """`text` with a sign-in command replaced by the key of the Accounts screen."""
    if "setlist login" not in text:
        return text
    key = accounts_key(app)
    return _COMMAND.sub(lambda m: f"sign in {m[1] or ''}on the Accounts screen (press {key})", text)


def sign_in_to(what: str, app: App[Any]) -> str:
    """ "Sign in to YourMusic to `what`", with the key that gets there."""
    return f"Sign in to YourMusic to {what}: press {accounts_key(app)} for Accounts."
