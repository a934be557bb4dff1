"""One access rule for cases. Lists and detail pages both load cases through
`cases_visible_to`, so they cannot disagree; anything outside it is a 404."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from stalkingservice.roles import Capability

from .models.lifecycle import BreakGlassGrant, Case
from .models.notes_tasks import CaseNote
from .models.service_records import Feedback


def cases_visible_to(user) -> QuerySet[Case]:
    """Managers: every case. Caseworkers: cases allocated to them as worker or co-worker,
    plus unrestricted cases they hold a live break-glass grant for. Others: none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    if user.can(Capability.SEE_ALL_CASES):
        return Case.objects.all()
    if not user.can(Capability.WORK_CASES):
        return Case.objects.none()
    # EXISTS rather than a join: no DISTINCT, so lists, counts and subqueries built on
    # this stay cheap for a caseworker with thousands of cases (see docs/benchmark.md).
    live_grant = BreakGlassGrant.objects.filter(
        case=OuterRef("pk"), user=user, expires_at__gt=timezone.now()
    )
    return Case.objects.filter(
        Q(allocated_to=user) | Q(co_worker=user) | Q(Exists(live_grant), restricted=False)
    )


def is_allocated_worker(user, case: Case) -> bool:
    return user.pk is not None and user.pk in (case.allocated_to_id, case.co_worker_id)


def may_act_on_case(user, case: Case) -> bool:
    """Who may change anything on a case (every write: closure, reallocation, client
    details, safe-contact routes, episodes, notes, contact attempts, incidents, plans...):
    managers and the allocated workers. A break-glass grant gives reading only."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.can(Capability.SEE_ALL_CASES) or is_allocated_worker(user, case)
    )


def can_see_sensitive(user, case: Case) -> bool:
    """Sensitive notes (and every version of a note that was sensitive when saved): only
    the allocated workers and managers."""
    return user.can(Capability.SEE_ALL_CASES) or is_allocated_worker(user, case)


def can_edit_note(user, note: CaseNote) -> bool:
    """Only the note's author or a manager may change it (break-glass may read, not edit)."""
    return user.pk == note.author_id or user.can(Capability.SEE_ALL_CASES)


def notes_visible_to(user, case: Case) -> QuerySet[CaseNote]:
    """Sensitive notes: only the allocated workers and managers (not break-glass)."""
    qs = case.notes.all()
    if can_see_sensitive(user, case):
        return qs
    return qs.filter(sensitive=False)


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """Compliments and complaints: managers read and edit every one; anyone else who may
    record them, only those they recorded. Nobody ever reads a complaint about themselves
    (`about_staff`), whoever recorded it. Lists, the edit page and every other read load
    feedback through this one rule."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Feedback.objects.none()
    if not user.can(Capability.MANAGE_SERVICE_RECORDS):
        return Feedback.objects.none()
    qs = Feedback.objects.exclude(kind=Feedback.Kind.COMPLAINT, about_staff=user)
    if user.can(Capability.SEE_ALL_CASES):
        return qs
    return qs.filter(recorded_by=user)
