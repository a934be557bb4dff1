"""Every create form on the case tabs is saved once, however often it is sent (issue 13
point 15). The forms are not listed: every form the case pages offer is found by the
crawl (tests/security/crawl.py) and filled in as a careful user would; a form whose save
makes a new record is a create form, and each one must

- carry a one-time token (stalkingservice.once),
- make one record when the same form is posted twice with the same token (a double
  click, a replayed POST), the second post taking the user on with a message, and
- refuse a post without its token with a message on the page, saving nothing."""

import html
import re

import pytest
from django.apps import apps
from django.core.cache import cache

from stalkingservice.once import ALREADY_SAVED, NOT_FROM_ITS_PAGE, SUBMISSION_FIELD

from .hostile import explored_world, rolled_back

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("once_only_forms")]

CASE_PAGE = re.compile(r"^/(risk/)?cases/\d+/")
CASEWORK_APPS = ("cases", "risk", "referrals")
NOT_RECORDS = ("CaseEvent",)  # the timeline row a save writes alongside its record


def case_form(form) -> bool:
    return form.method == "post" and bool(CASE_PAGE.match(form.action))


@pytest.fixture(scope="module")
def explored(django_db_setup, django_db_blocker, tmp_path_factory):
    with explored_world(
        django_db_blocker, tmp_path_factory.mktemp("protected"), calibrating=case_form
    ) as world:
        yield world


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in CASEWORK_APPS
        for model in apps.get_app_config(app).get_models()
    }


def new_records(before: dict, after: dict) -> list[str]:
    return [
        label
        for label, n in after.items()
        if n > before[label]
        and not label.split(".")[1].startswith("Historical")
        and label.split(".")[1] not in NOT_RECORDS
    ]


@pytest.fixture(scope="module")
def creates(explored, django_db_blocker):
    with django_db_blocker.unblock():
        return create_forms(explored)


def create_forms(explored):
    """(form, data that saves it, records it made) for each create form on the case
    pages, once each."""
    found, seen = [], set()
    for form in explored.forms:
        if not case_form(form) or id(form) not in explored.accepted or form.url_name in seen:
            continue
        data = dict(explored.baselines[id(form)])
        http = explored.http(form)
        cache.clear()
        with rolled_back():
            before = row_counts()
            data[SUBMISSION_FIELD] = data.get(SUBMISSION_FIELD) or "probe"
            http.post(form.action, data)
            made = new_records(before, row_counts())
        if made:
            seen.add(form.url_name)
            found.append((form, data, made))
    return found


def test_the_case_pages_have_create_forms_to_check(creates):
    names = {form.url_name for form, _, _ in creates}
    # The crawl reaches the forms that make records on the case tabs (a sample that
    # must be there; any other found is checked too).
    for expected in ("risk:incident_new", "cases:note_add", "cases:contact_attempt_add"):
        assert expected in names, sorted(names)
    assert len(names) >= 15, sorted(names)


def test_every_create_form_carries_a_one_time_token(creates):
    missing = [form.describe() for form, _, _ in creates if SUBMISSION_FIELD not in form.fields]
    assert not missing, "\n".join(missing)


def test_the_same_form_posted_twice_makes_one_record(explored, creates):
    problems = []
    for form, data, _ in creates:
        http = explored.http(form)
        cache.clear()
        with rolled_back():
            data = {**data, SUBMISSION_FIELD: "the-same-token-twice"}
            first = http.post(form.action, data)
            after_first = row_counts()
            second = http.post(form.action, data, follow=True)
            after_second = row_counts()
        if first.status_code != 302:
            problems.append(f"{form.describe()}: first post gave {first.status_code}")
            continue
        again = new_records(after_first, after_second)
        if again:
            problems.append(f"{form.describe()}: second post made {again} again")
        # Told it was saved, or taken where the first post led (break-glass: the case,
        # which the user can now open), never an error.
        said = second.status_code == 200 and ALREADY_SAVED in html.unescape(second.text)
        same_place = second.redirect_chain[:1] == [(first["Location"], 302)]
        if not (said or same_place):
            problems.append(f"{form.describe()}: second post did not say it was already saved")
    assert not problems, "\n".join(problems)


def test_a_create_form_without_its_token_is_refused_with_a_message(explored, creates):
    problems = []
    for form, data, _ in creates:
        http = explored.http(form)
        cache.clear()
        with rolled_back():
            before = row_counts()
            data = {k: v for k, v in data.items() if k != SUBMISSION_FIELD}
            response = http.post(form.action, data)
            made_anyway = new_records(before, row_counts())
        if made_anyway:
            problems.append(f"{form.describe()}: saved {made_anyway} without a token")
        if response.status_code != 200 or NOT_FROM_ITS_PAGE not in html.unescape(response.text):
            problems.append(
                f"{form.describe()}: gave {response.status_code} without the refusal message"
            )
    assert not problems, "\n".join(problems)
