"""Quick exit leaves nothing behind, on the server side: every page of the self-referral
is `no-store`; the discard URL (the exit's beacon) forgets the caller's own draft and no
one else's, without a CSRF token but only from our own pages; a draft left alone expires;
the privacy notice is linked; the brand link stays public; the pages say "you"."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient

from referrals import self_referral as journey
from risk.models.incidents import Behaviour
from tests.referrals.test_self_referral import ANSWERS, CHECK, DONE, START, fill_all

pytestmark = pytest.mark.django_db

DISCARD = f"{START}discard/"
PRIVACY = f"{START}how-we-use-your-information/"
STEPS = [f"{START}{slug}/" for slug in journey.STEP_SLUGS]
# What a beacon sent from one of our pages carries (Chromium, Firefox and Safari).
FROM_OUR_PAGE = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}


def discard(http, **headers):
    return http.post(DISCARD, **(headers or FROM_OUR_PAGE))


def draft_of(http) -> dict:
    key = http.cookies["sessionid"].value
    session = Session.objects.filter(session_key=key).first()
    return journey.load(session.get_decoded()) if session else {}


def shows_the_draft(http) -> bool:
    page = http.get(f"{START}about-you/").text
    return "Priya" in page or "Sharma" in page


# ---- Cache-Control: no-store on every page ----------------------------------------------


def _every_public_response(client, settings):
    """(what, response) for every page and answer of the journey a browser can get."""
    yield "start", client.get(START)
    for url in STEPS:
        yield f"{url} (empty)", client.get(url)
    yield "check, nothing answered (redirect)", client.get(CHECK)
    yield "a step with an error", client.post(f"{START}about-you/", {"first_name": ""})
    yield "a step sent (redirect)", client.post(f"{START}about-you/", ANSWERS["about-you"])
    fill_all(client)
    for url in STEPS:
        yield f"{url} (answered)", client.get(url)
    yield "check", client.get(CHECK)
    yield "privacy notice", client.get(PRIVACY)
    yield "unknown step (not found)", client.get(f"{START}no-such-step/")
    settings.SELF_REFERRAL_RATE_LIMIT = "0/h"
    yield "rate limited", client.post(CHECK, {})
    settings.SELF_REFERRAL_RATE_LIMIT = "5/h"
    yield "send (redirect)", client.post(CHECK, {})
    yield "done", client.get(DONE)
    yield "discard", discard(client)
    expired = HttpClient(enforce_csrf_checks=True).post(f"{START}about-you/", {})
    yield "expired form (CSRF)", expired


def test_every_self_referral_page_is_no_store(client, settings):
    seen = []
    for what, response in _every_public_response(client, settings):
        seen.append((what, response.status_code))
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control, f"{what} sent Cache-Control {cache_control!r}"
        assert "private" in cache_control, what
    statuses = {status for _, status in seen}
    assert {200, 204, 302, 403, 404, 429} <= statuses, seen


def test_the_not_found_and_expired_pages_are_the_public_ones(client):
    for response in (
        client.get(f"{START}no-such-step/"),
        HttpClient(enforce_csrf_checks=True).post(f"{START}about-you/", {}),
    ):
        assert 'data-testid="exit-this-page"' in response.text
        assert "/account/sign-in/" not in response.text


# ---- The discard URL ----------------------------------------------------------------------


def test_discard_forgets_the_draft_without_a_csrf_token():
    http = HttpClient(enforce_csrf_checks=True)
    # Answer with a token, as the form does.
    http.get(f"{START}about-you/")
    token = http.cookies["csrftoken"].value
    http.post(f"{START}about-you/", {**ANSWERS["about-you"], "csrfmiddlewaretoken": token})
    key = http.cookies["sessionid"].value
    assert draft_of(http)["about-you"]["first_name"] == "Priya"
    assert shows_the_draft(http)

    response = discard(http)  # a beacon: no token

    assert response.status_code == 204
    assert response["Clear-Site-Data"] == '"cache"'
    assert not Session.objects.filter(session_key=key).exists()
    assert not shows_the_draft(http)
    assert http.get(CHECK)["Location"] == f"{START}about-you/"


def test_the_exit_mark_forgets_the_draft_even_before_the_beacon_arrives(client):
    """The exit script sets `sr_exited` synchronously before it leaves: Back pressed at
    once (or a beacon the browser dropped) reaches the server with it, and the server
    forgets the draft before showing anything, then clears the mark."""
    http = HttpClient()
    http.post(f"{START}about-you/", ANSWERS["about-you"])
    assert shows_the_draft(http)
    key = http.cookies["sessionid"].value

    http.cookies["sr_exited"] = "1"  # what document.cookie set as the page went
    page = http.get(f"{START}about-you/")

    assert "Priya" not in page.text and "Sharma" not in page.text
    assert not Session.objects.filter(session_key=key).exists()
    assert page.cookies["sr_exited"]["max-age"] == 0  # the mark is cleared
    http.post(f"{START}about-you/", ANSWERS["about-you"])  # a new journey works again
    assert shows_the_draft(http)


def test_discard_after_sending_forgets_the_reference(client):
    fill_all(client)
    client.post(CHECK, {})
    assert "Your reference is" in client.get(DONE).text
    discard(client)
    assert "Your reference is" not in client.get(DONE).text
    assert "SR-" not in client.get(DONE).text


def test_discard_only_forgets_the_callers_own_draft():
    hers, someone_else = HttpClient(), HttpClient()
    fill_all(hers)
    fill_all(someone_else)
    assert discard(someone_else).status_code == 204
    assert shows_the_draft(hers)
    # A visitor with no session at all (a stranger, a script) changes nothing either.
    assert discard(HttpClient()).status_code == 204
    assert shows_the_draft(hers)
    assert Session.objects.filter(session_key=hers.cookies["sessionid"].value).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "https://other.testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "http://testserver/referrals/self-referral/"},  # neither header
    ],
    ids=["cross-site", "same-site", "other-origin", "null-origin", "no-origin"],
)
def test_discard_from_another_site_is_refused(client, headers):
    fill_all(client)
    response = client.post(DISCARD, **headers)
    assert response.status_code == 403
    assert shows_the_draft(client)


def test_discard_with_only_an_origin_header_from_our_site_works(client):
    fill_all(client)
    assert client.post(DISCARD, HTTP_ORIGIN="http://testserver").status_code == 204
    assert not shows_the_draft(client)


def test_discard_is_post_only(client):
    fill_all(client)
    assert client.get(DISCARD).status_code == 405
    assert shows_the_draft(client)


def test_discard_leaves_a_signed_in_worker_signed_in(client, caseworker):
    client.force_login(caseworker)
    fill_all(client)
    assert discard(client).status_code == 204
    assert not shows_the_draft(client)
    assert client.get("/").status_code == 200  # still signed in


# ---- Expiry --------------------------------------------------------------------------------


def _age_the_draft(http, minutes: float):
    session = http.session
    session[journey.TOUCHED_KEY] = time.time() - minutes * 60
    session.save()


def test_a_draft_left_alone_expires_and_is_never_shown_again(client, settings):
    settings.SELF_REFERRAL_DRAFT_MINUTES = 15
    fill_all(client)
    _age_the_draft(client, 16)
    assert not shows_the_draft(client)
    for url in STEPS:
        page = client.get(url).text
        for typed in ("Priya", "Sharma", "07700 900999", "Gary Fenn", "He turns up"):
            assert typed not in page, f"{url} shows {typed!r} after the draft expired"
    assert client.get(CHECK)["Location"] == f"{START}about-you/"
    # Deleted, not only hidden.
    assert journey.SESSION_KEY not in client.session


def test_a_draft_in_use_does_not_expire(client, settings):
    settings.SELF_REFERRAL_DRAFT_MINUTES = 15
    fill_all(client)
    _age_the_draft(client, 14)
    assert shows_the_draft(client)  # and viewing it starts the clock again
    _age_the_draft(client, 0)
    assert "Priya Sharma" in client.get(CHECK).text


def test_the_expiry_is_a_setting(client, settings):
    settings.SELF_REFERRAL_DRAFT_MINUTES = 1
    fill_all(client)
    _age_the_draft(client, 2)
    assert not shows_the_draft(client)


def test_a_visitors_session_lasts_only_as_long_as_the_draft(client, settings):
    settings.SELF_REFERRAL_DRAFT_MINUTES = 15
    response = client.post(f"{START}about-you/", ANSWERS["about-you"])
    assert response.cookies["sessionid"]["max-age"] == 15 * 60
    assert client.session.get_expiry_age() == 15 * 60


# ---- Privacy notice, brand link, footer ---------------------------------------------------


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def public_pages(client) -> dict[str, str]:
    pages = {"start": client.get(START).text}
    for url in STEPS:
        pages[url] = client.get(url).text
    fill_all(client)
    pages["check"] = client.get(CHECK).text
    pages["privacy"] = client.get(PRIVACY).text
    pages["not found"] = client.get(f"{START}no-such-step/").text
    client.post(CHECK, {})
    pages["done"] = client.get(DONE).text
    return pages


def test_the_consent_question_links_to_the_privacy_notice(client):
    consent = client.get(f"{START}consent/").text
    assert f'href="{PRIVACY}" data-testid="privacy-link"' in consent
    notice = client.get(PRIVACY)
    assert notice.status_code == 200
    for heading in (
        "What we collect",
        "Why we collect it",
        "Who sees it",
        "How long we keep it",
        "Your rights",
        "How to contact us",
    ):
        assert f">{heading}</h2>" in notice.text
    # The retention periods are the service's settings, in words.
    assert "6 weeks" in notice.text and "6 years" in notice.text
    assert "Information Commissioner" in notice.text


def test_the_privacy_notice_shows_the_service_contact_when_set(client, settings):
    settings.SERVICE_PHONE = "01632 960 123"
    settings.SERVICE_EMAIL = "privacy@service.example"
    notice = client.get(PRIVACY).text
    assert "01632 960 123" in notice and "mailto:privacy@service.example" in notice


def test_every_public_page_links_the_notice_and_never_a_staff_page(client):
    for what, html in public_pages(client).items():
        hrefs = _hrefs(html)
        assert PRIVACY in hrefs, f"{what} has no link to the privacy notice"
        brand = re.search(r'<a class="navbar-brand[^"]*" href="([^"]*)"', html)
        assert brand and brand.group(1) == START, f"{what}: brand goes to {brand and brand[1]}"
        staff = [
            h for h in hrefs if not (h.startswith((START, "/static/", "https://", "mailto:", "#")))
        ]
        assert not staff, f"{what} links to {staff}"


# ---- "you", never "the victim" -------------------------------------------------------------


def test_victim_facing_pages_never_say_the_victim(client, settings):
    """Every page a person referring themselves can see, with every behaviour ticked
    (their labels say "the victim" on staff pages) and with every error shown."""
    every_behaviour = {**ANSWERS["what-is-happening"], "behaviours": list(Behaviour.values)}
    pages = public_pages(client)
    client.get(START)
    fill_all(client, {**ANSWERS, "what-is-happening": every_behaviour})
    pages["check, every behaviour"] = client.get(CHECK).text
    for url in STEPS:
        pages[f"{url} with errors"] = client.post(url, {"date_of_birth": "2099-01-01"}).text
    pages["too old"] = client.post(
        f"{START}about-you/", {**ANSWERS["about-you"], "date_of_birth": "1800-01-01"}
    ).text
    settings.SELF_REFERRAL_RATE_LIMIT = "0/h"
    pages["rate limited"] = client.post(CHECK, {}).text
    pages["expired"] = HttpClient(enforce_csrf_checks=True).post(f"{START}about-you/", {}).text
    assert "Ordering goods in your name" in pages["check, every behaviour"]
    for what, html in pages.items():
        text = html.lower().replace("&#x27;", "'")
        for words in ("the victim", "victim's", "the client", "the person's"):
            assert words not in text, f"{what} says {words!r}"
