"""Referrals made the way the service makes them (through referral_create), so tests
exercise the real client / case / referral / suspect shape."""

from datetime import date

from django.utils import timezone

from cases.models.suspects import Suspect
from referrals.models import ReferralSource
from referrals.services import IntakeData, referral_create, referral_record_checks
from tests.factories import district


def intake_data(
    *,
    first_name="Amira",
    last_name="Khan",
    date_of_birth=date(1990, 3, 27),
    district_code="stafford",
    safe_phone="07700 900456",
    email="",
    suspects=None,
    source="police",
    received_at=None,
    **referral_fields,
) -> IntakeData:
    return IntakeData(
        referral={
            "source": ReferralSource.objects.get(code=source),
            "received_at": received_at or timezone.now(),
            "consent_to_contact": True,
            "behaviours": ["following", "contacting"],
            "summary": "Follows her home from work most evenings.",
            **referral_fields,
        },
        client={
            "first_name": first_name,
            "last_name": last_name,
            "date_of_birth": date_of_birth,
            "district": district(district_code) if district_code else None,
        },
        safe_contact={
            "safe_phone": safe_phone,
            "phone_allowed": bool(safe_phone),
            "email": email,
            "email_allowed": bool(email),
        },
        suspects=suspects
        if suspects is not None
        else [{"name": "Dean Morley", "relationship": Suspect.Relationship.ACQUAINTANCE}],
    )


def make_referral(*, by=None, **kwargs):
    """A referral awaiting triage (case status 'referred')."""
    return referral_create(data=intake_data(**kwargs), by=by)


def make_triaged_referral(*, by, **kwargs):
    """A referral whose checks are recorded (case status 'triaged'), eligible by default."""
    referral = make_referral(by=by, **kwargs)
    return referral_record_checks(
        referral=referral,
        link_to_client=None,
        in_area=True,
        meets_age_policy=True,
        domestic_abuse_related=False,
        version=referral.version,
        by=by,
    )


def intake_post(**overrides) -> dict:
    """What the staff intake form posts for a typical police referral."""
    import uuid

    now = timezone.localtime()
    data = {
        "submission_token": str(uuid.uuid4()),
        "source": str(ReferralSource.objects.get(code="police").pk),
        "received_date": now.date().isoformat(),
        "received_time": (now - timezone.timedelta(minutes=10)).strftime("%H:%M"),
        "referrer_name": "PC Ann Lowe",
        "referrer_organisation": "Staffordshire Police",
        "first_name": "Amira",
        "last_name": "Khan",
        "date_of_birth": "1990-03-27",
        "gender": "woman",
        "language": "English",
        "district": str(district("stafford").pk),
        "safe_phone": "07700 900456",
        "safe_times": "Weekdays after 6pm",
        "phone_allowed": "on",
        "consent_to_contact": "on",
        "suspect1_name": "Dean Morley",
        "suspect1_sex": "male",
        "suspect1_relationship": "acquaintance",
        "suspect2_sex": "unknown",
        "suspect2_relationship": "unknown",
        "behaviours": ["following", "monitoring"],
        "summary": "Follows her home from work most evenings.",
        "police_involvement": "yes",
        "crime_reference": "CR/123/26",
        "risk_tool": "DASH",
        "risk_tool_version": "2009",
        "risk_score": "11",
        "ethnicity": "not_asked",
        "disability": "prefer_not",
        "sexual_orientation": "not_asked",
        "religion": "not_asked",
        "gender_reassignment": "not_asked",
        "marital_status": "not_asked",
        "pregnancy": "not_asked",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
