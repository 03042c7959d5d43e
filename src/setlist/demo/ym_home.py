"""The composed home page: modules of playlists, releases, tracks and artists.

One module has a type no client knows yet (`podcast_shelf`), so clients prove
they skip what they cannot show instead of failing.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from setlist.demo.catalog import Catalog
from setlist.demo.ym_common import USER_TOKENS, YM, bearer_token, endpoint, require_grant, ym
from setlist.demo.ym_http import ApiError, invalid_field, not_found, now_rfc3339, unauthorized
from setlist.demo.ym_state import Playlist, User

PAGE_REVISION = 3


# Module id: (type, layout, content strategy), in page order.
MODULES: dict[str, tuple[str, str, str]] = {
    "your-playlists": ("playlist_carousel", "horizontal_scroll", "user_library"),
    "featured-playlists": ("playlist_carousel", "horizontal_scroll", "editorial_manual"),
    "new-releases": ("release_carousel", "horizontal_scroll", "newest_first"),
    "popular-tracks": ("track_list", "list", "most_played"),
    "podcasts": ("podcast_shelf", "grid", "editorial_manual"),
    "artists": ("artist_carousel", "horizontal_scroll", "editorial_manual"),
    "continue-listening": ("continue_listening", "list", "continue_listening"),
}


def _module(module_id: str, items: list[dict[str, Any]] | None) -> dict[str, Any]:
    kind, layout, strategy = MODULES[module_id]
    module: dict[str, Any] = {
        "id": module_id,
        "type": kind,
        "layout": layout,
        "name_key": "home." + module_id.replace("-", "_"),
        "name_params": None,
        "actions": {"see_all": None},
        "content_source": {
            "strategy": strategy,
            "strategy_version": "1",
            "execution_mode": None,
        },
    }
    if items is not None:
        module["items"] = items
    return module


def _item(item_id: str, kind: str, name: str, artwork: str, **extra: Any) -> dict[str, Any]:
    metadata = extra.pop("metadata", {})
    return {
        "id": item_id,
        "type": kind,
        "name": name,
        "artwork_url": artwork or None,
        "track_id": None,
        "stream_url": None,
        **extra,
        "metadata": metadata,
    }


def _playlist_items(playlists: list[Playlist]) -> list[dict[str, Any]]:
    return [
        _item(p.id, "playlist", p.name, "", metadata={"track_count": len(p.entries)})
        for p in playlists
    ]


def _release_items(catalog: Catalog) -> list[dict[str, Any]]:
    newest = sorted(catalog.ym_releases, key=lambda r: -r.year)[:6]
    return [
        _item(
            str(r.id),
            "release",
            r.title,
            r.image,
            metadata={"artist_name": catalog.ym_artist_by_id[r.artist_id].name, "year": r.year},
        )
        for r in newest
    ]


def _track_items(app: YM) -> list[dict[str, Any]]:
    catalog = app.ctx.catalog
    picks = [catalog.ym_tracks[i] for i in range(0, len(catalog.ym_tracks), 4)]
    return [
        _item(
            str(t.id),
            "track",
            t.title,
            catalog.ym_release_by_id[t.release_id].image,
            track_id=str(t.id),
            stream_url=f"{app.api_url}/stream/{t.stream_id}",
            metadata={
                "artist_name": catalog.ym_artist_by_id[t.artist_id].name,
                "release_id": t.release_id,
                "duration": round(t.duration),
            },
        )
        for t in picks
    ]


def _artist_items(catalog: Catalog) -> list[dict[str, Any]]:
    return [_item(str(a.id), "artist", a.name, a.image) for a in catalog.ym_artists]


def _podcast_items() -> list[dict[str, Any]]:
    return [_item("pod-1", "podcast_episode", "Tones Explained, Ep. 1", "", metadata={})]


def _modules(app: YM, tenant_id: str, user: User | None) -> list[dict[str, Any]]:
    catalog = app.ctx.catalog
    featured = [p for p in app.state.playlists.values() if p.public and p.tenant_id == tenant_id]
    items: dict[str, list[dict[str, Any]] | None] = {
        "featured-playlists": _playlist_items(featured),
        "new-releases": _release_items(catalog),
        "popular-tracks": _track_items(app),
        "podcasts": _podcast_items(),
        "artists": _artist_items(catalog),
        "continue-listening": None,  # as in the reference: a module without items
    }
    if user is not None:
        items["your-playlists"] = _playlist_items(app.state.playlists_of(user.id))
    return [_module(module_id, items[module_id]) for module_id in MODULES if module_id in items]


def _tenant_and_user(request: Request) -> tuple[str, User | None]:
    app = ym(request)
    if request.headers.get("authorization") is not None:
        if bearer_token(request) is None:
            raise unauthorized("The access token is invalid.")
        try:
            grant = require_grant(request, USER_TOKENS)
        except ApiError as exc:
            # Auth is optional here, but a token that fails is never taken as a guest.
            raise unauthorized("The access token is invalid or has expired.") from exc
        user = app.state.users[grant.user_id or ""]
        return user.tenant_id, user
    slug = request.headers.get("x-tenant", "").strip()
    if not slug:
        raise invalid_field("X-Tenant", "The X-Tenant header is required for guests.")
    tenant_id = app.state.tenants.get(slug)
    if tenant_id is None:
        raise not_found(f"Tenant {slug!r} not found.")
    return tenant_id, None


async def home(request: Request) -> Response:
    tenant_id, user = _tenant_and_user(request)
    app = ym(request)
    with app.state.lock:
        modules = _modules(app, tenant_id, user)
    page = {
        "id": "home",
        "schema_version": 1,
        "revision": PAGE_REVISION,
        "generated_at": now_rfc3339(),
    }
    return JSONResponse({"page": page, "modules": modules})


def routes() -> list[Route]:
    return [endpoint("/home", GET=home)]
