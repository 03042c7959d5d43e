"""HTTP plumbing of the demo YourMusic API: error answers, bodies, validation.

Errors are raised as `ApiError` anywhere in a handler and turned into the
contract's shapes by one exception handler: 401/403/404 as
`{"error": {"code", "message"}}`, 422 as Laravel's
`{"message": "The given data was invalid.", "errors": {field: [...]}}`.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import uuid
from collections.abc import Collection, Container, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

VALIDATION_MESSAGE = "The given data was invalid."
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ApiError(Exception):
    """An error answer, raised from a handler and rendered by `api_error_handler`."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def error(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, {"error": {"code": code, "message": message}})


def unauthorized(message: str = "Unauthenticated.", code: str = "INVALID_AUTH_TOKEN") -> ApiError:
    return error(401, code, message)


def forbidden(message: str = "This action is unauthorized.") -> ApiError:
    return error(403, "FORBIDDEN", message)


def not_found(message: str = "Not found.") -> ApiError:
    return error(404, "NOT_FOUND", message)


def invalid(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, {"message": VALIDATION_MESSAGE, "errors": errors})


def invalid_field(field: str, message: str) -> ApiError:
    return invalid({field: [message]})


def too_many(retry_after: float) -> ApiError:
    seconds = max(1, math.ceil(retry_after))
    return ApiError(429, {"message": "Too Many Attempts."}, {"Retry-After": str(seconds)})


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 (no route) and 405 (wrong method), in the contract's shape."""
    assert isinstance(exc, HTTPException)
    codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
    code = codes.get(exc.status_code, "HTTP_ERROR")
    body = {"error": {"code": code, "message": str(exc.detail)}}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_rfc3339() -> str:
    return rfc3339(datetime.now(UTC))


def laravel_page(
    items: Sequence[Any], page: int, per_page: int, path: str, query: Mapping[str, str]
) -> dict[str, Any]:
    """One page of `items` as Laravel's paginator renders it: `{data, links, meta}`."""
    total = len(items)
    last = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    data = list(items[start : start + per_page])

    def link(number: int) -> str:
        return f"{path}?{urlencode({**query, 'page': number})}"

    return {
        "data": data,
        "links": {
            "first": link(1),
            "last": link(last),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last else None,
        },
        "meta": {
            "current_page": page,
            "from": start + 1 if data else None,
            "last_page": last,
            "path": path,
            "per_page": per_page,
            "to": start + len(data) if data else None,
            "total": total,
        },
    }


def normalize(text: str) -> str:
    """Case- and accent-insensitive form of `text`, for search."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


async def read_body(request: Request) -> dict[str, Any]:
    """The request body as a dict: JSON, or a urlencoded form. Anything else is empty."""
    raw = await request.body()
    if not raw:
        return {}
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(raw.decode("utf-8", "replace")))
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _label(field: str) -> str:
    return field.replace("_", " ")


class Validator:
    """Laravel-style checks over a body or a query string, collecting every error.

    Each method returns the converted value (or None when absent); `done()` raises
    the 422 with every message when something failed. Strings are trimmed and a
    blank one counts as absent, as Laravel's default middleware makes them.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[str]] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def done(self) -> None:
        if self.errors:
            raise invalid(self.errors)

    def _present(self, field: str, required: bool) -> bool:
        value = self.data.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, f"The {_label(field)} field is required.")
            return False
        return True

    def string(
        self,
        field: str,
        *,
        required: bool = False,
        max_length: int | None = None,
        fmt: str | None = None,
        choices: Collection[str] | None = None,
    ) -> str | None:
        if not self._present(field, required):
            return None
        value = self.data[field]
        label = _label(field)
        if not isinstance(value, str):
            self.fail(field, f"The {label} field must be a string.")
            return None
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            self.fail(field, f"The {label} field must not be greater than {max_length} characters.")
            return None
        if choices is not None and value not in choices:
            self.fail(field, f"The selected {label} is invalid.")
            return None
        if fmt is not None and not _FORMATS[fmt](value):
            self.fail(field, f"The {label} field must be a valid {_FORMAT_NAMES[fmt]}.")
            return None
        return value

    def integer(
        self,
        field: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
        choices: Collection[int] | None = None,
    ) -> int | None:
        if not self._present(field, required):
            return None
        value = _as_int(self.data[field])
        label = _label(field)
        if value is None:
            self.fail(field, f"The {label} field must be an integer.")
        elif minimum is not None and maximum is not None and not minimum <= value <= maximum:
            self.fail(field, f"The {label} field must be between {minimum} and {maximum}.")
        elif minimum is not None and value < minimum:
            self.fail(field, f"The {label} field must be at least {minimum}.")
        elif choices is not None and value not in choices:
            self.fail(field, f"The selected {label} is invalid.")
        else:
            return value
        return None

    def known_id(self, field: str, known: Container[int], *, required: bool = False) -> str | None:
        """A numeric id, sent as a string or an integer, that must be one of `known`."""
        if not self._present(field, required):
            return None
        value = _as_int(self.data[field])
        if value is None or value not in known:
            self.fail(field, f"The selected {_label(field)} is invalid.")
            return None
        return str(value)

    def boolean(self, field: str, *, required: bool = False) -> bool | None:
        if not self._present(field, required):
            return None
        value = self.data[field]
        accepted: dict[Any, bool] = {"true": True, "false": False, "1": True, "0": False}
        if isinstance(value, bool):
            return value
        if isinstance(value, int | str) and str(value).lower() in accepted:
            return accepted[str(value).lower()]
        self.fail(field, f"The {_label(field)} field must be true or false.")
        return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_uri(value: str) -> bool:
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$", value) is not None


_FORMATS = {
    "email": lambda v: EMAIL_RE.match(v) is not None,
    "uuid": is_uuid,
    "date": _is_date,
    "uri": _is_uri,
}
_FORMAT_NAMES = {"email": "email address", "uuid": "UUID", "date": "date", "uri": "URL"}
