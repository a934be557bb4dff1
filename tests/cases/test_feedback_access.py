"""Compliments and complaints are read and edited by managers and the person who recorded
them; nobody reads a complaint about themselves (issue 13, point 6). One rule
(`cases.permissions.feedback_visible_to`) behind the list, the edit page and the services."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models.service_records import Feedback
from cases.permissions import feedback_visible_to
from cases.services.service_records import (
    FEEDBACK_ABOUT_YOURSELF,
    FEEDBACK_NOT_YOURS,
    feedback_create,
    feedback_update,
)
from stalkingservice.domain import DomainError
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)
ABOUT_THEM = "She was rude to me on the phone and told my ex where I live."


def _data(**overrides):
    data = {
        "kind": Feedback.Kind.COMPLAINT,
        "received_from": Feedback.From.CLIENT,
        "received_on": TODAY,
        "summary": ABOUT_THEM,
    }
    data.update(overrides)
    return data


@pytest.fixture
def people(caseworker, caseworker2, manager, commissioner, administrator):
    """`subject` is complained about; `recorder` (a caseworker) recorded one complaint
    about them, the manager another; `other` has nothing to do with either."""
    subject = UserFactory(username="cw_subject", role="caseworker")
    return {
        "recorder": caseworker,
        "other": caseworker2,
        "subject": subject,
        "manager": manager,
        "commissioner": commissioner,
        "administrator": administrator,
    }


@pytest.fixture
def complaints(people):
    by_caseworker = feedback_create(
        data=_data(about_staff=people["subject"]), by=people["recorder"]
    )
    by_manager = feedback_create(
        data=_data(summary="Missed two call-backs.", about_staff=people["subject"]),
        by=people["manager"],
    )
    return by_caseworker, by_manager


# What each actor gets: (the caseworker's complaint, the manager's complaint).
MATRIX = {
    "signed_out": ("login", "login"),
    "recorder": (200, 404),
    "other": (404, 404),
    "subject": (404, 404),  # never a complaint about themselves
    "manager": (200, 200),
    "commissioner": (404, 404),
    "administrator": (404, 404),
}


@pytest.mark.parametrize("actor", list(MATRIX))
def test_role_matrix_complaints_list_and_edit(actor, people, complaints, client):
    http = client if actor == "signed_out" else signed_in(people[actor])
    listing = http.get(reverse("cases:feedback_list"))
    for complaint, expected in zip(complaints, MATRIX[actor], strict=True):
        url = reverse("cases:feedback_edit", args=[complaint.pk])
        got = http.get(url)
        posted = http.post(url, {"summary": "Changed", "version": complaint.version})
        if expected == "login":
            assert got.status_code == 302 and "/sign-in/" in got["Location"]
            assert posted.status_code == 302 and "/sign-in/" in posted["Location"]
            continue
        assert got.status_code == expected, (actor, complaint.summary)
        if expected == 404:
            assert posted.status_code == 404
            assert complaint.summary not in got.text
            if listing.status_code == 200:
                assert complaint.summary not in listing.text
                assert url not in listing.text
        else:
            assert complaint.summary in got.text
            assert url in listing.text
    complaints[0].refresh_from_db()
    complaints[1].refresh_from_db()
    assert "Changed" not in (complaints[0].summary, complaints[1].summary)


def test_nobody_reads_a_complaint_about_themselves_even_a_manager(people, manager):
    about_manager = feedback_create(data=_data(about_staff=manager), by=people["recorder"])
    second_manager = UserFactory(username="mgr_two", role="manager")
    assert about_manager not in feedback_visible_to(manager)
    assert about_manager in feedback_visible_to(second_manager)
    assert about_manager in feedback_visible_to(people["recorder"])


def test_a_compliment_about_someone_is_not_hidden_from_managers(people):
    compliment = feedback_create(
        data=_data(kind=Feedback.Kind.COMPLIMENT, summary="Wonderful support"),
        by=people["manager"],
    )
    assert compliment in feedback_visible_to(people["manager"])
    assert compliment not in feedback_visible_to(people["other"])


def test_services_refuse_a_caseworker_who_did_not_record_it(people, complaints):
    by_caseworker, by_manager = complaints
    for user in (people["other"], people["subject"]):
        with pytest.raises(DomainError, match="Only a service manager or the person"):
            feedback_update(
                feedback=by_manager,
                data=_data(summary="Rewritten"),
                case=None,
                version=by_manager.version,
                by=user,
            )
    by_manager.refresh_from_db()
    assert by_manager.summary == "Missed two call-backs."
    assert FEEDBACK_NOT_YOURS.startswith("Only")


def test_a_caseworker_cannot_record_a_complaint_about_themselves(people):
    me = people["recorder"]
    with pytest.raises(DomainError) as refused:
        feedback_create(data=_data(about_staff=me), by=me)
    assert refused.value.field == "about_staff"
    assert not Feedback.objects.filter(about_staff=me).exists()
    # Shown beside the field on the page, with what was typed kept.
    response = signed_in(me).post(
        reverse("cases:feedback_add"),
        {
            "kind": "complaint",
            "received_from": "client",
            "received_on": TODAY.isoformat(),
            "summary": "Typed and kept",
            "about_staff": me.pk,
        },
    )
    assert response.status_code == 200
    assert FEEDBACK_ABOUT_YOURSELF in response.text
    assert "Typed and kept" in response.text


def test_the_form_names_the_member_of_staff(people):
    page = signed_in(people["manager"]).get(reverse("cases:feedback_add")).text
    assert "About a member of staff (optional)" in page
    assert 'name="about_staff"' in page


def test_a_complaint_about_the_only_manager_is_not_left_unread(people, manager):
    """Nobody reads a complaint about themselves, so one about the only service manager
    would sit unread: whoever records it is told to pass it on, and their list says so
    until another manager can read it."""
    web = signed_in(people["recorder"])
    response = web.post(
        reverse("cases:feedback_add"),
        {
            "kind": "complaint",
            "received_from": "client",
            "received_on": TODAY.strftime("%Y-%m-%d"),
            "summary": ABOUT_THEM,
            "about_staff": manager.pk,
            "outcome": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "No other service manager can read a complaint about" in response.text
    complaint = Feedback.objects.get(about_staff=manager)
    assert complaint not in feedback_visible_to(manager)
    listing = web.get(reverse("cases:feedback_list")).text
    assert "No other manager can read this" in listing
    # A complaint about a caseworker is read by the manager: no such warning.
    web.post(
        reverse("cases:feedback_add"),
        {
            "kind": "complaint",
            "received_from": "client",
            "received_on": TODAY.strftime("%Y-%m-%d"),
            "summary": "Late again",
            "about_staff": people["subject"].pk,
            "outcome": "",
        },
    )
    assert web.get(reverse("cases:feedback_list")).text.count("No other manager can") == 1
    # Once a second manager joins, they read it and the warning goes.
    second = UserFactory(username="mgr_new", role="manager")
    assert complaint in feedback_visible_to(second)
    assert "No other manager can read this" not in web.get(reverse("cases:feedback_list")).text
