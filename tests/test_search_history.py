"""The search history on disk: kept across runs, bounded, cleared, and never lost to a bad file."""

from __future__ import annotations

import json

import pytest

from cli_support import CliHome, make_home
from setlist.store.search_history import LIMIT, LONGEST, SearchHistory, history_file


@pytest.fixture
def home(tmp_path, monkeypatch) -> CliHome:
    return make_home(tmp_path, monkeypatch)


def test_searches_are_kept_newest_last_once_each_across_runs(home: CliHome) -> None:
    history = SearchHistory()
    for query in ("night", "  tone  studies ", "night", ""):
        history.add(query)
    assert history.entries == ["tone studies", "night"]
    assert history_file().parent == home.dirs["XDG_STATE_HOME"] / "setlist"
    assert SearchHistory().entries == ["tone studies", "night"]  # the next run
    assert oct(history_file().stat().st_mode & 0o777) == "0o600"


def test_the_file_stays_small_however_much_is_searched(home: CliHome) -> None:
    history = SearchHistory()
    for n in range(LIMIT + 50):
        history.add(f"search {n}")
    history.add("x" * 10_000)
    again = SearchHistory().entries
    assert len(again) == LIMIT and again[0] == "search 51"
    assert again[-1] == "x" * LONGEST
    assert history_file().stat().st_size < LIMIT * (LONGEST + 10)


def test_clear_forgets_every_search(home: CliHome) -> None:
    history = SearchHistory()
    history.add("night")
    history.clear()
    assert history.entries == [] and not history_file().exists()
    assert SearchHistory().entries == []
    history.clear()  # nothing to clear: no error


def test_a_damaged_file_is_kept_aside_and_a_new_history_starts(home: CliHome) -> None:
    path = history_file()
    path.parent.mkdir(parents=True)
    path.write_text('{"searches": ["ok", 3', encoding="utf-8")
    history = SearchHistory()
    assert history.entries == []
    assert (
        "could not be read" in history.problem and "search-history.json.damaged" in history.problem
    )
    assert path.with_name("search-history.json.damaged").read_text() == '{"searches": ["ok", 3'
    history.add("fresh")
    assert json.loads(path.read_text()) == {"searches": ["fresh"]}


def test_setlist_search_clear_history_forgets_them(home: CliHome) -> None:
    SearchHistory().add("night \x1b[31m")
    result = home.run("search", "--clear-history")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "Search history cleared.\n"
    assert not history_file().exists()
    result = home.run("search")
    assert result.returncode == 2
    assert "say what to look for" in result.stderr.decode()
