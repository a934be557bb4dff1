"""Junk in the address never breaks a page (issue 13 point 16): every GET parameter a list
or case page reads (the dashboard's figure links into the all-cases list among them) is
fuzzed with a NUL byte, overlong strings, non-integers and out-of-range numbers. Each
page answers with its ordinary page, a message or a refusal; never a server error."""

import html

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.figure_filter import PARAMETERS, UNREADABLE
from tests.conftest import signed_in
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

JUNK = [
    "\x00",
    "12\x00",
    "x" * 3000,
    "-1",
    "1.5",
    "99999999999999999999999999",
    "not-a-number",
    "٣",  # a digit, but not an ASCII one
    "2026-13-45",
]
# Every name a page in the product reads from its address, and the filter forms' fields.
PARAMETER_NAMES = [
    *PARAMETERS,
    *("q", "status", "risk", "worker", "district", "overdue", "sort", "page"),
    *("quarter", "next", "right", "need", "section", "check", "format", "change"),
    *("user", "username", "case", "case_id", "action", "date_from", "date_to", "on", "day"),
]
STAFF_LISTS = [
    "home",
    "cases:my_cases",
    "cases:all_cases",
    "cases:waiting_list",
    "referrals:triage_queue",
    "audit_log",
    "reporting:dashboard",
    "reporting:returns",
    "reporting:trends",
    "reporting:manage",
    "reporting:notifications",
    "dataprotection:retention",
    "dataprotection:sar_list",
]


def case_page_names() -> list[str]:
    """Every page of the cases and risk apps addressed by a case's id alone."""
    names = []
    for namespace in ("cases", "risk"):
        resolver = get_resolver().namespace_dict[namespace][1]
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver) or not isinstance(pattern, URLPattern):
                continue
            if list(pattern.pattern.converters) == ["pk"]:
                names.append(f"{namespace}:{pattern.name}")
    return names


def no_server_error(http, path, junk):
    http.raise_request_exception = False
    params = dict.fromkeys(PARAMETER_NAMES, junk)
    response = http.get(path, params, follow=True)
    assert response.status_code < 500, (path, repr(junk[:20]), response.status_code)
    return response


@pytest.mark.parametrize("junk", JUNK, ids=lambda j: repr(j[:12]))
def test_no_list_page_gives_a_server_error_for_junk_in_its_address(junk, caseworker, manager):
    users = [signed_in(caseworker), signed_in(manager)]
    for name in STAFF_LISTS:
        for http in users:
            no_server_error(http, reverse(name), junk)


@pytest.mark.parametrize("junk", JUNK, ids=lambda j: repr(j[:12]))
def test_no_case_page_gives_a_server_error_for_junk_in_its_address(junk, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    names = case_page_names()
    assert len(names) > 10
    for name in names:
        no_server_error(http, reverse(name, args=[case.pk]), junk)


@pytest.mark.parametrize("name", PARAMETERS)
@pytest.mark.parametrize("junk", ["\x00", "a\x00b", "x" * 3000, "99999999999999999999999999"])
def test_junk_in_a_figure_link_parameter_gives_a_message(name, junk, manager):
    http = signed_in(manager)
    http.raise_request_exception = False
    response = http.get(reverse("cases:all_cases"), {name: junk}, follow=True)
    assert response.status_code == 200
    assert UNREADABLE.split(",")[0] in html.unescape(response.text)
