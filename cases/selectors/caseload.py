"""Every read of cases, scoped to the user who asks."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case as When_,
)
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
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import BreakGlassGrant, Case
from cases.models.notes_tasks import CaseNote, Task
from stalkingservice.models import AuditEvent, User
from stalkingservice.roles import Capability, Role

from ..permissions import cases_visible_to, notes_visible_to
from ..statuses import INTAKE_STATUSES, OPEN_STATUSES, SUPPORTED_STATUSES, CaseStatus, RiskLevel


def case_get_for_user(*, user, pk) -> Case:
    """Fetch and check access in one step: a case the user may not see is 'not found'."""
    try:
        return (
            cases_visible_to(user)
            .select_related(
                "client",
                "client__safe_contact",
                "allocated_to",
                "co_worker",
                "district",
                "referral",
            )
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def case_break_glass_candidate(*, user, pk) -> Case | None:
    """A case the user cannot see but could open with a reason (not restricted), or None.
    Used only to offer the break-glass form; it reveals nothing but the reference."""
    if not user.can(Capability.BREAK_GLASS):
        return None
    try:
        case = Case.objects.only("pk", "reference", "restricted").get(pk=int(pk))
    except (Case.DoesNotExist, ValueError, TypeError):
        return None
    if case.restricted or cases_visible_to(user).filter(pk=case.pk).exists():
        return None
    return case


def case_list_for_user(*, user) -> QuerySet[Case]:
    return cases_visible_to(user).select_related("client", "allocated_to", "co_worker")


def case_timeline(*, case: Case, limit: int = 200):
    return case.events.select_related("by").order_by("-at", "-id")[:limit]


# ---- Due items -------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """One thing due on a case: a manual task or one computed from the case's dates."""

    label: str
    due_on: date
    kind: str  # "task", "first_contact", "risk_review"
    task: Task | None = None

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()

    @property
    def due_today(self) -> bool:
        return self.due_on == timezone.localdate()


FIRST_CONTACT_LABEL = "First contact attempt due"
RISK_REVIEW_LABEL = "Risk review due"


def computed_due_items(case: Case) -> list[DueItem]:
    """Items computed from the case's own fields; no query."""
    items = []
    if (
        case.status in OPEN_STATUSES
        and case.first_attempt_at is None
        and case.first_contact_due is not None
    ):
        items.append(DueItem(FIRST_CONTACT_LABEL, case.first_contact_due, "first_contact"))
    if case.status in SUPPORTED_STATUSES and case.next_review_due is not None:
        items.append(DueItem(RISK_REVIEW_LABEL, case.next_review_due, "risk_review"))
    return items


def risk_rank():
    """High first: the assessed level, or the level received at intake when not assessed."""
    return When_(
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


def _with_due(qs: QuerySet[Case]) -> QuerySet[Case]:
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


# ---- Case lists --------------------------------------------------------------------------


def case_list_page(cases: QuerySet[Case], number, per_page: int) -> Page:
    """One page of a case list, read in two steps: the page's ids first, sorted from the
    case table alone, then just those rows with the client, workers and due dates the list
    shows. Joining a caseworker's thousands of open cases to their clients only to keep
    25 cost most of the home page's time at 20,000 cases (docs/benchmark.md)."""
    page = Paginator(cases.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {case.pk: case for case in cases.filter(pk__in=ids).order_by()}
    page.object_list = attach_due([rows[pk] for pk in ids if pk in rows])
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


def search_matches(word: str) -> QuerySet[Case]:
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
    qs = _with_due(qs.select_related("client", "allocated_to", "co_worker", "district"))
    status = filters.get("status") or "open"
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    if filters.get("risk"):
        qs = qs.filter(
            risk_rank={"high": 3, "medium": 2, "standard": 1, "none": 0}[filters["risk"]]
        )
    if filters.get("worker"):
        qs = qs.filter(Q(allocated_to=filters["worker"]) | Q(co_worker=filters["worker"]))
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    if filters.get("overdue"):
        qs = qs.filter(overdue_q())
    if filters.get("q"):
        qs = _search(qs, filters["q"])
    return qs.order_by(*SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT]), "-id")


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


# ---- One case's records ----------------------------------------------------------------


def case_tasks(*, case: Case):
    """(open due items: manual and computed, sorted by date; done tasks, newest first)."""
    open_tasks = case.tasks.filter(done_at__isnull=True).select_related("assignee")
    items = [DueItem(t.title, t.due_on, "task", task=t) for t in open_tasks]
    items += computed_due_items(case)
    items.sort(key=lambda i: (i.due_on, i.label))
    done = case.tasks.filter(done_at__isnull=False).select_related("assignee", "done_by")
    return items, done.order_by("-done_at")[:50]


def case_task_get(*, case: Case, pk) -> Task:
    try:
        return case.tasks.select_related("case").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def case_notes_for(*, user, case: Case) -> QuerySet[CaseNote]:
    return notes_visible_to(user, case).select_related("author").order_by("-occurred_at", "-id")


def case_note_get(*, user, case: Case, pk) -> CaseNote:
    try:
        return case_notes_for(user=user, case=case).select_related("case").get(pk=pk)
    except (CaseNote.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def note_history(*, note: CaseNote):
    return note.history.select_related("history_user").order_by("-history_date", "-history_id")


def case_contact_attempts(*, case: Case):
    return case.contact_attempts.select_related("by").order_by("-at", "-id")


def case_access_log(*, case: Case) -> QuerySet[AuditEvent]:
    """Who has looked at this case: every view and break-glass, newest first."""
    return AuditEvent.objects.filter(
        case_id=case.pk,
        action__in=[AuditEvent.Action.CASE_VIEW, AuditEvent.Action.BREAK_GLASS],
    ).select_related("user")


def case_break_glass_grants(*, case: Case):
    return case.break_glass_grants.select_related("user").order_by("-granted_at")


def allocation_choices() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]).order_by(
        "role", "first_name", "last_name", "username"
    )


# ---- when a case was taken on and whether it was open: one rule for the quarterly
# figures (reporting/indicators.py) and the list of the cases behind each figure
# (cases/figure_filter.py), so the two always count the same cases.


def case_taken_on_at():
    """When a case was taken on for support: accepted, or allocated (older records)."""
    return Coalesce("accepted_at", "allocated_at")


def case_open_at(end, *, taken_on: str) -> Q:
    """Cases open at the moment `end` (an aware datetime): taken on (or, not yet triaged,
    referred) before it and not closed by then. `taken_on` names the annotation holding
    case_taken_on_at()."""
    return (
        (Q(**{f"{taken_on}__lt": end}) | Q(**{f"{taken_on}__isnull": True}, referred_at__lt=end))
        & ~Q(**{f"{taken_on}__isnull": True}, status__in=[*INTAKE_STATUSES, CaseStatus.CLOSED])
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    )
