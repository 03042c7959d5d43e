"""The footer of every screen: the keys that fit, whole, and none cut at the right edge.

Textual's footer lets a key that does not fit run under the command palette's key
("P Play th▏^p Commands"). This one hides the keys from the first that would not
be whole on screen; ? still lists every key.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterLabel


class FittedFooter(Footer):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._fit)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        for child in self.children:
            child.display = True
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        keys = [c for c in self.children if not c.has_class("-command-palette")]
        docked = [c for c in self.children if c.has_class("-command-palette") and c.display]
        room = self.scrollable_content_region.width
        room -= sum(c.virtual_region_with_margin.width for c in docked)
        hiding = False
        for n, key in enumerate(keys):
            hiding = hiding or key.virtual_region_with_margin.right > room
            key.display = not hiding
            if hiding and isinstance(key, FooterLabel) and n:
                keys[n - 1].display = False  # the keys it names ("K J Move") go with it
