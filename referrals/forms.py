"""Validation only: these forms never save anything; the views hand cleaned data to
referrals.services."""

import re
import uuid
from datetime import datetime, timedelta

from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cases import equality
from cases.models.client import Client, SafeContact
from cases.models.suspects import Suspect
from risk.models.incidents import DIGITAL_BEHAVIOURS, Behaviour
from risk.models.tools import DASH_MAX_SCORE, ReceivedRiskTool
from stalkingservice.forms import BaseForm, VersionedFormMixin
from stalkingservice.models import District

from .models import DeclineReason, Referral, ReferralSource

# Messages shared with the tests.
FUTURE_DATE = "The date cannot be in the future"
DOB_FUTURE = "Date of birth must be in the past"
DOB_TOO_OLD = "Check the date of birth: it makes the person older than 120"
AGE_RANGE = "Age must be a whole number between 0 and 120"
PHONE_INVALID = "Enter a phone number using only numbers, spaces, brackets, dashes or +"
PHONE_NEEDED = "Enter a safe phone number, or untick calls, voicemail and texts"
EMAIL_NEEDED = "Enter the safe email address, or untick 'email allowed'"
POST_NEEDED = "Enter the safe postal address, or untick 'post allowed'"
SCORE_NEEDS_TOOL = "Select the risk tool the score came from"
DASH_RANGE = f"A DASH score is the number of 'yes' answers: between 0 and {DASH_MAX_SCORE}"
SELF_DESCRIBE_NEEDED = "Enter how the person describes their gender"
SELF_CONTACT_NEEDED = "Give us a phone number or an email address that is safe to use"
# The public form speaks to the person ("you"), never about them.
SELF_DOB_FUTURE = "Your date of birth must be in the past"
SELF_DOB_TOO_OLD = "Check your date of birth: it makes you older than 120"

LONG_TEXT = 4000
MAX_AGE = 120

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
YES_NO = [("yes", "Yes"), ("no", "No")]
PHONE_RE = re.compile(r"^\+?[\d\s()\-]{7,25}$")


def _text(label, *, max_length=LONG_TEXT, required=False, help_text="", rows=3):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _line(label, *, max_length, required=False, help_text="", **attrs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


def _phone(label, *, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=30,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(PHONE_INVALID)
    return value


def clean_dob(value, *, future=DOB_FUTURE, too_old=DOB_TOO_OLD):
    if value is None:
        return value
    today = timezone.localdate()
    if value >= today:
        raise forms.ValidationError(future)
    if value < today.replace(year=today.year - MAX_AGE):
        raise forms.ValidationError(too_old)
    return value


def clean_not_future(value):
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(FUTURE_DATE)
    return value


def current_districts():
    today = timezone.localdate()
    return (
        District.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("name")
    )


SUSPECT_SLOTS = (1, 2)


class IntakeForm(BaseForm):
    """The staff referral form: one long page in clear fieldsets."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    # Referral
    source = forms.ModelChoiceField(
        label="Referral source", queryset=ReferralSource.objects.filter(active=True)
    )
    received_date = forms.DateField(label="Date received", widget=DATE_WIDGET)
    received_time = forms.TimeField(label="Time received", widget=TIME_WIDGET)
    referrer_name = _line("Referrer's name", max_length=150)
    referrer_organisation = _line("Referrer's organisation", max_length=150)
    referrer_role = _line("Referrer's role", max_length=100)
    referrer_phone = _phone("Referrer's phone")
    referrer_email = forms.EmailField(label="Referrer's email", required=False, max_length=254)

    # Person
    first_name = _line("First name", max_length=100, required=True, autocomplete="off")
    last_name = _line("Last name", max_length=100, autocomplete="off")
    preferred_name = _line(
        "Preferred name", max_length=100, help_text="What they like to be called"
    )
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    age = forms.IntegerField(
        label="Age, if the date of birth is not known",
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        error_messages={"min_value": AGE_RANGE, "max_value": AGE_RANGE, "invalid": AGE_RANGE},
    )
    gender = forms.ChoiceField(
        required=False, label="Gender", choices=equality.Gender.choices, initial=equality.NOT_ASKED
    )
    gender_self_description = _line("Gender, in their words", max_length=100)
    pronouns = _line("Pronouns", max_length=40)
    language = _line("First language", max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    access_needs = _text("Disability or access needs")
    district = forms.ModelChoiceField(
        label="District where they live",
        queryset=District.objects.none(),
        required=False,
        empty_label="Outside Staffordshire and Stoke-on-Trent, or not known",
    )
    address = _text(
        "Home address",
        max_length=500,
        help_text="Never used for contact unless post is marked safe below",
    )

    # Safe contact
    safe_phone = _phone("Safe phone number")
    safe_times = _line("Safe times to call", max_length=200)
    phone_allowed = forms.BooleanField(label="Calls allowed", required=False)
    voicemail_allowed = forms.BooleanField(label="Voicemail allowed", required=False)
    voicemail_wording = _line("Agreed voicemail wording", max_length=300)
    text_allowed = forms.BooleanField(label="Texts allowed", required=False)
    email_allowed = forms.BooleanField(label="Email allowed", required=False)
    email = forms.EmailField(label="Safe email address", required=False, max_length=254)
    post_allowed = forms.BooleanField(label="Post allowed", required=False)
    postal_address = _text("Safe postal address", max_length=500)
    plain_envelope = forms.BooleanField(label="Plain envelope only", required=False, initial=True)
    code_word = _line("Code word", max_length=100, autocomplete="off")
    others_who_may_answer = _line("Who else may answer", max_length=200)
    confirmed_on = forms.DateField(
        label="Date these details were confirmed",
        required=False,
        widget=DATE_WIDGET,
        help_text="Leave empty if the client has not confirmed them yet",
    )

    # Consent
    consent_to_contact = forms.BooleanField(
        label="The person consents to being contacted", required=False
    )
    consent_to_share = forms.BooleanField(
        label="The person consents to information being shared with partner agencies",
        required=False,
    )

    # What is happening
    behaviours = forms.MultipleChoiceField(
        label="Behaviours reported",
        choices=Behaviour.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digital_element = forms.BooleanField(label="Digital or cyber element", required=False)
    duration = _line("How long it has been going on", max_length=100)
    summary = _text("What is happening", rows=5)
    police_involvement = forms.ChoiceField(
        required=False,
        label="Police involvement",
        choices=Referral.PoliceInvolvement.choices,
        initial=Referral.PoliceInvolvement.UNKNOWN,
    )
    crime_reference = _line("Crime reference", max_length=50)

    # Risk score received
    risk_tool = forms.ChoiceField(
        label="Risk tool", choices=ReceivedRiskTool.choices, required=False
    )
    risk_tool_version = _line("Tool version", max_length=30)
    risk_score = forms.IntegerField(label="Score", required=False, min_value=0, max_value=100)
    risk_level_received = forms.ChoiceField(
        label="Risk level given by the referrer",
        choices=[
            ("", "None given"),
            ("standard", "Standard"),
            ("medium", "Medium"),
            ("high", "High"),
        ],
        required=False,
    )

    # Equality monitoring
    ethnicity = forms.ChoiceField(
        required=False,
        label="Ethnic group",
        choices=equality.Ethnicity.choices,
        initial=equality.NOT_ASKED,
    )
    disability = forms.ChoiceField(
        required=False,
        label="Disabled",
        choices=equality.YesNoPrefer.choices,
        initial=equality.NOT_ASKED,
    )
    sexual_orientation = forms.ChoiceField(
        required=False,
        label="Sexual orientation",
        choices=equality.SexualOrientation.choices,
        initial=equality.NOT_ASKED,
    )
    religion = forms.ChoiceField(
        required=False,
        label="Religion or belief",
        choices=equality.Religion.choices,
        initial=equality.NOT_ASKED,
    )
    gender_reassignment = forms.ChoiceField(
        required=False,
        label="Gender identity different from sex registered at birth",
        choices=equality.YesNoPrefer.choices,
        initial=equality.NOT_ASKED,
    )
    marital_status = forms.ChoiceField(
        required=False,
        label="Marriage or civil partnership",
        choices=equality.MaritalStatus.choices,
        initial=equality.NOT_ASKED,
    )
    pregnancy = forms.ChoiceField(
        required=False,
        label="Pregnant or given birth in the last 26 weeks",
        choices=equality.YesNoPrefer.choices,
        initial=equality.NOT_ASKED,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = current_districts()
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("received_date", now.date())
            self.initial.setdefault("received_time", now.strftime("%H:%M"))
            self.initial.setdefault("submission_token", uuid.uuid4())
            self.initial.setdefault("language", "English")
        suspect_fieldsets = []
        for n in SUSPECT_SLOTS:
            p = f"suspect{n}_"
            self.fields[p + "name"] = _line(f"Suspect {n}: name", max_length=150)
            self.fields[p + "aliases"] = _line(
                f"Suspect {n}: other names", max_length=300, help_text="Separate with commas"
            )
            self.fields[p + "sex"] = forms.ChoiceField(
                required=False,
                label=f"Suspect {n}: sex",
                choices=Suspect.Sex.choices,
                initial=Suspect.Sex.UNKNOWN,
            )
            self.fields[p + "relationship"] = forms.ChoiceField(
                required=False,
                label=f"Suspect {n}: relationship to the person",
                choices=Suspect.Relationship.choices,
                initial=Suspect.Relationship.UNKNOWN,
            )
            self.fields[p + "domestic_abuse_related"] = forms.BooleanField(
                label=f"Suspect {n}: domestic-abuse related",
                required=False,
                help_text="Partner, ex-partner or family member",
            )
            self.fields[p + "online_identifiers"] = _text(
                f"Suspect {n}: online identifiers",
                max_length=2000,
                help_text="Handles, numbers, email addresses: one per line",
            )
            self.fields[p + "vehicle_registrations"] = _line(
                f"Suspect {n}: vehicle registrations", max_length=200
            )
            suspect_fieldsets.append(
                Fieldset(
                    "Suspect" if n == 1 else "Another suspect (if there is one)",
                    # The suspect's declared details this form asks, in declared order.
                    *[p + f for f in Suspect.personal_data.fields if p + f in self.fields],
                )
            )
        self.helper.layout = Layout(
            "submission_token",
            Fieldset(
                "Referral",
                "source",
                Div("received_date", "received_time", css_class="d-flex gap-3"),
                "referrer_name",
                "referrer_organisation",
                "referrer_role",
                "referrer_phone",
                "referrer_email",
            ),
            Fieldset(
                "The person referred",
                "first_name",
                "last_name",
                "preferred_name",
                "date_of_birth",
                "age",
                "gender",
                "gender_self_description",
                "pronouns",
                "language",
                "interpreter_needed",
                "access_needs",
                "district",
                "address",
            ),
            Fieldset(
                "Safe contact",
                HTML(
                    '<p class="form-text">Nothing is sent or said by a route not marked safe here.</p>'
                ),
                # Every declared safe-contact detail this form asks, in declared order.
                *[f for f in SafeContact.personal_data.fields if f in self.fields],
            ),
            Fieldset("Consent", "consent_to_contact", "consent_to_share"),
            *suspect_fieldsets,
            Fieldset(
                "What is happening",
                "behaviours",
                "digital_element",
                "duration",
                "summary",
                "police_involvement",
                "crime_reference",
            ),
            Fieldset(
                "Risk score received",
                "risk_tool",
                "risk_tool_version",
                "risk_score",
                "risk_level_received",
            ),
            Fieldset(
                "Equality monitoring (optional: every question can be 'Prefer not to say')",
                "ethnicity",
                "disability",
                "sexual_orientation",
                "religion",
                "gender_reassignment",
                "marital_status",
                "pregnancy",
            ),
        )

    def clean_date_of_birth(self):
        return clean_dob(self.cleaned_data.get("date_of_birth"))

    def clean_received_date(self):
        return clean_not_future(self.cleaned_data.get("received_date"))

    def clean_confirmed_on(self):
        return clean_not_future(self.cleaned_data.get("confirmed_on"))

    def clean_safe_phone(self):
        return clean_phone(self.cleaned_data.get("safe_phone"))

    def clean_referrer_phone(self):
        return clean_phone(self.cleaned_data.get("referrer_phone"))

    def clean(self):
        data = super().clean()
        received_date, received_time = data.get("received_date"), data.get("received_time")
        if received_date and received_time:
            received_at = timezone.make_aware(datetime.combine(received_date, received_time))
            if received_at > timezone.now() + timedelta(minutes=5):
                self.add_error("received_time", FUTURE_DATE.replace("date", "time"))
            data["received_at"] = received_at
        if (
            (data.get("phone_allowed") or data.get("voicemail_allowed") or data.get("text_allowed"))
            and not data.get("safe_phone")
            and "safe_phone" not in self.errors
        ):
            self.add_error("safe_phone", PHONE_NEEDED)
        if data.get("email_allowed") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", EMAIL_NEEDED)
        if data.get("post_allowed") and not (data.get("postal_address") or "").strip():
            self.add_error("postal_address", POST_NEEDED)
        if data.get("gender") == equality.Gender.SELF_DESCRIBE and not data.get(
            "gender_self_description"
        ):
            self.add_error("gender_self_description", SELF_DESCRIBE_NEEDED)
        score = data.get("risk_score")
        if score is not None:
            if not data.get("risk_tool"):
                self.add_error("risk_tool", SCORE_NEEDS_TOOL)
            elif data.get("risk_tool") == ReceivedRiskTool.DASH and score > DASH_MAX_SCORE:
                self.add_error("risk_score", DASH_RANGE)
        return data

    OPTIONAL_CHOICE_DEFAULTS = {
        "gender": equality.NOT_ASKED,
        "ethnicity": equality.NOT_ASKED,
        "disability": equality.NOT_ASKED,
        "sexual_orientation": equality.NOT_ASKED,
        "religion": equality.NOT_ASKED,
        "gender_reassignment": equality.NOT_ASKED,
        "marital_status": equality.NOT_ASKED,
        "pregnancy": equality.NOT_ASKED,
        "police_involvement": Referral.PoliceInvolvement.UNKNOWN,
        **{f"suspect{n}_sex": Suspect.Sex.UNKNOWN for n in SUSPECT_SLOTS},
        **{f"suspect{n}_relationship": Suspect.Relationship.UNKNOWN for n in SUSPECT_SLOTS},
    }

    def intake_data(self):
        from .services import IntakeData

        d = dict(self.cleaned_data)
        for name, default in self.OPTIONAL_CHOICE_DEFAULTS.items():
            d[name] = d.get(name) or default
        suspects = []
        for n in SUSPECT_SLOTS:
            p = f"suspect{n}_"
            suspects.append({k[len(p) :]: v for k, v in d.items() if k.startswith(p)})
        behaviours = list(d.get("behaviours") or [])
        # The client and safe-contact details this form asks for: it asks an age rather
        # than the age at referral, and leaves safe-contact notes to the case.
        asked = self.fields.keys()
        return IntakeData(
            referral={
                "source": d["source"],
                "received_at": d["received_at"],
                **{
                    k: d[k]
                    for k in (
                        "referrer_name",
                        "referrer_organisation",
                        "referrer_role",
                        "referrer_phone",
                        "referrer_email",
                        "consent_to_contact",
                        "consent_to_share",
                        "duration",
                        "summary",
                        "police_involvement",
                        "crime_reference",
                        "risk_tool",
                        "risk_tool_version",
                        "risk_score",
                        "risk_level_received",
                    )
                },
                "behaviours": behaviours,
                "digital_element": d["digital_element"]
                or bool(set(behaviours) & DIGITAL_BEHAVIOURS),
            },
            client={
                "age_at_referral": d.get("age") if not d.get("date_of_birth") else None,
                **{k: d[k] for k in Client.personal_data.fields if k in asked},
                "language": d.get("language") or "",
            },
            safe_contact={k: d[k] for k in SafeContact.personal_data.fields if k in asked},
            suspects=suspects,
        )


# ---- triage -------------------------------------------------------------------------


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )


NEW_CLIENT = "new"


class TriageChecksForm(VersionedFormMixin, BaseForm):
    duplicate = forms.ChoiceField(
        label="Is this person already known to the service?", widget=forms.RadioSelect
    )
    in_area = _yes_no("Do they live in Staffordshire or Stoke-on-Trent?")
    meets_age_policy = _yes_no("Are they old enough for the service?")
    domestic_abuse_related = _yes_no(
        "Is it domestic-abuse related (the suspect is a partner, ex-partner or family member)?"
    )
    notes = _text("Triage notes", max_length=2000)

    def __init__(self, *args, candidates=(), referral=None, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(NEW_CLIENT, "No: this is a new client")]
        for c in candidates:
            if c.client is None:
                continue  # restricted: only a manager may see or link it
            dob = (
                c.client.date_of_birth.strftime("%-d %B %Y")
                if c.client.date_of_birth
                else "date of birth not known"
            )
            case = f", latest case {c.latest_case.reference}" if c.latest_case else ""
            choices.append(
                (
                    str(c.client.pk),
                    f"Yes: same person as {c.client.full_name}, {dob}{case} ({'; '.join(c.reasons)})",
                )
            )
        self.fields["duplicate"].choices = choices
        self.fields[
            "meets_age_policy"
        ].label = f"Are they {settings.MINIMUM_CLIENT_AGE} or older (the service's age policy)?"
        if referral is not None and not self.is_bound:
            self.initial["version"] = referral.version
            self.initial["duplicate"] = NEW_CLIENT if not candidates else None
        if proposal is not None and not self.is_bound:
            for name in ("in_area", "meets_age_policy", "domestic_abuse_related"):
                value = getattr(proposal, name)
                if value is not None:
                    self.initial[name] = "yes" if value else "no"

    def link_to_client_id(self):
        value = self.cleaned_data["duplicate"]
        return None if value == NEW_CLIENT else int(value)


class TriageDecisionForm(VersionedFormMixin, BaseForm):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[c for c in Referral.Outcome.choices if c[0] != Referral.Outcome.PENDING],
        widget=forms.RadioSelect,
    )
    decline_reason = forms.ModelChoiceField(
        label="Reason for declining",
        queryset=DeclineReason.objects.filter(active=True),
        required=False,
    )
    signposted_to = _line(
        "Signposted or handed over to",
        max_length=200,
        help_text="For example the local domestic-abuse (IDVA) service",
    )
    notes = _text("Decision notes", max_length=2000)

    def __init__(self, *args, referral=None, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if referral is not None and not self.is_bound:
            self.initial["version"] = referral.version
            if referral.domestic_abuse_related or (proposal and proposal.propose_signposting):
                self.initial["outcome"] = Referral.Outcome.SIGNPOSTED
                self.initial["signposted_to"] = settings.DOMESTIC_ABUSE_SIGNPOST_TO

    def clean(self):
        from .services import DECLINE_NEEDS_REASON, SIGNPOST_NEEDS_WHERE

        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Referral.Outcome.DECLINED and not data.get("decline_reason"):
            self.add_error("decline_reason", DECLINE_NEEDS_REASON)
        if outcome == Referral.Outcome.SIGNPOSTED and not (data.get("signposted_to") or "").strip():
            self.add_error("signposted_to", SIGNPOST_NEEDS_WHERE)
        return data


# ---- public self-referral -----------------------------------------------------------
# GOV.UK-style question pages: a few questions per page, plain words. Each form has the
# honeypot field; people never see it (hidden from sight and from screen readers).


class HoneypotMixin(forms.Form):
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())


def _honeypot_layout(*fields):
    return Layout(*fields, Div("website", css_class="hp-field", aria_hidden="true"))


YES_NO_SAFE = [("yes", "Yes"), ("no", "No")]

# The behaviours in the words of the person they happen to. Staff pages keep the
# Behaviour labels ("the victim"); the public form and its check page use these.
_SELF_BEHAVIOUR_WORDING = {
    Behaviour.PUBLISHING: "Publishing material about you",
    Behaviour.THREATS: "Threats (to you, to others or to themselves)",
    Behaviour.ORDERING_GOODS: "Ordering goods in your name",
}
SELF_BEHAVIOUR_CHOICES = [
    (value, _SELF_BEHAVIOUR_WORDING.get(value, label)) for value, label in Behaviour.choices
]


class SelfAboutYouForm(HoneypotMixin, BaseForm):
    first_name = _line("Your first name", max_length=100, required=True, autocomplete="given-name")
    last_name = _line("Your last name (optional)", max_length=100, autocomplete="family-name")
    preferred_name = _line("What would you like us to call you? (optional)", max_length=100)
    date_of_birth = forms.DateField(
        label="Your date of birth (optional)",
        required=False,
        widget=DATE_WIDGET,
        help_text="For example 27 3 1990. This helps us check we have the right person.",
    )
    district = forms.ChoiceField(label="Where do you live?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = (
            [("", "Choose an area")]
            + [(d.code, d.name) for d in current_districts()]
            + [("elsewhere", "Somewhere else")]
        )
        self.fields["district"].error_messages["required"] = "Select where you live"
        self.fields["first_name"].error_messages["required"] = "Enter your first name"
        self.helper.layout = _honeypot_layout(
            "first_name", "last_name", "preferred_name", "date_of_birth", "district"
        )

    def clean_date_of_birth(self):
        return clean_dob(
            self.cleaned_data.get("date_of_birth"),
            future=SELF_DOB_FUTURE,
            too_old=SELF_DOB_TOO_OLD,
        )


class SelfContactForm(HoneypotMixin, BaseForm):
    safe_phone = _phone(
        "A phone number that is safe for us to use",
        help_text="Only give a number that the person doing this cannot see or answer.",
    )
    safe_times = _line(
        "When is it safe to call?", max_length=200, help_text="For example weekdays after 6pm"
    )
    voicemail_allowed = forms.ChoiceField(
        label="Can we leave a voicemail?", choices=YES_NO_SAFE, widget=forms.RadioSelect
    )
    text_allowed = forms.ChoiceField(
        label="Can we send a text message?", choices=YES_NO_SAFE, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label="An email address that is safe to use (optional)", required=False, max_length=254
    )
    email_allowed = forms.ChoiceField(
        label="Can we email you?", choices=YES_NO_SAFE, widget=forms.RadioSelect
    )
    others_who_may_answer = _line(
        "Who else might answer this phone or read your messages? (optional)", max_length=200
    )
    notes = _text("Anything else we should know to contact you safely (optional)", max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("voicemail_allowed", "text_allowed", "email_allowed"):
            self.fields[name].error_messages["required"] = "Select yes or no"
        self.helper.layout = _honeypot_layout(
            "safe_phone",
            "safe_times",
            "voicemail_allowed",
            "text_allowed",
            "email",
            "email_allowed",
            "others_who_may_answer",
            "notes",
        )

    def clean_safe_phone(self):
        return clean_phone(self.cleaned_data.get("safe_phone"))

    def clean(self):
        data = super().clean()
        if not data.get("safe_phone") and not data.get("email") and not self.errors:
            self.add_error("safe_phone", SELF_CONTACT_NEEDED)
        if (
            data.get("email_allowed") == "yes"
            and not data.get("email")
            and "email" not in self.errors
        ):
            self.add_error("email", "Enter the email address, or choose 'No' for email")
        return data


class SelfHappeningForm(HoneypotMixin, BaseForm):
    behaviours = forms.MultipleChoiceField(
        label="What is the person doing? Choose all that apply",
        choices=SELF_BEHAVIOUR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _text(
        "Tell us a little about what is happening (optional)",
        max_length=LONG_TEXT,
        rows=5,
        help_text="You do not need to tell us everything now.",
    )
    relationship = forms.ChoiceField(
        label="Who is doing this?",
        choices=Suspect.Relationship.choices,
        initial=Suspect.Relationship.UNKNOWN,
    )
    suspect_name = _line("Their name, if you know it (optional)", max_length=150)
    duration = _line("How long has it been going on? (optional)", max_length=100)
    police_involvement = forms.ChoiceField(
        label="Have you told the police?",
        choices=Referral.PoliceInvolvement.choices,
        initial=Referral.PoliceInvolvement.UNKNOWN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = _honeypot_layout(
            "relationship",
            "suspect_name",
            "behaviours",
            "summary",
            "duration",
            "police_involvement",
        )


class SelfConsentForm(HoneypotMixin, BaseForm):
    consent_to_contact = forms.BooleanField(
        label="I agree to the service contacting me in the ways I have said are safe",
        error_messages={"required": "Tick the box to say we can contact you, so we can help"},
    )
    consent_to_share = forms.BooleanField(
        label="I agree to the service sharing information with the police and other services "
        "when that helps keep me safe (optional)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = _honeypot_layout("consent_to_contact", "consent_to_share")


class SelfSubmitForm(HoneypotMixin, BaseForm):
    """The check-your-answers page's 'Send' button (plus the honeypot)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = _honeypot_layout()
