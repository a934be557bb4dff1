"""Access to risk assessments, MARAC referrals, incidents and exhibits: one rule, the
case's. A record on a case the user may not see is a 404."""

from django.db.models import QuerySet

from cases.permissions import can_work_case, cases_visible_to
from stalkingservice.roles import Capability

from .models.exhibits import Exhibit
from .models.incidents import Incident


def can_record_risk(user, case) -> bool:
    return can_work_case(user, case)


def can_see_review_list(user) -> bool:
    return user.can(Capability.SEE_ALL_CASES)


def incidents_visible_to(user) -> QuerySet[Incident]:
    return Incident.objects.filter(case__in=cases_visible_to(user))


def exhibits_visible_to(user) -> QuerySet[Exhibit]:
    return Exhibit.objects.filter(case__in=cases_visible_to(user))
