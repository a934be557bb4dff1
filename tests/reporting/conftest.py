import pytest

from reporting import services
from tests.factories_reporting import at, attempt, referral


@pytest.fixture
def quarter_data(db):
    """Q3 2026 with 7 police referrals, 2 self-referrals and 1 health referral (so the
    health count 1 and self count 2 are hidden, and secondary suppression is needed)."""
    cases = []
    for day in range(1, 8):
        r = referral(received=at(2026, 7, day + 4))
        attempt(r.case, at(2026, 7, day + 5), outcome="reached")
        cases.append(r.case)
    for day in (1, 2):
        cases.append(referral(received=at(2026, 8, day + 1), source="self").case)
    cases.append(referral(received=at(2026, 9, 1), source="health").case)
    return cases


@pytest.fixture
def draft(quarter_data, manager):
    return services.return_generate(quarter="2026-Q2", by=manager)


@pytest.fixture
def finalised(draft, manager):
    return services.return_finalise(ret=draft, by=manager)
