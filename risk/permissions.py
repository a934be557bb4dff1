"""Access in the risk app. Every record on a case (assessments, MARAC referrals,
incidents, exhibits, plans, sessions, digital checks) follows the case's one rule: the
case page loads the case through cases.permissions.cases_visible_to and the selectors
reach the record through that case, so a record on a case the user may not see is a 404.
Group programmes have a rule of their own, as they belong to no case."""

from django.db.models import QuerySet

from stalkingservice.roles import Capability

from .models.groups import GroupProgramme


def programmes_visible_to(user) -> QuerySet[GroupProgramme]:
    """Managers see every programme; other staff who work cases see the programmes they
    facilitate. Nobody else sees any."""
    if not getattr(user, "is_authenticated", False) or not user.can(Capability.WORK_CASES):
        return GroupProgramme.objects.none()
    if user.can(Capability.SEE_ALL_CASES):
        return GroupProgramme.objects.all()
    return GroupProgramme.objects.filter(facilitators=user)
