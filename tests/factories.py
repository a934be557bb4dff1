from datetime import timedelta

import factory
from django.utils import timezone

from cases.models.client import Client, SafeContact
from cases.models.lifecycle import Case
from cases.models.notes_tasks import CaseNote, Task
from cases.models.suspects import Suspect
from cases.statuses import CaseStatus
from referrals.models import Referral, ReferralSource
from stalkingservice.models import District, User
from stalkingservice.roles import Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    role = Role.CASEWORKER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def district(code="stafford"):
    return District.objects.get(code=code)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    district = factory.LazyFunction(district)
    address = factory.Faker("address", locale="en_GB")
    safe_contact = factory.RelatedFactory(
        "tests.factories.SafeContactFactory", factory_related_name="client"
    )


class SafeContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeContact
        django_get_or_create = ("client",)

    client = factory.SubFactory(ClientFactory, safe_contact=None)
    safe_phone = "07700 900123"
    phone_allowed = True
    safe_times = "Weekdays 10:00 to 14:00"
    confirmed_on = factory.LazyFunction(timezone.localdate)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"STK-2026-{n + 1:05d}")
    client = factory.SubFactory(ClientFactory)
    status = CaseStatus.ALLOCATED
    district = factory.LazyAttribute(lambda o: o.client.district)
    allocated_to = factory.SubFactory(UserFactory)
    # Referred a while ago, as a case being worked is: work on it cannot be dated before.
    referred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory, status=CaseStatus.REFERRED, allocated_to=None)
    reference = factory.Sequence(lambda n: f"R-{n + 1:06d}")
    source = factory.LazyFunction(lambda: ReferralSource.objects.get(code="police"))
    received_at = factory.LazyFunction(timezone.now)
    consent_to_contact = True


class SuspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suspect

    case = factory.SubFactory(CaseFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship = Suspect.Relationship.ACQUAINTANCE


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    note_type = CaseNote.NoteType.CALL
    summary = "Spoke to client about the week."
    author = factory.LazyAttribute(lambda o: o.case.allocated_to)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    case = factory.SubFactory(CaseFactory)
    title = "Call the officer in case"
    due_on = factory.LazyFunction(timezone.localdate)
    assignee = factory.LazyAttribute(lambda o: o.case.allocated_to)
    created_by = factory.LazyAttribute(lambda o: o.case.allocated_to)
