"""YourMusic's explicit tracks: marked [E] in track rows, and left out of searches when
the config says so (`exclude_explicit`, the API's excludeExplicitContent)."""

from __future__ import annotations

import pytest
from app_support import SIZE
from fakes import FakePlayer

from setlist.store.config import Config, YourMusicConfig, load_config
from setlist.ui.app import SetlistApp
from setlist.ui.widgets.track_table import TrackTable
from ui_playlist_support import demo_services
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


async def searched(server, secrets, config: Config, words: str) -> list[tuple[str, bool, str]]:
    """(title, explicit, the row as drawn) of each track found."""
    services = demo_services(server, signed_in=secrets, config=config)
    assert services.yourmusic is not None
    await services.yourmusic.auth.load()
    app = SetlistApp(services, FakePlayer(), config=config)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("slash", *words, "enter")
        await wait_until(pilot=pilot)
        table = app.screen.query_one("#tracks-table", TrackTable)
        return [
            (row.track.title, row.track.explicit, table.render_line(y + 1).text)
            for y, row in enumerate(table.rows)
        ]


async def test_explicit_tracks_are_marked_and_the_setting_hides_them(server, secrets):
    rows = await searched(server, secrets, Config(), "ümlaut")
    assert ("Ümlaut Overdrive", True) in [(title, explicit) for title, explicit, _ in rows]
    assert any(not explicit for _, explicit, _ in rows)
    for title, explicit, drawn in rows:
        assert (f"[E] {title}" in drawn) == explicit, drawn

    hide = Config(yourmusic=YourMusicConfig(exclude_explicit=True))
    rows = await searched(server, secrets, hide, "ümlaut")
    assert rows and not [title for title, explicit, _ in rows if explicit]
    assert "Ümlaut Overdrive" not in [title for title, _, _ in rows]
    assert not [drawn for _, _, drawn in rows if "[E]" in drawn]


def test_the_setting_is_read_from_the_config_file_and_checked(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("SETLIST_CONFIG", str(path))
    path.write_text("[yourmusic]\nexclude_explicit = true\n", encoding="utf-8")
    assert load_config().yourmusic.exclude_explicit is True
    path.write_text('[yourmusic]\nexclude_explicit = "yes"\n', encoding="utf-8")
    with pytest.raises(Exception) as failed:
        load_config()
    assert "exclude_explicit" in str(failed.value)
