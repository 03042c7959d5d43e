"""The demo catalog's data and the audio files it names."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
import uuid
from pathlib import Path

import pytest

from setlist.demo.catalog import Variant, load, media_dir
from setlist.demo.catalog_data import CATALOG

SAMPLE_RATE = 44100
AAC_FRAME = 1024
MAX_MEDIA_BYTES = 5 * 1024 * 1024

YM_TRACKS = CATALOG.ym_tracks
JM_TRACKS = CATALOG.jm_tracks
ALL_PITCHES = [t.pitch_hz for t in YM_TRACKS] + [t.pitch_hz for t in JM_TRACKS]


def all_names() -> list[str]:
    c = CATALOG
    return [
        *(a.name for a in c.ym_artists),
        *(r.title for r in c.ym_releases),
        *(t.title for t in c.ym_tracks),
        *(p.name for p in c.ym_playlists),
        *(a.name for a in c.jm_artists),
        *(a.name for a in c.jm_albums),
        *(t.name for t in c.jm_tracks),
        *(p.name for p in c.jm_playlists),
    ]


def ym_names() -> list[str]:
    c = CATALOG
    return (
        [a.name for a in c.ym_artists]
        + [r.title for r in c.ym_releases]
        + [t.title for t in c.ym_tracks]
    )


def jm_names() -> list[str]:
    c = CATALOG
    return (
        [a.name for a in c.jm_artists]
        + [a.name for a in c.jm_albums]
        + [t.name for t in c.jm_tracks]
    )


def unique(values: list) -> bool:
    return len(values) == len(set(values))


# ------------------------------------------------------------------------------ ids


def test_load_returns_the_catalog() -> None:
    assert load() is CATALOG


def test_yourmusic_ids_are_unique_integers_in_their_ranges() -> None:
    artists = [a.id for a in CATALOG.ym_artists]
    releases = [r.id for r in CATALOG.ym_releases]
    tracks = [t.id for t in YM_TRACKS]
    for ids, low, high in ((artists, 1000, 2000), (releases, 2000, 3000), (tracks, 3000, 4000)):
        assert unique(ids)
        assert all(type(i) is int and low <= i < high for i in ids), ids


def test_yourmusic_uuids_are_unique_and_valid() -> None:
    stream_ids = [t.stream_id for t in YM_TRACKS]
    playlist_ids = [p.id for p in CATALOG.ym_playlists]
    assert unique(stream_ids + playlist_ids)
    for value in stream_ids + playlist_ids:
        assert str(uuid.UUID(value)) == value
    assert set(CATALOG.ym_track_by_stream) == set(stream_ids)


def test_jamendo_ids_are_unique_numeric_strings() -> None:
    c = CATALOG
    groups = [
        [a.id for a in c.jm_artists],
        [a.id for a in c.jm_albums],
        [t.id for t in c.jm_tracks],
        [p.id for p in c.jm_playlists],
        [r.id for r in c.jm_radios],
        [f.id for f in c.jm_feeds],
    ]
    for ids in groups:
        assert unique(ids)
        assert all(isinstance(i, str) and i.isascii() and i.isdigit() for i in ids), ids


# --------------------------------------------------------------------------- counts


def test_counts_over_both_catalogs() -> None:
    c = CATALOG
    assert len(c.ym_artists) >= 5 and len(c.jm_artists) >= 4
    assert len(c.ym_releases) >= 7 and len(c.jm_albums) >= 6
    assert len(c.ym_tracks) >= 32 and len(c.jm_tracks) >= 30
    assert len(c.ym_artists) + len(c.jm_artists) >= 8
    assert len(c.ym_releases) + len(c.jm_albums) >= 12
    assert len(c.ym_tracks) + len(c.jm_tracks) >= 60
    assert 3 <= len(c.ym_playlists) <= 4
    assert {p.public for p in c.ym_playlists} == {True, False}
    assert len(c.jm_playlists) == 3 and len(c.jm_radios) == 2 and len(c.jm_feeds) == 4
    assert len(c.lastfm_albums) >= 4
    assert {r.type for r in c.ym_releases} == {"album", "single"}


# --------------------------------------------------------------------------- pitches


def test_pitches_follow_catalog_order() -> None:
    expected = [220 + 20 * k for k in range(len(ALL_PITCHES))]
    assert expected == ALL_PITCHES


def test_pitches_are_unique_and_at_least_20_hz_apart() -> None:
    ordered = sorted(ALL_PITCHES)
    assert unique(ordered)
    assert all(b - a >= 20 for a, b in itertools.pairwise(ordered))


# ------------------------------------------------------------------------ references


def test_yourmusic_references_exist() -> None:
    c = CATALOG
    for release in c.ym_releases:
        assert release.artist_id in c.ym_artist_by_id
    for track in YM_TRACKS:
        assert track.artist_id in c.ym_artist_by_id, track
        assert track.release_id in c.ym_release_by_id, track
    for playlist in c.ym_playlists:
        assert playlist.track_ids
        assert all(i in c.ym_track_by_id for i in playlist.track_ids), playlist


def test_every_yourmusic_release_has_numbered_tracks() -> None:
    for release in CATALOG.ym_releases:
        numbers = [t.number for t in CATALOG.ym_release_tracks(release.id)]
        assert numbers == list(range(1, len(numbers) + 1)), release.title
        if release.type == "single":
            assert len(numbers) == 1


def test_jamendo_references_exist() -> None:
    c = CATALOG
    for album in c.jm_albums:
        assert album.artist_id in c.jm_artist_by_id
        positions = [t.position for t in c.jm_album_tracks(album.id)]
        assert positions == list(range(1, len(positions) + 1)), album.name
    for track in JM_TRACKS:
        assert track.artist_id in c.jm_artist_by_id, track
        assert track.album_id == "" or track.album_id in c.jm_album_by_id, track
    for group in (*c.jm_playlists, *c.jm_radios):
        assert group.track_ids
        assert all(i in c.jm_track_by_id for i in group.track_ids), group
    targets = {
        "album": c.jm_album_by_id,
        "artist": c.jm_artist_by_id,
        "playlist": {p.id for p in c.jm_playlists},
    }
    for feed in c.jm_feeds:
        assert feed.type in {"album", "artist", "playlist", "news"}
        if feed.type != "news":
            assert feed.target_id in targets[feed.type], feed
    assert {f.type for f in c.jm_feeds} == {"album", "artist", "playlist", "news"}
    assert all(r.type in {"www", "pro"} for r in c.jm_radios)


def test_lastfm_albums_match_a_catalog_album_exactly() -> None:
    c = CATALOG
    known: dict[tuple[str, str], tuple[str, ...]] = {}
    for release in c.ym_releases:
        artist = c.ym_artist_by_id[release.artist_id].name
        names = tuple(t.title for t in c.ym_release_tracks(release.id))
        known[(artist, release.title)] = names
    for album in c.jm_albums:
        artist = c.jm_artist_by_id[album.artist_id].name
        known[(artist, album.name)] = tuple(t.name for t in c.jm_album_tracks(album.id))
    for info in c.lastfm_albums:
        assert (info.artist, info.name) in known, info.name
        assert info.track_names == known[(info.artist, info.name)]
        assert info.listeners > 0 and info.playcount >= info.listeners
        assert info.tags and info.summary
        assert str(uuid.UUID(info.mbid)) == info.mbid
    # Both catalogs have Last.fm info.
    ym_pairs = {(c.ym_artist_by_id[r.artist_id].name, r.title) for r in c.ym_releases}
    lastfm_pairs = {(i.artist, i.name) for i in c.lastfm_albums}
    assert lastfm_pairs & ym_pairs and lastfm_pairs - ym_pairs


# -------------------------------------------------------------------- track features


def test_variants() -> None:
    multi = [t for t in YM_TRACKS if len(t.variants) > 1]
    assert len(multi) >= 4
    for track in multi:
        rates = [v.bitrate_kbps for v in track.variants]
        assert unique(rates) and rates == sorted(rates)
        assert all(v.bandwidth > v.bitrate_kbps * 1000 for v in track.variants)
    for track in YM_TRACKS:
        if len(track.variants) == 1:
            assert track.variants == (Variant(48, 64000),)


def test_durations() -> None:
    long_ym = [t for t in YM_TRACKS if t.duration > 10]
    assert [t.title for t in long_ym] == ["The Long Tone"]
    assert long_ym[0].duration == pytest.approx(60, abs=0.01)
    assert all(3.9 <= t.duration <= 10.01 for t in YM_TRACKS if t not in long_ym)
    # The real decoded length: whole AAC frames at 44.1 kHz, kept to the millisecond.
    for track in YM_TRACKS:
        frames = round(track.duration * SAMPLE_RATE / AAC_FRAME)
        assert track.duration == pytest.approx(frames * AAC_FRAME / SAMPLE_RATE, abs=5e-4)
    long_jm = [t for t in JM_TRACKS if t.duration > 10]
    assert len(long_jm) == 1 and 40 <= long_jm[0].duration <= 50
    assert all(isinstance(t.duration, int) for t in JM_TRACKS)
    assert all(4 <= t.duration <= 10 for t in JM_TRACKS if t not in long_jm)


def test_jamendo_track_features() -> None:
    assert any(t.album_id == "" for t in JM_TRACKS)
    assert any(t.audio_empty for t in JM_TRACKS)
    assert any(not t.audiodownload_allowed for t in JM_TRACKS)
    assert all(t.tags for t in JM_TRACKS)
    tags = {tag for t in JM_TRACKS for tag in t.tags}
    assert {"rock", "electronic", "jazz", "ambient"} <= tags
    assert all(t.popularity > 0 for t in JM_TRACKS)
    assert len({t.popularity for t in JM_TRACKS}) > len(JM_TRACKS) // 2


# -------------------------------------------------------------------- hostile names

HOSTILE = [
    "[bold]Not Bold[/bold]",
    "Close [/] Early",
    "[link=https://example.com]Click[/link]",
    "Escape \x1b[31mRed\x1b[0m Song",
    "Bell\x07 and Tab\t Title",
    "$(rm -rf) & <script>",
    "🎸 Night Drive 🌙",
    "夜明けのメロディ",
    "فيروز الصغيرة",
    "שיר השירים",
    "Édith Sørensen",
    "Mötley Çrüe Collective",
]


@pytest.mark.parametrize("name", HOSTILE, ids=ascii)
def test_hostile_name_is_present(name: str) -> None:
    assert name in all_names()


def _has(names: list[str], test: object) -> bool:
    return any(test(ch) for name in names for ch in name)  # type: ignore[operator]


def _cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in {"W", "F"} and unicodedata.category(ch) == "Lo"


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in {"R", "AL"}


def _emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F300


def _accent(ch: str) -> bool:
    return ch.isalpha() and not ch.isascii() and unicodedata.category(ch) in {"Ll", "Lu"}


@pytest.mark.parametrize("kind", [_cjk, _rtl, _emoji, _accent], ids=lambda f: f.__name__)
def test_hard_scripts_appear_in_both_catalogs(kind: object) -> None:
    assert _has(ym_names(), kind)
    assert _has(jm_names(), kind)


def test_hebrew_and_arabic_both_present() -> None:
    names = all_names()
    assert _has(names, lambda ch: "\u0590" <= ch <= "\u05ff")
    assert _has(names, lambda ch: "\u0600" <= ch <= "\u06ff")


def test_a_very_long_title() -> None:
    assert max(len(t.title) for t in YM_TRACKS) >= 150


def test_control_characters_and_markup_spread_over_catalogs() -> None:
    def control(ch: str) -> bool:
        return unicodedata.category(ch) == "Cc"

    assert _has(ym_names(), control)
    assert any("[" in n and "]" in n for n in ym_names())
    assert any("[" in n and "]" in n for n in jm_names())


@pytest.mark.parametrize("word", ["tone", "night", "sine", "morning", "evening"])
def test_plain_words_are_searchable(word: str) -> None:
    hits = [n for n in all_names() if word in n.lower()]
    assert hits, word
    # The plain ASCII set stays plain.
    assert any(n.isascii() and n.isprintable() for n in hits)


def test_plain_ascii_artist_and_tracks() -> None:
    artist = next(a for a in CATALOG.ym_artists if a.name == "The Sine Waves")
    titles = {t.title for t in YM_TRACKS if t.artist_id == artist.id}
    assert {"Morning Tone", "Evening Tone", "The Long Tone"} <= titles


# --------------------------------------------------------------------------- media

MEDIA = media_dir()


def _playlist_segments(index: Path) -> list[tuple[float, str]]:
    lines = index.read_text().splitlines()
    assert lines[0] == "#EXTM3U"
    assert "#EXT-X-ENDLIST" in lines
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in lines
    segments = []
    for line, uri in itertools.pairwise(lines):
        if line.startswith("#EXTINF:"):
            segments.append((float(line[len("#EXTINF:") :].split(",")[0]), uri))
    return segments


@pytest.mark.parametrize("track", YM_TRACKS, ids=lambda t: str(t.id))
def test_yourmusic_media_follows_the_layout(track) -> None:
    folder = MEDIA / "ym" / str(track.id)
    assert sorted(p.name for p in folder.iterdir()) == [f"v{k}" for k in range(len(track.variants))]
    for k in range(len(track.variants)):
        index = folder / f"v{k}" / "index.m3u8"
        segments = _playlist_segments(index)
        uris = [uri for _, uri in segments]
        assert uris == [f"seg{n}.ts" for n in range(len(uris))]  # relative, in order
        assert all(d <= 4.5 for d, _ in segments)
        assert sum(d for d, _ in segments) == pytest.approx(track.duration, abs=0.05)
        files = sorted(p.name for p in index.parent.iterdir())
        assert files == sorted(["index.m3u8", *uris])  # nothing stale
        for uri in uris:
            data = (index.parent / uri).read_bytes()
            assert len(data) % 188 == 0 and data[0] == 0x47  # MPEG-TS packets


@pytest.mark.parametrize("track", JM_TRACKS, ids=lambda t: t.id)
def test_jamendo_media_follows_the_layout(track) -> None:
    mp3 = (MEDIA / "jm" / f"{track.id}.mp3").read_bytes()
    ogg = (MEDIA / "jm" / f"{track.id}.ogg").read_bytes()
    assert mp3[:3] == b"ID3" or (mp3[0] == 0xFF and mp3[1] & 0xE0 == 0xE0)
    assert ogg[:4] == b"OggS" and b"vorbis" in ogg[:64]


def test_no_stray_media_files() -> None:
    expected_jm = {f"{t.id}.{ext}" for t in JM_TRACKS for ext in ("mp3", "ogg")}
    assert {p.name for p in (MEDIA / "jm").iterdir()} == expected_jm
    assert {p.name for p in (MEDIA / "ym").iterdir()} == {str(t.id) for t in YM_TRACKS}


def test_total_media_size() -> None:
    total = sum(p.stat().st_size for p in MEDIA.rglob("*") if p.is_file())
    assert 0 < total < MAX_MEDIA_BYTES


# ------------------------------------------------------------- decoded audio (ffmpeg)


def _decode(path: Path):
    import numpy as np

    assert shutil.which("ffmpeg"), (
        "ffmpeg is needed to decode the demo audio (make test installs it)"
    )
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "44100", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np, np.frombuffer(pcm, dtype="<i2").astype(float)


def _samples() -> list[tuple[str, Path, float, float, int]]:
    """A few outputs of each kind: (label, file, pitch, decoded seconds, priming samples)."""
    out = []
    for t in (CATALOG.ym_track_by_id[3000], CATALOG.ym_track_by_id[3016], YM_TRACKS[-1]):
        k = len(t.variants) - 1
        index = MEDIA / "ym" / str(t.id) / f"v{k}" / "index.m3u8"
        out.append((f"ym{t.id}v{k}", index, t.pitch_hz, t.duration, AAC_FRAME))
    for t in (JM_TRACKS[0], JM_TRACKS[-1]):
        for ext in ("mp3", "ogg"):
            out.append(
                (f"jm{t.id}.{ext}", MEDIA / "jm" / f"{t.id}.{ext}", t.pitch_hz, t.duration, 0)
            )
    return out


SAMPLES = _samples()


@pytest.mark.parametrize(
    ("path", "pitch", "seconds", "priming"), [s[1:] for s in SAMPLES], ids=[s[0] for s in SAMPLES]
)
def test_decoded_audio_has_the_pitch_and_length(
    path: Path, pitch: float, seconds: float, priming: int
) -> None:
    np, x = _decode(path)
    assert len(x) / SAMPLE_RATE == pytest.approx(seconds, abs=1e-3)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    peak = np.fft.rfftfreq(len(x), 1 / SAMPLE_RATE)[int(np.argmax(spectrum))]
    assert abs(peak - pitch) < 3
    # No silence added: the tone runs from the fade in (after the AAC encoder's one priming
    # frame, which HLS in MPEG-TS cannot trim) to the fade out.
    fade = 0.006 * SAMPLE_RATE
    loud = np.nonzero(np.abs(x) > 0.01 * 32768)[0]
    assert loud[0] < priming + fade
    assert len(x) - 1 - loud[-1] < fade


def test_escape_sequences_are_real_control_characters() -> None:
    titles = {t.title for t in YM_TRACKS}
    assert any(re.search("\x1b\\[31m", t) for t in titles)
    assert any("\x07" in t and "\t" in t for t in titles)
