"""Who may see which referral while it is being triaged.

Triage is the one place where staff handle a case that is not (yet) allocated to them:
any caseworker on duty may pick up a new referral. So the triage queue and the triage
page do NOT load cases through `cases_visible_to` (which would hide every unallocated
case from caseworkers); they use `referrals_for_triage(user)`, a scope of its own:

- users without the TRIAGE capability (commissioners, administrators): nothing;
- managers: every referral still awaiting a triage decision and not yet allocated;
- caseworkers: the same, except referrals on a restricted case and referrals whose
  conflict check matched (the suspect's name matches a member of staff or a current
  client). Those go to managers only, so a member of staff never triages a referral
  about themselves, and the flag itself is never shown to caseworkers; and referrals a
  caseworker passed to a manager because the duplicate check found a possible match
  they may not see (`duplicate_for_manager`).

Anything outside the scope is a 404, like any other record the user may not see. Once a
referral is decided it leaves this scope: an accepted case is reached through the
waiting list and `cases_visible_to`, like every other case.
"""

from django.db.models import QuerySet

from cases.statuses import INTAKE_STATUSES
from stalkingservice.roles import Capability

from .models import Referral


def referrals_for_triage(user) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Referral.objects.none()
    if not user.can(Capability.TRIAGE):
        return Referral.objects.none()
    qs = Referral.objects.filter(
        outcome=Referral.Outcome.PENDING,
        case__status__in=INTAKE_STATUSES,
        case__allocated_to__isnull=True,
    )
    if user.can(Capability.SEE_ALL_CASES):
        return qs
    return qs.filter(case__restricted=False, conflict_flag=False, duplicate_for_manager=False)


def can_see_conflict_flag(user) -> bool:
    """The conflict check's result is for managers only."""
    return bool(getattr(user, "is_authenticated", False)) and user.can(Capability.SEE_ALL_CASES)
