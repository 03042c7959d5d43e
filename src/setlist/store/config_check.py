"""Turn a parsed TOML document into messages a user can act on.

msgspec validates, but its messages name `$.playback.quality` and not the file,
and an unknown field does not say which were expected. This walks the schema
itself so every error names the key path, the file and what was expected.
Values are echoed only when short, and never for a key that looks like a
credential.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import types
import typing
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

import msgspec

from setlist.core.errors import ConfigError

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")
_CREDENTIAL_WORDS = frozenset({"secret", "token", "password", "passwd", "credential"})


def toml_error(file: Path, exc: tomllib.TOMLDecodeError) -> ConfigError:
    """'invalid TOML in FILE at line L, column C: what' (tomllib puts the position last)."""
    text = str(exc)
    match = _TOML_POSITION.search(text)
    if match is None:
        return ConfigError(f"invalid TOML in {file}: {text}")
    what = text[: match.start()]
    what = what[:1].lower() + what[1:]
    if match.group(1) is None:
        return ConfigError(f"invalid TOML in {file} at the end of the file: {what}")
    line, column = match.group(1), match.group(2)
    return ConfigError(f"invalid TOML in {file} at line {line}, column {column}: {what}")


def check(
    raw: Mapping[str, Any],
    schema: type[msgspec.Struct],
    file: Path,
    hints: Mapping[str, str] | None = None,
) -> None:
    """Raise ConfigError for the first unknown key or ill-typed value in `raw`.

    `hints` adds a sentence to the error for a given unknown dotted key.
    """
    _walk(raw, schema, (), file, hints or {})


def _walk(
    value: Any, tp: Any, where: tuple[str, ...], file: Path, hints: Mapping[str, str]
) -> None:
    target = _strip_annotated(tp)
    if isinstance(target, type) and issubclass(target, msgspec.Struct):
        if not isinstance(value, dict):
            raise _wrong(where, file, tp, value)
        fields = {f.encode_name: f.type for f in msgspec.structs.fields(target)}
        for key, item in value.items():
            if key not in fields:
                raise _unknown((*where, key), file, sorted(fields), hints)
            _walk(item, fields[key], (*where, key), file, hints)
        return
    origin = typing.get_origin(target)
    if origin is dict:
        if not isinstance(value, dict):
            raise _wrong(where, file, tp, value)
        item_type = typing.get_args(target)[1]
        for key, item in value.items():
            _walk(item, item_type, (*where, key), file, hints)
        return
    if origin is list:
        if not isinstance(value, list):
            raise _wrong(where, file, tp, value)
        item_type = typing.get_args(target)[0]
        for index, item in enumerate(value):
            try:
                msgspec.convert(item, item_type)
            except msgspec.ValidationError:
                raise _wrong(where, file, item_type, item, item=index + 1) from None
        return
    try:
        msgspec.convert(value, tp)
    except msgspec.ValidationError:
        raise _wrong(where, file, tp, value) from None


def _unknown(
    where: tuple[str, ...], file: Path, expected: list[str], hints: Mapping[str, str]
) -> ConfigError:
    key = _dotted(where)
    message = f"unknown key '{key}' in {file}; expected one of: {', '.join(expected)}"
    close = difflib.get_close_matches(where[-1], expected, n=1)
    if close:
        message += f" (did you mean '{_dotted((*where[:-1], close[0]))}'?)"
    hint = hints.get(key)
    if hint is None and _looks_secret(where[-1]):
        hint = "Credentials never go in the config file: setlist keeps them in the keyring"
    if hint:
        message += f". {hint}"
    return ConfigError(message)


def _wrong(
    where: tuple[str, ...], file: Path, tp: Any, value: Any, item: int | None = None
) -> ConfigError:
    key = f"'{_dotted(where)}'" if where else "the top level"
    if item is not None:
        key += f" (item {item})"
    got = _describe_value(value, echo=not (where and _looks_secret(where[-1])))
    return ConfigError(f"invalid value for {key} in {file}: expected {describe(tp)}; got {got}")


def describe(tp: Any) -> str:
    """A type as a user reads it: 'a string', 'true or false', 'one of "mp31", "mp32"'."""
    for meta in _metas(tp):
        if meta.description:
            return meta.description
    target = _strip_annotated(tp)
    constraints = [m for m in _metas(tp) if m.gt is not None or m.ge is not None]
    if isinstance(target, type) and issubclass(target, msgspec.Struct):
        return "a table"
    origin = typing.get_origin(target)
    if origin is dict:
        return "a table"
    if origin is list:
        return f"a list of {_plural(typing.get_args(target)[0])}"
    if origin is typing.Literal:
        values = [_quote(v) for v in typing.get_args(target)]
        return values[0] if len(values) == 1 else "one of " + ", ".join(values)
    if origin in (Union, types.UnionType):
        parts = [describe(t) for t in typing.get_args(target) if t is not type(None)]
        return " or ".join(parts)
    if target is int:
        if any((m.gt is not None and m.gt >= 0) or (m.ge or 0) > 0 for m in constraints):
            return "a positive integer"
        return "an integer"
    return _SIMPLE.get(target, getattr(target, "__name__", str(target)))


_SIMPLE: dict[Any, str] = {
    str: "a string",
    bool: "true or false",
    float: "a number",
    uuid.UUID: "a UUID (like 123e4567-e89b-12d3-a456-426614174000)",
}


def _plural(tp: Any) -> str:
    if typing.get_origin(_strip_annotated(tp)) is typing.Literal:
        return f"values, each {describe(tp)}"
    text = describe(tp)
    return text.removeprefix("a ").removeprefix("an ") + "s"


def _describe_value(value: Any, *, echo: bool) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        if echo and len(value) <= 40:
            return f"the string {_quote(value)}"
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return "a date/time"
    return type(value).__name__


def _looks_secret(key: str) -> bool:
    return not _CREDENTIAL_WORDS.isdisjoint(re.split(r"[^a-z]+", key.lower()))


def _metas(tp: Any) -> list[msgspec.Meta]:
    if typing.get_origin(tp) is not typing.Annotated:
        return []
    return [m for m in typing.get_args(tp)[1:] if isinstance(m, msgspec.Meta)]


def _strip_annotated(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _quote(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _dotted(where: tuple[str, ...]) -> str:
    return ".".join(part if _BARE_KEY.match(part) else f'"{part}"' for part in where)
