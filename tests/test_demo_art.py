"""The demo catalog's cover art: a real, distinct picture per album and artist."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from setlist.demo.catalog import JAMENDO_DEMO_CLIENT_ID
from setlist.demo.server import DemoServer


def picture(url: str) -> Image.Image:
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(response.content)).convert("RGB")


def test_each_album_and_artist_has_its_own_picture(demo: DemoServer):
    albums = httpx.get(
        demo.jamendo_url + "/albums/", params={"client_id": JAMENDO_DEMO_CLIENT_ID, "limit": 3}
    ).json()["results"]
    catalog = demo.ctx.catalog
    urls = [a["image"] for a in albums]
    urls += [catalog.ym_releases[0].image, catalog.ym_artists[0].image]
    urls += [catalog.jm_artists[0].image]
    assert all(url.startswith(demo.base_url + "/_art/") for url in urls)
    pictures = [picture(url) for url in urls]
    assert all(p.size == (200, 200) for p in pictures)
    assert len({p.tobytes() for p in pictures}) == len(pictures)  # all different
    assert picture(urls[0]).tobytes() == pictures[0].tobytes()  # and the same each time


def test_a_picture_comes_at_the_size_asked_and_unknown_ones_are_not_found(demo: DemoServer):
    url = demo.ctx.catalog.jm_albums[0].image
    assert picture(url + "?size=32").size == (32, 32)
    assert httpx.get(demo.base_url + "/_art/jm-album/nope.jpg").status_code == 404
    assert httpx.get(demo.base_url + "/_art/other/1.png").status_code == 404
