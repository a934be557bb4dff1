"""Case notes (the contact log) and tasks."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from stalkingservice.domain import DomainError, bump_version, check_version
from stalkingservice.roles import Capability
from stalkingservice.updates import save_with_reason, set_fields

from .. import events
from ..models.lifecycle import Case
from ..models.notes_tasks import CaseNote, Task
from ..permissions import can_edit_note
from .common import name_of, within_case
from .lifecycle import NOT_A_CASEWORKER, case_record_event, require_may_act, require_open

TASK_ALREADY_DONE = "This task is already done."
NOTE_NOT_EDITABLE = "Only the author of a note or a manager can edit it."


def _note_event_summary(note: CaseNote) -> str:
    # Never the note's text: the timeline is seen by break-glass users, sensitive or not.
    parts = [note.get_note_type_display()]
    if note.direction != CaseNote.Direction.NOT_APPLICABLE:
        parts.append(note.get_direction_display().lower())
    if note.duration_minutes:
        parts.append(f"{note.duration_minutes} minutes")
    if note.sensitive:
        parts.append("sensitive")
    return ", ".join(parts)


@transaction.atomic
def note_add(
    *,
    case: Case,
    note_type: str,
    summary: str,
    occurred_at: datetime | None = None,
    direction: str = CaseNote.Direction.NOT_APPLICABLE,
    duration_minutes: int | None = None,
    sensitive: bool = False,
    by,
) -> CaseNote:
    """Add a case note (contact log entry). Contact made in person or by phone also
    counts as the latest contact with the client."""
    require_may_act(case, by)
    require_open(case)
    occurred_at = occurred_at or timezone.now()
    within_case(case, occurred_at, field="occurred_at")
    note = CaseNote(
        case=case,
        note_type=note_type,
        summary=summary,
        occurred_at=occurred_at,
        direction=direction,
        duration_minutes=duration_minutes,
        sensitive=sensitive,
        author=by,
    )
    save_with_reason(note, "Note added")
    case_record_event(
        case=case,
        kind=events.NOTE_ADDED,
        by=by,
        at=occurred_at,
        summary=_note_event_summary(note),
        data={"note": note.pk},
    )
    return note


@transaction.atomic
def note_edit(
    *,
    note: CaseNote,
    reason: str,
    data: Mapping[str, Any],
    version: int | None,
    by,
) -> CaseNote:
    """Edit a note (only its `EDITABLE_FIELDS`). The earlier text stays in the note's
    history, with who and why."""
    if not can_edit_note(by, note):
        raise DomainError(NOTE_NOT_EDITABLE)
    require_open(note.case)
    check_version(note, version)
    within_case(note.case, data.get("occurred_at"), field="occurred_at")
    set_fields(note, fields=CaseNote.EDITABLE_FIELDS, data=data)
    bump_version(note)
    save_with_reason(note, reason[:100])
    case_record_event(
        case=note.case,
        kind=events.NOTE_EDITED,
        by=by,
        summary=f"{_note_event_summary(note)}. Reason: {reason}",
        data={"note": note.pk},
    )
    return note


@transaction.atomic
def task_add(*, case: Case, title: str, due_on: date, assignee, by) -> Task:
    """Add a task on a case for one of its workers (or a manager)."""
    require_may_act(case, by)
    require_open(case)
    if not assignee.can(Capability.WORK_CASES):
        raise DomainError(NOT_A_CASEWORKER, field="assignee")
    task = Task(case=case, title=title, due_on=due_on, assignee=assignee, created_by=by)
    save_with_reason(task, "Task added")
    case_record_event(
        case=case,
        kind=events.TASK_ADDED,
        by=by,
        summary=f"{title} (due {due_on:%d/%m/%Y}, for {name_of(assignee)})",
        data={"task": task.pk},
    )
    return task


def task_follow_up_create(*, case: Case, title: str, due_on: date, by) -> Task:
    """A follow-up task for the case's worker (or the person recording, when unallocated)."""
    task = Task(
        case=case,
        title=title[:200],
        due_on=due_on,
        assignee=case.allocated_to or by,
        created_by=by,
    )
    save_with_reason(task, "Follow-up task")
    case_record_event(case=case, kind=events.TASK_ADDED, by=by, summary=task.title)
    return task


def task_mark_done(*, task: Task, by, reason: str = "Task done") -> Task:
    """Stamp a task done and put it on the timeline (the caller holds the task's lock)."""
    task.done_at = timezone.now()
    task.done_by = by
    bump_version(task)
    save_with_reason(task, reason)
    case_record_event(
        case=task.case, kind=events.TASK_DONE, by=by, summary=task.title, data={"task": task.pk}
    )
    return task


@transaction.atomic
def task_complete(*, task: Task, by) -> Task:
    """Mark a task done (one click). Done twice is refused, so a double click is harmless."""
    task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    if task.done_at is not None:
        raise DomainError(TASK_ALREADY_DONE)
    return task_mark_done(task=task, by=by)
