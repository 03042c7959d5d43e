"""Keys are applied in the order they were typed, however many arrive at once.

Textual hands a key to the focused widget's message queue and runs its binding
only when the key has bubbled back up to the app, through the queue of every
widget on the way. A text box inserts a printable key at once, on its own queue.
So of keys that arrive together (a paste, keys batched over a slow link) a bound
key is overtaken by the ones after it: ctrl+u then "xyz" emptied the box after
"xyz" was typed, ctrl+a moved the cursor after it, and "/xyz" left "xyz" on the
screen that was there before the search box opened (Textual #6605).

Here the app waits, before each key, until the focused widget has handled the
keys handed to it before; then it runs the key's binding itself, on the app's
queue as Textual does, or, for a key with no binding, hands the key to the
widget that has the focus now. A paste waits in the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from textual import events
from textual.app import NoScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    _Host = App[None]
else:
    _Host = object

# Seconds the app waits for a widget to handle the keys before; a widget that is
# itself waiting for the app (or is going away) must not hold the keys up for good.
CATCH_UP = 0.5


class KeysInOrder(_Host):
    """The app's handling of keys and pastes from the terminal: see the module docstring."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not self._minimizes(event):
                await self._key_in_turn(event)
                return
        elif isinstance(event, events.Paste) and not event.is_forwarded:
            (await self._caught_up())._forward_event(event)
            return
        await super().on_event(event)

    def _minimizes(self, event: events.Key) -> bool:
        """Escape over a maximized widget: Textual's own handling applies."""
        return (
            self.screen.maximized is not None and event.key == "escape" and self.escape_to_minimize
        )

    async def _key_in_turn(self, event: events.Key) -> None:
        self.app_focus = True
        if self.focused is not None:
            with contextlib.suppress(NoScreen):
                self.screen._clear_tooltip()
        if await self._check_bindings(event.key, priority=True):
            return
        target = await self._caught_up()
        if not await self._check_bindings(event.key):
            target._forward_event(event)

    async def _caught_up(self) -> Widget:
        """Where keys go, once it (and where they went before) has handled those given it."""
        target: Widget = self.focused or self.screen
        for _ in range(3):  # a key handled meanwhile may have moved the focus
            await _handled_so_far(target)
            now = self.focused or self.screen
            if now is target:
                break
            target = now
        return target


async def _handled_so_far(pump: Widget) -> None:
    """Wait until `pump` has handled the messages queued for it before now."""
    done = asyncio.Event()
    if pump.call_later(done.set):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), CATCH_UP)
