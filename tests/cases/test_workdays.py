"""First contact is due within FIRST_CONTACT_DUE_WORKING_DAYS working days of the referral,
English bank holidays excluded."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from cases.services.lifecycle import first_contact_due_for


@pytest.mark.parametrize(
    ("referred", "due"),
    [
        (date(2026, 3, 2), date(2026, 3, 4)),  # Monday -> Wednesday
        (date(2026, 3, 6), date(2026, 3, 10)),  # Friday -> Tuesday
        (date(2026, 3, 7), date(2026, 3, 10)),  # Saturday -> Tuesday
        # Friday before the Early May bank holiday (Mon 4 May 2026) -> Wednesday
        (date(2026, 5, 1), date(2026, 5, 6)),
        # Friday before the Spring bank holiday (Mon 25 May 2026) -> Wednesday
        (date(2026, 5, 22), date(2026, 5, 27)),
        # Christmas Eve 2026 (Thu): Christmas Fri, weekend, Boxing Day substitute Mon 28
        (date(2026, 12, 24), date(2026, 12, 30)),
        # Maundy Thursday 2026: Good Friday 3 April, weekend, Easter Monday 6 April
        (date(2026, 4, 2), date(2026, 4, 8)),
        # New Year's Eve 2026 (Thu): New Year's Day Fri -> Tue 5 January 2027
        (date(2026, 12, 31), date(2027, 1, 5)),
    ],
)
def test_first_contact_due_skips_weekends_and_bank_holidays(referred, due, settings):
    settings.FIRST_CONTACT_DUE_WORKING_DAYS = 2
    assert first_contact_due_for(referred) == due


def test_due_date_uses_the_london_date_of_a_late_evening_referral(settings):
    settings.FIRST_CONTACT_DUE_WORKING_DAYS = 2
    # 23:30 on Friday 5 June 2026 in London is 22:30 UTC: still Friday.
    at = timezone.make_aware(datetime(2026, 6, 5, 23, 30))
    assert first_contact_due_for(at) == date(2026, 6, 9)


def test_target_is_a_setting(settings):
    settings.FIRST_CONTACT_DUE_WORKING_DAYS = 5
    # Mon 21 Dec: 22, 23, 24, (Christmas Fri 25, weekend, Boxing Day Mon 28 off), 29, 30
    assert first_contact_due_for(date(2026, 12, 21)) == date(2026, 12, 30)
