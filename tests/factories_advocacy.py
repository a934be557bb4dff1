import datetime as dt

import factory
from django.utils import timezone

from cases.models.handover import HandoverReferral, ServiceDirectoryEntry
from cases.models.lifecycle import ClosureReason
from cases.models.orders import ProtectiveOrder
from cases.models.police_court import PoliceInvestigation
from cases.statuses import CaseStatus

from .factories import CaseFactory


def active_case(**kwargs):
    """An active case allocated a month ago (so closure needs no approval unless high risk)."""
    kwargs.setdefault("status", CaseStatus.ACTIVE)
    kwargs.setdefault("allocated_at", timezone.now() - dt.timedelta(days=30))
    kwargs.setdefault("risk_level", "standard")
    return CaseFactory(**kwargs)


def reason(code="support-completed"):
    return ClosureReason.objects.get(code=code)


def service(code="victim-gateway"):
    return ServiceDirectoryEntry.objects.get(code=code)


class InvestigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceInvestigation

    case = factory.SubFactory(CaseFactory)
    crime_reference = factory.Sequence(lambda n: f"SP-{n + 1:06d}-26")
    officer_name = "DC Sam Jones"
    officer_collar_number = "4321"
    reported_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    status_changed_on = factory.LazyAttribute(lambda o: o.reported_on)


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectiveOrder

    case = factory.SubFactory(CaseFactory)
    order_type = ProtectiveOrder.OrderType.SPO
    status = "applied"
    applied_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))
    by = factory.LazyAttribute(lambda o: o.case.allocated_to)


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoverReferral

    case = factory.SubFactory(CaseFactory)
    service = factory.LazyFunction(service)
    kind = HandoverReferral.Kind.MANAGED
    consent_to_share = True
    information_shared = "Name, that she is being followed, best times to talk."
    by = factory.LazyAttribute(lambda o: o.case.allocated_to)
