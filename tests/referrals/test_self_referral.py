"""The public self-referral: question pages, check answers, done page with only the
reference; quick exit on every page; rate limit; honeypot; nothing stored is readable."""

import pytest
from django.test import Client as HttpClient

from cases.statuses import CaseStatus
from referrals import forms, services
from referrals.models import Referral, SelfReferralAttempt

pytestmark = pytest.mark.django_db

START = "/referrals/self-referral/"
CHECK = "/referrals/self-referral/check/"
DONE = "/referrals/self-referral/sent/"

ANSWERS = {
    "about-you": {
        "first_name": "Priya",
        "last_name": "Sharma",
        "date_of_birth": "1985-06-01",
        "district": "tamworth",
    },
    "contact": {
        "safe_phone": "07700 900999",
        "safe_times": "Weekdays 12 to 2",
        "voicemail_allowed": "no",
        "text_allowed": "yes",
        "email": "",
        "email_allowed": "no",
        "notes": "Work phone only",
    },
    "what-is-happening": {
        "relationship": "colleague",
        "suspect_name": "Gary Fenn",
        "behaviours": ["following", "tracking"],
        "summary": "He turns up outside my house.",
        "police_involvement": "no",
    },
    "consent": {"consent_to_contact": "on"},
}


def fill_all(http, answers=ANSWERS):
    for step, data in answers.items():
        response = http.post(f"{START}{step}/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_full_journey_creates_a_self_referral_in_the_triage_queue(client, as_user, caseworker):
    assert client.get(START).status_code == 200
    last = fill_all(client)
    assert last["Location"] == CHECK
    check = client.get(CHECK).text
    for shown in ("Priya Sharma", "07700 900999", "Tamworth", "Work colleague", "Gary Fenn"):
        assert shown in check
    response = client.post(CHECK, {})
    assert response["Location"] == DONE
    referral = Referral.objects.get()
    assert referral.is_self_referral and referral.source.code == "self"
    assert referral.reference.startswith("SR-") and len(referral.reference) == 11
    assert referral.case.status == CaseStatus.REFERRED
    assert referral.digital_element is True  # tracking
    sc = referral.case.client.safe_contact
    assert sc.text_allowed and not sc.voicemail_allowed and not sc.email_allowed
    assert referral.case.suspects.get().name == "Gary Fenn"
    done = client.get(DONE).text
    assert referral.reference in done
    for secret in ("Priya", "Sharma", "07700", "Gary", "Tamworth", "colleague"):
        assert secret not in done
    assert referral.reference in as_user(caseworker).get("/referrals/triage/").text


def test_done_page_in_another_browser_shows_no_reference(client):
    fill_all(client)
    client.post(CHECK, {})
    reference = Referral.objects.get().reference
    assert reference not in HttpClient().get(DONE).text


def test_second_press_of_send_creates_no_duplicate(client):
    fill_all(client)
    client.post(CHECK, {})
    again = client.post(CHECK, {})
    assert again["Location"] == DONE
    assert Referral.objects.count() == 1


def test_answers_are_not_kept_in_the_session_after_sending(client):
    fill_all(client)
    client.post(CHECK, {})
    # Going back to the check page starts again instead of showing the answers.
    response = client.get(CHECK)
    assert response.status_code == 302
    assert "Priya" not in client.get(response["Location"]).text


@pytest.mark.parametrize("where", ["step", "check"])
def test_honeypot_gets_the_done_page_and_stores_nothing(client, where):
    if where == "step":
        response = client.post(f"{START}about-you/", {**ANSWERS["about-you"], "website": "spam"})
    else:
        fill_all(client)
        response = client.post(CHECK, {"website": "http://spam.example"})
    assert response["Location"] == DONE
    assert "Referral sent" in client.get(DONE).text
    assert Referral.objects.count() == 0


def test_rate_limit(client, settings):
    settings.SELF_REFERRAL_RATE_LIMIT = "2/h"
    for _ in range(2):
        fill_all(client)
        assert client.post(CHECK, {})["Location"] == DONE
    fill_all(client)
    response = client.post(CHECK, {})
    assert response.status_code == 429
    assert services.RATE_LIMITED.split(".")[0].replace("'", "&#x27;") in response.text
    assert Referral.objects.count() == 2
    assert SelfReferralAttempt.objects.count() == 2
    # The stored hash is not the address.
    assert "127.0.0.1" not in SelfReferralAttempt.objects.first().client_hash


@pytest.mark.parametrize("url", [START, f"{START}about-you/", f"{START}consent/", DONE])
def test_quick_exit_on_every_public_page(client, url):
    html = client.get(url).text
    assert 'href="https://www.bbc.co.uk/weather"' in html
    assert "data-exit-this-page" in html
    assert "Exit this page" in html
    assert "clear your browsing history" in html


def test_quick_exit_on_check_and_rate_limit_pages(client, settings):
    fill_all(client)
    assert "data-exit-this-page" in client.get(CHECK).text
    settings.SELF_REFERRAL_RATE_LIMIT = "0/h"
    assert "data-exit-this-page" in client.post(CHECK, {}).text


def test_public_pages_are_not_cached(client):
    assert "no-store" in client.get(f"{START}about-you/")["Cache-Control"]


def test_unknown_step_is_404(client):
    assert client.get(f"{START}whatever/").status_code == 404


def test_csrf_is_required(db):
    http = HttpClient(enforce_csrf_checks=True)
    response = http.post(f"{START}about-you/", ANSWERS["about-you"])
    assert response.status_code == 403
    assert Referral.objects.count() == 0


def test_no_public_url_reads_stored_data(client, caseworker):
    from tests.factories_referrals import make_referral

    referral = make_referral(by=caseworker)
    for url in (
        f"/referrals/triage/{referral.pk}/",
        "/referrals/triage/",
        f"{DONE}?reference={referral.reference}",
        f"{CHECK}?reference={referral.reference}",
    ):
        response = client.get(url)
        assert "Amira" not in response.text
        assert referral.reference not in response.text


# ---- bad input ------------------------------------------------------------------------


def test_missing_name_keeps_what_was_typed(client):
    response = client.post(
        f"{START}about-you/", {**ANSWERS["about-you"], "first_name": "", "last_name": "Sharma"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter your first name" in response.text
    assert 'value="Sharma"' in response.text


@pytest.mark.parametrize(
    "step,field,value,message",
    [
        ("about-you", "date_of_birth", "2099-01-01", forms.SELF_DOB_FUTURE),
        ("about-you", "date_of_birth", "1800-01-01", forms.SELF_DOB_TOO_OLD),
        ("about-you", "district", "atlantis", "Select a valid choice"),
        ("contact", "safe_phone", "", forms.SELF_CONTACT_NEEDED),
        ("contact", "safe_phone", "<script>", forms.PHONE_INVALID),
        ("what-is-happening", "summary", "x" * 4001, "at most 4000 characters"),
    ],
)
def test_bad_input(client, step, field, value, message):
    response = client.post(f"{START}{step}/", {**ANSWERS[step], field: value})
    assert response.status_code == 200
    assert message in response.text.replace("&#x27;", "'")


def test_consent_is_required(client):
    response = client.post(f"{START}consent/", {})
    assert "Tick the box" in response.text


def test_html_in_answers_is_shown_escaped(client):
    fill_all(
        client,
        {
            **ANSWERS,
            "what-is-happening": {
                **ANSWERS["what-is-happening"],
                "summary": "<script>alert(1)</script>",
            },
        },
    )
    check = client.get(CHECK).text
    assert "<script>alert(1)</script>" not in check
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in check


def test_skipping_ahead_goes_back_to_the_first_unanswered_page(client):
    response = client.get(CHECK)
    assert response["Location"] == f"{START}about-you/"


# ---- the rate limit behind the reverse proxy (TRUSTED_PROXY_HOPS) --------------------

PROXY = "10.0.0.5"  # what REMOTE_ADDR is for every request that came through the proxy


def send_from(http, xff: str | None, *, remote=PROXY):
    """Fill the journey and press Send as a visitor whose request reached us through the
    proxy with this X-Forwarded-For."""
    fill_all(http)
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return http.post(CHECK, {}, **extra)


def test_two_public_clients_behind_the_proxy_get_separate_limits(settings):
    settings.SELF_REFERRAL_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_HOPS = 1
    first, second = HttpClient(), HttpClient()
    assert send_from(first, "198.51.100.7")["Location"] == DONE
    # Someone else, through the same proxy, is not refused because of the first person.
    assert send_from(second, "203.0.113.20")["Location"] == DONE
    # The first person's own limit still holds.
    assert send_from(HttpClient(), "198.51.100.7").status_code == 429
    assert Referral.objects.count() == 2


@pytest.mark.parametrize(
    "spoofed",
    ["1.2.3.4", "1.2.3.4, 5.6.7.8", "unknown", "203.0.113.20", "::1", "'; DROP TABLE"],
)
def test_a_made_up_leftmost_forwarded_for_entry_does_not_escape_the_limit(settings, spoofed):
    settings.SELF_REFERRAL_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_HOPS = 1
    assert send_from(HttpClient(), "198.51.100.7")["Location"] == DONE
    # The proxy appends the real address after whatever the client sent.
    again = send_from(HttpClient(), f"{spoofed}, 198.51.100.7")
    assert again.status_code == 429
    assert Referral.objects.count() == 1


def test_two_trusted_hops_read_the_second_entry_from_the_right(settings):
    settings.SELF_REFERRAL_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_HOPS = 2
    # client-sent, real client (written by the outer proxy), outer proxy (by the inner one)
    assert send_from(HttpClient(), "9.9.9.9, 198.51.100.7, 10.0.0.9")["Location"] == DONE
    assert send_from(HttpClient(), "8.8.8.8, 198.51.100.7, 10.0.0.9").status_code == 429
    assert send_from(HttpClient(), "198.51.100.8, 10.0.0.9")["Location"] == DONE


@pytest.mark.parametrize(
    "header",
    [
        "",
        ",",
        " , ,",
        "not-an-address",
        "198.51.100.7:443",
        "999.1.1.1",
        "198.51.100.7\x00",
        "a" * 5000,
        ", ".join(["198.51.100.7"] * 400),
        "\u00e9\u00e9",
    ],
)
def test_a_malformed_forwarded_for_header_is_refused_politely_not_a_500(settings, header):
    settings.SELF_REFERRAL_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_HOPS = 1
    # Falls back to the proxy's own address: one shared bucket, never a crash and never a
    # bucket of the sender's choosing.
    assert send_from(HttpClient(), header)["Location"] == DONE
    refused = send_from(HttpClient(), header)
    assert refused.status_code == 429
    assert "please wait an hour" in refused.text
    assert send_from(HttpClient(), None).status_code == 429  # same bucket: the proxy's


def test_with_no_trusted_proxy_forwarded_for_is_ignored(settings):
    settings.SELF_REFERRAL_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_HOPS = 0
    assert send_from(HttpClient(), "198.51.100.7", remote="192.0.2.1")["Location"] == DONE
    assert send_from(HttpClient(), "203.0.113.20", remote="192.0.2.1").status_code == 429
    assert send_from(HttpClient(), None, remote="192.0.2.2")["Location"] == DONE


def test_one_ipv6_home_network_shares_one_limit(settings):
    settings.SELF_REFERRAL_RATE_LIMIT = "1/h"
    settings.TRUSTED_PROXY_HOPS = 1
    assert send_from(HttpClient(), "2001:db8:1:2::10")["Location"] == DONE
    assert send_from(HttpClient(), "2001:db8:1:2:ffff::99").status_code == 429
    assert send_from(HttpClient(), "2001:db8:1:3::10")["Location"] == DONE
