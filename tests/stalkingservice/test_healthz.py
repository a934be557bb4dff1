import socket

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, redis_url):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def closed_port():
    # Bind and close: nothing listens on this port now.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_names_the_broker_when_it_is_down(client, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}


def test_healthz_says_eager_when_there_is_no_broker(client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


def test_healthz_names_the_database_when_it_is_down(client, settings, closed_port):
    from django.db import connections

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = ""
    connection = connections["default"]
    connection.close()
    original = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = closed_port
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "broker": "eager"}
