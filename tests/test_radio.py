"""Radio from a track, autoplay past the queue's end, and a Jamendo radio's song.

Against the demo catalog: Jamendo's `tracks/similar` (tracks sharing tags), YourMusic's
releases and artists (its neighbours stand in for similar tracks), `radios/stream`
(the song a radio plays moves on every few seconds, `callmeback` saying when), and
real libmpv playing the demo's short tones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from playback_audio import pcm_options
from setlist.core.errors import RadioUnavailable
from setlist.core.items import file_track
from setlist.core.models import RADIO_PREFIX
from setlist.demo.catalog import JAMENDO_DEMO_CLIENT_ID
from setlist.playback.engine import Engine
from setlist.playback.events import NowPlaying, StateChanged
from setlist.playback.player import Player
from setlist.playback.streams import make_resolver
from setlist.providers.jamendo import JamendoClient
from setlist.services.radio import CatalogRadio
from setlist.store.secret_fallbacks import MemoryStore
from test_player import Recorder
from yourmusic_support import NO_THROTTLE, client_for, sign_in


@pytest.fixture
async def jamendo(demo) -> AsyncIterator[JamendoClient]:
    async with JamendoClient(demo.jamendo_url, JAMENDO_DEMO_CLIENT_ID) as client:
        yield client


@pytest.fixture
async def make_player(tmp_path):
    players: list[Player] = []

    async def make(providers, *, speed: float | None = 8.0, autoplay: bool = False):
        engine = Engine(pcm_options(tmp_path / f"audio{len(players)}.pcm", speed=speed))
        player = Player(
            engine,
            make_resolver(providers),
            similar=CatalogRadio(providers),
            autoplay=autoplay,
        )
        recorder = Recorder(player)
        await player.start()
        players.append(player)
        return player, recorder

    yield make
    for player in players:
        await player.close()


async def test_jamendo_similar_tracks_share_tags_and_skip_what_is_queued(jamendo):
    seed = await jamendo.track("1001")  # electronic, synthwave
    radio = CatalogRadio({"jamendo": jamendo})
    found = await radio.similar([seed])
    assert found, "the demo has other electronic tracks"
    assert seed.key not in {t.key for t in found}
    assert len({t.key for t in found}) == len(found)
    queued = {found[0].key, found[1].key}
    again = await radio.similar([seed], exclude=queued)
    assert queued.isdisjoint(t.key for t in again)
    assert [t.key for t in again] == [t.key for t in found if t.key not in queued]


async def test_a_file_or_a_radio_has_no_similar_tracks_and_says_why(jamendo, tmp_path):
    song = tmp_path / "song.mp3"
    song.write_bytes(b"")
    radio = CatalogRadio({"jamendo": jamendo})
    with pytest.raises(RadioUnavailable, match="in no catalog"):
        await radio.similar([file_track(song)])
    on_air = await jamendo.radio_track("1")
    with pytest.raises(RadioUnavailable, match="already a radio"):
        await radio.similar([on_air])


@pytest.fixture
async def ym(make_demo):
    server = make_demo(**NO_THROTTLE)
    client = client_for(server, MemoryStore())
    await sign_in(client)
    yield client
    await client.aclose()


async def test_a_yourmusic_radio_is_built_from_the_release_and_the_artist(ym):
    seed = await ym.track("3002")  # Noon Tone, the 3rd of Tone Studies by The Sine Waves
    release = await ym.release_tracks("2000")
    found = await CatalogRadio({"yourmusic": ym}).similar([seed], limit=100)
    ids = [t.id for t in found]
    at = [t.id for t in release].index("3002")
    after, before = release[at + 1 :], release[:at]
    # The release first, from the seed on and round to its start, then the artist's others.
    assert ids[: len(release) - 1] == [t.id for t in after + before]
    assert "3002" not in ids
    rest = found[len(release) - 1 :]
    assert rest, "the artist has other releases (the single Night Drive)"
    assert all(t.artist_id == seed.artist_id for t in rest)
    assert len(set(ids)) == len(ids)


async def test_autoplay_goes_on_past_the_end_of_the_queue(make_player, jamendo):
    seed = await jamendo.track("1004")  # 4 s
    player, rec = await make_player({"jamendo": jamendo}, autoplay=True)
    [first] = await player.add([seed])
    await player.play()
    played = await rec.next(
        lambda e: isinstance(e, NowPlaying) and e.entry is not None and e.entry.id != first.id,
        within=60,
    )
    assert played.entry.origin == "autoplay"
    entries = player.queue.entries
    assert entries[0].track.key == seed.key and entries[0].origin is None
    added = entries[1:]
    assert added and all(e.origin == "autoplay" for e in added)
    keys = [e.track.key for e in entries]
    assert len(set(keys)) == len(keys), "no track queued twice"
    assert played.entry.track.key == added[0].track.key


async def test_without_autoplay_the_queue_ends(make_player, jamendo):
    seed = await jamendo.track("1004")
    player, rec = await make_player({"jamendo": jamendo})
    await player.add([seed])
    await player.play()
    await rec.queue_done()
    assert [e.track.key for e in player.queue.entries] == [seed.key]


async def test_turning_autoplay_on_while_the_last_track_plays_fills_the_queue(make_player, jamendo):
    seed = await jamendo.track("1007")  # 45 s: still playing when autoplay is turned on
    player, rec = await make_player({"jamendo": jamendo}, speed=1.0)
    await player.add([seed])
    await player.play()
    await rec.now_playing()
    await player.set_autoplay(True)
    state = await rec.next(lambda e: isinstance(e, StateChanged) and e.autoplay)
    assert state.autoplay
    await rec.next(lambda e: len(player.queue) > 1, within=15)
    assert all(e.origin == "autoplay" for e in player.queue.entries[1:])


async def test_a_radio_from_the_playing_track_keeps_it_playing(make_player, jamendo):
    seed = await jamendo.track("1007")
    other = await jamendo.track("1009")
    player, rec = await make_player({"jamendo": jamendo}, speed=1.0)
    first, _ = await player.add([seed, other])
    await player.play()
    await rec.now_playing()
    radio = CatalogRadio({"jamendo": jamendo})
    entries = await player.radio(seed, await radio.similar([seed]))
    assert player.playing is not None and player.playing.id == first.id
    queue = player.queue.entries
    assert queue[0].id == first.id
    assert other.key not in {e.track.key for e in queue if e.origin is None}, "replaced"
    assert [e.id for e in queue] == [e.id for e in entries]
    assert all(e.origin == "radio" for e in queue[1:]) and len(queue) > 1


async def test_a_jamendo_radio_names_the_song_it_plays_now_as_it_changes(make_player, jamendo):
    player, rec = await make_player({"jamendo": jamendo}, speed=1.0)
    await player.add([await jamendo.radio_track("1")], where="now")
    started = await rec.now_playing()
    assert started.entry.track.id == f"{RADIO_PREFIX}1"
    await player.pause()  # the demo's radio stream is one short song: keep it loaded
    first_song = player.playing.track.album_title
    songs = {first_song}
    # The demo's songs last 4 to 7 s; callmeback says when the next one starts.
    while len(songs) < 3:
        event = await rec.next(lambda e: isinstance(e, NowPlaying), within=15)
        assert event.entry is not None and event.entry.id == started.entry.id
        songs.add(event.entry.track.album_title)
        assert player.queue.get(event.entry.id).track.album_title == event.entry.track.album_title
    assert "" not in songs


async def test_a_queue_that_ends_before_autoplay_found_its_tracks_waits_for_them(
    make_player, make_demo
):
    server = make_demo()
    server.faults.add("/jamendo/v3.0/tracks/similar*", "latency", delay=2.0)
    async with JamendoClient(server.jamendo_url, JAMENDO_DEMO_CLIENT_ID) as jamendo:
        seed = await jamendo.track("1004")  # 4 s, at 8 times real time: over long before
        player, rec = await make_player({"jamendo": jamendo}, autoplay=True)
        [first] = await player.add([seed])
        await player.play()
        played = await rec.next(
            lambda e: isinstance(e, NowPlaying) and (e.entry is None or e.entry.id != first.id),
            within=30,
        )
        assert played.entry is not None, "play went on, once the similar tracks came"
        assert played.entry.origin == "autoplay"
        assert not rec.errors


async def test_a_radio_that_plays_gives_autoplay_nothing_to_say(make_player, jamendo):
    player, rec = await make_player({"jamendo": jamendo}, speed=1.0, autoplay=True)
    await player.add([await jamendo.radio_track("1")], where="now")
    await rec.now_playing()
    await rec.next(lambda e: isinstance(e, NowPlaying), within=10)  # its song, renamed
    assert not rec.errors
    assert len(player.queue) == 1
