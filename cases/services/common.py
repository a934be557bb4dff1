"""What the services of every area of a case share: the not-in-the-future rules and how
a user is named in a summary. Copying a form's data onto a record and saving it with a
history reason is the kernel's (stalkingservice.updates)."""

import datetime as dt

from django.utils import timezone

from stalkingservice.domain import DomainError

FUTURE_DATE = "The date cannot be in the future"
FUTURE_TIME = "The time cannot be in the future."


def not_future(value: dt.date | None, *, field: str | None = None) -> None:
    """Refuse a date after today (the error names the form field it belongs beside)."""
    if value and value > timezone.localdate():
        raise DomainError(FUTURE_DATE, field=field)


def not_future_time(value: dt.datetime, *, field: str | None = None) -> None:
    """Refuse a moment in the future; a minute's grace for clocks that disagree."""
    if value > timezone.now() + dt.timedelta(minutes=1):
        raise DomainError(FUTURE_TIME, field=field)


def name_of(user) -> str:
    return str(user) if user is not None else "nobody"
