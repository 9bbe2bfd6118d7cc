"""violetvibes/serializers.py: a serializer whose fields are built once per class validates and
writes exactly as DRF's own, and each instance still has fields of its own."""

import pytest
from rest_framework import serializers

from violetvibes.serializers import FieldsCopiedOnce


class _Point(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField()


class Plain(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    kind = serializers.ChoiceField(("a", "b"), default="a")
    count = serializers.IntegerField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    where = _Point(required=False)
    points = _Point(many=True, required=False)

    def validate_name(self, value: str) -> str:
        return value.upper()


class Once(FieldsCopiedOnce, Plain):
    pass


INPUTS = [
    {"name": "joe"},
    {"name": "joe", "kind": "b", "count": None, "tags": ["x", "yz"], "where": {"lat": 1, "lng": 2}, "points": [{"lat": 3, "lng": 4}]},
    {"name": "too long", "kind": "c", "count": "x", "tags": ["long one"], "where": {"lat": 99}, "points": [{"lng": "y"}]},
    {},
    {"name": 5, "tags": "not a list", "points": {}},
]


@pytest.mark.parametrize("data", INPUTS)
def test_validates_as_drf_does(data):
    plain, once = Plain(data=data), Once(data=data)
    assert plain.is_valid() == once.is_valid()
    assert plain.errors == once.errors
    if not plain.errors:
        assert plain.validated_data == once.validated_data
        assert plain.data == once.data


def test_writes_as_drf_does():
    value = {"name": "joe", "kind": "b", "count": 3, "tags": ["x"], "where": {"lat": 1.5, "lng": 2}, "points": [{"lat": 3, "lng": 4}]}
    assert Once(value).data == Plain(value).data


def test_each_instance_binds_fields_of_its_own():
    first, second = Once(data={"name": "a"}), Once(data={"name": "b"})
    for name in Plain._declared_fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    assert first.fields["tags"].child is not second.fields["tags"].child  # a field holding a field is copied whole
    assert first.fields["points"].child is not second.fields["points"].child
    assert first.fields["where"].fields["lat"].parent is first.fields["where"]
    assert first.fields["tags"].child.parent is first.fields["tags"]  # its child bound to the copy, not the shared one
    assert first.fields["points"].child.parent is first.fields["points"]


class _Echo(serializers.Serializer):
    # Writes what the root serializer's context holds: the child reaches it through its parents.
    seen = serializers.SerializerMethodField()

    def get_seen(self, instance):
        return self.context.get("who")


class Nested(FieldsCopiedOnce, serializers.Serializer):
    items = _Echo(many=True)


def test_a_list_child_reads_its_own_instance_context():
    assert Nested({"items": [1, 2]}, context={"who": "a"}).data == {"items": [{"seen": "a"}, {"seen": "a"}]}
    assert Nested({"items": [1]}, context={"who": "b"}).data == {"items": [{"seen": "b"}]}


class WithMethod(FieldsCopiedOnce, serializers.Serializer):
    name = serializers.CharField(source="title")
    shout = serializers.SerializerMethodField()  # a bind of its own: bound per instance, as DRF does

    def get_shout(self, instance):
        return instance["title"].upper()


class MoreFields(Once):
    def get_fields(self):  # a get_fields of its own: its fields are bound as DRF binds them
        return {**super().get_fields(), "extra": serializers.CharField(required=False)}


def test_fields_bound_once_are_bound_as_drf_binds_them():
    for serializer in (Once(), WithMethod(), MoreFields()):
        # DRF's own binding of the same fields, for comparison
        expected = serializers.Serializer.fields.func(serializer)
        assert list(serializer.fields) == list(expected)
        for name, field in serializer.fields.items():
            assert field.parent is serializer
            for attribute in ("field_name", "label", "source", "source_attrs"):
                assert getattr(field, attribute) == getattr(expected[name], attribute), (name, attribute)
    assert WithMethod({"title": "hi"}).data == {"name": "hi", "shout": "HI"}
    assert MoreFields(data={"name": "joe", "extra": "x"}).is_valid()
