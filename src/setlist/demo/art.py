"""Cover art for the demo catalog: a distinct picture per album and artist, drawn on demand.

Nothing is shipped: each picture is drawn with Pillow from its entity's kind and id
(two colours from a hash, a gradient and a disc), so the same id always gives the
same picture and two ids almost never the same one. `with_art` points the catalog's
image fields at `ART_ROUTE` on the running server.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from setlist.demo.catalog import Catalog

ART_ROUTE = "/_art"
KINDS = ("ym-artist", "ym-release", "jm-artist", "jm-album")
DEFAULT_SIZE = 200
MIN_SIZE, MAX_SIZE = 16, 600


def art_url(base_url: str, kind: str, entity_id: object) -> str:
    return f"{base_url}{ART_ROUTE}/{kind}/{entity_id}.png"


def with_art(catalog: Catalog, base_url: str) -> Catalog:
    """The catalog with every album's and artist's image at this server."""

    def fill(items: tuple, kind: str) -> tuple:
        return tuple(dataclasses.replace(i, image=art_url(base_url, kind, i.id)) for i in items)

    return dataclasses.replace(
        catalog,
        ym_artists=fill(catalog.ym_artists, "ym-artist"),
        ym_releases=fill(catalog.ym_releases, "ym-release"),
        jm_artists=fill(catalog.jm_artists, "jm-artist"),
        jm_albums=fill(catalog.jm_albums, "jm-album"),
    )


_SIZED: dict[tuple[int, int], tuple[Catalog, Catalog]] = {}


def ym_sized(catalog: Catalog, size: int) -> Catalog:
    """The catalog with YourMusic's pictures at `size` (its `imageSize` parameter)."""
    key = (id(catalog), size)
    found = _SIZED.get(key)
    if found is not None and found[0] is catalog:
        return found[1]

    def fill(items: tuple) -> tuple:
        return tuple(
            dataclasses.replace(i, image=f"{i.image}?size={size}") if i.image else i for i in items
        )

    result = dataclasses.replace(
        catalog, ym_artists=fill(catalog.ym_artists), ym_releases=fill(catalog.ym_releases)
    )
    _SIZED[key] = (catalog, result)
    return result


@lru_cache(maxsize=256)
def picture(kind: str, entity_id: str, size: int = DEFAULT_SIZE) -> bytes:
    """A square PNG for one entity: the same bytes for the same kind, id and size."""
    from PIL import Image, ImageDraw

    seed = hashlib.sha256(f"{kind}/{entity_id}".encode()).digest()
    first, second = tuple(seed[0:3]), tuple(seed[3:6])
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for row in range(size):  # a vertical gradient from one colour to the other
        t = row / max(1, size - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(first, second, strict=True))
        draw.line([(0, row), (size, row)], fill=colour)
    # A disc whose place and size come from the hash, in the two colours' complement.
    radius = size * (0.2 + seed[6] / 255 * 0.2)
    cx, cy = size * (0.3 + seed[7] / 255 * 0.4), size * (0.3 + seed[8] / 255 * 0.4)
    disc = tuple(255 - (a + b) // 2 for a, b in zip(first, second, strict=True))
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=disc)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


async def _art(request: Request) -> Response:
    kind = request.path_params["kind"]
    name: str = request.path_params["name"]
    entity_id, dot, ext = name.rpartition(".")
    if kind not in KINDS or not dot or ext != "png" or not entity_id:
        return Response("no such picture", status_code=404, media_type="text/plain")
    try:
        size = int(request.query_params.get("size", DEFAULT_SIZE))
    except ValueError:
        size = DEFAULT_SIZE
    size = min(MAX_SIZE, max(MIN_SIZE, size))
    return Response(
        picture(kind, entity_id, size),
        media_type="image/png",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def routes() -> list[Route]:
    return [Route(ART_ROUTE + "/{kind}/{name}", _art, methods=["GET", "HEAD"])]
