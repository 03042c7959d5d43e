"""The shared machinery of the demo's Jamendo methods: calls, answers, paging, order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from setlist.demo.catalog import Catalog
from setlist.demo.jm_params import (
    AUDIO_FORMATS,
    IMAGE_SIZES,
    JamendoError,
    Param,
    Query,
    fold,
    p,
)
from setlist.demo.jm_state import JamendoState
from setlist.demo.jm_views import Look, Views

T = TypeVar("T")

# Parameters every method that lists tracks understands.
LOOK_PARAMS: dict[str, Param] = {
    "audioformat": p("enum", *AUDIO_FORMATS),
    "audiodlformat": p("enum", *AUDIO_FORMATS),
    "imagesize": p("enum", *IMAGE_SIZES),
    "include": p("enums", "musicinfo", "licenses", "stats", "lyrics"),
}


@dataclass
class Call:
    """One call of a method, as a handler sees it."""

    query: Query
    catalog: Catalog
    views: Views
    state: JamendoState

    def look(self) -> Look:
        q = self.query
        return Look(
            audioformat=q.get("audioformat", "mp31"),
            audiodlformat=q.get("audiodlformat", "mp32"),
            include=frozenset(q.get("include", ())),
        )


@dataclass
class Answer:
    """What a method found: this page's results and how many there are in all."""

    results: list[Any] | dict[str, Any]
    count: int
    total: int


# A handler answers the envelope's results, or (tracks/file) a response of its own.
Handler = Callable[[Call], Answer | Response]


@dataclass(frozen=True)
class Method:
    handler: Handler
    params: Mapping[str, Param] = field(default_factory=dict)
    sortable: tuple[str, ...] = ()
    http: str = "GET"


# A filter: from a parameter's parsed value (and the catalog) to a test of one entity.
Filter = Callable[[Any, Catalog], Callable[[T], bool]]


def select(items: Iterable[T], call: Call, filters: Mapping[str, Filter[T]]) -> list[T]:
    """The entities passing every filter whose parameter the call carries."""
    tests = [
        make(call.query.get(name), call.catalog)
        for name, make in filters.items()
        if call.query.has(name)
    ]
    return [item for item in items if all(test(item) for test in tests)]


def order(items: list[T], query: Query, keys: Mapping[str, Callable[[T], Any]]) -> list[T]:
    """Sort by the call's `order` fields, the first one first (sorts are stable)."""
    for name, descending in reversed(query.order):
        items.sort(key=keys[name], reverse=descending)
    return items


def page(items: Sequence[T], query: Query, render: Callable[[T], Any]) -> Answer:
    chosen = items[query.offset : query.offset + query.limit]
    return Answer([render(item) for item in chosen], len(chosen), len(items))


def name_is(value: str, catalog: Catalog) -> Callable[[Any], bool]:
    """The `name` filter: the whole name, without regard to case or accents."""
    return lambda item: fold(item.name) == fold(value)


def name_contains(value: str, catalog: Catalog) -> Callable[[Any], bool]:
    """The `namesearch` filter: part of the name."""
    return lambda item: fold(value) in fold(item.name)


def id_in(attribute: str) -> Filter[Any]:
    return lambda ids, catalog: lambda item: getattr(item, attribute) in ids


async def request_params(request: Request) -> dict[str, str]:
    """The query string and, for a form-encoded body, its fields (the body wins).
    Repeated names are joined with spaces, like Jamendo's multi-values."""
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind in ("application/x-www-form-urlencoded", ""):
            body = (await request.body()).decode("utf-8", errors="replace")
            pairs += parse_qsl(body, keep_blank_values=True)
    joined: dict[str, list[str]] = {}
    for name, value in pairs:
        joined.setdefault(name, []).append(value)
    return {name: " ".join(values) for name, values in joined.items()}


def json_response(document: Any, *, pretty: bool = False) -> Response:
    text = json.dumps(document, ensure_ascii=False, indent=2 if pretty else None)
    return Response(text, media_type="application/json")


def failed(error: JamendoError, *, pretty: bool = False) -> Response:
    """Jamendo's failed envelope, with HTTP 200 as Jamendo sends it."""
    headers = {
        "status": "failed",
        "code": error.code,
        "error_message": error.message,
        "warnings": "",
        "results_count": 0,
    }
    return json_response({"headers": headers, "results": []}, pretty=pretty)
