"""What the services of every area of a case share: the not-in-the-future and
not-before-the-referral rules and how
a user is named in a summary. Copying a form's data onto a record and saving it with a
history reason is the kernel's (stalkingservice.updates)."""

import datetime as dt

from django.utils import timezone

from stalkingservice.domain import DomainError

FUTURE_DATE = "The date cannot be in the future"
FUTURE_TIME = "The time cannot be in the future."
BEFORE_REFERRAL = "This cannot be dated before the referral was received on {date}. Check the date."


def not_future(value: dt.date | None, *, field: str | None = None) -> None:
    """Refuse a date after today (the error names the form field it belongs beside)."""
    if value and value > timezone.localdate():
        raise DomainError(FUTURE_DATE, field=field)


def not_future_time(value: dt.datetime, *, field: str | None = None) -> None:
    """Refuse a moment in the future; a minute's grace for clocks that disagree."""
    if value > timezone.now() + dt.timedelta(minutes=1):
        raise DomainError(FUTURE_TIME, field=field)


def referral_day(case) -> dt.date:
    """The London date the referral of this episode was received."""
    return timezone.localdate(case.referred_at)


def within_case(case, value: dt.date | dt.datetime | None, *, field: str | None = None) -> None:
    """A fact about the client (a contact attempt, note, session or outcome measure) can
    only have happened between the referral being received and now. A date is compared on
    London days (a session on the day of the referral is fine); a moment to the minute."""
    if value is None:
        return
    if not isinstance(value, dt.datetime):
        not_future(value, field=field)
        not_before_referral(case, value, field=field)
        return
    not_future_time(value, field=field)
    # To the minute: the form's time box has no seconds.
    if value < case.referred_at.replace(second=0, microsecond=0):
        raise DomainError(_before_referral(case), field=field)


def not_before_referral(case, value: dt.date | None, *, field: str | None = None) -> None:
    """The not-before half alone, for a date that may be in the future (a planned session)."""
    if value is not None and value < referral_day(case):
        raise DomainError(_before_referral(case), field=field)


def _before_referral(case) -> str:
    day = referral_day(case)
    return BEFORE_REFERRAL.format(date=f"{day.day} {day:%B %Y}")


def name_of(user) -> str:
    return str(user) if user is not None else "nobody"
