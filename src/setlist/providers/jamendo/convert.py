"""Jamendo's wire entities to the shared domain model (and Jamendo's own extras)."""

from __future__ import annotations

import datetime as dt

import msgspec

from setlist.core.details import AlbumFacts, ArtistPlace, Location, MusicSummary, Review
from setlist.core.models import (
    Album,
    Artist,
    MusicInfo,
    Playlist,
    PlaylistEntry,
    ProviderName,
    Track,
    TrackDetails,
)
from setlist.providers.jamendo.models import FeedItem, Radio, RadioStream, Suggestions
from setlist.providers.jamendo.wire import (
    Id,
    Matches,
    Text,
    WireAlbum,
    WireArtist,
    WireFeed,
    WireMusicInfo,
    WirePlaylist,
    WireRadio,
    WireReview,
    WireTagGroups,
    WireTrack,
)

P = ProviderName.JAMENDO.value


def opt_id(value: Id | None) -> str | None:
    """An optional id; Jamendo writes "no album" as "" and "nothing playing" as 0."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text in ("", "0") else text


def _text(value: str | None) -> str | None:
    return value or None


def year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def track(
    w: WireTrack, *, album: WireAlbum | None = None, artist: WireArtist | None = None
) -> Track:
    """A track; `album`/`artist` fill what an aggregated sub-entity leaves out."""
    own, by = opt_id(w.artist_id), opt_id(album.artist_id) if album else None
    guest = bool(own and by and own != by)
    return Track(
        provider=P,
        id=str(w.id),
        title=w.name,
        artist_name=w.artist_name
        or (album.artist_name if album else None)
        or (artist.name if artist else None)
        or "",
        artist_id=opt_id(w.artist_id)
        or (opt_id(album.artist_id) if album else None)
        or (str(artist.id) if artist else None),
        album_title=w.album_name or (album.name if album else ""),
        album_id=opt_id(w.album_id) or (str(album.id) if album else None),
        album_artist_name=(album.artist_name or "") if album and guest else "",
        album_artist_id=by if guest else None,
        duration=float(w.duration) if w.duration is not None else None,
        number=w.position or None,
        image_url=_text(w.image) or _text(w.album_image) or (_text(album.image) if album else None),
        audio_url=_text(w.audio),
        download_allowed=w.audiodownload_allowed,
    )


def track_details(w: WireTrack) -> TrackDetails:
    """A track fetched with `include=musicinfo`; Jamendo has no explicit flag."""
    return TrackDetails(
        track=track(w),
        release_date=_text(w.releasedate),
        licence_url=_text(w.license_ccurl),
        music_info=music_info(w.musicinfo) if w.musicinfo is not None else None,
    )


def music_info(w: WireMusicInfo) -> MusicInfo:
    groups = w.tags if isinstance(w.tags, WireTagGroups) else None
    return MusicInfo(
        vocal_instrumental=w.vocalinstrumental or "",
        gender=w.gender or "",
        speed=w.speed or "",
        language=w.lang or "",
        acoustic_electric=w.acousticelectric or "",
        genres=tuple(groups.genres) if groups else (),
        instruments=tuple(groups.instruments) if groups else (),
        tags=tuple(groups.vartags if groups else w.tags if isinstance(w.tags, list) else ()),
    )


def album(w: WireAlbum, *, artist: WireArtist | None = None) -> Album:
    return Album(
        provider=P,
        id=str(w.id),
        title=w.name,
        artist_name=w.artist_name or (artist.name if artist else ""),
        artist_id=opt_id(w.artist_id) or (str(artist.id) if artist else None),
        year=year(w.releasedate),
        track_count=len(w.tracks) or None,
        kind="album",
        image_url=_text(w.image),
    )


def artist(w: WireArtist) -> Artist:
    return Artist(provider=P, id=str(w.id), name=w.name, image_url=_text(w.image))


def playlist(w: WirePlaylist) -> Playlist:
    return Playlist(
        provider=P,
        id=str(w.id),
        name=w.name,
        public=True,  # the API only lists public playlists
        owner_id=opt_id(w.user_id),
        owner_name=w.user_name or None,
        track_count=len(w.tracks) or None,
        updated_at=w.creationdate or None,
    )


def playlist_entries(w: WirePlaylist) -> list[PlaylistEntry]:
    playlist_id = str(w.id)
    entries = []
    for index, item in enumerate(w.tracks, start=1):
        # A track may appear twice in a playlist; its position tells the rows apart.
        position = item.position or index
        entries.append(
            PlaylistEntry(
                id=f"{playlist_id}:{position}",
                playlist_id=playlist_id,
                track_id=str(item.id),
                order=position,
                # Here `position` is the place in the playlist, not the number on the album.
                track=msgspec.structs.replace(track(item), number=None),
            )
        )
    return entries


def radio(w: WireRadio) -> Radio:
    return Radio(
        id=str(w.id),
        name=w.name,
        title=w.dispname or w.name,
        type=w.type,
        image_url=_text(w.image),
    )


def radio_stream(w: WireRadio) -> RadioStream:
    now = w.playingnow
    playing = None
    if now is not None and opt_id(now.track_id):
        playing = Track(
            provider=P,
            id=str(now.track_id),
            title=now.track_name or "",
            artist_name=now.artist_name or "",
            artist_id=opt_id(now.artist_id),
            album_title=now.album_name or "",
            album_id=opt_id(now.album_id),
            image_url=_text(now.track_image),
        )
    refresh = None
    if w.callmeback not in (None, "") and str(w.callmeback).isdigit():
        refresh = int(w.callmeback) / 1000
    return RadioStream(
        radio_id=str(w.id), url=w.stream or "", now_playing=playing, refresh_in=refresh
    )


def _localized(value: Text | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get("en") or next(iter(value.values()), "")


def _date(value: int | str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):  # a Unix time
        return dt.datetime.fromtimestamp(value, dt.UTC).date().isoformat()
    return value


def feed(w: WireFeed, lang: str = "en") -> FeedItem:
    return FeedItem(
        id=str(w.id),
        title=_localized(w.title, lang),
        text=_localized(w.text, lang) or _localized(w.subtitle, lang),
        type=w.type,
        target_id=opt_id(w.joinid),
        date=_date(w.date_start),
        link=w.link or None,
    )


def suggestions(groups: dict[str, Matches]) -> Suggestions:
    def names(key: str) -> tuple[str, ...]:
        return tuple(m if isinstance(m, str) else m.match for m in groups.get(key) or ())

    return Suggestions(
        tracks=names("tracks"), albums=names("albums"), artists=names("artists"), tags=names("tags")
    )


def _unique(values: list[str]) -> tuple[str, ...]:
    """The non-empty values, each once, in their first order."""
    return tuple(dict.fromkeys(v for v in values if v))


def music(infos: list[WireMusicInfo], lang: str = "en") -> MusicSummary:
    """One MusicSummary from several: an album's own and its tracks' (`include=musicinfo`)."""
    genres: list[str] = []
    instruments: list[str] = []
    tags: list[str] = []
    speeds: list[str] = []
    vocal: list[str] = []
    description = ""
    for info in infos:
        if isinstance(info.tags, list):
            tags += info.tags
        elif info.tags is not None:
            genres += info.tags.genres
            instruments += info.tags.instruments
            tags += info.tags.vartags
        speeds.append(info.speed or "")
        vocal.append(info.vocalinstrumental or "")
        description = description or _localized(info.description, lang)
    return MusicSummary(
        genres=_unique(genres),
        instruments=_unique(instruments),
        tags=_unique(tags),
        speeds=_unique(speeds),
        vocal=_unique(vocal),
        description=description,
    )


def album_facts(w: WireAlbum, tracks: list[WireTrack], lang: str = "en") -> AlbumFacts:
    """`albums/musicinfo` for the album, `albums/tracks` (musicinfo) for its tracks."""
    infos = [w.musicinfo] if w.musicinfo else []
    infos += [t.musicinfo for t in tracks if t.musicinfo]
    return AlbumFacts(
        release_date=w.releasedate or "",
        licences=_unique([t.license_ccurl or "" for t in tracks]),
        music=music(infos, lang),
    )


def artist_place(w: WireArtist) -> ArtistPlace:
    return ArtistPlace(
        website=w.website or "",
        locations=tuple(
            Location(city=loc.city or "", region=loc.region or "", country=loc.country or "")
            for loc in w.locations
        ),
    )


def _rating(value: float | int | str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:  # a rating that is not a number is no rating
        return None


def review(w: WireReview) -> Review:
    return Review(
        id=str(w.id),
        title=w.name or "",
        text=w.text or "",
        rating=_rating(w.rating),
        author=w.user_dispname or w.user_name or "",
        lang=w.lang or "",
        date=_date(w.dateadded) or "",
    )
