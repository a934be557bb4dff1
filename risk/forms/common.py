"""What the risk app's forms share: date widgets, text limits and the date and duration
checks used on several areas' forms."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from ..services.common import FUTURE_DATE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT_LIMIT = 5000
EARLIEST = date(2020, 1, 1)
DATE_TOO_EARLY = "The date must be in 2020 or later"
REVIEW_IN_PAST = "The review date must be today or later"
REVIEW_TOO_FAR = "The review date must be within the next 12 months"
DURATION_RANGE = "Enter a duration between 1 and 480 minutes"
MAX_DURATION = 480


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def today() -> date:
    return timezone.localdate()


def not_future(value):
    if value and value > today():
        raise forms.ValidationError(FUTURE_DATE)
    return value


def check_not_future(value: date | None) -> date | None:
    if value is None:
        return value
    if value > today():
        raise forms.ValidationError(FUTURE_DATE)
    if value < EARLIEST:
        raise forms.ValidationError(DATE_TOO_EARLY)
    return value


def check_review_date(value: date | None, *, unchanged_from: date | None = None) -> date | None:
    if value is None or value == unchanged_from:
        return value
    if value < today():
        raise forms.ValidationError(REVIEW_IN_PAST)
    if value > today() + timedelta(days=366):
        raise forms.ValidationError(REVIEW_TOO_FAR)
    return value


def bound_duration(cleaned) -> int | None:
    if cleaned is not None and not 1 <= cleaned <= MAX_DURATION:
        raise forms.ValidationError(DURATION_RANGE)
    return cleaned
