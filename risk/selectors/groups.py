"""Reads for group work. A case's memberships are reached through the case; programmes
through those the user facilitates (or every one, for managers), so anything else is a
404. A facilitator learns only the name a member likes to be called."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ..models.groups import GroupAttendance, GroupMember, GroupProgramme, GroupSession
from ..permissions import programmes_visible_to


def group_memberships_for_case(*, case) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(case=case)
        .select_related("programme")
        .order_by("-enrolled_on", "id")
    )


def group_attendance_for_case(*, case) -> QuerySet[GroupAttendance]:
    return (
        GroupAttendance.objects.filter(case=case)
        .select_related("session", "session__programme")
        .order_by("-session__session_date", "-id")
    )


def programmes_open_for_enrolment(*, case) -> QuerySet[GroupProgramme]:
    return GroupProgramme.objects.filter(active=True).exclude(members__case=case)


def programme_list_for_user(*, user) -> QuerySet[GroupProgramme]:
    return (
        programmes_visible_to(user)
        .annotate(
            member_count=Count("members", distinct=True),
            session_count=Count("sessions", distinct=True),
        )
        .prefetch_related("facilitators")
        .order_by("-active", "-starts_on", "name")
    )


def programme_get_for_user(*, user, pk) -> GroupProgramme:
    try:
        return programmes_visible_to(user).get(pk=pk)
    except (GroupProgramme.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Attendee:
    """What a facilitator may know of a group member: the name they like to be called,
    nothing from their case."""

    case_id: int
    name: str


def preferred_name(client) -> str:
    return client.preferred_name or client.first_name


def programme_attendees(*, programme: GroupProgramme) -> list[Attendee]:
    rows = (
        GroupMember.objects.filter(programme=programme)
        .values_list("case_id", "case__client__preferred_name", "case__client__first_name")
        .order_by("case__client__preferred_name", "case__client__first_name", "id")
    )
    return [Attendee(case_id=c, name=p or f) for c, p, f in rows]


def programme_sessions(*, programme: GroupProgramme) -> QuerySet[GroupSession]:
    return programme.sessions.annotate(
        attended=Count("attendance", filter=Q(attendance__status=GroupAttendance.Status.ATTENDED))
    ).order_by("-session_date", "-id")


def group_session_get(*, programme, pk) -> GroupSession:
    try:
        return programme.sessions.get(pk=pk)
    except (GroupSession.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def session_attendance_map(*, session: GroupSession) -> dict[int, str]:
    return dict(session.attendance.values_list("case_id", "status"))
