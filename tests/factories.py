"""factory_boy factories shared by all apps' tests."""

import factory
from django.contrib.auth import get_user_model

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])


class BrandFactory(UserFactory):
    username = factory.Sequence(lambda n: f"brand{n}")
    account_type = User.AccountType.BRAND
    is_verified = True
