"""The demo catalog as YourMusic's aggregator renders it (7digital-style shapes)."""

from __future__ import annotations

import zlib
from typing import Any

from setlist.demo.catalog import Catalog, YMArtist, YMRelease, YMTrack

LICENSOR = {"id": 1, "name": "Setlist Demo Licensing"}
FORMATS = ({"id": 17, "description": "MP3 320"}, {"id": 33, "description": "FLAC"})
RELEASE_PRICE = "9.99"
TRACK_PRICE = "0.99"


def artist_json(artist: YMArtist) -> dict[str, Any]:
    return {
        "id": artist.id,
        "name": artist.name,
        "sortName": artist.sort_name,
        "slug": artist.slug,
        "image": artist.image,
        "bio": {"text": artist.bio},
    }


def label_json(name: str) -> dict[str, Any]:
    # A stable made-up id: the demo data names labels, not their ids.
    return {"id": zlib.crc32(name.encode()) % 100_000, "name": name}


def _release_date(release: YMRelease) -> str:
    return f"{release.year}-01-01T00:00:00Z"


def _packages(price: str) -> list[dict[str, Any]]:
    return [
        {
            "id": 2,
            "description": "Standard",
            "price": {
                "currencyCode": "EUR",
                "sevendigitalPrice": price,
                "recommendedRetailPrice": price,
            },
            "formats": list(FORMATS),
        }
    ]


def _release_totals(catalog: Catalog, release: YMRelease) -> tuple[int, int]:
    tracks = catalog.ym_release_tracks(release.id)
    return round(sum(t.duration for t in tracks)), len(tracks)


def _release_common(catalog: Catalog, release: YMRelease) -> dict[str, Any]:
    duration, count = _release_totals(catalog, release)
    return {
        "id": release.id,
        "title": release.title,
        "version": release.version,
        "type": release.type,
        "barcode": release.upc,
        "explicitContent": release.explicit,
        "artist": artist_json(catalog.ym_artist_by_id[release.artist_id]),
        "image": release.image,
        "label": label_json(release.label),
        "licensor": dict(LICENSOR),
        "popularity": release.popularity,
        "duration": duration,
        "trackCount": count,
        "slug": release.title.casefold().replace(" ", "-"),
    }


def release_json(catalog: Catalog, release: YMRelease) -> dict[str, Any]:
    """A release in full: release, batch releases and inside a track."""
    return {
        **_release_common(catalog, release),
        "year": release.year,
        "cline": f"© {release.year} {release.label}",
        "pline": f"℗ {release.year} {release.label}",
        "download": {"releaseDate": _release_date(release), "packages": _packages(RELEASE_PRICE)},
        "subscriptionStreaming": {"releaseDate": _release_date(release)},
    }


def artist_release_json(catalog: Catalog, release: YMRelease) -> dict[str, Any]:
    """A release in an artist's release list, where the reference gives `year` as a string."""
    return {**_release_common(catalog, release), "year": str(release.year)}


def release_hit_json(catalog: Catalog, release: YMRelease, score: float) -> dict[str, Any]:
    artist = catalog.ym_artist_by_id[release.artist_id]
    return {
        "id": release.id,
        "title": release.title,
        "subtitle": release.version,
        "upc": release.upc,
        "explicitContent": release.explicit,
        "trackCount": _release_totals(catalog, release)[1],
        "year": release.year,
        "type": release.type,
        "availableFor": ["stream", "download"],
        "artist": {"id": artist.id, "name": artist.name},
        "licensor": dict(LICENSOR),
        "label": label_json(release.label),
        "packages": [
            {
                "id": 2,
                "name": "Standard",
                "price": {"currencyCode": "EUR", "rrp": RELEASE_PRICE},
                "formats": [{"id": f["id"], "name": f["description"]} for f in FORMATS],
            }
        ],
        "popularity": release.popularity,
        "score": score,
    }


def track_json(catalog: Catalog, track: YMTrack) -> dict[str, Any]:
    artist = catalog.ym_artist_by_id[track.artist_id]
    release = catalog.ym_release_by_id[track.release_id]
    date = _release_date(release)
    return {
        "id": track.id,
        "stream_id": track.stream_id,
        "payload": f"demo:{track.id}",
        "title": track.title,
        "version": track.version,
        "artist": artist_json(artist),
        "artist_image": artist.image,
        "cover_art": release.image,
        "trackNumber": track.number,
        "duration": round(track.duration),
        "explicitContent": track.explicit,
        "isrc": track.isrc,
        "type": "audio",
        "release": release_json(catalog, release),
        "discNumber": track.disc,
        "number": track.number,
        "download": {"releaseDate": date, "previewDate": date, "packages": _packages(TRACK_PRICE)},
        "subscriptionStreaming": {"releaseDate": date},
        "adSupportedStreaming": {"releaseDate": date},
    }
