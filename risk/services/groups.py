"""Writes for group work: programmes (managers), enrolment, sessions and the register.
Writes that touch a client's case record an event on its timeline."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.common import BEFORE_REFERRAL, referral_day
from cases.services.lifecycle import case_record_event
from stalkingservice.domain import UNCHECKED, DomainError, bump_version
from stalkingservice.history import set_history_reason
from stalkingservice.updates import record_update, set_fields

from .. import events
from ..models.groups import GroupAttendance, GroupMember, GroupProgramme, GroupSession
from ..models.sessions import SessionStatus
from .common import require_open
from .sessions import check_session_date

GROUP_NAME_TAKEN = "There is already a group with that name."
ALREADY_ENROLLED = "This client is already on that group."
PROGRAMME_CLOSED = "That group is not taking new members."
ATTENDANCE_IN_FUTURE = "Attendance can only be recorded for a session that has happened."
NOT_A_MEMBER = "Attendance can only be recorded for members of the group."

GroupProgramme.EDITABLE_FIELDS = ("name", "kind", "starts_on", "description", "active")


@transaction.atomic
def group_programme_create(
    *,
    name: str,
    kind: str,
    starts_on: date,
    facilitators,
    description: str = "",
    by,
) -> GroupProgramme:
    """Set up a group programme (managers) and name the staff who facilitate it."""
    if GroupProgramme.objects.filter(name__iexact=name).exists():
        raise DomainError(GROUP_NAME_TAKEN, field="name")
    programme = GroupProgramme(
        name=name, kind=kind, starts_on=starts_on, description=description, created_by=by
    )
    set_history_reason(programme, "Programme created")
    programme.save()
    programme.facilitators.set(facilitators)
    return programme


@transaction.atomic
def group_programme_update(*, programme: GroupProgramme, data: dict, by) -> GroupProgramme:
    clash = GroupProgramme.objects.filter(name__iexact=data["name"]).exclude(pk=programme.pk)
    if clash.exists():
        raise DomainError(GROUP_NAME_TAKEN, field="name")
    record_update(
        obj=programme,
        fields=GroupProgramme.EDITABLE_FIELDS,
        data=data,
        reason="Programme changed",
        version=data.get("version", UNCHECKED),
        by=by,
        save_unchanged=True,
    )
    programme.facilitators.set(data["facilitators"])
    return programme


@transaction.atomic
def group_enrol(*, case: Case, programme: GroupProgramme, by) -> GroupMember:
    require_open(case)
    if not programme.active:
        raise DomainError(PROGRAMME_CLOSED, field="programme")
    if GroupMember.objects.filter(case=case, programme=programme).exists():
        raise DomainError(ALREADY_ENROLLED, field="programme")
    member = GroupMember(case=case, programme=programme, enrolled_by=by)
    set_history_reason(member, "Enrolled")
    member.save()
    case_record_event(
        case=case,
        kind=events.GROUP_ENROLLED,
        by=by,
        summary=programme.name,
        data={"programme": programme.pk},
    )
    return member


@transaction.atomic
def group_session_add(*, programme: GroupProgramme, data: dict, by) -> GroupSession:
    check_session_date(data)
    session = GroupSession(programme=programme)
    set_fields(session, fields=GroupSession.EDITABLE_FIELDS, data=data)
    set_history_reason(session, "Session added")
    session.save()
    return session


@transaction.atomic
def group_attendance_record(*, session: GroupSession, marks: dict[int, str], by) -> GroupSession:
    """Record the register: attended, apologies or did not attend for each member. The
    session becomes delivered. Each member's case timeline gets the entry."""
    if session.session_date > timezone.localdate():
        raise DomainError(ATTENDANCE_IN_FUTURE)
    members = set(session.programme.members.values_list("case_id", flat=True))
    if not set(marks) <= members:
        raise DomainError(NOT_A_MEMBER)
    cases = Case.objects.in_bulk(list(marks))
    for case_id, status in marks.items():
        # A client cannot have attended a session held before their referral arrived.
        if status and session.session_date < referral_day(cases[case_id]):
            day = referral_day(cases[case_id])
            raise DomainError(
                BEFORE_REFERRAL.format(date=f"{day.day} {day:%B %Y}"), field=f"case_{case_id}"
            )
    existing = {a.case_id: a for a in session.attendance.all()}
    labels = dict(GroupAttendance.Status.choices)
    changed_cases = []
    for case_id, status in marks.items():
        row = existing.get(case_id)
        if not status:
            if row is not None:
                set_history_reason(row, "Removed from register")
                row.delete()
                changed_cases.append((case_id, "not recorded"))
            continue
        if row is None:
            row = GroupAttendance(session=session, case_id=case_id, recorded_by=by)
        elif row.status == status:
            continue
        row.status = status
        row.recorded_by = by
        row.recorded_at = timezone.now()
        set_history_reason(row, "Register")
        row.save()
        changed_cases.append((case_id, labels[status].lower()))
    if session.status != SessionStatus.DELIVERED:
        session.status = SessionStatus.DELIVERED
        bump_version(session)
        set_history_reason(session, "Register taken")
        session.save()
    for case_id, label in changed_cases:
        case_record_event(
            case=cases[case_id],
            kind=events.GROUP_ATTENDANCE,
            by=by,
            summary=f"{session.programme.name}, {session.session_date:%d/%m/%Y}: {label}",
            data={"group_session": session.pk},
        )
    return session
