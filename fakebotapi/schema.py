"""Bot API schema loading, request decoding and validation.

The schema is the machine-readable Bot API description (``api.min.json``) with the shape
``{"version": ..., "methods": {name: {"fields": [...], "returns": [...]}}, "types": {...}}``.

Only the standard library is used so the package can ship on its own.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BotAPISchema",
    "SchemaError",
    "UploadedFile",
    "load_schema",
]

_ARRAY_PREFIX = "Array of "
_DISCRIMINATOR = re.compile(r'(?:must be|always) "?([a-z0-9_]+)"?\s*$')


class SchemaError(RuntimeError):
    """The Bot API schema is unavailable (on CI) or unusable."""


@dataclass(frozen=True)
class UploadedFile:
    """A file part received in a ``multipart/form-data`` request."""

    field: str
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@functools.lru_cache(maxsize=4)
def _read_schema(path: str) -> BotAPISchema:
    with open(path, encoding="utf-8") as fh:
        return BotAPISchema(json.load(fh))


def load_schema(path: str | Path) -> BotAPISchema:
    """Load (and cache) the schema at ``path``; :class:`SchemaError` if there is no such file."""
    resolved = Path(path)
    if not resolved.is_file():
        raise SchemaError(f"Bot API schema not found at {resolved}")
    return _read_schema(str(resolved.resolve()))


def _type_name(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return "uploaded file"
    return {
        bool: "Boolean",
        int: "Integer",
        float: "Float",
        str: "String",
        list: "Array",
        dict: "object",
    }.get(type(value), type(value).__name__)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class BotAPISchema:
    """Queryable view of the Bot API schema."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data.get("version", "unknown"))
        self.methods: dict[str, dict[str, Any]] = dict(data["methods"])
        self.types: dict[str, dict[str, Any]] = dict(data["types"])
        self._by_lower = {name.lower(): name for name in self.methods}
        self._tags = {name: _tags(spec) for name, spec in self.types.items()}

    # -- lookups -------------------------------------------------------------------------
    def canonical_method(self, name: str) -> str | None:
        """Return the schema spelling of ``name`` (case-insensitive) or ``None``."""
        return self._by_lower.get(name.lower())

    def fields(self, method: str) -> dict[str, dict[str, Any]]:
        """Return the parameter descriptions of ``method`` keyed by parameter name."""
        return {f["name"]: f for f in self.methods[method].get("fields", [])}

    def returns(self, method: str) -> list[str]:
        """Return the declared return types of ``method``."""
        return list(self.methods[method].get("returns", []))

    # -- decoding ------------------------------------------------------------------------
    def decode_form_value(self, raw: str, types: list[str]) -> Any:
        """Decode one form field the way Telegram does for its declared ``types``.

        PTB JSON-encodes every non-string value and sends strings raw, so a String-only field
        keeps the raw text; other fields are JSON-decoded, falling back to the raw string when
        that does not fit a declared type.
        """
        if types == ["String"]:
            return raw
        lowered = raw.lower()
        if "Boolean" in types and lowered in ("true", "false"):
            return lowered == "true"
        try:
            decoded = json.loads(raw)
        except ValueError:
            return raw
        if any(t in ("String", "InputFile") for t in types) and self.check_any(decoded, types, ""):
            return raw
        return decoded

    def decode_params(self, method: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Decode raw form/query values of ``method``; non-string values pass through."""
        fields = self.fields(method)
        decoded: dict[str, Any] = {}
        for name, value in raw.items():
            field = fields.get(name)
            if isinstance(value, str) and field is not None:
                decoded[name] = self.decode_form_value(value, field["types"])
            elif isinstance(value, str):
                decoded[name] = _decode_guess(value)
            else:
                decoded[name] = value
        return decoded

    # -- validation ----------------------------------------------------------------------
    def json_objects_in_strings(self, method: str, raw: Mapping[str, Any]) -> list[str]:
        """Flag String-only form fields whose raw text is a JSON object.

        PTB JSON-encodes a ``dict`` passed where a string belongs (e.g. ``text={...}``), and
        Telegram would show that JSON to the user. The bytes are a valid string, so this is a
        heuristic: a real message text that is itself a JSON object is rare.
        """
        fields = self.fields(method)
        problems: list[str] = []
        for name, value in raw.items():
            field = fields.get(name)
            if field is None or field["types"] != ["String"] or not isinstance(value, str):
                continue
            if value.lstrip().startswith("{"):
                try:
                    decoded = json.loads(value)
                except ValueError:
                    continue
                if isinstance(decoded, dict):
                    problems.append(f"'{name}': expected String, got a JSON-encoded object")
        return problems

    def validate_request(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Return human-readable problems with a call of ``method`` (empty list = valid)."""
        fields = self.fields(method)
        errors = [f"unknown parameter '{name}'" for name in params if name not in fields]
        for name, field in fields.items():
            if name not in params:
                if field.get("required"):
                    errors.append(f"missing required parameter '{name}'")
                continue
            errors.extend(self.check_any(params[name], field["types"], name))
        return errors

    def validate_object(self, type_name: str, value: Any, path: str = "") -> list[str]:
        """Validate ``value`` against the schema type ``type_name``."""
        return self.check_type(value, type_name, path or type_name)

    def check_any(self, value: Any, types: list[str], path: str) -> list[str]:
        """Validate ``value`` against a union of ``types``; return the closest errors."""
        best: list[str] | None = None
        for type_expr in types:
            errors = self.check_type(value, type_expr, path)
            if not errors:
                return []
            if best is None or len(errors) < len(best):
                best = errors
        if len(types) > 1 and best and best[0].endswith(f"got {_type_name(value)}"):
            return [f"'{path}': expected {' or '.join(types)}, got {_type_name(value)}"]
        return best or []

    def check_type(self, value: Any, type_expr: str, path: str) -> list[str]:
        """Validate ``value`` against one type expression (e.g. ``Array of BotCommand``)."""
        if type_expr.startswith(_ARRAY_PREFIX):
            if not isinstance(value, list):
                return [f"'{path}': expected {type_expr}, got {_type_name(value)}"]
            inner = type_expr[len(_ARRAY_PREFIX) :]
            errors: list[str] = []
            for index, item in enumerate(value):
                errors.extend(self.check_type(item, inner, f"{path}[{index}]"))
            return errors
        ok = _check_scalar(value, type_expr)
        if ok is not None:
            return [] if ok else [f"'{path}': expected {type_expr}, got {_type_name(value)}"]
        spec = self.types.get(type_expr)
        if spec is None:
            return [f"'{path}': schema has no type {type_expr}"]
        if "subtypes" in spec:
            return self._check_union(value, type_expr, spec["subtypes"], path)
        if not isinstance(value, dict):
            return [f"'{path}': expected {type_expr} object, got {_type_name(value)}"]
        return self._check_fields(value, type_expr, spec.get("fields"), path)

    def _check_union(self, value: Any, name: str, subtypes: list[str], path: str) -> list[str]:
        candidates = [
            subtype
            for subtype in subtypes
            if not isinstance(value, dict)
            or all(value.get(k, v) == v for k, v in self._tags.get(subtype, {}).items())
        ]
        best: list[str] | None = None
        for subtype in candidates:
            errors = self.check_type(value, subtype, path)
            if not errors:
                return []
            if best is None or len(errors) < len(best):
                best = errors
        if best is None or not isinstance(value, dict):
            return [f"'{path}': does not match any {name} variant ({', '.join(subtypes)})"]
        return best

    def _check_fields(
        self,
        value: dict[str, Any],
        name: str,
        fields: list[dict[str, Any]] | None,
        path: str,
    ) -> list[str]:
        if fields is None:  # e.g. CallbackGame: any object is fine
            return []
        by_name = {f["name"]: f for f in fields}
        errors = [f"'{path}.{key}': unknown field of {name}" for key in value if key not in by_name]
        for key, tag in self._tags[name].items():
            if key in value and value[key] != tag:
                errors.append(f"'{path}.{key}': {name} needs {tag!r}, got {value[key]!r}")
        for field_name, field in by_name.items():
            if field_name not in value:
                if field.get("required"):
                    errors.append(f"'{path}': {name} is missing required field '{field_name}'")
                continue
            errors.extend(self.check_any(value[field_name], field["types"], f"{path}.{field_name}"))
        return errors

    # -- examples ------------------------------------------------------------------------
    def example(self, type_expr: str, **overrides: Any) -> Any:
        """A minimal valid value of ``type_expr`` (required fields only), for default answers."""
        if type_expr.startswith(_ARRAY_PREFIX):
            return []
        scalar = {"Integer": 0, "Float": 0.0, "String": "", "Boolean": False, "True": True}
        if type_expr in scalar:
            return scalar[type_expr]
        spec = self.types.get(type_expr, {})
        if "subtypes" in spec:
            return self.example(spec["subtypes"][0], **overrides)
        result: dict[str, Any] = {}
        for field in spec.get("fields", []):
            if field.get("required"):
                tag = self._tags[type_expr].get(field["name"])
                result[field["name"]] = tag if tag is not None else self.example(field["types"][0])
        result.update(overrides)
        return result

    def subtype_tagged(self, union: str, key: str, tag: str) -> str | None:
        """The subtype of ``union`` whose ``key`` field must be ``tag`` (e.g. ChatMember)."""
        for subtype in self.types.get(union, {}).get("subtypes", []):
            if self._tags.get(subtype, {}).get(key) == tag:
                return str(subtype)
        return None


def _tags(spec: Mapping[str, Any]) -> dict[str, str]:
    """Fixed values of required String fields: ``must be chat`` / ``always "member"``."""
    tags: dict[str, str] = {}
    for field in spec.get("fields", []):
        if field.get("required") and field["types"] == ["String"]:
            match = _DISCRIMINATOR.search(field.get("description", "").rstrip("."))
            if match:
                tags[field["name"]] = match.group(1)
    return tags


def _check_scalar(value: Any, type_expr: str) -> bool | None:
    """Return whether ``value`` matches a scalar type, or ``None`` if not a scalar type."""
    if type_expr == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_expr == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_expr == "String":
        return isinstance(value, str)
    if type_expr == "Boolean":
        return isinstance(value, bool)
    if type_expr == "True":
        return value is True
    if type_expr == "InputFile":
        return isinstance(value, UploadedFile | str)
    return None


# Fields that stay strings when no schema is available (validation disabled).
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "file_id",
        "language_code",
        "action",
        "inline_message_id",
        "url",
        "business_connection_id",
        "message_effect_id",
        "title",
        "description",
        "query",
        "emoji",
    }
)


def _decode_guess(raw: str, name: str = "") -> Any:
    if name in _STRING_FIELDS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def decode_without_schema(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Best-effort decoding used when no schema is loaded."""
    return {
        name: _decode_guess(value, name) if isinstance(value, str) else value
        for name, value in raw.items()
    }
