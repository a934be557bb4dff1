"""Public input never overwrites a victim's safe contact (issue 13, point 7).

Contact details on a new referral (self-referral or professional) that is linked at
triage to a client we already know are kept on the referral as reported and unconfirmed;
nothing is copied into the client's safe contact, a code word never; the case shows them
with "Confirm and use" per detail, and none is a route until confirmed."""

import pytest
from django.test import Client as HttpClient

from cases.models.client import SafeContact
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import Case, CaseEvent
from cases.services.client import safe_contact_of
from cases.services.contact import unsafe_route_problems
from cases.statuses import CaseStatus
from referrals import services
from referrals.models import DeclineReason, Referral
from stalkingservice.domain import DomainError
from tests.factories import CaseFactory
from tests.factories_referrals import intake_data, make_triaged_referral
from tests.referrals.test_self_referral import ANSWERS, CHECK, fill_all

pytestmark = pytest.mark.django_db

STALKER_PHONE = "07700 900666"
STALKER_EMAIL = "help.amira@example.net"


def closed_client(by, **safe):
    """A client we already know, their last case closed, with confirmed safe contact."""
    first = make_triaged_referral(by=by)
    services.referral_decide(
        referral=first,
        outcome="declined",
        decline_reason=DeclineReason.objects.get(code="no-consent"),
        version=first.version,
        by=by,
    )
    client = first.case.client
    sc = client.safe_contact
    for name, value in {"code_word": "bluebird", **safe}.items():
        setattr(sc, name, value)
    sc.save()
    return first.case


def hostile_referral(by, *, code_word="letmein", **safe):
    """A referral naming the same person, with someone else's contact details."""
    data = intake_data(safe_phone=STALKER_PHONE, email=STALKER_EMAIL)
    data.safe_contact.update(
        text_allowed=True,
        voicemail_allowed=True,
        postal_address="1 Trap Lane, Stafford",
        post_allowed=True,
        code_word=code_word,
        notes="Call any time, he is away",
        **safe,
    )
    return services.referral_create(data=data, by=by)


def link(referral, client, by):
    return services.referral_record_checks(
        referral=referral,
        link_to_client=client,
        in_area=True,
        meets_age_policy=True,
        domestic_abuse_related=False,
        version=referral.version,
        by=by,
    )


def test_duplicate_merge_copies_nothing_into_the_existing_safe_contact(manager):
    old_case = closed_client(manager, email="", email_allowed=False, text_allowed=False)
    client = old_case.client
    before = SafeContact.objects.get(client=client)
    history_before = before.history.count()

    referral = link(hostile_referral(manager), client, manager)

    after = SafeContact.objects.get(client=client)
    for name in SafeContact.personal_data.fields:
        assert getattr(after, name) == getattr(before, name), name
    assert after.code_word == "bluebird"
    assert after.email == "" and not after.email_allowed  # the gap is not filled either
    assert after.history.count() == history_before
    # Kept on the referral instead, to be checked with the client.
    pending = {
        i["field"]: i["value"]
        for i in Referral.objects.get(pk=referral.pk).reported_contact_pending
    }
    assert pending["safe_phone"] == STALKER_PHONE
    assert pending["email"] == STALKER_EMAIL
    assert pending["text_allowed"] == "Yes" and pending["post_allowed"] == "Yes"
    assert "code_word" not in pending and "confirmed_on" not in pending
    assert "phone_allowed" not in pending  # the same as the record already says
    # The code word is not kept anywhere on the referral; the timeline says one was given.
    assert "letmein" not in Referral.objects.get(pk=referral.pk).reported_contact
    assert CaseEvent.objects.filter(
        case=referral.case, summary__contains="A code word was given"
    ).exists()


def test_triage_link_to_a_client_with_no_safe_contact_leaves_them_with_none(manager):
    old_case = closed_client(manager)
    client = old_case.client
    SafeContact.objects.filter(client=client).delete()

    referral = link(hostile_referral(manager), client, manager)

    assert safe_contact_of(Case.objects.get(pk=referral.case_id).client) is None
    assert not SafeContact.objects.filter(client=client).exists()  # no gap filled, no move
    pending = Referral.objects.get(pk=referral.pk).reported_contact_pending
    assert {"safe_phone", "phone_allowed", "email", "email_allowed"} <= {
        i["field"] for i in pending
    }


def test_new_episode_from_a_referral_keeps_reported_details_off_every_route(manager):
    old_case = closed_client(manager, text_allowed=False, email_allowed=False)
    client = old_case.client
    referral = link(hostile_referral(manager), client, manager)
    case = Case.objects.get(pk=referral.case_id)
    assert case.episode == 2 and case.previous_case == old_case

    safe = safe_contact_of(case.client)
    M = ContactAttempt.Method
    for method in (M.TEXT, M.EMAIL, M.POST):
        assert unsafe_route_problems(safe_contact=safe, method=method), method
    assert safe.safe_phone != STALKER_PHONE


def test_a_new_client_keeps_the_details_sent_as_today(manager):
    """Not linked: the referral's details are the new client's own record (nothing to
    overwrite), and nothing waits for confirmation."""
    referral = make_triaged_referral(by=manager)
    assert referral.case.client.safe_contact.safe_phone == "07700 900456"
    assert Referral.objects.get(pk=referral.pk).reported_contact_pending == []


def test_confirm_and_use_writes_through_the_safe_contact_service_with_history(manager):
    old_case = closed_client(manager, text_allowed=False)
    referral = link(hostile_referral(manager), old_case.client, manager)
    sc = SafeContact.objects.get(client=old_case.client)
    history_before = sc.history.count()

    services.referral_reported_contact_resolve(
        referral=referral, field="safe_phone", use=True, by=manager
    )

    sc.refresh_from_db()
    assert sc.safe_phone == STALKER_PHONE
    assert sc.version > 0 and sc.history.count() == history_before + 1
    assert sc.history.first().history_change_reason == "Safe-contact details edited"
    assert not sc.text_allowed  # only the one detail confirmed
    referral.refresh_from_db()
    assert "safe_phone" not in {i["field"] for i in referral.reported_contact_pending}
    assert referral.reported_contact_details["safe_phone"]["status"] == "used"
    summaries = list(CaseEvent.objects.filter(case=referral.case).values_list("summary", flat=True))
    assert (
        f"Safe phone reported on referral {referral.reference}: confirmed with the client and used"
        in summaries
    )
    assert "Changed: safe phone" in summaries
    # Once dealt with, it cannot be used again (a second click, or a replayed POST).
    with pytest.raises(DomainError, match=services.REPORTED_ALREADY_DEALT_WITH):
        services.referral_reported_contact_resolve(
            referral=referral, field="safe_phone", use=True, by=manager
        )


def test_discard_leaves_the_safe_contact_alone(manager):
    old_case = closed_client(manager)
    referral = link(hostile_referral(manager), old_case.client, manager)
    before = SafeContact.objects.get(client=old_case.client).safe_phone
    services.referral_reported_contact_resolve(
        referral=referral, field="safe_phone", use=False, by=manager
    )
    assert SafeContact.objects.get(client=old_case.client).safe_phone == before
    referral.refresh_from_db()
    assert referral.reported_contact_details["safe_phone"]["status"] == "discarded"


@pytest.mark.parametrize("field", ["code_word", "confirmed_on", "nonsense", "client"])
def test_nothing_outside_the_reported_details_can_be_confirmed(manager, field):
    old_case = closed_client(manager)
    referral = link(hostile_referral(manager), old_case.client, manager)
    with pytest.raises(DomainError):
        services.referral_reported_contact_resolve(
            referral=referral, field=field, use=True, by=manager
        )
    assert SafeContact.objects.get(client=old_case.client).code_word == "bluebird"


# ---- through the pages ---------------------------------------------------------------


def test_self_referral_linked_at_triage_shows_on_the_case_and_is_confirmed_there(as_user, manager):
    old_case = closed_client(manager, text_allowed=False)
    client = old_case.client
    public = HttpClient()
    fill_all(
        public,
        {
            **ANSWERS,
            "about-you": {
                "first_name": client.first_name,
                "last_name": client.last_name,
                "date_of_birth": client.date_of_birth.isoformat(),
                "district": "stafford",
            },
            "contact": {**ANSWERS["contact"], "safe_phone": STALKER_PHONE, "text_allowed": "yes"},
        },
    )
    assert public.post(CHECK, {}).status_code == 302
    referral = Referral.objects.get(is_self_referral=True)
    staff = as_user(manager)
    staff.post(
        f"/referrals/triage/{referral.pk}/checks/",
        {
            "duplicate": str(client.pk),
            "in_area": "yes",
            "meets_age_policy": "yes",
            "domestic_abuse_related": "no",
            "version": referral.version,
        },
    )
    case = Case.objects.get(pk=referral.case_id)
    assert case.client_id == client.pk
    assert SafeContact.objects.get(client=client).safe_phone == "07700 900456"

    page = staff.get(f"/cases/{case.pk}/").text
    assert (
        f"Reported on referral {referral.reference}, not confirmed - check with the client "
        "before using." in page
    )
    assert STALKER_PHONE in page
    assert 'aria-label="Confirm and use: Safe phone"' in page
    assert 'aria-label="Confirm and use: Texts allowed"' in page

    response = staff.post(
        f"/referrals/case/{case.pk}/reported-contact/safe_phone/",
        {"action": "use", "next": f"/cases/{case.pk}/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    after = staff.get(f"/cases/{case.pk}/").text
    assert "Safe phone confirmed and saved to the safe-contact details." in after
    assert 'aria-label="Confirm and use: Safe phone"' not in after
    assert 'aria-label="Confirm and use: Texts allowed"' in after
    assert SafeContact.objects.get(client=client).safe_phone == STALKER_PHONE

    again = staff.post(f"/referrals/case/{case.pk}/reported-contact/safe_phone/", {"action": "use"})
    assert again.status_code == 302
    assert services.REPORTED_ALREADY_DEALT_WITH in staff.get(again["Location"]).text


def test_confirm_is_for_those_who_may_work_the_case(as_user, manager, caseworker2):
    old_case = closed_client(manager)
    referral = link(hostile_referral(manager), old_case.client, manager)
    url = f"/referrals/case/{referral.case_id}/reported-contact/safe_phone/"
    assert as_user(caseworker2).post(url, {"action": "use"}).status_code in (302, 403, 404)
    assert as_user(caseworker2).get(url).status_code in (403, 404, 405)
    assert SafeContact.objects.get(client=old_case.client).safe_phone == "07700 900456"
    referral.refresh_from_db()
    assert referral.reported_contact_details["safe_phone"]["status"] == "pending"


@pytest.mark.parametrize(
    "nxt",
    ["before\x00after", "cases:detail", "https://evil.example/", "//evil.example/", "/x\x00y"],
    ids=["nul-byte", "a-view-name", "another-site", "scheme-relative", "path-with-nul"],
)
def test_a_junk_next_goes_back_to_the_contact_tab_not_a_server_error(as_user, manager, nxt):
    """Found by the hostile-input crawl: a `next` that is not a path on this site was
    handed to redirect(), which tried it as a view name (a 500 for a NUL byte)."""
    old_case = closed_client(manager)
    referral = link(hostile_referral(manager), old_case.client, manager)
    url = f"/referrals/case/{referral.case_id}/reported-contact/safe_phone/"
    response = as_user(manager).post(url, {"action": "discard", "next": nxt})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{referral.case_id}/contact/"
    referral.refresh_from_db()
    assert referral.reported_contact_details["safe_phone"]["status"] == "discarded"


def test_a_case_with_no_referral_shows_no_reported_details(as_user, manager):
    case = CaseFactory(status=CaseStatus.ACTIVE)
    page = as_user(manager).get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert "Reported on referral" not in page.text
    url = f"/referrals/case/{case.pk}/reported-contact/safe_phone/"
    assert as_user(manager).post(url, {"action": "use"}).status_code == 404
