"""The demo YourMusic API over real HTTP, every answer checked against the OpenAPI document.

The `api` clients below run `openapi_check` on every response: a status the
document does not list, or a body that does not match its schema, fails the test.
Tests that edit state do it as a fresh user, so the shared demo's seeded data
stays as other tests expect it; tests that sign in by one-time code use a
server of their own, since the code routes are throttled.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import m3u8
import pytest

from openapi_check import response_hook, yourmusic_document
from setlist.demo import yourmusic
from setlist.demo.catalog import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_EMAIL,
    DEMO_OTP_CODE,
    DEMO_TENANT_ID,
    DEMO_TENANT_SLUG,
    load,
)
from setlist.demo.server import DemoServer
from setlist.demo.ym_state import DEMO_USER_ID, OTHER_PRIVATE_PLAYLIST_ID, OTHER_PUBLIC_PLAYLIST_ID
from yourmusic_support import NO_THROTTLE

Headers = dict[str, str]
MakeDemo = Callable[..., DemoServer]

MORNING_COMMUTE = "c76d0ae5-4748-5f7e-85fb-910641a32540"  # the demo user's, public
TONE_LADDER = "7a127812-f29c-5ee5-86a1-1474291fd493"  # the demo user's, private
CATALOG = load()
ONE_VARIANT = CATALOG.ym_track_by_id[3002]
TWO_VARIANTS = CATALOG.ym_track_by_id[3000]
TS_SYNC_BYTE = 0x47


# -- clients and people


def api(server: DemoServer) -> httpx.Client:
    """A client whose every answer must match the OpenAPI document."""
    return httpx.Client(
        base_url=server.yourmusic_url,
        timeout=10,
        event_hooks={"response": [response_hook(yourmusic_document())]},
    )


def raw(server: DemoServer) -> httpx.Client:
    """A client for what the document does not describe (segments, wrong methods)."""
    return httpx.Client(base_url=server.yourmusic_url, timeout=10)


@pytest.fixture
def ym(demo: DemoServer) -> Iterator[httpx.Client]:
    with api(demo) as client:
        yield client


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def client_headers(client: httpx.Client) -> Headers:
    body = {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    answer = client.post("/oauth/token", json=body)
    assert answer.status_code == 200
    return bearer(answer.json()["access_token"])


def udt_headers(client: httpx.Client, user_id: str) -> Headers:
    answer = client.post(
        f"/users/{user_id}/udt",
        json={"deviceId": str(uuid.uuid4())},
        headers=client_headers(client),
    )
    assert answer.status_code == 200
    return bearer(answer.json()["token"])


def new_user(client: httpx.Client, first_name: str = "Fresh") -> dict[str, Any]:
    body = {
        "first_name": first_name,
        "last_name": "Tester",
        "email": f"{uuid.uuid4().hex[:12]}@example.com",
        "date_of_birth": "2001-02-03",
    }
    answer = client.post("/users", json=body, headers=client_headers(client))
    assert answer.status_code == 200
    return answer.json()


@pytest.fixture
def listener(ym: httpx.Client) -> Headers:
    """The demo user, through a UDT: reads only, so the shared state stays seeded."""
    return udt_headers(ym, DEMO_USER_ID)


def fresh_user(client: httpx.Client) -> Headers:
    return udt_headers(client, new_user(client)["id"])


@pytest.fixture
def stranger(ym: httpx.Client) -> Headers:
    """A new user of the demo tenant, free to create and edit (private playlists only)."""
    return fresh_user(ym)


def request_code(client: httpx.Client, email: str) -> httpx.Response:
    return client.post("/auth/email/otp", json={"tenant": DEMO_TENANT_SLUG, "email": email})


def verify(client: httpx.Client, email: str, code: str = DEMO_OTP_CODE) -> httpx.Response:
    body = {
        "tenant": DEMO_TENANT_SLUG,
        "email": email,
        "code": code,
        "device_id": str(uuid.uuid4()),
    }
    return client.post("/auth/email/verify", json=body)


def sign_in(client: httpx.Client, email: str = DEMO_EMAIL) -> dict[str, Any]:
    assert request_code(client, email).status_code == 202
    answer = verify(client, email)
    assert answer.status_code == 200
    return answer.json()


@pytest.fixture
def private(make_demo: MakeDemo) -> Iterator[httpx.Client]:
    """A client on a demo server of its own, without one-time code throttles."""
    with api(make_demo(**NO_THROTTLE)) as client:
        yield client


def error_code(answer: httpx.Response) -> str:
    return answer.json()["error"]["code"]


# -- public routes and errors


def test_health_routes_answer_without_a_token(ym: httpx.Client) -> None:
    assert ym.get("/heartbeat").json()["time"].endswith("Z")
    assert ym.get("/aggregator/status").json() == {"status": "up"}


def test_an_unknown_path_is_a_404_in_the_error_shape(demo: DemoServer) -> None:
    with raw(demo) as client:
        answer = client.get("/no/such/route")
    assert answer.status_code == 404
    assert error_code(answer) == "NOT_FOUND"


def test_a_wrong_method_is_a_405_naming_the_allowed_ones(demo: DemoServer) -> None:
    with raw(demo) as client:
        answer = client.delete("/playlists")
    assert answer.status_code == 405
    assert error_code(answer) == "METHOD_NOT_ALLOWED"
    assert {m.strip() for m in answer.headers["allow"].split(",")} >= {"GET", "POST"}


PROTECTED = [
    ("GET", "/me"),
    ("GET", "/playlists"),
    ("GET", "/playlists/search?keyword=tone"),
    ("POST", "/checkout/sessions"),
    ("GET", "/catalog/tracks/search?q=tone"),
    ("GET", "/catalog/artists/1000"),
    ("GET", f"/stream/{ONE_VARIANT.stream_id}"),
    ("GET", "/users"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_protected_routes_refuse_a_missing_or_unknown_token(
    ym: httpx.Client, method: str, path: str, token: str | None
) -> None:
    headers = bearer(token) if token else {}
    answer = ym.request(method, path, headers=headers, json={})
    assert answer.status_code == 401
    assert error_code(answer) == "INVALID_AUTH_TOKEN"


def test_a_user_token_does_not_open_the_tenant_routes(ym: httpx.Client, listener: Headers) -> None:
    assert ym.get("/users", headers=listener).status_code == 401


# -- tenant client and users


def test_client_credentials_work_as_json_and_as_a_form(ym: httpx.Client) -> None:
    fields = {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    for answer in (ym.post("/oauth/token", json=fields), ym.post("/oauth/token", data=fields)):
        assert answer.status_code == 200
        assert answer.json()["token_type"] == "Bearer"
        assert ym.get("/users", headers=bearer(answer.json()["access_token"])).status_code == 200


def test_client_credentials_refuse_a_wrong_secret_and_a_missing_field(ym: httpx.Client) -> None:
    wrong = {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": "guess",
    }
    assert ym.post("/oauth/token", json=wrong).status_code == 401
    answer = ym.post("/oauth/token", json={"client_id": DEMO_CLIENT_ID})
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"grant_type", "client_secret"}


def test_the_tenant_lists_creates_reads_and_updates_users(ym: httpx.Client) -> None:
    admin = client_headers(ym)
    listed = ym.get("/users", headers=admin).json()
    assert DEMO_EMAIL in [u["email"] for u in listed["data"]]
    user = new_user(ym, first_name="Ada")
    assert user["status"] == "UNSUBSCRIBED"
    assert ym.get(f"/users/{user['id']}", headers=admin).json()["first_name"] == "Ada"
    changed = ym.patch(f"/users/{user['id']}", json={"last_name": "Lovelace"}, headers=admin)
    assert changed.json()["last_name"] == "Lovelace"
    again = {**user, "first_name": "Copy"}
    taken = ym.post("/users", json=again, headers=admin)
    assert taken.status_code == 422
    assert "email" in taken.json()["errors"]


def test_an_unknown_user_is_a_404(ym: httpx.Client) -> None:
    admin = client_headers(ym)
    assert ym.get(f"/users/{uuid.uuid4()}", headers=admin).status_code == 404
    assert ym.post(f"/users/{uuid.uuid4()}/udt", json={}, headers=admin).status_code == 404


def test_a_udt_acts_for_its_user_for_ten_minutes(ym: httpx.Client) -> None:
    admin = client_headers(ym)
    answer = ym.post(
        f"/users/{DEMO_USER_ID}/udt", json={"deviceId": str(uuid.uuid4())}, headers=admin
    )
    assert answer.json()["expires_in"] == 600
    me = ym.get("/me", headers=bearer(answer.json()["token"])).json()
    assert me["email"] == DEMO_EMAIL
    bad_device = ym.post(f"/users/{DEMO_USER_ID}/udt", json={"deviceId": "phone"}, headers=admin)
    assert "deviceId" in bad_device.json()["errors"]


# -- sign-in by one-time code


def test_an_existing_user_signs_in_with_the_code(private: httpx.Client) -> None:
    session = sign_in(private)
    assert session["user"]["email"] == DEMO_EMAIL
    assert session["user"]["tenant_id"] == DEMO_TENANT_ID
    assert session["access_token"] != session["refresh_token"]
    me = private.get("/me", headers=bearer(session["access_token"]))
    assert me.json()["first_name"] == "Demo"


def test_a_wrong_code_is_refused_and_a_right_one_works_once(private: httpx.Client) -> None:
    request_code(private, DEMO_EMAIL)
    wrong = verify(private, DEMO_EMAIL, code="000000")
    assert wrong.status_code == 422
    assert "code" in wrong.json()["errors"]
    assert verify(private, DEMO_EMAIL).status_code == 200
    assert verify(private, DEMO_EMAIL).status_code == 422  # used up


def test_a_code_nobody_asked_for_is_refused(private: httpx.Client) -> None:
    assert verify(private, "never-asked@example.com").status_code == 422


def test_the_code_expires(make_demo: MakeDemo) -> None:
    with api(make_demo(**NO_THROTTLE, otp_ttl=0.5)) as client:
        request_code(client, DEMO_EMAIL)
        time.sleep(0.8)
        assert verify(client, DEMO_EMAIL).status_code == 422


def test_a_new_address_onboards_once_then_signs_in(private: httpx.Client) -> None:
    email = "newcomer@example.com"
    request_code(private, email)
    pending = verify(private, email).json()
    assert set(pending) == {"onboarding_token", "expires_in"}
    profile = {
        "onboarding_token": pending["onboarding_token"],
        "first_name": "Nia",
        "last_name": "Newcomer",
        "date_of_birth": "1999-09-09",
    }
    session = private.post("/auth/onboarding", json=profile)
    assert session.json()["user"]["first_name"] == "Nia"
    again = private.post("/auth/onboarding", json=profile)
    assert again.status_code == 422
    assert "onboarding_token" in again.json()["errors"]
    assert sign_in(private, email)["user"]["id"] == session.json()["user"]["id"]


def test_onboarding_checks_the_profile(private: httpx.Client) -> None:
    answer = private.post(
        "/auth/onboarding", json={"onboarding_token": "x", "date_of_birth": "soon"}
    )
    assert set(answer.json()["errors"]) == {"first_name", "last_name", "date_of_birth"}


def test_code_requests_are_validated(private: httpx.Client) -> None:
    bad = {"tenant": "nope", "email": "not-an-address", "locale": "de"}
    answer = private.post("/auth/email/otp", json=bad)
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"tenant", "email", "locale"}


def test_any_address_gets_the_same_202(private: httpx.Client) -> None:
    known = request_code(private, DEMO_EMAIL)
    unknown = request_code(private, "nobody@example.com")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


def test_the_code_is_printed_when_asked(make_demo: MakeDemo, capsys: pytest.CaptureFixture) -> None:
    with api(make_demo(print_codes=True)) as client:
        request_code(client, "printed@example.com")
    assert f"one-time code for printed@example.com: {DEMO_OTP_CODE}" in capsys.readouterr().out


def test_refresh_rotates_the_refresh_token(private: httpx.Client) -> None:
    first = sign_in(private)
    second = private.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    renewed = second.json()
    assert renewed["refresh_token"] != first["refresh_token"]
    assert private.get("/me", headers=bearer(renewed["access_token"])).status_code == 200
    replay = private.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert error_code(replay) == "INVALID_AUTH_TOKEN"


def test_logout_ends_the_session(private: httpx.Client) -> None:
    session = sign_in(private)
    body = {"refresh_token": session["refresh_token"]}
    assert private.post("/auth/logout", json=body).status_code == 204
    assert private.post("/auth/refresh", json=body).status_code == 401
    assert private.get("/me", headers=bearer(session["access_token"])).status_code == 401
    assert private.post("/auth/logout", json=body).status_code == 204  # safe to repeat
    assert private.post("/auth/logout", json={"refresh_token": "junk"}).status_code == 204
    missing = private.post("/auth/logout", json={})
    assert missing.json()["errors"] == {"refresh_token": ["The refresh token field is required."]}


def test_an_access_token_expires_and_refresh_renews_it(make_demo: MakeDemo) -> None:
    with api(make_demo(**NO_THROTTLE, access_token_ttl=1)) as client:
        session = sign_in(client)
        assert session["expires_in"] == 1
        time.sleep(1.2)
        stale = client.get("/me", headers=bearer(session["access_token"]))
        assert error_code(stale) == "TOKEN_EXPIRED"
        on_home = client.get("/home", headers=bearer(session["access_token"]))
        assert error_code(on_home) == "INVALID_AUTH_TOKEN"  # as the reference says for /home
        renewed = client.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert client.get("/me", headers=bearer(renewed.json()["access_token"])).status_code == 200


def test_a_refresh_token_expires(make_demo: MakeDemo) -> None:
    with api(make_demo(**NO_THROTTLE, refresh_token_ttl=1)) as client:
        session = sign_in(client)
        time.sleep(1.2)
        answer = client.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert error_code(answer) == "TOKEN_EXPIRED"


# -- throttles


def retry_after(answer: httpx.Response) -> int:
    assert answer.status_code == 429
    return int(answer.headers["retry-after"])


def test_one_address_waits_between_codes(make_demo: MakeDemo) -> None:
    with api(make_demo(otp_min_interval=30, otp_max_per_hour=100)) as client:
        assert request_code(client, "a@example.com").status_code == 202
        assert 25 <= retry_after(request_code(client, "a@example.com")) <= 30
        assert request_code(client, "b@example.com").status_code == 202


def test_one_address_gets_a_few_codes_an_hour(make_demo: MakeDemo) -> None:
    with api(make_demo(otp_min_interval=0, otp_max_per_hour=2)) as client:
        for _ in range(2):
            assert request_code(client, "a@example.com").status_code == 202
        assert retry_after(request_code(client, "a@example.com")) > 3000


def test_one_client_ip_gets_a_few_requests_a_minute(make_demo: MakeDemo) -> None:
    with api(make_demo(otp_min_interval=0, otp_ip_per_minute=3)) as client:
        for n in range(3):
            assert request_code(client, f"user{n}@example.com").status_code == 202
        assert 50 <= retry_after(request_code(client, "user9@example.com")) <= 60


# -- the signed-in user


def test_a_user_edits_their_profile(ym: httpx.Client, stranger: Headers) -> None:
    changed = ym.patch("/me", json={"first_name": "Renamed"}, headers=stranger)
    assert changed.json()["first_name"] == "Renamed"
    assert ym.get("/me", headers=stranger).json()["first_name"] == "Renamed"
    bad = ym.patch("/me", json={"date_of_birth": "31/12/1999"}, headers=stranger)
    assert "date_of_birth" in bad.json()["errors"]


def test_checkout_leads_to_a_payment_page_that_subscribes(
    ym: httpx.Client, demo: DemoServer, stranger: Headers
) -> None:
    body = {"product_slug": "premium", "success_url": "https://setlist.invalid/paid"}
    checkout = ym.post("/checkout/sessions", json=body, headers=stranger).json()
    assert checkout["url"].startswith(demo.yourmusic_url)
    with httpx.Client(timeout=10) as browser:
        page = browser.get(checkout["url"])
        assert "nothing is charged" in page.text
        paid = browser.post(checkout["url"] + "/pay")
    assert paid.status_code == 303
    assert paid.headers["location"] == "https://setlist.invalid/paid"
    assert ym.get("/me", headers=stranger).json()["status"] == "SUBSCRIBED"


@pytest.mark.parametrize(
    "body",
    [
        {"product_slug": "premium", "success_url": "https://evil.example/phish"},
        {"product_slug": "premium", "cancel_url": "http://127.0.0.1.evil.example/"},
        {"product_slug": "gold"},
        {},
    ],
)
def test_checkout_refuses_foreign_redirects_and_unknown_products(
    ym: httpx.Client, listener: Headers, body: dict[str, str]
) -> None:
    answer = ym.post("/checkout/sessions", json=body, headers=listener)
    assert answer.status_code == 422


# -- home


def modules_by_type(home: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["type"]: m for m in home["modules"]}


def test_a_guest_home_has_every_kind_of_module(ym: httpx.Client) -> None:
    home = ym.get("/home", headers={"X-Tenant": DEMO_TENANT_SLUG}).json()
    kinds = modules_by_type(home)
    assert {
        "playlist_carousel",
        "release_carousel",
        "artist_carousel",
        "track_list",
        "continue_listening",
        "podcast_shelf",  # a type clients do not know: they must skip it
    } <= set(kinds)
    assert "items" not in kinds["continue_listening"]
    featured = [i["name"] for i in kinds["playlist_carousel"]["items"]]
    assert "Morning Commute" in featured
    assert "Tone Ladder" not in featured  # private


def test_home_track_items_name_real_tracks_that_stream(
    ym: httpx.Client, demo: DemoServer, listener: Headers
) -> None:
    home = ym.get("/home", headers={"X-Tenant": DEMO_TENANT_SLUG}).json()
    item = modules_by_type(home)["track_list"]["items"][0]
    track = CATALOG.ym_track_by_id[int(item["track_id"])]
    assert item["name"] == track.title
    assert item["stream_url"] == f"{demo.yourmusic_url}/stream/{track.stream_id}"
    with api(demo) as client:
        manifest = client.get(item["stream_url"], headers=listener)
    assert manifest.text.startswith("#EXTM3U")


def test_a_signed_in_home_starts_with_the_users_playlists(
    ym: httpx.Client, listener: Headers
) -> None:
    first = ym.get("/home", headers=listener).json()["modules"][0]
    assert first["id"] == "your-playlists"
    assert "Tone Ladder" in [i["name"] for i in first["items"]]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 422),
        ({"X-Tenant": "no-such-tenant"}, 404),
        ({"Authorization": "Bearer junk", "X-Tenant": DEMO_TENANT_SLUG}, 401),
        ({"Authorization": "Basic abc"}, 401),
    ],
)
def test_home_needs_a_tenant_or_a_valid_token(
    ym: httpx.Client, headers: Headers, status: int
) -> None:
    answer = ym.get("/home", headers=headers)
    assert answer.status_code == status
    if status == 401:
        assert error_code(answer) == "INVALID_AUTH_TOKEN"


# -- playlists


def names(playlists: list[dict[str, Any]]) -> list[str]:
    return [p["playlist_name"] for p in playlists]


def test_search_finds_own_and_others_public_playlists(ym: httpx.Client, listener: Headers) -> None:
    found = ym.get("/playlists/search", params={"keyword": "TONE"}, headers=listener).json()
    assert "Tone Ladder" in names(found["data"])  # the user's own, private
    assert "Robin's Secret Tones" not in names(found["data"])  # someone else's, private
    trip = ym.get("/playlists/search", params={"keyword": "road"}, headers=listener).json()
    assert OTHER_PUBLIC_PLAYLIST_ID in [p["id"] for p in trip["data"]]  # someone else's, public


def test_search_needs_a_keyword(ym: httpx.Client, listener: Headers) -> None:
    answer = ym.get("/playlists/search", headers=listener)
    assert answer.json()["errors"] == {"keyword": ["The keyword field is required."]}


def test_search_pages_like_laravel(ym: httpx.Client, stranger: Headers) -> None:
    keyword = f"batch-{uuid.uuid4().hex[:6]}"
    for n in range(16):
        ym.post("/playlists", json={"playlist_name": f"{keyword} {n}"}, headers=stranger)
    first = ym.get("/playlists/search", params={"keyword": keyword}, headers=stranger).json()
    assert (first["meta"]["total"], first["meta"]["last_page"], len(first["data"])) == (16, 2, 15)
    assert first["links"]["prev"] is None
    second = ym.get(first["links"]["next"], headers=stranger).json()
    assert (second["meta"]["current_page"], second["meta"]["from"], len(second["data"])) == (
        2,
        16,
        1,
    )
    assert second["links"]["next"] is None


def test_a_user_creates_and_renames_a_playlist(private: httpx.Client) -> None:
    # On a server of its own: a public playlist would show on everyone's home page.
    ym, stranger = private, fresh_user(private)
    created = ym.post("/playlists", json={"playlist_name": "Night Bus Mix"}, headers=stranger)
    assert created.status_code == 201
    playlist = created.json()
    assert playlist["public"] is False
    assert names(ym.get("/playlists", headers=stranger).json()) == ["Night Bus Mix"]
    renamed = ym.patch(
        f"/playlists/{playlist['id']}",
        json={"playlist_name": "Night Bus Mix II", "public": True},
        headers=stranger,
    )
    assert (renamed.json()["playlist_name"], renamed.json()["public"]) == ("Night Bus Mix II", True)
    shown = ym.get(f"/playlists/{playlist['id']}", params={"with": "tracks"}, headers=stranger)
    assert shown.json()["tracks"] == []


def test_a_playlist_needs_a_name(ym: httpx.Client, stranger: Headers) -> None:
    answer = ym.post("/playlists", json={"public": "maybe"}, headers=stranger)
    assert set(answer.json()["errors"]) == {"playlist_name", "public"}


def playlist_with(client: httpx.Client, headers: Headers, track_ids: list[int]) -> str:
    playlist = client.post("/playlists", json={"playlist_name": "Edits"}, headers=headers).json()
    for track_id in track_ids:
        added = client.post(
            f"/playlists/{playlist['id']}/tracks", json={"track_id": str(track_id)}, headers=headers
        )
        assert added.status_code == 201
    return playlist["id"]


def track_order(client: httpx.Client, headers: Headers, playlist_id: str) -> list[str]:
    entries = client.get(f"/playlists/{playlist_id}/tracks", headers=headers).json()
    assert [e["order"] for e in entries] == list(range(1, len(entries) + 1))
    return [e["track_id"] for e in entries]


def test_appending_numbers_tracks_from_one(ym: httpx.Client, stranger: Headers) -> None:
    pid = playlist_with(ym, stranger, [3000, 3001, 3002])
    assert track_order(ym, stranger, pid) == ["3000", "3001", "3002"]
    shown = ym.get(f"/playlists/{pid}", params={"with": "tracks"}, headers=stranger).json()
    assert [t["order"] for t in shown["tracks"]] == [1, 2, 3]


def test_moving_a_track_shifts_the_others(ym: httpx.Client, stranger: Headers) -> None:
    pid = playlist_with(ym, stranger, [3000, 3001, 3002, 3003])
    entries = ym.get(f"/playlists/{pid}/tracks", headers=stranger).json()
    last = entries[-1]["id"]
    moved = ym.patch(f"/playlists/{pid}/tracks/{last}", json={"order": 1}, headers=stranger)
    assert moved.json()["order"] == 1
    assert track_order(ym, stranger, pid) == ["3003", "3000", "3001", "3002"]
    ym.patch(f"/playlists/{pid}/tracks/{last}", json={"order": 99}, headers=stranger)
    assert track_order(ym, stranger, pid) == ["3000", "3001", "3002", "3003"]
    ym.patch(f"/playlists/{pid}/tracks/{last}", json={"order": 2}, headers=stranger)
    assert track_order(ym, stranger, pid) == ["3000", "3003", "3001", "3002"]


def test_a_move_needs_an_order_of_at_least_one(ym: httpx.Client, stranger: Headers) -> None:
    pid = playlist_with(ym, stranger, [3000])
    entry = ym.get(f"/playlists/{pid}/tracks", headers=stranger).json()[0]["id"]
    answer = ym.patch(f"/playlists/{pid}/tracks/{entry}", json={"order": 0}, headers=stranger)
    assert "order" in answer.json()["errors"]
    gone = ym.patch(f"/playlists/{pid}/tracks/{uuid.uuid4()}", json={"order": 1}, headers=stranger)
    assert gone.status_code == 404


def test_replacing_tracks_removes_and_reorders(ym: httpx.Client, stranger: Headers) -> None:
    pid = playlist_with(ym, stranger, [3000, 3001, 3002])
    kept = {"tracks": [{"track_id": "3002", "order": 10}, {"track_id": "3000", "order": 5}]}
    replaced = ym.put(f"/playlists/{pid}/tracks", json=kept, headers=stranger).json()
    assert [(e["track_id"], e["order"]) for e in replaced] == [("3000", 1), ("3002", 2)]
    assert track_order(ym, stranger, pid) == ["3000", "3002"]
    emptied = ym.put(f"/playlists/{pid}/tracks", json={"tracks": []}, headers=stranger)
    assert emptied.json() == []


def test_unknown_tracks_are_refused(ym: httpx.Client, stranger: Headers) -> None:
    pid = playlist_with(ym, stranger, [3000])
    added = ym.post(f"/playlists/{pid}/tracks", json={"track_id": "999999"}, headers=stranger)
    assert "track_id" in added.json()["errors"]
    bad = {"tracks": [{"track_id": "3001", "order": 1}, {"track_id": "nope", "order": 0}]}
    replaced = ym.put(f"/playlists/{pid}/tracks", json=bad, headers=stranger)
    assert set(replaced.json()["errors"]) == {"tracks.1.track_id", "tracks.1.order"}
    assert track_order(ym, stranger, pid) == ["3000"]  # nothing changed


def test_tests_can_read_the_servers_playlists(
    ym: httpx.Client, demo: DemoServer, stranger: Headers
) -> None:
    pid = playlist_with(ym, stranger, [3001, 3000])
    state = yourmusic.state_of(demo.ctx)
    with state.lock:
        assert [e.track_id for e in state.playlists[pid].entries] == ["3001", "3000"]


def test_others_playlists_are_read_only(ym: httpx.Client, stranger: Headers) -> None:
    assert ym.get(f"/playlists/{MORNING_COMMUTE}", headers=stranger).status_code == 200
    assert ym.get(f"/playlists/{MORNING_COMMUTE}/tracks", headers=stranger).status_code == 200
    attempts = [
        ym.patch(f"/playlists/{MORNING_COMMUTE}", json={"playlist_name": "Mine"}, headers=stranger),
        ym.post(
            f"/playlists/{MORNING_COMMUTE}/tracks", json={"track_id": "3000"}, headers=stranger
        ),
        ym.put(f"/playlists/{MORNING_COMMUTE}/tracks", json={"tracks": []}, headers=stranger),
    ]
    assert [(a.status_code, error_code(a)) for a in attempts] == [(403, "FORBIDDEN")] * 3
    assert len(ym.get(f"/playlists/{MORNING_COMMUTE}/tracks", headers=stranger).json()) == 5


def test_others_private_playlists_stay_hidden(ym: httpx.Client, listener: Headers) -> None:
    assert ym.get(f"/playlists/{OTHER_PRIVATE_PLAYLIST_ID}", headers=listener).status_code == 403
    assert ym.get(f"/playlists/{TONE_LADDER}", headers=listener).status_code == 200  # own
    assert ym.get(f"/playlists/{uuid.uuid4()}", headers=listener).status_code == 404
    assert ym.get("/playlists/not-a-uuid", headers=listener).status_code == 404


# -- catalog


def search(client: httpx.Client, headers: Headers, kind: str, **params: Any) -> httpx.Response:
    return client.get(f"/catalog/{kind}/search", params=params, headers=headers)


def titles(answer: httpx.Response) -> list[str]:
    return [r["title"] for r in answer.json()["results"]]


def test_track_search_ignores_case_and_accents(ym: httpx.Client, listener: Headers) -> None:
    assert titles(search(ym, listener, "tracks", q="CAFE CREME")) == ["Café Crème"]
    assert "Über den Wolken" in titles(search(ym, listener, "tracks", q="uber"))
    by_artist = search(ym, listener, "tracks", q="sine waves").json()
    assert {r["artist"]["name"] for r in by_artist["results"]} == {"The Sine Waves"}


def test_track_search_pages(ym: httpx.Client, listener: Headers) -> None:
    first = search(ym, listener, "tracks", q="e", pageSize=10).json()
    assert first["estimatedTotalItems"] > 10
    assert len(first["results"]) == 10
    second = search(ym, listener, "tracks", q="e", pageSize=10, page=2).json()
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "tone", "pageSize": 9}, "pageSize"),
        ({"q": "tone", "pageSize": 51}, "pageSize"),
        ({"q": "tone", "page": 0}, "page"),
        ({"q": "tone", "usageTypes": "rent"}, "usageTypes"),
        ({}, "q"),
    ],
)
def test_search_parameters_are_checked(
    ym: httpx.Client, listener: Headers, params: dict[str, Any], field: str
) -> None:
    answer = search(ym, listener, "tracks", **params)
    assert answer.status_code == 422
    assert field in answer.json()["errors"]


def test_explicit_tracks_can_be_left_out(ym: httpx.Client, listener: Headers) -> None:
    everything = search(ym, listener, "tracks", q="umlaut", pageSize=50).json()["results"]
    clean = search(ym, listener, "tracks", q="umlaut", excludeExplicitContent="true").json()
    assert any(t["explicitContent"] for t in everything)
    assert clean["results"] and not any(t["explicitContent"] for t in clean["results"])


def test_artist_search_browse_and_detail(ym: httpx.Client, listener: Headers) -> None:
    hits = search(ym, listener, "artists", q="motley crue").json()["results"]
    assert [h["name"] for h in hits] == ["Mötley Çrüe Collective"]
    browse = ym.get("/catalog/artists/browse", params={"letter": "s"}, headers=listener).json()
    browsed = [a["name"] for a in browse["artists"]["artist"]]
    assert {"The Sine Waves", "Édith Sørensen", "坂本 美雨子"} <= set(browsed)
    artist = ym.get("/catalog/artists/1000", headers=listener).json()["artist"]
    assert (artist["name"], artist["sortName"]) == ("The Sine Waves", "Sine Waves, The")
    assert ym.get("/catalog/artists/4242", headers=listener).status_code == 404
    too_long = ym.get("/catalog/artists/browse", params={"letter": "ab"}, headers=listener)
    assert too_long.status_code == 422


def test_an_artists_releases_filter_by_type(ym: httpx.Client, listener: Headers) -> None:
    url = "/catalog/artists/1000/releases"
    every = ym.get(url, headers=listener).json()["releases"]
    assert {r["title"] for r in every["releases"]} == {"Tone Studies", "🎸 Night Drive 🌙"}
    singles = ym.get(url, params={"type": "single"}, headers=listener).json()["releases"]
    assert [r["title"] for r in singles["releases"]] == ["🎸 Night Drive 🌙"]
    assert ym.get(url, params={"imageSize": 123}, headers=listener).status_code == 422


def test_release_search_detail_and_tracks(ym: httpx.Client, listener: Headers) -> None:
    found = search(ym, listener, "releases", q="chansons d'ete").json()["results"]
    assert [(r["id"], r["artist"]["name"]) for r in found] == [(2002, "Édith Sørensen")]
    release = ym.get("/catalog/releases/2000", headers=listener).json()["release"]
    assert (release["title"], release["year"], release["trackCount"]) == ("Tone Studies", 2019, 6)
    tracks = ym.get("/catalog/releases/2000/tracks", headers=listener).json()["tracks"]
    assert [t["trackNumber"] for t in tracks] == [1, 2, 3, 4, 5, 6]
    assert tracks[0]["title"] == "Morning Tone"
    assert ym.get("/catalog/releases/77", headers=listener).status_code == 404


def test_batch_lookups_list_unknown_ids_as_errors(ym: httpx.Client, listener: Headers) -> None:
    releases = ym.get("/catalog/releases", params={"releaseids": "2000,77,2003"}, headers=listener)
    items = releases.json()["items"]
    assert [r["id"] for r in items["releases"]] == [2000, 2003]
    assert [e["id"] for e in items["errors"]] == ["77"]
    tracks = ym.get("/catalog/tracks", params={"trackids": "3005, x ,3000"}, headers=listener)
    items = tracks.json()["items"]
    assert [t["id"] for t in items["tracks"]] == [3005, 3000]
    assert [e["id"] for e in items["errors"]] == ["x"]
    assert ym.get("/catalog/tracks", headers=listener).status_code == 422


def test_a_track_carries_its_stream_id_and_release(ym: httpx.Client, listener: Headers) -> None:
    track = ym.get("/catalog/tracks/3005", headers=listener).json()["track"]
    assert track["stream_id"] == CATALOG.ym_track_by_id[3005].stream_id
    assert (track["title"], track["version"], track["duration"]) == (
        "The Long Tone",
        "Extended",
        60,
    )
    assert track["release"]["title"] == "Tone Studies"
    assert ym.get("/catalog/tracks/0", headers=listener).status_code == 404


# -- streams


def fetch_playlist(client: httpx.Client, url: str, headers: Headers) -> m3u8.M3U8:
    answer = client.get(url, headers=headers)
    assert answer.status_code == 200, url
    assert answer.headers["content-type"] == "application/vnd.apple.mpegurl"
    return m3u8.loads(answer.text, uri=url)


def download_segments(client: httpx.Client, playlist: m3u8.M3U8, headers: Headers) -> list[bytes]:
    bodies = []
    for segment in playlist.segments:
        answer = client.get(segment.absolute_uri, headers=headers)
        assert answer.status_code == 200, segment.absolute_uri
        assert answer.headers["content-type"] == "video/mp2t"
        bodies.append(answer.content)
    return bodies


def test_a_single_variant_stream_plays_from_its_relative_uris(
    demo: DemoServer, listener: Headers
) -> None:
    url = f"{demo.yourmusic_url}/stream/{ONE_VARIANT.stream_id}"
    with api(demo) as client:
        playlist = fetch_playlist(client, url, listener)
    assert not playlist.is_variant
    assert sum(s.duration for s in playlist.segments) == pytest.approx(ONE_VARIANT.duration, 0.05)
    with raw(demo) as client:
        segments = download_segments(client, playlist, listener)
    assert all(body[0] == TS_SYNC_BYTE for body in segments)


def test_a_multi_variant_stream_is_a_master_playlist(demo: DemoServer, listener: Headers) -> None:
    url = f"{demo.yourmusic_url}/stream/{TWO_VARIANTS.stream_id}"
    with api(demo) as client:
        master = fetch_playlist(client, url, listener)
    assert master.is_variant
    infos = [p.stream_info for p in master.playlists]
    assert [i.bandwidth for i in infos] == [v.bandwidth for v in TWO_VARIANTS.variants]
    assert {i.codecs for i in infos} == {"mp4a.40.2"}
    with raw(demo) as client:
        for variant in master.playlists:
            media = fetch_playlist(client, variant.absolute_uri, listener)
            assert download_segments(client, media, listener)


def test_every_stream_request_needs_the_token(demo: DemoServer, listener: Headers) -> None:
    base = f"{demo.yourmusic_url}/stream/{TWO_VARIANTS.stream_id}"
    with raw(demo) as client:
        for url in (base, f"{base}/v1/index.m3u8", f"{base}/v1/seg0.ts"):
            assert client.get(url, headers=listener).status_code == 200, url
            refused = client.get(url)
            assert (refused.status_code, error_code(refused)) == (401, "INVALID_AUTH_TOKEN"), url


def test_unknown_streams_and_variants_are_404(
    ym: httpx.Client, demo: DemoServer, listener: Headers
) -> None:
    assert ym.get(f"/stream/{uuid.uuid4()}", headers=listener).status_code == 404
    base = f"/stream/{ONE_VARIANT.stream_id}"
    with raw(demo) as client:
        assert client.get(f"{base}/v1/index.m3u8", headers=listener).status_code == 404
        assert client.get(f"{base}/v0/seg99.ts", headers=listener).status_code == 404
