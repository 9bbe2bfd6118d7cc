"""factory_boy factories for the rows tests build: users and their activity, places, events,
conversations and their messages. Each gives a valid row with sensible defaults; a test names only
the fields its behaviour depends on."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Activity, User
from chat.models import Conversation, Message
from events.models import Event
from places.models import Place

# 6 MetroTech Center, NYU Tandon.
TANDON = (40.6945, -73.9865)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"student{n}@nyu.edu")
    first_name = "Violet"
    password = factory.PostGenerationMethodCall("set_password", "purple-violets-42")

    @factory.post_generation
    def _save(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    user = factory.SubFactory(UserFactory)
    type = "clicked_recommendation"
    place_id = factory.Sequence(lambda n: f"catalog:place-{n}")
    name = "Devoción"
    vibe = "study"


class PlaceFactory(factory.django.DjangoModelFactory):
    """A staff place next to Tandon, a cozy cafe with no rating, price or hours unless given."""

    class Meta:
        model = Place

    source = Place.Source.STAFF
    provider_id = factory.Sequence(lambda n: f"test-place-{n}")
    name = factory.Sequence(lambda n: f"Test Place {n}")
    address = "6 MetroTech Center, Brooklyn, NY 11201"
    lat, lng = TANDON
    campus = "brooklyn"
    primary_type = "cafe"
    types = factory.LazyFunction(lambda: ["cafe"])
    categories = factory.LazyFunction(lambda: ["cozy_cafes"])


class EventFactory(factory.django.DjangoModelFactory):
    """An NYU Engage event at Kimmel starting in a day (from the test's clock); `staff=True`: one
    staff added in the admin (no source id, organizer or link)."""

    class Meta:
        model = Event

    class Params:
        staff = factory.Trait(source=Event.Source.STAFF, external_id="", organization="", url="")

    source = Event.Source.NYU_ENGAGE
    external_id = factory.Sequence(lambda n: f"ext-{n}")
    name = factory.Sequence(lambda n: f"Event {n}")
    description = factory.LazyAttribute(lambda event: f"Description of {event.name}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    venue = "Kimmel Center for University Life"
    address = "60 Washington Square S, New York, NY 10012"
    organization = "NYU Test Club"
    url = factory.LazyAttribute(lambda event: f"https://engage.nyu.edu/event/{event.external_id}")


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Conversation {n}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    role = Message.Role.USER
    text = factory.Sequence(lambda n: f"Message {n}")
