"""Case notes (editing, history) and the tasks tab."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stalkingservice.access import capability_required
from stalkingservice.domain import DomainError
from stalkingservice.redirects import local_path
from stalkingservice.roles import Capability

from ..case_page import case_form_page, case_page_context, save_form, with_case
from ..forms.notes_tasks import NoteEditForm, TaskForm
from ..permissions import can_edit_note
from ..selectors import notes_tasks as selectors
from ..services import notes_tasks as services
from ..tabs import tab_url


@capability_required(Capability.WORK_CASES)
@with_case
def note_edit(request, case, note_pk):
    note = selectors.case_note_get(user=request.user, case=case, pk=note_pk)
    if not can_edit_note(request.user, note):
        raise Http404
    return case_form_page(
        request,
        case,
        tab="contact",
        form=NoteEditForm(request.POST or None, note=note),
        title="Edit a case note",
        intro="The earlier wording is kept in the note's history, with your name and reason.",
        page_name="note edit",
        save=lambda form: services.note_edit(
            note=note,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
            data=form.cleaned_data,
            by=request.user,
        ),
        done="Note changed. The earlier version is kept in its history.",
        submit="Save changes",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def note_history(request, case, note_pk):
    note = selectors.case_note_get(user=request.user, case=case, pk=note_pk)
    context = case_page_context(request, case, "contact", page_name="note history")
    context.update(
        note=note, versions=list(selectors.note_history(user=request.user, note=note)[:100])
    )
    return render(request, "cases/notes_tasks/note_history.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def tasks(request, case):
    form = TaskForm(request.POST or None, case=case, user=request.user)
    extra = {}
    if request.method == "POST":
        response, extra = save_form(
            request,
            form,
            save=lambda form: services.task_add(case=case, by=request.user, **form.submitted()),
            done="Task added.",
            success_url=tab_url("tasks", case),
        )
        if response is not None:
            return response
    context = case_page_context(request, case, "tasks", page_name="tasks")
    context["due_items"], context["done_tasks"] = selectors.case_tasks(case=case)
    context.update(form=form, **extra)
    return render(request, "cases/notes_tasks/tasks.html", context)


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def task_done(request, case, task_pk):
    task = selectors.case_task_get(case=case, pk=task_pk)
    try:
        task = services.task_complete(task=task, by=request.user)
    except DomainError as exc:
        # A second click on the same button: the task is done either way.
        messages.info(request, str(exc))
    if request.headers.get("HX-Request"):
        task.refresh_from_db()
        return render(request, "cases/includes/task_done_row.html", {"task": task, "case": case})
    messages.success(request, f"Done: {task.title}")
    nxt = local_path(request.POST.get("next"))
    if nxt:
        return redirect(nxt)
    return redirect("cases:tasks", pk=case.pk)
