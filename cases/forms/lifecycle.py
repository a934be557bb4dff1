"""Forms for a case's lifecycle: allocation, break-glass, restriction, exit planning,
closure and a new episode."""

from django import forms

from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.lifecycle import ClosureReason, ExitPlan
from ..selectors.caseload import allocation_choices
from ..services.lifecycle import (
    CLOSURE_OPEN_TASKS,
    CLOSURE_REASON_REQUIRED,
    CLOSURE_RETURN_NEEDS_COMMENT,
    CLOSURE_SUMMARY_REQUIRED,
)
from .common import Rebuilt, WorkerChoiceField, text_field


class AllocateForm(BaseForm):
    worker = WorkerChoiceField(queryset=None, label="Caseworker")
    co_worker = WorkerChoiceField(queryset=None, label="Co-worker (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = allocation_choices()
        self.fields["co_worker"].queryset = allocation_choices()
        self.fields["worker"].error_messages["required"] = "Select a caseworker"

    def clean(self):
        data = super().clean()
        if data.get("worker") and data.get("co_worker") and data["worker"] == data["co_worker"]:
            self.add_error("co_worker", "The co-worker must be someone other than the caseworker")
        return data


class ReallocateForm(Rebuilt, VersionedFormMixin, AllocateForm):
    reason = text_field("Reason for reallocating", 500, rows=3)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter the reason for reallocating"
        if case is not None and not self.is_bound:
            self.initial.update(
                worker=case.allocated_to_id, co_worker=case.co_worker_id, version=case.version
            )

    def saved_values(self, current) -> dict:
        """The workers on record (for a stale-edit comparison)."""
        return {"worker": current.allocated_to, "co_worker": current.co_worker}


class BreakGlassForm(OnceOnlyFormMixin, BaseForm):
    reason = text_field(
        "Why do you need to open this case?",
        500,
        rows=3,
        help_text="For example: duty cover while the allocated caseworker is away. "
        "Managers see this reason.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you need to open this case"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 5:
            raise forms.ValidationError("Give a fuller reason (at least 5 characters)")
        return reason


class RestrictForm(BaseForm):
    restricted = forms.BooleanField(
        label="Restricted: only the allocated workers and managers may open it", required=False
    )
    reason = text_field("Reason", 200)


# ---- exit and closure ----------------------------------------------------------------


class ExitPlanForm(OnceOnlyFormMixin, Rebuilt, VersionedFormMixin, BaseModelForm):
    class Meta:
        model = ExitPlan
        fields = ExitPlan.EDITABLE_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("readiness", "ongoing_safety", "who_to_contact", "how_to_come_back")
        }


class ClosureRequestForm(OnceOnlyFormMixin, Rebuilt, BaseForm):
    reason = forms.ModelChoiceField(
        label="Reason for closing",
        queryset=ClosureReason.objects.filter(active=True),
        error_messages={"required": CLOSURE_REASON_REQUIRED},
    )
    summary = forms.CharField(
        label="Closing summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": CLOSURE_SUMMARY_REQUIRED},
    )
    carried_over = forms.ModelMultipleChoiceField(
        label="Open tasks to carry over after closing",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every open task must be done or carried over before the case closes.",
    )
    send_letter = forms.BooleanField(label="Send a closing letter", required=False)

    def __init__(self, *args, case, post_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.post_allowed = post_allowed
        self.fields["carried_over"].queryset = case.tasks.filter(done_at__isnull=True)
        if not post_allowed:
            # No letter where post is not a safe route: the choice is not offered at all.
            del self.fields["send_letter"]
        if not self.fields["carried_over"].queryset.exists():
            del self.fields["carried_over"]
        self._rebuild()

    def clean(self):
        cleaned = super().clean()
        if "carried_over" in self.fields and "carried_over" not in self.errors:
            carried = {t.pk for t in cleaned.get("carried_over") or []}
            blocking = [t for t in self.fields["carried_over"].queryset if t.pk not in carried]
            if blocking:
                self.add_error(
                    "carried_over",
                    CLOSURE_OPEN_TASKS.format(titles=", ".join(t.title for t in blocking)),
                )
        return cleaned


class ClosureDecisionForm(Rebuilt, BaseForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and close the case"), ("return", "Return to the caseworker")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", CLOSURE_RETURN_NEEDS_COMMENT)
        return cleaned


class ReopenForm(OnceOnlyFormMixin, Rebuilt, BaseForm):
    reason = forms.CharField(
        label="Why the client is coming back", max_length=250, widget=forms.TextInput
    )
