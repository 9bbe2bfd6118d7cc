"""Serializer fields that refuse JSON of the wrong type instead of coercing it.

DRF turns 1 into True and 123 into "123"; the apps' contract says a boolean is true/false and a
string is a string, so a wrong type is a 400, not a silent conversion.
"""

import math
from collections.abc import Iterable
from typing import Any

from rest_framework import serializers


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": "Must be a whole number."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class FiniteFloatField(serializers.FloatField):
    """DRF's FloatField takes "nan" (which passes every min/max check) and "inf"; neither is a
    coordinate or a rating, and NaN breaks every distance computed from it."""

    default_error_messages = {"invalid": "Must be a finite number."}

    def to_internal_value(self, data: Any) -> float:
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class StrictFloatField(FiniteFloatField):
    default_error_messages = {"invalid": "Must be a number."}

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class NamesField(serializers.CharField):
    """Text naming one of `names`, which the schema lists as an enum (violetvibes.openapi). The
    field's own validation may read more spellings than it lists (any case, aliases)."""

    def __init__(self, *, names: Iterable[str], **kwargs: Any) -> None:
        self.names = tuple(names)
        super().__init__(**kwargs)
