import pytest

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, redis_url):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_caseworker_sees_own_case_on_home(as_user, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    other = CaseFactory()
    response = as_user(caseworker).get("/")
    assert response.status_code == 200
    assert case.reference in response.text
    assert other.reference not in response.text
