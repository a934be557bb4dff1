"""A form sent with an expired or missing CSRF token gets a page in the product's words:
the public one (with "Exit this page", no staff sign-in link) on the self-referral form,
the staff one elsewhere. Nothing is saved either way."""

from django.test import Client

from referrals.models import Referral


def test_self_referral_with_an_expired_token_gets_the_public_page(db):
    http = Client(enforce_csrf_checks=True)
    response = http.post("/referrals/self-referral/about-you/", {"first_name": "Ann"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Please try again" in page
    assert "Nothing you typed on it was sent" in page
    assert 'data-testid="exit-this-page"' in page
    assert "CSRF" not in page
    assert Referral.objects.count() == 0


def test_sign_in_with_an_expired_token_gets_the_staff_page(db):
    http = Client(enforce_csrf_checks=True)
    response = http.post("/account/sign-in/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "We could not accept that form because it had expired" in page
    assert "exit-this-page" not in page
    assert "CSRF" not in page


def test_a_signed_in_worker_is_offered_their_home_page(db, caseworker):
    http = Client(enforce_csrf_checks=True)
    http.force_login(caseworker)
    response = http.post("/cases/find/", {"reference": "STK-2026-00001"})
    assert response.status_code == 403
    assert "Go to your home page" in response.content.decode()
