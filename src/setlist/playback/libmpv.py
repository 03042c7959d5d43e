"""The few libmpv calls python-mpv does not offer, made on the library it loaded.

Each call is a ctypes prototype of its own, bound to the symbol in python-mpv's
`backend`: python-mpv's bindings of the same functions keep their signatures.
(libmpv/client.h documents every one of them.)
"""

from __future__ import annotations

from collections.abc import Iterable
from ctypes import (
    CDLL,
    CFUNCTYPE,
    Structure,
    addressof,
    byref,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_uint64,
    c_void_p,
)
from functools import cache
from types import ModuleType
from typing import Any

FORMAT_INT64 = 4  # MPV_FORMAT_INT64
FORMAT_DOUBLE = 5  # MPV_FORMAT_DOUBLE


class LibMpv:
    """libmpv's functions that python-mpv leaves out, or keeps to itself."""

    def __init__(self, lib: CDLL) -> None:
        def bind(name: str, restype: Any, *argtypes: Any) -> Any:
            return CFUNCTYPE(restype, *argtypes)((name, lib))

        self._create = bind("mpv_create", c_void_p)
        self._set_option_string = bind("mpv_set_option_string", c_int, c_void_p, c_char_p, c_char_p)
        self._destroy = bind("mpv_terminate_destroy", None, c_void_p)
        self._observe = bind("mpv_observe_property", c_int, c_void_p, c_uint64, c_char_p, c_int)
        self._hook_add = bind("mpv_hook_add", c_int, c_void_p, c_uint64, c_char_p, c_int)
        self._hook_continue = bind("mpv_hook_continue", c_int, c_void_p, c_uint64)
        self._get_property = bind("mpv_get_property", c_int, c_void_p, c_char_p, c_int, c_void_p)

    def accepted_options(self, options: dict[str, str], names: Iterable[str]) -> set[str]:
        """Which of `names` (keys of `options`) this libmpv takes, tried on a handle
        that is never started: under 3 ms, where starting mpv takes tens."""
        handle = self._create()
        if not handle:
            return set()
        try:
            return {
                name
                for name in names
                if self._set_option_string(handle, name.encode(), options[name].encode()) >= 0
            }
        finally:
            self._destroy(handle)

    def observe_int(self, handle: Any, userdata: int, name: str) -> None:
        """Observe a number property as a whole number: mpv sends an event only when
        the whole number changes (time-pos: once a second, not at every audio chunk)."""
        _check(self._observe(handle, userdata, name.encode(), FORMAT_INT64), "observe", name)

    def hook_add(self, handle: Any, userdata: int, name: str) -> None:
        """Have mpv wait at hook `name` until `hook_continue` (a HOOK event announces it)."""
        _check(self._hook_add(handle, userdata, name.encode(), 0), "add the hook", name)

    def hook_continue(self, handle: Any, hook_id: int) -> None:
        self._hook_continue(handle, hook_id)

    def get_double(self, handle: Any, name: str) -> float | None:
        """A number property now, or None when it has no value (no file playing)."""
        value = c_double()
        if self._get_property(handle, name.encode(), FORMAT_DOUBLE, byref(value)) < 0:
            return None
        return value.value


class _EventProperty(Structure):  # mpv_event_property
    _fields_ = [("name", c_char_p), ("format", c_int), ("data", c_void_p)]


def int_value(prop: Any) -> int | None:
    """The value of a property event (python-mpv's `event.data`) observed with
    `observe_int`, or None when the property has none."""
    raw = _EventProperty.from_address(addressof(prop))
    if raw.format != FORMAT_INT64 or not raw.data:
        return None
    return c_int64.from_address(raw.data).value


def _check(code: int, what: str, name: str) -> None:
    if code < 0:
        raise OSError(f"libmpv could not {what} {name} (error {code})")


@cache
def libmpv(mpv: ModuleType) -> LibMpv:
    return LibMpv(mpv.backend)
