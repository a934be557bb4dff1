import pytest

from stalkingservice.roles import Role
from tests.factories_cases import BreakGlassGrantFactory, CaseFactory, UserFactory


@pytest.fixture
def co_worker(db):
    return UserFactory(username="cw_co", role=Role.CASEWORKER)


@pytest.fixture
def glass_user(db):
    return UserFactory(username="cw_glass", role=Role.CASEWORKER)


@pytest.fixture
def world(caseworker, caseworker2, co_worker, glass_user, manager, commissioner, administrator):
    """A case allocated to `caseworker` with `co_worker`; `glass_user` holds a live
    break-glass grant on it; `caseworker2` has nothing to do with it."""
    case = CaseFactory(allocated_to=caseworker, co_worker=co_worker)
    BreakGlassGrantFactory(case=case, user=glass_user)
    users = {
        "signed_out": None,
        "allocated": caseworker,
        "co_worker": co_worker,
        "other_caseworker": caseworker2,
        "break_glass": glass_user,
        "manager": manager,
        "commissioner": commissioner,
        "administrator": administrator,
    }
    return case, users
