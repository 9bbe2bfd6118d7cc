from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class InvalidJSON(ParseError):
    default_detail = "The request body must be a JSON object."
    default_code = "invalid_json"


class JSONObjectParser(JSONParser):
    """Accepts only a JSON object as a body, so views never see lists, strings or numbers."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> dict:
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise InvalidJSON() from exc
        if not isinstance(data, dict):
            raise InvalidJSON()
        return data
