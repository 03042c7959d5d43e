"""The demo's Last.fm album.getInfo, over real HTTP: JSON and XML answers, and errors."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest

from setlist.demo.catalog import LASTFM_DEMO_API_KEY
from setlist.demo.server import DemoServer

NEON = {"artist": "Pulse Garden", "album": "Neon Night Circuits"}


def call(demo: DemoServer, **params: str) -> httpx.Response:
    query = {"method": "album.getInfo", "api_key": LASTFM_DEMO_API_KEY, **params}
    return httpx.get(demo.lastfm_url, params=query, timeout=10)


def album(demo: DemoServer, **params: str) -> dict[str, Any]:
    response = call(demo, format="json", **params)
    assert response.status_code == 200, response.text
    return response.json()["album"]


def test_album_get_info_json_shape(demo: DemoServer) -> None:
    info = album(demo, **NEON)
    assert (info["name"], info["artist"]) == ("Neon Night Circuits", "Pulse Garden")
    assert info["mbid"] == "a776054e-445b-5d1e-ad5a-fbd27c3972c7"
    assert info["url"] == "https://www.last.fm/music/Pulse+Garden/Neon+Night+Circuits"
    assert [i["size"] for i in info["image"]] == [
        "small",
        "medium",
        "large",
        "extralarge",
        "mega",
        "",
    ]
    assert all("#text" in i for i in info["image"])
    assert (info["listeners"], info["playcount"]) == ("23456", "210987")  # strings
    tracks = info["tracks"]["track"]
    assert [t["name"] for t in tracks] == [
        "Night Signal",
        "Neon Tone",
        "Circuit Breaker",
        "Afterglow",
        "Night Bus Home",
    ]
    assert [t["@attr"]["rank"] for t in tracks] == [1, 2, 3, 4, 5]
    assert tracks[0]["duration"] == 6 and tracks[0]["artist"]["name"] == "Pulse Garden"
    assert [t["name"] for t in info["tags"]["tag"]] == ["electronic", "synthwave", "night"]
    assert info["tags"]["tag"][0]["url"] == "https://www.last.fm/tag/electronic"
    assert info["wiki"]["summary"].startswith("Neon Night Circuits is the second album")
    assert info["wiki"]["published"] and info["wiki"]["content"]


def test_names_match_without_case_and_with_autocorrect_without_accents(
    demo: DemoServer,
) -> None:
    assert album(demo, artist="PULSE garden", album="neon night CIRCUITS")["mbid"]
    missing = call(demo, format="json", artist="Asa Ljungstrom Trio", album="Nordlys Jazz")
    assert missing.json()["error"] == 6
    found = album(demo, artist="Asa Ljungstrom Trio", album="nordlys jazz", autocorrect="1")
    assert found["artist"] == "Åsa Ljungström Trio"


def test_lookup_by_mbid(demo: DemoServer) -> None:
    info = album(demo, mbid="663b8694-7b59-599a-9a3b-aae80eeb1d15")
    assert info["name"] == "Nordlys Jazz"


def test_method_name_is_case_insensitive(demo: DemoServer) -> None:
    response = call(demo, format="json", **{**NEON, "method": "ALBUM.GETINFO"})
    assert response.status_code == 200 and response.json()["album"]["name"]


def test_without_format_json_the_answer_is_xml(demo: DemoServer) -> None:
    response = call(demo, **NEON)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "lfm" and root.get("status") == "ok"
    assert root.findtext("album/name") == "Neon Night Circuits"
    assert root.findtext("album/listeners") == "23456"
    assert [t.get("rank") for t in root.findall("album/tracks/track")] == list("12345")
    assert [i.get("size") for i in root.findall("album/image")][:2] == ["small", "medium"]


@pytest.mark.parametrize(
    ("params", "code", "status"),
    [
        ({"artist": "Pulse Garden"}, 6, 400),  # no album
        ({}, 6, 400),
        ({"artist": "Pulse Garden", "album": "No Such Album"}, 6, 400),
        ({"mbid": "00000000-0000-0000-0000-000000000000"}, 6, 400),
        ({**NEON, "api_key": "wrong"}, 10, 403),
        ({**NEON, "api_key": ""}, 10, 403),
        ({**NEON, "method": "album.getSomething"}, 3, 400),
        ({**NEON, "method": ""}, 3, 400),
    ],
)
def test_errors(demo: DemoServer, params: dict[str, str], code: int, status: int) -> None:
    response = call(demo, format="json", **params)
    assert response.status_code == status
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]


def test_unknown_album_says_album_not_found(demo: DemoServer) -> None:
    response = call(demo, format="json", artist="Pulse Garden", album="Nope")
    assert response.json() == {"error": 6, "message": "Album not found"}


def test_errors_in_xml_without_format_json(demo: DemoServer) -> None:
    response = call(demo, artist="Pulse Garden", album="Nope")
    assert response.status_code == 400
    root = ET.fromstring(response.content)
    assert root.get("status") == "failed"
    error = root.find("error")
    assert error is not None and error.get("code") == "6" and error.text == "Album not found"
