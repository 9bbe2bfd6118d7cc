import factory

from accounts.models import Activity, User


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
