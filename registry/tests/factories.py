import factory
from django.contrib.auth.models import Group

from registry.models import OPD, PemdaProfile, Regency, User


class OPDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OPD
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    abbreviation = factory.Sequence(lambda n: f"DC{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.go.id")
    password = factory.django.Password("password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=role)[0] for role in extracted])


class PemdaProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PemdaProfile
        django_get_or_create = ["id"]

    id = 1
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="34.04"))
    capital = "Sleman"
    head_name = "Harjono Prawiro"
    secretary_name = "Bambang Wicaksono"
    secretary_nip = "196905171994031006"
    address = "Jalan Parasamya Nomor 1, Beran, Tridadi, Sleman"
