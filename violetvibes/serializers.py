"""Serializers whose fields are built once per class rather than once per request.

DRF builds every serializer's fields anew for each instance: a deep copy of each declared field,
which re-runs the field's __init__ with deep copies of its arguments. For a chat turn that was a
tenth of the CPU (the request's fields and the answer's). `FieldsCopiedOnce` keeps one built set
per class and gives each instance its own copies: a plain field is copied attribute for attribute
(as copy.copy does, without its generic machinery: a field is a plain object, no slots nor copy
hooks; binding it to the instance then sets its name and parent on the copy alone). A field
holding other fields (a list serializer's or a ListField's child) is copied so too, with each
field it holds copied the same way and given the copy as its parent: its own __init__ bound the
child to it, and a child reads the request's context through that parent chain (DRF would
deep-copy it, re-running every __init__ below it: most of writing a short list of cards).

Sound for fields that keep no state of their own while they validate or write a value (DRF's
fields, and this project's in violetvibes/fields.py): what they share is what __init__ set up
(validators, choices, error messages), which nothing changes afterwards.
"""

from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

_BUILT = "_fields_built_once"
_BOUND = "_fields_bound_once"


def _copy(field: serializers.Field) -> serializers.Field:
    """copy.copy(field): a new object of its class with the same attributes."""
    copied = object.__new__(type(field))
    copied.__dict__.update(field.__dict__)
    return copied


def _copy_tree(field: serializers.Field) -> serializers.Field:
    """_copy(field), and each field it holds (but its parent) copied the same way, its parent the
    copy where it was the original. Unlike a deep copy, shares what is not a field (as _copy)."""
    copied = _copy(field)
    for name, value in vars(field).items():
        if name != "parent" and isinstance(value, serializers.Field):
            held = _copy_tree(value)
            if value.parent is field:
                held.parent = copied
            setattr(copied, name, held)
    return copied


def _holds_fields(field: serializers.Field) -> bool:
    return any(name != "parent" and isinstance(value, serializers.Field) for name, value in vars(field).items())


class FieldsCopiedOnce:
    """A serializer mixin (first among the bases): get_fields() from a set built once per class,
    and `fields` from a set built and bound once per class."""

    def get_fields(self) -> dict[str, serializers.Field]:
        built = type(self).__dict__.get(_BUILT)
        if built is None:  # two threads may both build it: the same fields, either kept
            built = [(name, field, _holds_fields(field)) for name, field in super().get_fields().items()]  # type: ignore[misc]
            setattr(type(self), _BUILT, built)
        return {name: _copy_tree(field) if nested else _copy(field) for name, field, nested in built}

    @cached_property
    def fields(self) -> BindingDict:
        """DRF's Serializer.fields (each field of get_fields() bound to this instance), the binding
        done once per class: Field.bind sets the field's name, label, source and source_attrs from
        its name alone, and its parent; so each instance's copy of a field bound once only needs
        its parent. A field with a bind of its own (SerializerMethodField), or a subclass with a
        get_fields of its own, is bound as DRF does."""
        cls = type(self)
        if cls.get_fields is not FieldsCopiedOnce.get_fields:
            return serializers.Serializer.fields.func(self)
        bound = cls.__dict__.get(_BOUND)
        if bound is None:  # as _BUILT
            bound = []
            for name, field in self.get_fields().items():
                binds_once = type(field).bind is serializers.Field.bind
                if binds_once:
                    field.bind(field_name=name, parent=None)
                bound.append((name, field, _holds_fields(field), binds_once))
            setattr(cls, _BOUND, bound)
        fields = BindingDict(self)
        for name, field, nested, binds_once in bound:
            copied = _copy_tree(field) if nested else _copy(field)
            if binds_once:
                copied.parent = self
                fields.fields[name] = copied  # BindingDict's own dict: set without binding again
            else:
                fields[name] = copied
        return fields
