"""Forms for case notes and tasks."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm

from ..models.notes_tasks import CaseNote
from ..selectors.caseload import allocation_choices
from .common import (
    DATETIME_INPUT,
    DateInput,
    OnceOnlyFormMixin,
    WorkerChoiceField,
    not_future_time,
    text_field,
)

DUE_IN_PAST = "The due date cannot be more than a year ago"


class NoteForm(OnceOnlyFormMixin, BaseForm):
    note_type = forms.ChoiceField(choices=CaseNote.NoteType.choices, label="Type")
    direction = forms.ChoiceField(
        choices=CaseNote.Direction.choices, initial=CaseNote.Direction.NOT_APPLICABLE
    )
    occurred_at = forms.DateTimeField(label="When", widget=DATETIME_INPUT)
    duration_minutes = forms.IntegerField(
        label="Duration in minutes (optional)", required=False, min_value=0, max_value=24 * 60
    )
    summary = text_field("Summary", 10000, rows=5)
    sensitive = forms.BooleanField(
        label="Sensitive: only the allocated workers and managers may read it", required=False
    )

    def __init__(self, *args, note=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note_type"].error_messages["required"] = "Select the type of note"
        self.fields["occurred_at"].error_messages["required"] = "Enter when it happened"
        self.fields["summary"].error_messages["required"] = "Enter a summary"
        if not self.is_bound:
            if note is not None:
                for name in self.fields:
                    if hasattr(note, name):
                        self.initial[name] = getattr(note, name)
                self.initial["occurred_at"] = timezone.localtime(note.occurred_at)
            else:
                self.initial.setdefault(
                    "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
                )

    def clean_occurred_at(self):
        return not_future_time(self.cleaned_data.get("occurred_at"))


class NoteEditForm(NoteForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = text_field("Why are you changing this note?", 300)

    def __init__(self, *args, note=None, **kwargs):
        super().__init__(*args, note=note, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you are changing the note"
        if note is not None and not self.is_bound:
            self.initial["version"] = note.version


class TaskForm(OnceOnlyFormMixin, BaseForm):
    title = text_field("What needs doing", 200)
    due_on = forms.DateField(label="Due", widget=DateInput())
    assignee = WorkerChoiceField(queryset=None, label="For")

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter what needs doing"
        self.fields["due_on"].error_messages["required"] = "Enter the due date"
        self.fields["assignee"].error_messages["required"] = "Select who the task is for"
        workers = allocation_choices()
        if case is not None:
            from django.db.models import Q

            workers = workers.filter(
                Q(pk__in=[case.allocated_to_id, case.co_worker_id]) | Q(role="manager")
            )
            if user is not None:
                workers = workers | allocation_choices().filter(pk=user.pk)
        self.fields["assignee"].queryset = workers.distinct()
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=7))
            if user is not None:
                self.initial.setdefault("assignee", user.pk)

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due < timezone.localdate() - timedelta(days=365):
            raise forms.ValidationError(DUE_IN_PAST)
        return due
