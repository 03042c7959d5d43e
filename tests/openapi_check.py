"""Checks an HTTP answer against the YourMusic OpenAPI document.

`OpenAPIDocument.check(response)` finds the operation of the request (method and
path template), asserts the status is one the operation documents, and validates
the body against that response's schema (JSON Schema 2020-12, the dialect of
OpenAPI 3.1, with `$ref`s resolved in the document) plus required headers.
Use it as an httpx response hook so every answer of a test is checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT = Path(__file__).resolve().parents[1] / "assets" / "openapi" / "yourmusic.yaml"
DOC_URI = "urn:setlist:yourmusic-openapi"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@cache
def load_document() -> dict[str, Any]:
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.compile(f"^{pattern}$")


class OpenAPIDocument:
    def __init__(self, document: dict[str, Any], base_path: str = "/yourmusic") -> None:
        self.document = document
        self.base_path = base_path.rstrip("/")
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry: Registry = Registry().with_resource(DOC_URI, resource)
        # Literal paths first: /catalog/artists/search before /catalog/artists/{artist_id}.
        templates = sorted(document["paths"], key=lambda t: (t.count("{"), -len(t)))
        self.templates = [(_template_regex(t), t) for t in templates]

    def template_of(self, path: str) -> str | None:
        return next((t for regex, t in self.templates if regex.match(path)), None)

    def operations(self) -> set[tuple[str, str]]:
        """Every (METHOD, path template) of the document."""
        return {
            (method.upper(), path)
            for path, item in self.document["paths"].items()
            for method in item
            if method in METHODS
        }

    def resolve(self, node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
        """Follow `$ref`s from `node` (found at `pointer`): the target and its pointer."""
        while "$ref" in node:
            pointer = node["$ref"].removeprefix("#")
            node = self.document
            for part in pointer.strip("/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node, pointer

    def validate(self, instance: Any, pointer: str) -> None:
        """Validate `instance` against the schema at `pointer` in the document."""
        validator = Draft202012Validator(
            {"$ref": f"{DOC_URI}#{pointer}"},
            registry=self.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        if errors:
            details = "\n".join(
                f"  at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                for e in errors[:10]
            )
            raise AssertionError(f"does not match {pointer}:\n{details}")

    def check(self, response: httpx.Response) -> None:
        request = response.request
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        path = request.url.path
        assert path.startswith(self.base_path + "/"), f"{where}: not under {self.base_path}"
        template = self.template_of(path.removeprefix(self.base_path))
        assert template is not None, f"{where}: no such path in the OpenAPI document"
        operation = self.document["paths"][template].get(request.method.lower())
        assert operation is not None, f"{where}: method not documented for {template}"
        status = str(response.status_code)
        assert status in operation["responses"], (
            f"{where}: status not documented (documented: {sorted(operation['responses'])})"
        )
        base = _pointer("paths", template, request.method.lower(), "responses", status)
        documented, pointer = self.resolve(operation["responses"][status], base)
        try:
            self._check_headers(response, documented, pointer)
            self._check_body(response, documented, pointer)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}\nbody: {response.text[:500]}") from None

    def _check_headers(self, response: httpx.Response, documented: dict, pointer: str) -> None:
        for name, header in documented.get("headers", {}).items():
            value = response.headers.get(name)
            if value is None:
                assert not header.get("required"), f"header {name} missing"
                continue
            schema = header.get("schema", {})
            instance: Any = int(value) if schema.get("type") == "integer" else value
            self.validate(instance, pointer + _pointer("headers", name, "schema"))

    def _check_body(self, response: httpx.Response, documented: dict, pointer: str) -> None:
        content = documented.get("content")
        if not content:
            assert response.content == b"", "a body where none is documented"
            return
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        assert media_type in content, f"content type {media_type!r} not in {sorted(content)}"
        schema_pointer = pointer + _pointer("content", media_type, "schema")
        is_json = media_type.endswith("json")
        self.validate(json.loads(response.content) if is_json else response.text, schema_pointer)


@cache
def yourmusic_document() -> OpenAPIDocument:
    return OpenAPIDocument(load_document())


def response_hook(document: OpenAPIDocument) -> Callable[[httpx.Response], None]:
    """An httpx response hook that checks every answer against `document`."""

    def hook(response: httpx.Response) -> None:
        response.read()
        document.check(response)

    return hook
