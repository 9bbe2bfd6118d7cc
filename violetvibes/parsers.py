import math
import re
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No body the API takes nests deeper than a few levels; the cap keeps every later json.dumps
# (the database, the cache, the renderer) far from Python's recursion limit.
MAX_DEPTH = 32
# Unpaired UTF-16 surrogates ("\ud800" escapes): valid JSON text, but no UTF-8 encoding exists,
# so the database, the renderer and the cache would fail on them.
_SURROGATE = re.compile("[\ud800-\udfff]")


class InvalidJSON(ParseError):
    default_detail = "The request body must be a JSON object."
    default_code = "invalid_json"


def _acceptable(data: Any) -> bool:
    """False for nesting deeper than MAX_DEPTH, unpaired surrogates (keys too) or numbers that
    overflow to infinity (1e999): what json.loads accepts but nothing downstream can store or send."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                return False
        elif isinstance(value, float):
            if not math.isfinite(value):
                return False
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                return False
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)
    return True


class JSONObjectParser(JSONParser):
    """Accepts only a JSON object as a body, so views never see lists, strings or numbers."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> dict:
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise InvalidJSON() from exc
        except RecursionError as exc:  # "[[[[…" nested past the decoder's recursion limit
            raise InvalidJSON() from exc
        if not isinstance(data, dict):
            raise InvalidJSON()
        if not _acceptable(data):
            raise InvalidJSON(
                f"The request body must not nest deeper than {MAX_DEPTH} levels, nor hold unpaired surrogate escapes or numbers out of range."
            )
        return data
