"""The public self-referral journey: its question pages, and the answers kept in the
visitor's session until they press Send. The answers are encrypted in the session
(they are a victim's contact details) and removed as soon as the referral is created,
when the person presses "Exit this page" (discard), or once the draft has not been used
for SELF_REFERRAL_DRAFT_MINUTES, whichever comes first."""

import json
import time
from datetime import date, timedelta

from django.conf import settings

from cases.models.suspects import Suspect
from risk.models.incidents import DIGITAL_BEHAVIOURS, Behaviour
from stalkingservice.crypto import decrypt, encrypt
from stalkingservice.models import District

from . import forms
from .models import Referral
from .services import IntakeData

SESSION_KEY = "self_referral_answers"
# When the draft was last used (epoch seconds): a draft left alone longer than
# SELF_REFERRAL_DRAFT_MINUTES is thrown away, not shown, so a quick exit whose discard
# never reached us still leaves nothing to see for long.
TOUCHED_KEY = "self_referral_touched"
DONE_KEY = "self_referral_reference"

# (slug, page title, form class)
STEPS = [
    ("about-you", "About you", forms.SelfAboutYouForm),
    ("contact", "How we can contact you safely", forms.SelfContactForm),
    ("what-is-happening", "What is happening", forms.SelfHappeningForm),
    ("consent", "Contacting you", forms.SelfConsentForm),
]
STEP_SLUGS = [s[0] for s in STEPS]


def step(slug):
    for i, (s, title, form_class) in enumerate(STEPS):
        if s == slug:
            return i, title, form_class
    return None


def draft_lifetime() -> timedelta:
    return timedelta(minutes=settings.SELF_REFERRAL_DRAFT_MINUTES)


def _expired(session) -> bool:
    touched = session.get(TOUCHED_KEY)
    if not isinstance(touched, int | float):
        return True  # a draft with no time is treated as old: never shown
    return time.time() - touched > draft_lifetime().total_seconds()


def load(session) -> dict:
    """The answers so far, or {} when there are none or the draft has expired (then it
    is deleted). Reading the draft counts as using it: the idle clock starts again."""
    raw = session.get(SESSION_KEY)
    if not raw:
        return {}
    if _expired(session):
        clear(session)
        return {}
    try:
        answers = json.loads(decrypt(raw))
    except (ValueError, TypeError):
        # A draft written with a retired key or tampered with: start again, show nothing.
        clear(session)
        return {}
    session[TOUCHED_KEY] = time.time()
    return answers


def save(session, answers: dict) -> None:
    session[SESSION_KEY] = encrypt(json.dumps(answers, default=str))
    session[TOUCHED_KEY] = time.time()


def clear(session) -> None:
    session.pop(SESSION_KEY, None)
    session.pop(TOUCHED_KEY, None)


def discard(session) -> None:
    """Quick exit: forget everything the journey kept, the answers and the reference of a
    referral already sent (Back must not show "Referral sent" either)."""
    clear(session)
    session.pop(DONE_KEY, None)


def store_step(session, slug: str, cleaned: dict) -> None:
    answers = load(session)
    answers[slug] = {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in cleaned.items()
        if k != "website"
    }
    save(session, answers)


def first_missing_step(answers: dict) -> str | None:
    for slug in STEP_SLUGS:
        if slug not in answers:
            return slug
    return None


def initial_for(answers: dict, slug: str) -> dict:
    return dict(answers.get(slug) or {})


def _yes(v) -> bool:
    return v == "yes"


def summary_rows(answers: dict) -> list[tuple[str, str, str]]:
    """(question, answer, step slug) for the check-your-answers page."""
    a = answers.get("about-you", {})
    c = answers.get("contact", {})
    h = answers.get("what-is-happening", {})
    k = answers.get("consent", {})
    district = a.get("district")
    area = "Somewhere else"
    if district and district != "elsewhere":
        area = District.objects.filter(code=district).values_list("name", flat=True).first() or ""
    dob = a.get("date_of_birth")
    behaviours = dict(forms.SELF_BEHAVIOUR_CHOICES)
    return [
        ("Name", " ".join(p for p in (a.get("first_name"), a.get("last_name")) if p), "about-you"),
        ("What to call you", a.get("preferred_name") or "Not given", "about-you"),
        (
            "Date of birth",
            date.fromisoformat(dob).strftime("%-d %B %Y") if dob else "Not given",
            "about-you",
        ),
        ("Where you live", area, "about-you"),
        ("Safe phone number", c.get("safe_phone") or "Not given", "contact"),
        ("Safe times to call", c.get("safe_times") or "Not given", "contact"),
        ("Voicemail", "Yes" if _yes(c.get("voicemail_allowed")) else "No", "contact"),
        ("Text messages", "Yes" if _yes(c.get("text_allowed")) else "No", "contact"),
        (
            "Safe email",
            (c.get("email") or "Not given")
            + ("" if _yes(c.get("email_allowed")) else " (do not email)"),
            "contact",
        ),
        ("Who else might answer", c.get("others_who_may_answer") or "Not given", "contact"),
        ("Anything else about contact", c.get("notes") or "Nothing", "contact"),
        (
            "Who is doing this",
            dict(Suspect.Relationship.choices).get(h.get("relationship"), ""),
            "what-is-happening",
        ),
        ("Their name", h.get("suspect_name") or "Not given", "what-is-happening"),
        (
            "What they are doing",
            ", ".join(behaviours.get(b, b) for b in h.get("behaviours") or []) or "Not given",
            "what-is-happening",
        ),
        ("What is happening", h.get("summary") or "Not given", "what-is-happening"),
        ("How long", h.get("duration") or "Not given", "what-is-happening"),
        (
            "Told the police",
            dict(Referral.PoliceInvolvement.choices).get(h.get("police_involvement"), ""),
            "what-is-happening",
        ),
        ("We can contact you", "Yes" if k.get("consent_to_contact") else "No", "consent"),
        (
            "We can share information to keep you safe",
            "Yes" if k.get("consent_to_share") else "No",
            "consent",
        ),
    ]


def intake_data(answers: dict) -> IntakeData:
    a = answers["about-you"]
    c = answers["contact"]
    h = answers["what-is-happening"]
    k = answers["consent"]
    district = None
    if a.get("district") and a["district"] != "elsewhere":
        district = District.objects.filter(code=a["district"]).first()
    dob = date.fromisoformat(a["date_of_birth"]) if a.get("date_of_birth") else None
    behaviours = [b for b in h.get("behaviours") or [] if b in Behaviour.values]
    relationship = h.get("relationship") or Suspect.Relationship.UNKNOWN
    suspects = []
    if h.get("suspect_name") or relationship != Suspect.Relationship.UNKNOWN:
        suspects.append({"name": h.get("suspect_name") or "", "relationship": relationship})
    return IntakeData(
        referral={
            "consent_to_share": bool(k.get("consent_to_share")),
            "behaviours": behaviours,
            "digital_element": bool(set(behaviours) & DIGITAL_BEHAVIOURS),
            "summary": h.get("summary") or "",
            "duration": h.get("duration") or "",
            "police_involvement": h.get("police_involvement") or Referral.PoliceInvolvement.UNKNOWN,
        },
        client={
            "first_name": a["first_name"],
            "last_name": a.get("last_name") or "",
            "preferred_name": a.get("preferred_name") or "",
            "date_of_birth": dob,
            "district": district,
        },
        safe_contact={
            "safe_phone": c.get("safe_phone") or "",
            "safe_times": c.get("safe_times") or "",
            "phone_allowed": bool(c.get("safe_phone")),
            # Calls, voicemail and texts need a number; nothing is assumed safe without one.
            "voicemail_allowed": _yes(c.get("voicemail_allowed")) and bool(c.get("safe_phone")),
            "text_allowed": _yes(c.get("text_allowed")) and bool(c.get("safe_phone")),
            "email": c.get("email") or "",
            "email_allowed": _yes(c.get("email_allowed")) and bool(c.get("email")),
            "others_who_may_answer": c.get("others_who_may_answer") or "",
            "notes": c.get("notes") or "",
        },
        suspects=suspects,
    )
