"""Reads for intake and triage, scoped by referrals.permissions.referrals_for_triage."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat, Lower
from django.http import Http404
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.models.suspects import Suspect
from cases.permissions import cases_visible_to
from cases.selectors.lifecycle import case_break_glass_candidate
from cases.statuses import OPEN_STATUSES
from stalkingservice.crypto import blind_index
from stalkingservice.models import User

from .models import Referral
from .permissions import referrals_for_triage


def triage_queue(*, user) -> QuerySet[Referral]:
    """Referrals awaiting triage, oldest first (the longest-waiting victim first)."""
    return (
        referrals_for_triage(user)
        .select_related("source", "case", "case__client", "case__district")
        .order_by("received_at", "pk")
    )


# What the triage page shows of a referral and its case, loaded with it in one query.
REFERRAL_PAGE_RELATED = (
    "source",
    "decline_reason",
    "case",
    "case__client",
    "case__client__safe_contact",
    "case__client__district",
    "case__district",
)


def referral_get_for_triage(*, user, pk) -> Referral:
    """One referral in the user's triage scope; anything else is 'not found'."""
    try:
        return referrals_for_triage(user).select_related(*REFERRAL_PAGE_RELATED).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def referral_get_decided_for_user(*, user, pk) -> Referral:
    """A referral that has left triage (accepted, declined or signposted), read on its
    case's one access rule (`cases_visible_to`): the allocated workers, managers and a
    live break-glass grant. The victim told their story once; whoever may see the case
    may read it. Anything else is 'not found'."""
    try:
        return (
            Referral.objects.exclude(outcome=Referral.Outcome.PENDING)
            .filter(case__in=cases_visible_to(user))
            .select_related(*REFERRAL_PAGE_RELATED, "triaged_by")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def referral_break_glass_candidate(*, user, pk) -> Case | None:
    """The case of a decided referral that this user could open only by break-glass, or
    None: the same offer every case tab makes (`cases.case_page.with_case`). A referral
    still awaiting triage is never offered (it has its own scope, which keeps
    conflict-flagged and restricted referrals for managers)."""
    try:
        case_id = (
            Referral.objects.exclude(outcome=Referral.Outcome.PENDING)
            .values_list("case_id", flat=True)
            .get(pk=int(pk))
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        return None
    return case_break_glass_candidate(user=user, pk=case_id)


def referral_by_submission_token(*, token) -> Referral | None:
    if not token:
        return None
    return Referral.objects.filter(submission_token=token).only("pk", "reference").first()


def referral_suspects(*, referral: Referral) -> list[Suspect]:
    return list(referral.case.suspects.order_by("pk"))


# ---- duplicate check ----------------------------------------------------------------


@dataclass
class DuplicateCandidate:
    """One possible match. `client` is None when the user may not open any of the
    client's cases: then the page says only that a possible match exists and a manager
    will check it (no name, date of birth, reference, status, reason or restriction: the
    same words for a restricted client and an ordinary one, so neither is confirmed).
    `matched_case` is for the audit row only, never for display."""

    client: Client | None
    reasons: list[str] = field(default_factory=list)
    latest_case: Case | None = None
    restricted: bool = False
    matched_case: Case | None = None

    @property
    def hidden(self) -> bool:
        return self.client is None


def duplicate_candidates(*, referral: Referral, user=None) -> list[DuplicateCandidate]:
    """Existing clients who may be the same person as the one referred: same name and
    date of birth, or the same safe phone number or email address (by blind index).

    Details are given only of clients with a case the user can already open
    (`cases_visible_to`, the one access rule: managers see every match; or a referral in
    the user's triage scope); any other match
    is a hidden candidate, so the duplicate check is never an oracle for who the service
    supports. `user=None` is the system itself (every match in detail)."""
    client = referral.case.client
    sc = getattr(client, "safe_contact", None)
    match = Q()
    if client.date_of_birth and client.last_name:
        match |= Q(
            first_name__iexact=client.first_name,
            last_name__iexact=client.last_name,
            date_of_birth=client.date_of_birth,
        )
    phone_index = sc.safe_phone_index if sc else ""
    email_index = sc.email_index if sc else ""
    if phone_index:
        match |= Q(safe_contact__safe_phone_index=phone_index)
    if email_index:
        match |= Q(safe_contact__email_index=email_index)
    if not match:
        return []
    found = list(
        Client.objects.filter(match, anonymised_at__isnull=True)
        .exclude(pk=client.pk)
        .select_related("safe_contact")
        .order_by("last_name", "first_name", "pk")
        .distinct()[:20]
    )
    latest: dict[int, Case] = {}
    restricted: set[int] = set()
    for case in (
        Case.objects.filter(client__in=found).order_by("client_id", "-episode", "-referred_at")
    ).only("pk", "reference", "status", "client_id", "episode", "referred_at", "restricted"):
        latest.setdefault(case.client_id, case)
        if case.restricted:
            restricted.add(case.client_id)
    # The latest case of each client that this user can open (None: show nothing of them).
    latest_open: dict[int, Case] = {}
    if user is None:
        latest_open = dict(latest)
    else:
        # Another referral of the same person still awaiting triage is in the user's
        # triage scope (its page shows them already), so it is shown too.
        openable = (
            cases_visible_to(user).values("pk").union(referrals_for_triage(user).values("case_id"))
        )
        for case in (
            Case.objects.filter(pk__in=openable, client__in=found)
            .order_by("client_id", "-episode", "-referred_at")
            .only("pk", "reference", "status", "client_id", "episode", "referred_at")
        ):
            latest_open.setdefault(case.client_id, case)
    candidates = []
    for other in found:
        if user is not None and other.pk not in latest_open:
            candidates.append(DuplicateCandidate(client=None, matched_case=latest.get(other.pk)))
            continue
        reasons = []
        if (
            client.date_of_birth
            and other.date_of_birth == client.date_of_birth
            and other.first_name.lower() == client.first_name.lower()
            and other.last_name.lower() == client.last_name.lower()
        ):
            reasons.append("Same name and date of birth")
        other_sc = getattr(other, "safe_contact", None)
        if other_sc and phone_index and other_sc.safe_phone_index == phone_index:
            reasons.append("Same safe phone number")
        if other_sc and email_index and other_sc.email_index == email_index:
            reasons.append("Same email address")
        candidates.append(
            DuplicateCandidate(
                client=other,
                reasons=reasons,
                latest_case=latest_open.get(other.pk),
                restricted=other.pk in restricted,
                matched_case=latest_open.get(other.pk),
            )
        )
    return candidates


def phone_and_email_indexes(*, phone: str, email: str) -> tuple[str, str]:
    return blind_index(phone, "phone"), blind_index(email, "email")


# ---- conflict check -----------------------------------------------------------------


def _names_for(suspect: Suspect) -> set[str]:
    names = {suspect.name}
    names.update(part for part in (suspect.aliases or "").replace(";", ",").split(","))
    return {" ".join(n.split()).lower() for n in names if n and n.strip()}


def conflict_matches(*, case: Case) -> list[str]:
    """Plain-English lines, one per match of a suspect's name (or alias) with a member of
    staff or a current client (a client with an open case other than this one). For
    managers only: callers must never show these to caseworkers."""
    names = set()
    for suspect in case.suspects.all():
        names |= _names_for(suspect)
    if not names:
        return []
    lines = []
    staff = (
        User.objects.filter(is_active=True)
        .annotate(full=Lower(Concat("first_name", Value(" "), "last_name")))
        .filter(full__in=names)
        .order_by("pk")
    )
    for member in staff:
        lines.append(f"Suspect's name matches a member of staff: {member} ({member.username}).")
    clients = (
        Client.objects.filter(cases__status__in=OPEN_STATUSES)
        .exclude(pk=case.client_id)
        .annotate(
            full=Lower(Concat("first_name", Value(" "), "last_name")),
            preferred=Lower(Concat("preferred_name", Value(" "), "last_name")),
        )
        .filter(Q(full__in=names) | Q(preferred__in=names))
        .distinct()
        .order_by("pk")
    )
    for other in clients:
        refs = ", ".join(
            c.reference for c in other.cases.filter(status__in=OPEN_STATUSES).order_by("pk")
        )
        lines.append(f"Suspect's name matches a current client: {other.full_name} ({refs}).")
    return lines


# ---- eligibility --------------------------------------------------------------------


@dataclass
class EligibilityProposal:
    in_area: bool | None
    meets_age_policy: bool | None
    domestic_abuse_related: bool
    age: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def propose_signposting(self) -> bool:
        return self.domestic_abuse_related


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def eligibility_proposal(*, referral: Referral) -> EligibilityProposal:
    """What the record suggests; the triager confirms or corrects each answer."""
    client = referral.case.client
    received = timezone.localtime(referral.received_at).date()
    district = client.district
    notes = []
    if district is None:
        in_area = None
        notes.append("No district recorded: check where the person lives.")
    else:
        valid = (district.valid_from is None or district.valid_from <= received) and (
            district.valid_to is None or district.valid_to >= received
        )
        in_area = valid
        if not valid:
            notes.append(f"{district.name} is not a current Staffordshire district.")
    age = age_on(client.date_of_birth, received) if client.date_of_birth else client.age_at_referral
    if age is None:
        meets_age = None
        notes.append("Age not known: check it at first contact.")
    else:
        meets_age = age >= settings.MINIMUM_CLIENT_AGE
        if not meets_age:
            notes.append(
                f"Aged {age}: under the service's minimum age of {settings.MINIMUM_CLIENT_AGE}."
            )
    da = False
    for suspect in referral.case.suspects.all():
        if suspect.domestic_abuse_related or suspect.relationship in Suspect.DOMESTIC_RELATIONSHIPS:
            da = True
            notes.append(
                f"Suspect is {suspect.get_relationship_display().lower()}: this is domestic "
                "abuse, so propose signposting or handover to the local domestic-abuse service."
            )
            break
    return EligibilityProposal(
        in_area=in_area, meets_age_policy=meets_age, domestic_abuse_related=da, age=age, notes=notes
    )
