"""Quick exit in a real browser (Chromium): after "Exit this page", by the button or by
pressing Shift three times, neither Back nor reopening any step of the self-referral
shows anything the person typed; the server has forgotten the draft. And the privacy
notice is one click from the consent question, and the brand link stays public."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from referrals import self_referral as journey
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = "/referrals/self-referral/"
CHECK = f"{START}check/"
DONE = f"{START}sent/"
PRIVACY = f"{START}how-we-use-your-information/"
WEATHER = "https://www.bbc.co.uk/weather"
EVERY_PAGE = [START, *[f"{START}{slug}/" for slug in journey.STEP_SLUGS], CHECK, DONE, PRIVACY]

# What the person types (sent to the server or only typed into a field).
TYPED = ("Zainab", "Okonkwo", "Zed", "07700 900123", "Mondays after 7pm", "Marcus Reid")


@pytest.fixture
def weather(page):
    """The neutral site is not reachable from the test machine: answer for it locally."""
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="Weather"))
    return page


def type_a_referral(page):
    """Two pages sent (name, district, safe contact), and a name typed on the third but
    not sent: all of it must go."""
    page.goto(START)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Your first name").fill("Zainab")
    page.get_by_label("Your last name (optional)").fill("Okonkwo")
    page.get_by_label("What would you like us to call you? (optional)").fill("Zed")
    page.get_by_label("Where do you live?").select_option(label="Tamworth")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{START}contact/")
    page.get_by_label("A phone number that is safe for us to use").fill("07700 900123")
    page.get_by_label("When is it safe to call?").fill("Mondays after 7pm")
    for question in ("voicemail_allowed", "text_allowed", "email_allowed"):
        page.locator(f"input[name={question}][value=yes]").check()
    page.get_by_label("An email address that is safe to use (optional)").fill("z@example.org")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{START}what-is-happening/")
    page.get_by_label("Their name, if you know it (optional)").fill("Marcus Reid")
    # The server holds the draft (what the exit must discard).
    draft = journey.load(SessionStore(session_key=session_key(page)))
    assert draft["about-you"]["first_name"] == "Zainab"
    assert draft["contact"]["safe_phone"] == "07700 900123"


def session_key(page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies[settings.SESSION_COOKIE_NAME]


# What a blank form of the journey shows where it is not empty: its own defaults.
BLANK = {"relationship": "unknown", "police_involvement": "unknown"}


def field_values(page) -> dict[str, str]:
    """Every field that shows something other than a blank form would: text, chosen
    options and ticked boxes (whether the server sent them or the browser put them back)."""
    return page.evaluate(
        """(blank) => {
        const shown = {};
        document.querySelectorAll("input, textarea, select").forEach((el) => {
          if (el.type === "hidden" || el.type === "submit") { return; }
          if (el.type === "radio" || el.type === "checkbox") {
            if (el.checked && blank[el.name] !== el.value) { shown[el.name] = el.value; }
          } else if ((el.value || "") !== (blank[el.name] || "")) {
            shown[el.name] = el.value;
          }
        });
        return shown;
      }""",
        BLANK,
    )


def assert_nothing_typed_is_shown(page):
    where = page.url
    text = page.content()
    leaked = [t for t in TYPED if t in text]
    assert not leaked, f"{where} shows {leaked}"
    values = field_values(page)
    assert not values, f"{where} has fields filled in: {values}"


def walk_back_and_reopen(page):
    """Back through everything the tab remembers, then every page of the journey."""
    seen_here = 0
    for _ in range(8):
        if page.go_back() is None:
            break
        if page.url.startswith(WEATHER):
            continue
        if page.url in ("about:blank", ""):
            break
        seen_here += 1
        assert_nothing_typed_is_shown(page)
    assert seen_here >= 2  # Back really did reach earlier pages of the form
    for url in EVERY_PAGE:
        page.goto(url)
        assert_nothing_typed_is_shown(page)
        # An exited journey has no reference to show either.
        assert "Your reference is" not in page.content()


def wait_until_gone(key: str, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not Session.objects.filter(session_key=key).exists():
            return True
        time.sleep(0.1)
    return False


def test_exit_button_then_back_and_reopening_every_step_shows_nothing(weather):
    page = weather
    type_a_referral(page)
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(WEATHER)
    walk_back_and_reopen(page)


def test_shift_three_times_then_back_and_reopening_every_step_shows_nothing(weather):
    page = weather
    type_a_referral(page)
    page.locator("body").click(position={"x": 5, "y": 300})
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(WEATHER)
    walk_back_and_reopen(page)


def test_exit_discards_the_draft_on_the_server(weather):
    page = weather
    type_a_referral(page)
    key = session_key(page)
    assert journey.SESSION_KEY in SessionStore(session_key=key).load()
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(WEATHER)
    # The beacon asked the server to forget: the visitor's session row is gone.
    assert wait_until_gone(key), "the draft is still on the server after Exit"
    assert journey.SESSION_KEY not in SessionStore(session_key=key).load()


def test_exit_from_the_sent_page_forgets_the_reference(weather):
    page = weather
    type_a_referral(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{START}consent/")
    page.get_by_label("I agree to the service contacting me").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(f"**{DONE}")
    assert "Your reference is" in page.content()
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(WEATHER)
    page.go_back()
    assert "Your reference is" not in page.content()
    assert "SR-" not in page.content()


def test_a_page_restored_from_the_back_forward_cache_is_fetched_again(page):
    """Belt and braces: the pages send no-store, so Chromium should not keep them; if a
    browser does restore one, it is reloaded from the server at once."""
    page.goto(f"{START}about-you/")
    page.get_by_label("Your first name").fill("Zainab")
    with page.expect_navigation():
        page.evaluate(
            "window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"
        )
    assert page.get_by_label("Your first name").input_value() == ""


def test_privacy_notice_is_one_click_from_the_consent_question(page):
    page.goto(f"{START}consent/")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="how we use your information").click()
    page.wait_for_url(f"**{PRIVACY}")
    assert page.get_by_role("heading", level=1).inner_text() == "How we use your information"
    for heading in (
        "What we collect",
        "Why we collect it",
        "Who sees it",
        "How long we keep it",
        "Your rights",
        "How to contact us",
    ):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("link", name="Exit this page").is_visible()
    assert_accessible(page)
    # Also in the footer of every public page.
    page.goto(START)
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="How we use your information").click()
    page.wait_for_url(f"**{PRIVACY}")


def test_brand_link_goes_to_the_start_of_the_form_not_the_staff_sign_in(page):
    page.goto(f"{START}contact/")
    brand = page.get_by_role("link", name=settings.SERVICE_NAME)
    assert brand.get_attribute("href") == START
    brand.click()
    page.wait_for_url(f"**{START}")
    assert page.get_by_role("heading", name="Get help with stalking").is_visible()
    assert "sign-in" not in page.url
