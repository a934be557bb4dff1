"""Deny by default: every URL in the URL configuration, walked from the resolver (so URLs
added later are covered too), sends a signed-out visitor to sign-in unless it is listed
in stalkingservice.access.PUBLIC_URL_NAMES. Then each role's reach, as a table."""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from stalkingservice.access import PUBLIC_URL_NAMES
from tests.factories import CaseFactory
from tests.urls_walk import ALL_URLS, CONVERTER, WalkedURL, regex_path

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"


def _route_value(converter: str, parameter: str, ids: dict) -> str:
    if converter == "int":
        return str(ids.get(parameter, ids["pk"]))
    if converter == "uuid":
        return str(uuid.UUID(int=1))
    return "x"


def concrete_path(url: WalkedURL, ids: dict) -> str:
    path = ""
    for kind, text in url.parts:
        if kind == "route":
            path += CONVERTER.sub(
                lambda m: _route_value(m["converter"] or "str", m["parameter"], ids), text
            )
        else:
            path += regex_path(text)
    return "/" + path


def real_ids(url: WalkedURL) -> dict:
    # Real rows so that converters point at something that exists: a page that would show
    # it to a signed-in user must still refuse a signed-out one.
    if not url.has_parameters:
        return {}
    case = CaseFactory()
    return {"pk": case.pk, "case_pk": case.pk, "case_id": case.pk}


def test_the_walk_finds_the_applications_urls():
    names = {url.name for url in ALL_URLS}
    assert {"home", "login", "healthz", "audit_log", "admin:index", "cases:detail"} <= names


@pytest.mark.parametrize(
    "url", [u for u in ALL_URLS if u.name not in PUBLIC_URL_NAMES], ids=lambda u: u.template
)
def test_signed_out_visitor_is_sent_to_sign_in(client, url):
    path = concrete_path(url, real_ids(url))
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, f"{path} answered {response.status_code} signed out"
        location = urlsplit(response["Location"])
        assert location.path == SIGN_IN, f"{path} redirected to {response['Location']}"


@pytest.mark.parametrize(
    "url", [u for u in ALL_URLS if u.name in PUBLIC_URL_NAMES], ids=lambda u: u.template
)
def test_public_urls_answer_without_sign_in(client, url):
    path = concrete_path(url, real_ids(url))
    response = client.get(path)
    allowed = {200, 302, 405} | ({404} if url.has_parameters else set())
    assert response.status_code in allowed, f"{path} answered {response.status_code}"
    if response.status_code == 302:
        assert urlsplit(response["Location"]).path != SIGN_IN


def test_unknown_paths_also_go_to_sign_in(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_sign_in_sends_you_back_where_you_were_going(client, caseworker):
    from tests.factories import PASSWORD

    response = client.get("/audit/")
    assert response["Location"] == f"{SIGN_IN}?next=/audit/"
    response = client.post(
        response["Location"], {"username": caseworker.username, "password": PASSWORD}
    )
    assert response["Location"] == "/audit/"


# ---- Role matrix ----------------------------------------------------------------------

ROLES = ["caseworker", "caseworker2", "manager", "commissioner", "administrator"]

# (page, who, expected status). "case" is a case allocated to `caseworker`.
# Refusals are 404s: a page a role may not use is not confirmed to exist.
MATRIX = [
    ("home", "caseworker", 200),
    ("home", "caseworker2", 200),
    ("home", "manager", 200),
    ("home", "commissioner", 200),
    ("home", "administrator", 200),
    ("case", "caseworker", 200),
    # Another caseworker is offered break-glass (give a reason) rather than the case.
    ("case", "caseworker2", 302),
    ("case", "manager", 200),
    ("case", "commissioner", 404),
    ("case", "administrator", 404),
    ("all_cases", "caseworker", 404),
    ("all_cases", "manager", 200),
    ("all_cases", "commissioner", 404),
    ("all_cases", "administrator", 404),
    ("audit", "caseworker", 404),
    ("audit", "manager", 200),
    ("audit", "commissioner", 404),
    ("audit", "administrator", 404),
    ("admin", "caseworker", 404),
    ("admin", "manager", 404),
    ("admin", "commissioner", 404),
    ("admin", "administrator", 200),
    ("admin_users", "manager", 404),
    ("admin_users", "administrator", 200),
    ("admin_login", "manager", 404),
    ("admin_login", "administrator", 302),
]


def _page_url(page, case):
    return {
        "home": lambda: reverse("home"),
        "case": lambda: reverse("cases:detail", args=[case.pk]),
        "all_cases": lambda: reverse("cases:all_cases"),
        "audit": lambda: reverse("audit_log"),
        "admin": lambda: reverse("admin:index"),
        "admin_users": lambda: reverse("admin:stalkingservice_user_changelist"),
        "admin_login": lambda: reverse("admin:login"),
    }[page]()


@pytest.mark.parametrize(("page", "who", "expected"), MATRIX, ids=lambda v: str(v))
def test_role_matrix(request, as_user, page, who, expected):
    users = {role: request.getfixturevalue(role) for role in ROLES}
    case = CaseFactory(allocated_to=users["caseworker"])
    response = as_user(users[who]).get(_page_url(page, case))
    assert response.status_code == expected


def test_every_page_is_refused_to_signed_out_visitors_in_the_matrix(client):
    case = CaseFactory()
    for page in {row[0] for row in MATRIX}:
        response = client.get(_page_url(page, case))
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)


def test_caseworker_home_shows_their_cases_and_no_one_elses(as_user, caseworker, caseworker2):
    mine = CaseFactory(allocated_to=caseworker)
    theirs = CaseFactory(allocated_to=caseworker2)
    response = as_user(caseworker).get("/")
    assert mine.reference in response.text
    assert theirs.reference not in response.text
    assert "My cases" in response.text  # navigation by role
    assert "Audit" not in response.text


def test_manager_sees_every_case_in_all_cases(as_user, manager, caseworker, caseworker2):
    cases = [CaseFactory(allocated_to=caseworker), CaseFactory(allocated_to=caseworker2)]
    response = as_user(manager).get(reverse("cases:all_cases"))
    for case in cases:
        assert case.reference in response.text
    assert "Audit" in as_user(manager).get("/").text


@pytest.mark.parametrize("who", ["commissioner", "administrator"])
def test_commissioner_and_administrator_see_no_casework(request, as_user, who, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    user = request.getfixturevalue(who)
    response = as_user(user).get("/")
    assert response.status_code == 200
    assert case.reference not in response.text
    assert case.client.last_name not in response.text
    assert "My cases" not in response.text


def test_commissioner_home_leads_to_returns(as_user, commissioner):
    response = as_user(commissioner).get("/")
    assert "Performance returns" in response.text
    assert "no names or personal details" in response.text


def test_administrator_home_lists_accounts_and_reference_data(
    as_user, administrator, caseworker, manager
):
    response = as_user(administrator).get("/")
    text = response.text
    assert "Administration" in text
    assert caseworker.username in text
    assert manager.username in text
    assert "Districts" in text  # reference data registered for administrators
    assert "Add an account" in text


# ---- Security headers and error pages -------------------------------------------------


def test_security_headers_on_every_response(client, as_user, caseworker):
    for response in (client.get(SIGN_IN), as_user(caseworker).get("/"), client.get("/healthz")):
        csp = response["Content-Security-Policy"]
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
        )
        assert "'unsafe-inline'" not in directives.get("script-src", directives["default-src"])
        assert "'unsafe-eval'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_sign_in_page_has_no_inline_script(client):
    html = client.get(SIGN_IN).text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert " style=" not in html


def test_session_cookie_is_httponly_and_ends_with_the_browser(client, caseworker):
    from tests.factories import PASSWORD

    response = client.post(SIGN_IN, {"username": caseworker.username, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert not cookie["expires"]
    assert not cookie["max-age"]


def test_not_found_page_reveals_nothing(as_user, caseworker, caseworker2):
    # A restricted case: no break-glass offer, so it must look exactly like a missing one.
    other = CaseFactory(allocated_to=caseworker2, restricted=True)
    hidden = as_user(caseworker).get(reverse("cases:detail", args=[other.pk]))
    missing = as_user(caseworker).get(reverse("cases:detail", args=[other.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert "Page not found" in hidden.text
    assert other.reference not in hidden.text
    assert other.client.last_name not in hidden.text
    assert str(other.pk) not in hidden.text.replace(hidden.wsgi_request.path, "")
    assert "Traceback" not in hidden.text

    # The same page whether the case exists or not (apart from the CSRF token).
    def page(response, pk):
        return re.sub(r'value="[^"]{64}"', "", response.text.replace(str(pk), ""))

    assert page(hidden, other.pk) == page(missing, other.pk + 1000)


def test_server_error_and_forbidden_pages_reveal_nothing(rf):
    from stalkingservice.errors import permission_denied, server_error

    request = rf.get("/cases/1/")
    response = server_error(request)
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content
    assert b"/cases/1/" not in response.content

    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert b"You cannot do that" in response.content


def test_with_2fa_on_a_password_alone_reaches_no_page(client, caseworker, settings):
    """The same walk for a user who has signed in with a password but not yet given a
    code: every page except the public ones and the token step sends them to the step."""
    from stalkingservice.access import TWO_FACTOR_URL_NAMES

    settings.REQUIRE_2FA = True
    client.force_login(caseworker)
    ids = real_ids(WalkedURL("", (("route", "<int:pk>"),), None))
    for url in ALL_URLS:
        if url.name in PUBLIC_URL_NAMES or url.name in TWO_FACTOR_URL_NAMES:
            continue
        path = concrete_path(url, ids)
        response = client.get(path)
        assert response.status_code == 302, f"{path} answered {response.status_code}"
        assert response["Location"].startswith("/account/two-factor/setup/"), path
