"""Reads of a case's notes and tasks (and the items due on it)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ..models.lifecycle import Case
from ..models.notes_tasks import CaseNote, Task
from ..permissions import can_see_sensitive, notes_visible_to
from ..statuses import OPEN_STATUSES, SUPPORTED_STATUSES


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


def note_history(*, user, note: CaseNote):
    """The saved versions of a note this user could see now: a version saved while the
    note was sensitive is left out for anyone who may not read sensitive notes, so a note
    once marked sensitive (and later reworded or unmarked) never shows its earlier text
    through its history."""
    versions = note.history.select_related("history_user").order_by("-history_date", "-history_id")
    if not can_see_sensitive(user, note.case):
        versions = versions.filter(sensitive=False)
    return versions
