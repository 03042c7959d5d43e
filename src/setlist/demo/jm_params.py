"""Parameters of the demo's Jamendo v3.0 methods: declared, checked and parsed.

Jamendo checks every known parameter against its declared type and answers
code 3 when a value does not fit; a parameter it does not know is ignored with a
warning in the headers. Multi-valued parameters take values separated by a
space or a `+` (which the query string decodes to a space anyway).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

MAX_LIMIT = 200
DEFAULT_LIMIT = 10
AUDIO_FORMATS = ("mp31", "mp32", "ogg", "flac")
IMAGE_SIZES: tuple[str, ...] = (
    "25",
    "35",
    "50",
    "55",
    "60",
    "65",
    "70",
    "75",
    "85",
    "100",
    "130",
    "150",
    "200",
)
IMAGE_SIZES += ("300", "400", "500", "600")

ERROR_TYPES = {
    1: "Exception",
    2: "Http Method",
    3: "Type",
    4: "Required Parameter",
    5: "Invalid Client Id",
    6: "Rate Limit Exceeded",
    7: "Method Not Found",
    8: "Needed Parameter",
    9: "Format",
    12: "Access Token",
    13: "Insufficient Scope",
    101: "Access Code",
}


class JamendoError(Exception):
    """A failed call: `code` and `message` go into the failed envelope."""

    def __init__(self, code: int, detail: str) -> None:
        self.code = code
        self.message = f"{ERROR_TYPES.get(code, 'Error')}: {detail}"
        super().__init__(self.message)


Kind = Literal["str", "int", "bool", "enum", "ints", "strs", "enums", "dates"]


@dataclass(frozen=True)
class Param:
    kind: Kind = "str"
    choices: tuple[str, ...] = ()


def p(kind: Kind = "str", *choices: str) -> Param:
    return Param(kind, choices)


COMMON: dict[str, Param] = {
    "client_id": p(),
    "format": p(),  # checked on its own: an unknown format is code 9, not 3
    "callback": p(),
    "offset": p("int"),
    "limit": p(),  # an integer or `all`, capped at 200
    "fullcount": p("bool"),
    "order": p(),  # checked against the method's sortable fields
}


@dataclass
class Query:
    """A call's parameters once checked: known values, paging, order and warnings."""

    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    fullcount: bool = False
    order: tuple[tuple[str, bool], ...] = ()  # (field, descending)
    pretty: bool = False

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.values


def fold(text: str) -> str:
    """Lower case without accents, so that `bjork` finds `Björk`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def split_multi(value: str) -> list[str]:
    return [v for v in re.split(r"[ +]+", value.strip()) if v]


def _int(name: str, value: str) -> int:
    if not re.fullmatch(r"\d+", value.strip()):
        raise JamendoError(3, f"parameter '{name}' must be a non-negative integer, got {value!r}")
    return int(value)


def _bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", ""):
        return False
    raise JamendoError(3, f"parameter '{name}' must be true or false, got {value!r}")


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise JamendoError(3, f"parameter '{name}' must be one of {', '.join(choices)}")
    return value


def _dates(name: str, value: str) -> tuple[str, str]:
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d)_(\d{4}-\d\d-\d\d)", value.strip())
    try:
        if match is None:
            raise ValueError(value)
        start, end = (date.fromisoformat(g).isoformat() for g in match.groups())
    except ValueError:
        raise JamendoError(3, f"parameter '{name}' must read yyyy-mm-dd_yyyy-mm-dd") from None
    return start, end


_SINGLE: dict[str, Callable[[str, str, Param], Any]] = {
    "str": lambda name, v, spec: v,
    "int": lambda name, v, spec: _int(name, v),
    "bool": lambda name, v, spec: _bool(name, v),
    "enum": lambda name, v, spec: _choice(name, v, spec.choices),
    "dates": lambda name, v, spec: _dates(name, v),
}
_MULTI: dict[str, Callable[[str, str, Param], Any]] = {
    "ints": lambda name, v, spec: str(_int(name, v)),
    "strs": lambda name, v, spec: v,
    "enums": lambda name, v, spec: _choice(name, v, spec.choices),
}


def convert(name: str, raw: str, spec: Param) -> Any:
    """One parameter's value in its declared type (a list for multi-valued ones)."""
    if spec.kind in _MULTI:
        return [_MULTI[spec.kind](name, v, spec) for v in split_multi(raw)]
    return _SINGLE[spec.kind](name, raw, spec)


def _limit(raw: str | None, warnings: list[str]) -> int:
    if raw is None or raw.strip() == "":
        return DEFAULT_LIMIT
    if raw.strip().lower() == "all":
        return MAX_LIMIT
    value = _int("limit", raw)
    if value > MAX_LIMIT:
        warnings.append(f"limit {value} is above the maximum: {MAX_LIMIT} used instead")
        return MAX_LIMIT
    return value


def _order(raw: str | None, sortable: Iterable[str]) -> tuple[tuple[str, bool], ...]:
    if not raw:
        return ()
    allowed = set(sortable)
    order: list[tuple[str, bool]] = []
    for item in split_multi(raw):
        name, descending = item, False
        if item.endswith(("_asc", "_desc")):
            name, _, direction = item.rpartition("_")
            descending = direction == "desc"
        if name not in allowed:
            choices = ", ".join(sorted(allowed)) or "none"
            raise JamendoError(3, f"cannot order by {item!r}; sortable fields: {choices}")
        order.append((name, descending))
    return tuple(order)


def check_format(raw: str | None) -> bool:
    """True for `jsonpretty`. The demo speaks JSON only: `xml` and others are code 9."""
    value = (raw or "json").strip().lower()
    if value not in ("json", "jsonpretty"):
        raise JamendoError(9, f"format {value!r} is not served by the demo catalog; use json")
    return value == "jsonpretty"


def parse(raw: Mapping[str, str], spec: Mapping[str, Param], sortable: Iterable[str] = ()) -> Query:
    """Check `raw` (one value per name) against the common parameters and `spec`."""
    warnings: list[str] = []
    values: dict[str, Any] = {}
    for name, value in raw.items():
        declared = spec.get(name) or COMMON.get(name)
        if declared is None:
            warnings.append(f"Unknown parameter '{name}' ignored")
        elif name == "callback":
            warnings.append("parameter 'callback' (JSONP) is not supported by the demo: ignored")
        elif name not in COMMON and value.strip() != "":
            values[name] = convert(name, value, declared)
    return Query(
        values=values,
        warnings=warnings,
        offset=_int("offset", raw["offset"]) if raw.get("offset") else 0,
        limit=_limit(raw.get("limit"), warnings),
        fullcount=_bool("fullcount", raw.get("fullcount", "false")),
        order=_order(raw.get("order"), sortable),
        pretty=check_format(raw.get("format")),
    )
