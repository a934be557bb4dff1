"""Case lists and caseloads, scoped to the user who asks: the filtered and sorted lists,
the waiting list, the workers' caseloads and the managers' figures."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from stalkingservice.models import User
from stalkingservice.roles import Capability, Role

from ..models.client import Client
from ..models.lifecycle import BreakGlassGrant, Case
from ..models.notes_tasks import Task
from ..permissions import cases_visible_to
from ..statuses import INTAKE_STATUSES, OPEN_STATUSES, SUPPORTED_STATUSES, CaseStatus, RiskLevel
from .notes_tasks import DueItem, computed_due_items

# Why a case is on the caseworker's "Needs doing today" list (shown on the row, in words).
NEW_NOT_CONTACTED = "New allocation: not contacted yet"
FIRST_CONTACT_OVERDUE = "First contact overdue"
REVIEW_OVERDUE = "Risk review overdue"


def risk_rank():
    """High first: the assessed level, or the level received at intake when not assessed."""
    return models.Case(
        When(Q(risk_level=RiskLevel.HIGH) | Q(risk_level="", risk_level_at_intake="high"), then=3),
        When(
            Q(risk_level=RiskLevel.MEDIUM) | Q(risk_level="", risk_level_at_intake="medium"),
            then=2,
        ),
        When(
            Q(risk_level=RiskLevel.STANDARD) | Q(risk_level="", risk_level_at_intake="standard"),
            then=1,
        ),
        default=0,
        output_field=IntegerField(),
    )


def _with_due(qs: QuerySet[Case]) -> QuerySet[Any]:
    today = timezone.localdate()
    open_tasks = Task.objects.filter(case=OuterRef("pk"), done_at__isnull=True).order_by(
        "due_on", "id"
    )
    return qs.annotate(
        next_task_due=Subquery(open_tasks.values("due_on")[:1]),
        next_task_title=Subquery(open_tasks.values("title")[:1]),
        has_overdue_task=Exists(open_tasks.filter(due_on__lt=today)),
        risk_rank=risk_rank(),
    )


def overdue_q() -> Q:
    today = timezone.localdate()
    return (
        Q(status__in=OPEN_STATUSES, first_attempt_at__isnull=True, first_contact_due__lt=today)
        | Q(status__in=SUPPORTED_STATUSES, next_review_due__lt=today)
        | Q(has_overdue_task=True)
    )


def attach_due(cases) -> list[Case]:
    """Give each case of a page `due_items`, `next_due` and `overdue` (no extra query)."""
    cases = list(cases)
    for case in cases:
        items = computed_due_items(case)
        if getattr(case, "next_task_due", None):
            items.append(DueItem(case.next_task_title, case.next_task_due, "task"))
        items.sort(key=lambda i: i.due_on)
        case.due_items = items
        case.next_due = items[0] if items else None
        case.overdue = any(i.overdue for i in items)
    return cases


def case_list_page(cases: QuerySet[Case], number, per_page: int) -> Page:
    """One page of a case list, read in two steps: the page's ids first, sorted from the
    case table alone, then just those rows with the client, workers and due dates the list
    shows. Joining a caseworker's thousands of open cases to their clients only to keep
    25 cost most of the home page's time at 20,000 cases (docs/benchmark.md)."""
    page = Paginator(cases.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {case.pk: case for case in cases.filter(pk__in=ids).order_by()}
    # The page of ids becomes the page of their cases.
    page.object_list = attach_due([rows[pk] for pk in ids if pk in rows])  # type: ignore[assignment]
    return page


SORTS = {
    "reference": ("reference",),
    "-reference": ("-reference",),
    "client": ("client__last_name", "client__first_name"),
    "-client": ("-client__last_name", "-client__first_name"),
    "referred": ("referred_at",),
    "-referred": ("-referred_at",),
    "risk": ("risk_rank", "referred_at"),
    "-risk": ("-risk_rank", "referred_at"),
    "status": ("status", "-referred_at"),
    "-status": ("-status", "-referred_at"),
    "last_contact": (F("last_contact_at").asc(nulls_first=True),),
    "-last_contact": (F("last_contact_at").desc(nulls_last=True),),
    "worker": ("allocated_to__last_name", "allocated_to__first_name"),
    "-worker": ("-allocated_to__last_name", "-allocated_to__first_name"),
}


DEFAULT_SORT = "-risk"


def search_matches(word: str) -> QuerySet[Case, Any]:
    """Ids of cases whose reference or client's name contains `word` (any case).

    Written as a UNION of two single-table searches so PostgreSQL can answer each from its
    trigram index (migration cases 0005: GIN gin_trgm_ops on UPPER(reference) and on
    UPPER() of each client name; `icontains` compares UPPER(column) LIKE UPPER(pattern)).
    An OR across the case and client tables in one WHERE would read every case instead.
    """
    by_reference = Case.objects.filter(reference__icontains=word).order_by().values("pk")
    clients = Client.objects.filter(
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(preferred_name__icontains=word)
    ).values("pk")
    by_name = Case.objects.filter(client__in=clients).order_by().values("pk")
    return by_reference.union(by_name)


def _search(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """Every word must match the reference or one of the client's names."""
    for word in q.split()[:5]:
        qs = qs.filter(pk__in=search_matches(word))
    return qs


def case_list_filtered(*, user, filters: dict, mine: bool = False) -> QuerySet[Case]:
    """The caseload lists. `filters` is a cleaned CaseFilterForm's data (may be empty)."""
    qs = cases_visible_to(user)
    if mine:
        qs = qs.filter(Q(allocated_to=user) | Q(co_worker=user))
    listed = _with_due(qs.select_related("client", "allocated_to", "co_worker", "district"))
    status = filters.get("status") or "open"
    if status == "open":
        listed = listed.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        listed = listed.filter(status=status)
    if filters.get("risk"):
        listed = listed.filter(
            risk_rank={"high": 3, "medium": 2, "standard": 1, "none": 0}[filters["risk"]]
        )
    if filters.get("worker"):
        listed = listed.filter(Q(allocated_to=filters["worker"]) | Q(co_worker=filters["worker"]))
    if filters.get("district"):
        listed = listed.filter(district=filters["district"])
    if filters.get("overdue"):
        listed = listed.filter(overdue_q())
    if filters.get("q"):
        listed = _search(listed, filters["q"])
    return listed.order_by(
        *SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT]), "-id"
    )


def waiting_list(*, user) -> QuerySet[Case]:
    """Accepted cases waiting for a caseworker: highest risk first, then longest waiting."""
    if not user.can(Capability.ALLOCATE):
        return Case.objects.none()
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.WAITING)
        .select_related("client", "district")
        .annotate(risk_rank=risk_rank(), waiting_since=Coalesce("accepted_at", "referred_at"))
        .order_by("-risk_rank", "waiting_since", "id")
    )


def _count(qs):
    return Coalesce(
        Subquery(qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]),
        0,
    )


def caseworkers_with_caseload() -> QuerySet[User]:
    """Everyone who can hold cases, with their open caseload and how many are high risk."""
    mine = Case.objects.filter(
        Q(allocated_to=OuterRef("pk")) | Q(co_worker=OuterRef("pk")),
        status__in=SUPPORTED_STATUSES,
    )
    return (
        User.objects.filter(is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER])
        .annotate(
            caseload=_count(mine),
            high_risk=_count(mine.filter(risk_level=RiskLevel.HIGH)),
            overdue_first=_count(
                mine.filter(
                    first_attempt_at__isnull=True, first_contact_due__lt=timezone.localdate()
                )
            ),
        )
        .order_by("role", "first_name", "last_name", "username")
    )


def overdue_first_contacts(*, user) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(
            status__in=OPEN_STATUSES,
            first_attempt_at__isnull=True,
            first_contact_due__lt=timezone.localdate(),
        )
        .select_related("client", "allocated_to")
        .order_by("first_contact_due", "id")
    )


def manager_summary(*, user) -> dict:
    visible = cases_visible_to(user)
    return {
        "intake_count": visible.filter(status__in=INTAKE_STATUSES).count(),
        "waiting_count": visible.filter(status=CaseStatus.WAITING).count(),
        "overdue_first_count": overdue_first_contacts(user=user).count(),
    }


def recent_break_glass(*, user, days: int = 14):
    if not user.can(Capability.VIEW_ACCESS_LOG):
        return BreakGlassGrant.objects.none()
    return (
        BreakGlassGrant.objects.filter(granted_at__gte=timezone.now() - timedelta(days=days))
        .select_related("user", "case")
        .order_by("-granted_at")
    )


def my_open_tasks(*, user) -> QuerySet[Task]:
    return (
        Task.objects.filter(assignee=user, done_at__isnull=True, case__in=cases_visible_to(user))
        .select_related("case", "case__client")
        .order_by("due_on", "id")
    )


def allocation_choices() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]).order_by(
        "role", "first_name", "last_name", "username"
    )


@dataclass(frozen=True)
class TodayReason:
    """One reason a case needs doing today: what, since or by when, how overdue."""

    label: str
    due_on: date | None
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def needs_doing_today(*, user) -> QuerySet[Case]:
    """The caseworker's cases that need doing today, as one list: new allocations not yet
    contacted, overdue first contacts and overdue risk reviews. High risk first, then the
    most overdue (the earliest missed date), then the oldest allocation. One query for a
    page of it, however many cases the worker holds."""
    today = timezone.localdate()
    not_contacted = Q(status__in=OPEN_STATUSES, first_attempt_at__isnull=True)
    review_overdue = Q(status__in=SUPPORTED_STATUSES, next_review_due__lt=today)
    return (
        cases_visible_to(user)
        .filter(Q(allocated_to=user) | Q(co_worker=user))
        .filter(not_contacted | review_overdue)
        .select_related("client")
        .annotate(
            risk_rank=risk_rank(),
            # LEAST skips NULLs in PostgreSQL: the earliest date this case has missed.
            missed_since=Least(
                models.Case(
                    When(
                        not_contacted & Q(first_contact_due__lt=today), then=F("first_contact_due")
                    ),
                    default=None,
                    output_field=models.DateField(),
                ),
                models.Case(
                    When(review_overdue, then=F("next_review_due")),
                    default=None,
                    output_field=models.DateField(),
                ),
            ),
        )
        .order_by(
            "-risk_rank",
            F("missed_since").asc(nulls_last=True),
            F("allocated_at").asc(nulls_last=True),
            "id",
        )
    )


def today_reasons(case: Case) -> list[TodayReason]:
    """Why a case from `needs_doing_today` is on the list, computed from its own fields."""
    today = timezone.localdate()
    reasons = []
    if case.status in OPEN_STATUSES and case.first_attempt_at is None:
        due = case.first_contact_due
        if due is not None and due < today:
            reasons.append(TodayReason(FIRST_CONTACT_OVERDUE, due, (today - due).days))
        else:
            reasons.append(TodayReason(NEW_NOT_CONTACTED, due, 0))
    review = case.next_review_due
    if case.status in SUPPORTED_STATUSES and review is not None and review < today:
        reasons.append(TodayReason(REVIEW_OVERDUE, review, (today - review).days))
    return reasons


def today_page(cases: QuerySet[Case], number, per_page: int) -> Page:
    """One page of `needs_doing_today`, each case with its `reasons`."""
    page = Paginator(cases, per_page).get_page(number)
    rows: list[Any] = list(page.object_list)  # cases, given `reasons` and `overdue` below
    for case in rows:
        case.reasons = today_reasons(case)
        case.overdue = any(r.overdue for r in case.reasons)
    page.object_list = rows
    return page


def my_tasks_page(*, user, number, per_page: int) -> Page:
    """Every open task of the user's, oldest due first, a page at a time (with the count)."""
    return Paginator(my_open_tasks(user=user), per_page).get_page(number)
