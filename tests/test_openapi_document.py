"""The YourMusic OpenAPI document: valid, complete, and in step with the client's
route table (`providers/yourmusic/routes.py`) and the demo server."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from openapi_check import OpenAPIDocument, load_document, yourmusic_document
from setlist.demo import yourmusic
from setlist.demo.catalog import load
from setlist.demo.server import DemoContext
from setlist.demo.settings import DemoSettings
from setlist.providers.yourmusic import routes
from setlist.providers.yourmusic.routes import Auth

# The route table setlist follows (the reference gives no methods and paths), written
# out here so that a route dropped from the client, the document and the demo at once
# still fails.
CONTRACT_ROUTES = {
    ("GET", "/heartbeat"),
    ("GET", "/aggregator/status"),
    ("POST", "/oauth/token"),
    ("POST", "/users/{user_id}/udt"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("GET", "/users/{user_id}"),
    ("PATCH", "/users/{user_id}"),
    ("POST", "/auth/email/otp"),
    ("POST", "/auth/email/verify"),
    ("POST", "/auth/onboarding"),
    ("POST", "/auth/refresh"),
    ("POST", "/auth/logout"),
    ("GET", "/me"),
    ("PATCH", "/me"),
    ("POST", "/checkout/sessions"),
    ("GET", "/home"),
    ("GET", "/playlists/search"),
    ("GET", "/playlists"),
    ("POST", "/playlists"),
    ("GET", "/playlists/{playlist_id}"),
    ("PATCH", "/playlists/{playlist_id}"),
    ("GET", "/playlists/{playlist_id}/tracks"),
    ("POST", "/playlists/{playlist_id}/tracks"),
    ("PUT", "/playlists/{playlist_id}/tracks"),
    ("PATCH", "/playlists/{playlist_id}/tracks/{playlistTrackId}"),
    ("GET", "/catalog/artists/search"),
    ("GET", "/catalog/artists/browse"),
    ("GET", "/catalog/artists/{artist_id}"),
    ("GET", "/catalog/artists/{artist_id}/releases"),
    ("GET", "/catalog/releases/search"),
    ("GET", "/catalog/releases"),
    ("GET", "/catalog/releases/{release_id}"),
    ("GET", "/catalog/releases/{release_id}/tracks"),
    ("GET", "/catalog/tracks/search"),
    ("GET", "/catalog/tracks"),
    ("GET", "/catalog/tracks/{track_id}"),
    ("GET", "/stream/{stream_id}"),
}
# Routes of the demo server that are not the API: the fake payment page, and the
# variant playlists and segments a manifest names (clients never build those URLs).
DEMO_ONLY = re.compile(r"^/(_checkout/|stream/\{stream_id\}/v)")
# The security requirement of the document that each Auth of the route table means.
SECURITY = {
    Auth.NONE: [],
    Auth.USER: [{"userBearer": []}],
    Auth.CLIENT: [{"clientBearer": []}],
    Auth.OPTIONAL: [{"userBearer": []}, {"tenantHeader": []}],
}


@pytest.fixture(scope="module")
def document() -> OpenAPIDocument:
    return yourmusic_document()


def test_the_document_is_valid_openapi_3_1() -> None:
    spec = load_document()
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_contract_route_is_documented_with_its_method(document: OpenAPIDocument) -> None:
    missing = CONTRACT_ROUTES - document.operations()
    assert not missing, f"routes of the contract missing from the document: {sorted(missing)}"
    extra = document.operations() - CONTRACT_ROUTES
    assert not extra, f"operations the contract does not have: {sorted(extra)}"


def _client_routes() -> dict[tuple[str, str], routes.Route]:
    """The client's route table by (METHOD, path), its parameters named as the document's."""
    table = [r for r in vars(routes).values() if isinstance(r, routes.Route)]
    documented = {re.sub(r"\{[^}]+\}", "{}", path): path for _, path in CONTRACT_ROUTES}
    found = {
        (r.method, documented.get(re.sub(r"\{[^}]+\}", "{}", r.path), r.path)): r for r in table
    }
    assert len(found) == len(table), "two names of the route table are one route"
    return found


def test_the_client_route_table_is_the_contracts() -> None:
    client = _client_routes()
    missing = CONTRACT_ROUTES - client.keys()
    assert not missing, f"routes missing from providers/yourmusic/routes.py: {sorted(missing)}"
    assert client.keys() == CONTRACT_ROUTES


def test_every_route_needs_the_credentials_the_document_says(document: OpenAPIDocument) -> None:
    for (method, path), route in _client_routes().items():
        operation = document.document["paths"][path][method.lower()]
        assert operation["security"] == SECURITY[route.auth], f"{method} {path}: {route.auth}"


def test_the_servers_are_the_service_and_the_demo() -> None:
    urls = [s["url"] for s in load_document()["servers"]]
    assert urls[0] == "https://api.yourmusic.today"
    assert any(u.endswith("/yourmusic") and "127.0.0.1" in u for u in urls)


def test_every_demo_route_is_in_the_document_and_back() -> None:
    ctx = DemoContext(settings=DemoSettings(), catalog=load())
    served = {
        (method, route.path)
        for route in yourmusic.build(ctx).routes
        if isinstance(route, Route) and not DEMO_ONLY.match(route.path)
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert served == yourmusic_document().operations()


def _operations(document: OpenAPIDocument) -> list[tuple[str, str, dict]]:
    """(METHOD, path, operation) with the path's parameters merged into the operation's."""
    found = []
    for path, item in document.document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch"):
                params = [*item.get("parameters", []), *operation.get("parameters", [])]
                resolved = [document.resolve(p, "")[0] for p in params]
                found.append((method.upper(), path, {**operation, "parameters": resolved}))
    return found


def test_every_protected_route_documents_its_401(document: OpenAPIDocument) -> None:
    for method, path, operation in _operations(document):
        if operation.get("security"):
            assert "401" in operation["responses"], f"{method} {path} needs a token but no 401"


def test_every_route_with_a_path_id_documents_its_404(document: OpenAPIDocument) -> None:
    for method, path, operation in _operations(document):
        if any(p["in"] == "path" for p in operation["parameters"]):
            assert "404" in operation["responses"], f"{method} {path} has an id but no 404"


def test_every_route_taking_input_documents_its_422(document: OpenAPIDocument) -> None:
    for method, path, operation in _operations(document):
        queried = any(p["in"] in ("query", "header") for p in operation["parameters"])
        if "requestBody" in operation or queried:
            assert "422" in operation["responses"], f"{method} {path} takes input but no 422"
