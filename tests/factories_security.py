"""Factories and helpers for the data-protection tests (retention, subject access)."""

from contextlib import contextmanager
from datetime import timedelta

import factory
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.statuses import CaseStatus
from dataprotection.models import RetentionReview, RetentionRule, SubjectAccessRequest

from .factories import CaseFactory, ClientFactory, ReferralFactory, UserFactory


def closed_case(*, client=None, days_ago=400, contacted=True, accepted=True, declined=False):
    """A closed case, closed `days_ago` days ago, with its referral."""
    closed = timezone.now() - timedelta(days=days_ago)
    case = CaseFactory(
        client=client or ClientFactory(),
        status=CaseStatus.CLOSED,
        referred_at=closed - timedelta(days=60),
        accepted_at=(closed - timedelta(days=50)) if accepted else None,
        first_contact_at=(closed - timedelta(days=45)) if contacted else None,
        last_contact_at=(closed - timedelta(days=5)) if contacted else None,
        closed_at=closed,
        risk_level="high",
    )
    ReferralFactory(case=case, outcome="declined" if declined else "accepted")
    return case


class RetentionReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetentionReview

    client = factory.LazyFunction(lambda: closed_case(days_ago=100, accepted=False).client)
    rule = RetentionRule.NEVER_TAKEN_UP
    due_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))


class SubjectAccessRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectAccessRequest

    client = factory.LazyFunction(lambda: CaseFactory().client)
    received_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyAttribute(lambda o: o.received_on + timedelta(days=30))
    created_by = factory.SubFactory(UserFactory, role="manager")


@contextmanager
def temporary_case_model(name: str, **fields):
    """A model hanging off a case, as an app merged later might add, created for one test
    (inside its transaction) to prove the generic model walk finds it."""
    attrs = {
        "__module__": __name__,
        "case": models.ForeignKey(Case, on_delete=models.CASCADE),
        **fields,
        "Meta": type("Meta", (), {"app_label": "cases", "db_table": f"test_{name.lower()}"}),
    }
    model = type(name, (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    try:
        yield model
    finally:
        # The table goes with the test's transaction (PostgreSQL DDL is transactional).
        del apps.all_models["cases"][name.lower()]
        apps.clear_cache()


REFERENCE_DATA_MIGRATIONS = [
    "stalkingservice.migrations.0002_load_districts",
    "referrals.migrations.0002_load_sources_and_decline_reasons",
    "cases.migrations.0002_load_closure_reasons",
]


def reload_reference_data():
    """A transactional test that ran earlier flushed the tables, data migrations' rows
    included; reload the reference data the factories need (the loaders are idempotent)."""
    import importlib

    for name in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(name).load(apps, None)
