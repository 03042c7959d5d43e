"""The demo's Jamendo v3.0, over real HTTP: envelope, read methods, audio, OAuth2, writes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from setlist.demo.catalog import DEMO_CLIENT_SECRET, JAMENDO_DEMO_CLIENT_ID
from setlist.demo.server import DemoServer

CLIENT = JAMENDO_DEMO_CLIENT_ID
REDIRECT = "http://127.0.0.1:9/callback"


@pytest.fixture
def jm(demo: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.jamendo_url, timeout=10) as client:
        yield client


def get(client: httpx.Client, method: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/{method}/", params={"client_id": CLIENT, **params})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def ok(client: httpx.Client, method: str, **params: Any) -> dict[str, Any]:
    body = get(client, method, **params)
    assert body["headers"]["status"] == "success", body["headers"]
    assert body["headers"]["code"] == 0
    return body


def results(client: httpx.Client, method: str, **params: Any) -> list[dict[str, Any]]:
    return ok(client, method, **params)["results"]


def ids(client: httpx.Client, method: str, **params: Any) -> list[str]:
    return [item["id"] for item in results(client, method, **params)]


def assert_failed(body: dict[str, Any], code: int) -> None:
    assert body["headers"]["status"] == "failed"
    assert body["headers"]["code"] == code
    assert body["headers"]["error_message"]
    assert body["results"] == []


# The envelope


def test_every_answer_is_the_jamendo_envelope(jm: httpx.Client) -> None:
    body = ok(jm, "tracks", limit=3)
    headers = body["headers"]
    assert set(headers) >= {"status", "code", "error_message", "warnings", "results_count"}
    assert headers["error_message"] == "" and headers["warnings"] == ""
    assert headers["results_count"] == len(body["results"]) == 3
    assert "results_fullcount" not in headers


def test_methods_answer_with_and_without_trailing_slash(jm: httpx.Client) -> None:
    bare = jm.get("/albums", params={"client_id": CLIENT}).json()
    slashed = jm.get("/albums/", params={"client_id": CLIENT}).json()
    assert bare["results"] == slashed["results"] != []


def test_jsonpretty_is_indented_json(jm: httpx.Client) -> None:
    response = jm.get("/tracks/", params={"client_id": CLIENT, "format": "jsonpretty"})
    assert response.text.startswith('{\n  "headers"')
    assert response.json()["headers"]["code"] == 0


# Errors: HTTP 200 with a failed envelope


@pytest.mark.parametrize("client_id", [None, "not-a-client"])
def test_missing_or_unknown_client_id_is_code_5(jm: httpx.Client, client_id: str | None) -> None:
    params = {} if client_id is None else {"client_id": client_id}
    response = jm.get("/tracks/", params=params)
    assert response.status_code == 200
    assert_failed(response.json(), 5)


def test_unknown_method_is_code_7(jm: httpx.Client) -> None:
    assert_failed(get(jm, "tracks/lyrics"), 7)
    assert_failed(get(jm, "nothing"), 7)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "abc"},
        {"offset": "-1"},
        {"offset": "x"},
        {"order": "loudness"},
        {"order": "name_sideways"},
        {"audioformat": "wav"},
        {"id": "12ab"},
        {"fullcount": "maybe"},
        {"datebetween": "2014-01-01"},
    ],
)
def test_bad_parameter_values_are_code_3(jm: httpx.Client, params: dict[str, str]) -> None:
    assert_failed(get(jm, "tracks", **params), 3)


def test_wrong_http_method_is_code_2(jm: httpx.Client) -> None:
    assert_failed(get(jm, "setuser/like", track_id="1001", access_token="x"), 2)
    response = jm.post("/tracks/", data={"client_id": CLIENT})
    assert response.status_code == 200
    assert_failed(response.json(), 2)


def test_xml_is_not_served_code_9(jm: httpx.Client) -> None:
    assert_failed(get(jm, "tracks", format="xml"), 9)


def test_unknown_parameters_only_warn(jm: httpx.Client) -> None:
    body = ok(jm, "tracks", foo="bar", limit=2)
    assert "Unknown parameter 'foo' ignored" in body["headers"]["warnings"]
    assert body["headers"]["results_count"] == 2


# tracks: fields, filters, order and paging


def test_track_has_the_real_fields(jm: httpx.Client, demo: DemoServer) -> None:
    [track] = results(jm, "tracks", id="1001")
    assert track["name"] == "Night Signal"
    assert track["duration"] == 6
    assert (track["artist_id"], track["artist_name"]) == ("501", "Pulse Garden")
    assert track["artist_idstr"] == "pulse-garden"
    assert (track["album_id"], track["album_name"]) == ("601", "Neon Night Circuits")
    assert track["position"] == 1 and track["releasedate"] == "2014-05-02"
    assert track["audio"] == f"{demo.jamendo_url}/_media/1001.mp3"
    assert track["audiodownload"].startswith(f"{demo.jamendo_url}/_media/1001.mp3")
    assert track["audiodownload_allowed"] is True
    assert track["license_ccurl"].startswith("http://creativecommons.org/licenses/")
    for name in ("album_image", "image", "shareurl", "shorturl", "waveform"):
        assert isinstance(track[name], str)
    assert "musicinfo" not in track


def test_include_adds_musicinfo_licenses_and_stats(jm: httpx.Client) -> None:
    [track] = results(jm, "tracks", id="1013", include="musicinfo licenses stats")
    assert track["musicinfo"]["tags"]["genres"] == ["jazz"]
    assert track["licenses"]["ccsa"] == "true" and track["licenses"]["ccnc"] == "false"
    assert track["stats"]["rate_listened_total"] == 800


def test_include_lyrics_some_tracks_have_words_most_have_none(jm: httpx.Client) -> None:
    found = {
        t["id"]: t["lyrics"] for t in results(jm, "tracks", id="1001 1002 1027", include="lyrics")
    }
    assert found["1001"].startswith("Night signal on the wire\n")
    assert found["1002"] == ""  # Jamendo sends an empty string for a track without lyrics
    assert "\x1b[31mred" in found["1027"] and "$(rm -rf ~)" in found["1027"]


def test_musicinfo_of_a_sung_track_names_the_voice(jm: httpx.Client) -> None:
    [track] = results(jm, "tracks", id="1027", include="musicinfo")
    info = track["musicinfo"]
    assert info["vocalinstrumental"] == "vocal" and info["gender"] == "[red]male[/red]"
    assert set(info["tags"]) == {"genres", "instruments", "vartags"}
    assert "<script>" in info["tags"]["vartags"]


def test_several_ids_separated_by_space_or_plus(jm: httpx.Client) -> None:
    assert sorted(ids(jm, "tracks", id="1001 1013")) == ["1001", "1013"]
    response = jm.get(f"/tracks/?client_id={CLIENT}&id=1002+1014")
    assert sorted(t["id"] for t in response.json()["results"]) == ["1002", "1014"]


def test_search_looks_at_names_artists_and_tags_without_accents(jm: httpx.Client) -> None:
    assert ids(jm, "tracks", search="smorgasbord") == ["1014"]
    assert ids(jm, "tracks", search="amelie waltz", type="single") == ["1029"]  # combining accent
    assert ids(jm, "tracks", search="fullwidth", type="single") == ["1030"]  # Ｆｕｌｌｗｉｄｔｈ
    pulse = results(jm, "tracks", search="night pulse", limit=50)
    assert pulse and all(t["artist_name"] == "Pulse Garden" for t in pulse)
    # Relevance: a word in the track's name beats the same word only in its album's name.
    assert pulse[0]["name"].lower().count("night") == 1
    swing = results(jm, "tracks", search="swing")
    assert swing[0]["id"] == "1014"


def test_name_and_namesearch(jm: httpx.Client) -> None:
    assert ids(jm, "tracks", name="night signal") == ["1001"]
    assert set(ids(jm, "tracks", namesearch="tone", limit=50)) >= {"1002", "1008", "1021"}


def test_tags_must_all_match_fuzzytags_any(jm: httpx.Client) -> None:
    both = results(jm, "tracks", tags="electronic rock", limit=50)
    assert {t["id"] for t in both} == {"1003", "1022", "1023"}
    either = results(
        jm, "tracks", fuzzytags="jazz punk", type="single albumtrack", limit=50, include="musicinfo"
    )
    genres = [set(t["musicinfo"]["tags"]["genres"]) for t in either]
    assert genres and all(g & {"jazz", "punk"} for g in genres)
    assert "1028" in {t["id"] for t in either}  # the punk single


def test_singles_are_listed_only_when_asked(jm: httpx.Client) -> None:
    default = results(jm, "tracks", limit=200)
    assert default and all(t["album_id"] for t in default)
    singles = results(jm, "tracks", type="single", limit=200)
    assert {t["id"] for t in singles} == {"1027", "1028", "1029", "1030"}
    assert all(t["album_id"] == "" and t["album_name"] == "" for t in singles)
    assert ids(jm, "tracks", id="1029") == ["1029"]  # a lookup by id finds a single


def test_artist_album_and_date_filters(jm: httpx.Client) -> None:
    # 1031: the trio as a guest on another artist's album.
    trio = {"1013", "1014", "1015", "1016", "1031"}
    assert set(ids(jm, "tracks", artist_id="503")) == trio
    assert set(ids(jm, "tracks", artist_name="åsa ljungström trio")) == trio
    assert ids(jm, "tracks", album_name="Warm Static") == ["1006", "1007", "1008"]
    assert ids(jm, "tracks", album_id="602", order="position_desc") == ["1008", "1007", "1006"]
    dated = results(jm, "tracks", datebetween="2015-01-01_2016-12-31", limit=50)
    assert dated and all("2015" <= t["releasedate"] <= "2016-12-31" for t in dated)


def test_order_by_fields_ascending_and_descending(jm: httpx.Client) -> None:
    durations = [t["duration"] for t in results(jm, "tracks", order="duration_desc", limit=50)]
    assert durations == sorted(durations, reverse=True) and durations[0] == 45
    names = [t["name"].casefold() for t in results(jm, "tracks", order="name", limit=5)]
    assert names == sorted(names)
    assert ids(jm, "tracks", order="popularity_total_desc", limit=1) == ["1001"]
    by_date = results(jm, "tracks", order="releasedate_desc id_desc", limit=50)
    keys = [(t["releasedate"], int(t["id"])) for t in by_date]
    assert keys == sorted(keys, reverse=True)


def test_limit_defaults_to_10_and_is_capped_at_200_with_a_warning(jm: httpx.Client) -> None:
    assert ok(jm, "tracks")["headers"]["results_count"] == 10
    body = ok(jm, "tracks", limit=500, type="single albumtrack")
    assert "200" in body["headers"]["warnings"]
    assert body["headers"]["results_count"] == 31  # every track, no error
    assert ok(jm, "tracks", limit="all")["headers"]["results_count"] == 27


def test_offset_fullcount_and_next_page(jm: httpx.Client) -> None:
    everything = ids(jm, "tracks", order="id", limit=200)
    body = ok(jm, "tracks", order="id", limit=5, offset=5, fullcount="true")
    assert [t["id"] for t in body["results"]] == everything[5:10]
    assert body["headers"]["results_fullcount"] == len(everything)
    following = httpx.get(body["headers"]["next"], timeout=10).json()
    assert [t["id"] for t in following["results"]] == everything[10:15]
    last = ok(jm, "tracks", order="id", limit=5, offset=len(everything) - 5)
    assert "next" not in last["headers"]
    assert ok(jm, "tracks", offset=1000)["results"] == []


def test_audio_empty_track_plays_through_tracks_file(jm: httpx.Client) -> None:
    [track] = results(jm, "tracks", id="1005")
    assert track["audio"] == ""
    played = jm.get("/tracks/file/", params={"client_id": CLIENT, "id": "1005"})
    assert played.status_code == 302


def test_forbidden_download_has_no_download_url(jm: httpx.Client) -> None:
    [track] = results(jm, "tracks", id="1014")
    assert track["audiodownload_allowed"] is False
    assert track["audiodownload"] == ""
    assert track["audio"]  # streaming is still allowed


# Audio files


def is_mp3(data: bytes) -> bool:
    return data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


@pytest.mark.parametrize(
    ("audioformat", "content_type", "check"),
    [
        ("mp31", "audio/mpeg", is_mp3),
        ("mp32", "audio/mpeg", is_mp3),
        ("ogg", "audio/ogg", lambda data: data[:4] == b"OggS"),
        ("flac", "audio/ogg", lambda data: data[:4] == b"OggS"),  # no FLAC in the demo
    ],
)
def test_audio_urls_download_real_audio(
    jm: httpx.Client, audioformat: str, content_type: str, check: Any
) -> None:
    [track] = results(jm, "tracks", id="1002", audioformat=audioformat)
    response = httpx.get(track["audio"], timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert int(response.headers["content-length"]) == len(response.content) > 1000
    assert check(response.content)


def test_range_requests_get_206_partial_content(jm: httpx.Client) -> None:
    [track] = results(jm, "tracks", id="1003")
    whole = httpx.get(track["audio"], timeout=10).content
    part = httpx.get(track["audio"], headers={"Range": "bytes=100-199"}, timeout=10)
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(whole)}"
    assert part.content == whole[100:200]
    tail = httpx.get(track["audio"], headers={"Range": "bytes=-50"}, timeout=10)
    assert tail.status_code == 206 and tail.content == whole[-50:]
    rest = httpx.get(track["audio"], headers={"Range": "bytes=1000-"}, timeout=10)
    assert rest.status_code == 206 and rest.content == whole[1000:]
    beyond = httpx.get(track["audio"], headers={"Range": f"bytes={len(whole) + 10}-"}, timeout=10)
    assert beyond.status_code == 416


def test_tracks_file_redirects_to_the_audio(jm: httpx.Client, demo: DemoServer) -> None:
    params = {"client_id": CLIENT, "id": "1001", "audioformat": "ogg"}
    response = jm.get("/tracks/file/", params=params)
    assert response.status_code == 302
    assert response.headers["location"] == f"{demo.jamendo_url}/_media/1001.ogg"
    followed = jm.get("/tracks/file/", params=params, follow_redirects=True)
    assert followed.content[:4] == b"OggS"


def test_tracks_file_download(jm: httpx.Client) -> None:
    params = {"client_id": CLIENT, "id": "1001", "action": "download"}
    response = jm.get("/tracks/file/", params=params, follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert is_mp3(response.content)


def test_tracks_file_download_404_when_the_artist_forbids_it(jm: httpx.Client) -> None:
    params = {"client_id": CLIENT, "id": "1014", "action": "download"}
    assert jm.get("/tracks/file/", params=params).status_code == 404
    streamed = jm.get("/tracks/file/", params={**params, "action": "stream"})
    assert streamed.status_code == 302
    assert jm.get("/tracks/file/", params={"client_id": CLIENT, "id": "9999"}).status_code == 404


def test_tracks_file_checks_the_client_id(jm: httpx.Client) -> None:
    response = jm.get("/tracks/file/", params={"id": "1001"})
    assert response.status_code == 200
    assert_failed(response.json(), 5)


# Other read methods


def test_similar_tracks_share_a_tag(jm: httpx.Client) -> None:
    similar = results(jm, "tracks/similar", id="1013", include="musicinfo", limit=50)
    assert similar and "1013" not in {t["id"] for t in similar}
    assert all("jazz" in t["musicinfo"]["tags"]["genres"] for t in similar)
    assert results(jm, "tracks/similar", id="99999") == []


def test_albums_and_albums_tracks(jm: httpx.Client) -> None:
    [album] = results(jm, "albums", id="604")
    assert album["name"] == "Nordlys Jazz" and album["artist_name"] == "Åsa Ljungström Trio"
    assert ids(jm, "albums", artist_id="501", order="releasedate_desc") == ["602", "601"]
    assert ids(jm, "albums", namesearch="NEON") == ["601"]
    body = ok(jm, "albums/tracks", artist_id="501", limit=1, order="releasedate")
    [aggregated] = body["results"]
    assert aggregated["id"] == "601" and body["headers"]["results_count"] == 1
    assert [t["position"] for t in aggregated["tracks"]] == [1, 2, 3, 4, 5]
    [windowed] = results(jm, "albums/tracks", id="601", tracks_limit=2, tracks_offset=1)
    assert [t["id"] for t in windowed["tracks"]] == ["1002", "1003"]
    [singular] = results(jm, "albums/tracks", id="601", track_limit=1)  # also spelt so
    assert [t["id"] for t in singular["tracks"]] == ["1001"]


def test_artists_with_their_albums_and_tracks(jm: httpx.Client) -> None:
    assert ids(jm, "artists", namesearch="garden") == ["501"]
    [artist] = results(jm, "artists/albums", id="501")
    assert [a["id"] for a in artist["albums"]] == ["602", "601"]
    [artist] = results(jm, "artists/tracks", id="505")
    assert {t["id"] for t in artist["tracks"]} == {"1022", "1023", "1024", "1025", "1026", "1028"}


def test_playlists_and_their_tracks_in_order(jm: httpx.Client) -> None:
    assert ids(jm, "playlists", user_name="demo_listener") == ["701", "702"]
    [playlist] = results(jm, "playlists/tracks", id="701")
    assert [t["id"] for t in playlist["tracks"]] == ["1001", "1003", "1018", "1022", "1007"]
    assert [t["position"] for t in playlist["tracks"]] == ["1", "2", "3", "4", "5"]
    assert all(t["audio"] for t in playlist["tracks"])


def test_autocomplete_groups_names_by_entity(jm: httpx.Client) -> None:
    grouped = results(jm, "autocomplete", prefix="nig")
    assert set(grouped) == {"tracks", "albums", "artists", "tags"}
    assert "Night Signal" in grouped["tracks"]
    assert grouped["albums"] == ["Neon Night Circuits"]
    only_tags = results(jm, "autocomplete", prefix="jaz", entity="tags")
    assert only_tags == {"tags": ["jazz"]}
    assert_failed(get(jm, "autocomplete"), 4)


def test_feeds_latest_first(jm: httpx.Client) -> None:
    feeds = results(jm, "feeds")
    assert [f["id"] for f in feeds] == ["801", "802", "803", "804"]
    assert feeds[0]["title"]["en"] == "New album: Neon Night Circuits"
    assert ids(jm, "feeds", type="news") == ["804"]


def test_radios_and_what_they_play_now(jm: httpx.Client) -> None:
    assert ids(jm, "radios") == ["1", "2"]
    [radio] = results(jm, "radios/stream", id="2")
    assert radio["dispname"] == "Jazz & Lounge"
    playing = radio["playingnow"]
    assert playing["track_id"] in {"1013", "1014", "1015", "1016", "1029"}
    assert radio["stream"].endswith(f"/_media/{playing['track_id']}.mp3")
    assert 0 < radio["callmeback"] <= 8000
    assert is_mp3(httpx.get(radio["stream"], timeout=10).content)


def test_users_by_id_or_name(jm: httpx.Client) -> None:
    users = results(jm, "users", id="901 902")
    assert [u["name"] for u in users] == ["demo_listener", "ünïcode_fan"]
    assert ids(jm, "users", name="ÜNÏCODE_FAN") == ["902"]
    assert_failed(get(jm, "users"), 8)
    assert_failed(get(jm, "users/tracks", relation="like"), 8)


# OAuth2 and the write methods


def authorize(client: httpx.Client, state: str = "xyz") -> str:
    params = {
        "client_id": CLIENT,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "music",
        "state": state,
    }
    response = client.get("/oauth/authorize", params=params)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


def grant(client: httpx.Client, **form: str) -> dict[str, Any]:
    response = client.post(
        "/oauth/grant",
        data={"client_id": CLIENT, "client_secret": DEMO_CLIENT_SECRET, **form},
    )
    assert response.status_code == 200
    return response.json()


def sign_in(client: httpx.Client) -> dict[str, Any]:
    code = authorize(client)
    return grant(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)


def write(client: httpx.Client, method: str, token: str, **form: str) -> dict[str, Any]:
    response = client.post(
        f"/setuser/{method}/", data={"client_id": CLIENT, "access_token": token, **form}
    )
    assert response.status_code == 200
    return response.json()


def user_tracks(client: httpx.Client, token: str, relation: str) -> list[str]:
    [user] = results(client, "users/tracks", access_token=token, relation=relation)
    return [t["id"] for t in user["tracks"]]


def test_sign_in_then_like_shows_in_users_tracks(make_demo: Any) -> None:
    demo = make_demo()
    with httpx.Client(base_url=demo.jamendo_url, timeout=10) as client:
        tokens = sign_in(client)
        assert tokens["token_type"] == "bearer" and tokens["scope"] == "music"
        assert tokens["expires_in"] == 3600 and tokens["refresh_token"]
        token = tokens["access_token"]
        assert user_tracks(client, token, "like") == []
        for track_id in ("1013", "1001"):
            body = write(client, "like", token, track_id=track_id)
            assert body["headers"]["code"] == 0 and body["results"] == []
        write(client, "favorite", token, track_id="1022")
        assert user_tracks(client, token, "like") == ["1001", "1013"]  # the latest first
        assert user_tracks(client, token, "favorite") == ["1022"]
        write(client, "dislike", token, track_id="1013")
        assert user_tracks(client, token, "like") == ["1001"]
        [user] = results(client, "users/tracks", id="901", relation="like")
        assert user["name"] == "demo_listener" and [t["id"] for t in user["tracks"]] == ["1001"]


def test_fan_and_myalbum_show_in_users_artists_and_albums(make_demo: Any) -> None:
    demo = make_demo()
    with httpx.Client(base_url=demo.jamendo_url, timeout=10) as client:
        token = sign_in(client)["access_token"]
        write(client, "fan", token, artist_id="503")
        write(client, "myalbum", token, album_id="605")
        [user] = results(client, "users/artists", access_token=token)
        assert [a["id"] for a in user["artists"]] == ["503"]
        [user] = results(client, "users/albums", access_token=token)
        assert [a["id"] for a in user["albums"]] == ["605"]


def test_liking_a_track_that_does_not_exist_is_no_error(make_demo: Any) -> None:
    demo = make_demo()
    with httpx.Client(base_url=demo.jamendo_url, timeout=10) as client:
        token = sign_in(client)["access_token"]
        assert write(client, "like", token, track_id="424242")["headers"]["code"] == 0
        assert user_tracks(client, token, "like") == []


def test_write_methods_need_a_valid_token(jm: httpx.Client) -> None:
    assert_failed(write(jm, "like", "not-a-token", track_id="1001"), 12)
    response = jm.post("/setuser/like/", data={"client_id": CLIENT, "track_id": "1001"})
    assert_failed(response.json(), 4)
    tokens = sign_in(jm)
    assert_failed(write(jm, "like", tokens["access_token"]), 4)  # no track_id
    assert_failed(write(jm, "like", tokens["access_token"], track_id="abc"), 3)


def test_a_code_works_once(jm: httpx.Client) -> None:
    code = authorize(jm)
    first = grant(jm, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert first["access_token"]
    again = grant(jm, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert_failed(again, 101)


def test_grant_checks_client_secret_and_redirect_uri(jm: httpx.Client) -> None:
    code = authorize(jm)
    wrong_secret = jm.post(
        "/oauth/grant",
        data={
            "client_id": CLIENT,
            "client_secret": "guess",
            "grant_type": "authorization_code",
            "code": code,
        },
    )
    assert_failed(wrong_secret.json(), 5)
    other_uri = grant(jm, grant_type="authorization_code", code=code, redirect_uri="http://x/")
    assert_failed(other_uri, 101)
    assert_failed(grant(jm, grant_type="password"), 3)
    assert_failed(jm.get("/oauth/grant").json(), 2)


def test_refresh_gives_new_tokens_and_retires_the_old_refresh_token(jm: httpx.Client) -> None:
    first = sign_in(jm)
    second = grant(jm, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert write(jm, "like", second["access_token"], track_id="1002")["headers"]["code"] == 0
    reused = grant(jm, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert_failed(reused, 12)


def test_expired_token_is_code_12_until_refreshed(make_demo: Any) -> None:
    demo = make_demo(jamendo_token_ttl=1)
    with httpx.Client(base_url=demo.jamendo_url, timeout=10) as client:
        tokens = sign_in(client)
        assert tokens["expires_in"] == 1
        assert (
            write(client, "like", tokens["access_token"], track_id="1001")["headers"]["code"] == 0
        )
        time.sleep(1.1)
        assert_failed(write(client, "like", tokens["access_token"], track_id="1002"), 12)
        assert_failed(get(client, "users/tracks", access_token=tokens["access_token"]), 12)
        fresh = grant(client, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert user_tracks(client, fresh["access_token"], "like") == ["1001"]


def test_authorize_without_redirect_uri_shows_the_code(jm: httpx.Client) -> None:
    response = jm.get("/oauth/authorize", params={"client_id": CLIENT, "response_type": "code"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    code = response.text.split("<code>")[1].split("</code>")[0]
    assert grant(jm, grant_type="authorization_code", code=code)["access_token"]


def test_authorize_refuses_an_unknown_client(jm: httpx.Client) -> None:
    response = jm.get("/oauth/authorize", params={"client_id": "nobody", "redirect_uri": REDIRECT})
    assert response.status_code == 400
    assert "location" not in response.headers
