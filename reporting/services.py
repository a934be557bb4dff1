"""Every write of the reporting app: requesting, generating, annotating and finalising
quarterly returns, and in-app notifications."""

import hashlib
import logging
import re
import unicodedata

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case
from referrals.models import Referral
from stalkingservice.domain import UNCHECKED, DomainError, SubmittedVersion
from stalkingservice.history import set_history_reason
from stalkingservice.models import User
from stalkingservice.roles import Role

from . import figures, render
from .models import Notification, QuarterlyReturn
from .periods import Quarter
from .registry import Period

logger = logging.getLogger(__name__)

FINALISED_IS_IMMUTABLE = (
    "This return is finalised and cannot be changed. Generate a new version and give the reason."
)
REASON_REQUIRED = (
    "Give the reason for a new version: a finalised return already exists for this quarter."
)
NOT_READY = "The return is still being produced. Wait until it is ready."
NOT_LATEST = "Only the latest version of a quarter's return can be finalised."
NEXT_QUARTER_FINAL = (
    "The {next} return is finalised and compares with this quarter as it was published, "
    "so a new version of {quarter} would let the two be set side by side and show the few "
    "people recorded in between. Explain the correction in the {next_next} return's "
    "narrative instead."
)
QUARTER_NOT_ENDED = "This quarter has not ended yet, so its return cannot be produced."
STALE_NARRATIVE = (
    "Someone else changed the narrative while you were editing. Check it and save again."
)
GENERATION_IN_PROGRESS = "A version of this return is already being produced."
NARRATIVE_NAMES_CLIENT = (
    'The narrative names a client ("{match}"). The return leaves the service: take out '
    "names and anything else that could identify someone, then save again."
)
NARRATIVE_NAMES_CASE = (
    'The narrative gives a case reference ("{match}"). The return leaves the service: '
    "take out references and anything else that could identify someone, then save again."
)


def _words(text: str) -> list[str]:
    """Words of `text` for matching: accents dropped, case folded, split at anything
    that is not a letter or digit (so "O'Brien", "o brien" and "O-BRIEN" are alike)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", plain.casefold())


def _contains(words: list[str], phrase: list[str]) -> bool:
    """`phrase` appears in `words` as whole words, one after the other."""
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def narrative_identifiers(text: str) -> tuple[str, str] | None:
    """(message, what matched) if `text` names a client (first or preferred name with the
    surname, as whole words) or gives a case or referral reference (with or without its
    separators), checked against the real client and case tables; else None."""
    words = _words(text)
    if not words:
        return None
    present = set(words)
    clients = (
        Client.objects.filter(anonymised_at__isnull=True)
        .exclude(last_name="")
        .values_list("first_name", "preferred_name", "last_name")
        .order_by("pk")
    )
    for first, preferred, last in clients.iterator(chunk_size=2000):
        surname = _words(last)
        if not surname or not set(surname) <= present:
            continue
        for given in (first, preferred):
            if given and _contains(words, [*_words(given), *surname]):
                return NARRATIVE_NAMES_CLIENT, f"{given} {last}"
    # A reference written with or without its separators: "STK-2026-00012", "stk 2026
    # 00012" and "STK202600012" are the same reference; "STK-2026-000123" is another.
    joined = {"".join(words[i : i + k]) for k in (1, 2, 3, 4) for i in range(len(words))}
    references = [
        *Case.objects.values_list("reference", flat=True),
        *Referral.objects.values_list("reference", flat=True),
    ]
    for reference in references:
        if reference and "".join(_words(reference)) in joined:
            return NARRATIVE_NAMES_CASE, reference
    return None


def _check_narrative(**fields: str) -> None:
    for name, text in fields.items():
        found = narrative_identifiers(text)
        if found is not None:
            message, match = found
            raise DomainError(message.format(match=match), field=name)


def _quarter(label: str) -> Quarter:
    try:
        return Quarter.parse(label)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc


def _save(ret: QuarterlyReturn, reason: str, **kwargs) -> None:
    set_history_reason(ret, reason)
    ret.save(**kwargs)


def _progress(ret: QuarterlyReturn, percent: int, message: str) -> None:
    """Progress is written outside the generation transaction so the page polling the
    status sees it; it is not history-worthy."""
    QuarterlyReturn.objects.filter(pk=ret.pk).update(progress=percent, progress_message=message)


@transaction.atomic
def return_request(*, quarter: str, by: User | None, reason: str = "") -> QuarterlyReturn:
    """Queue the production of a quarter's return. A draft is regenerated in place; when
    the latest version is finalised a new version is made, and a reason is required."""
    q = _quarter(quarter)
    if q.end_at > timezone.now():
        raise DomainError(QUARTER_NOT_ENDED)
    versions = list(
        QuarterlyReturn.objects.select_for_update().filter(quarter=q.label).order_by("-version")
    )
    latest = versions[0] if versions else None
    if latest is not None and not latest.is_finalised:
        if latest.state in (QuarterlyReturn.State.QUEUED, QuarterlyReturn.State.RUNNING):
            return latest
        latest.state = QuarterlyReturn.State.QUEUED
        latest.progress, latest.progress_message, latest.error = 0, "Waiting to start", ""
        latest.requested_by, latest.requested_at = by, timezone.now()
        if reason:
            latest.reason = reason
        _save(latest, "Regeneration of the draft requested")
        return latest
    if latest is not None:
        _refuse_after_next_quarter(q)
    if latest is not None and not reason.strip():
        raise DomainError(REASON_REQUIRED, field="reason")
    ret = QuarterlyReturn(
        quarter=q.label,
        period_start=q.start,
        period_end=q.end,
        version=(latest.version + 1) if latest else 1,
        reason=reason.strip(),
        requested_by=by,
        progress_message="Waiting to start",
    )
    _save(ret, "Return requested")
    return ret


def _refuse_after_next_quarter(q: Quarter) -> None:
    """A new version of a quarter once the next quarter's return is finalised is refused:
    that return prints this quarter's published figures, frozen, beside its own."""
    following = q.next()
    finalised = QuarterlyReturn.objects.filter(
        quarter=following.label, status=QuarterlyReturn.Status.FINALISED
    ).only("data")
    if any(ret.data.get("previous") for ret in finalised):
        raise DomainError(
            NEXT_QUARTER_FINAL.format(
                next=following.label, quarter=q.label, next_next=following.next().label
            )
        )


def _write_files(ret: QuarterlyReturn) -> None:
    status = "final" if ret.is_finalised else "draft"
    for fmt, content in (
        ("json", render.render_json(ret)),
        ("csv", render.render_csv(ret)),
        ("pdf", render.render_pdf(ret)),
    ):
        field = ret.file_for(fmt)
        if field:
            field.delete(save=False)
        name = f"stalking-advocacy-return-{ret.quarter}-v{ret.version}-{status}.{fmt}"
        field.save(name, ContentFile(content), save=False)
        setattr(ret, f"{fmt}_sha256", hashlib.sha256(content).hexdigest())


def _previous_figures(q: Quarter) -> tuple[dict, str]:
    """Headline comparison: the previous quarter's latest finalised return, as published.
    Without one there is no comparison: figures worked out now would be an unofficial
    version of that quarter, and its later return would differ from them by the few
    people recorded in between."""
    prev = q.previous()
    finalised = (
        QuarterlyReturn.objects.filter(quarter=prev.label, status=QuarterlyReturn.Status.FINALISED)
        .order_by("-version")
        .first()
    )
    if finalised is not None:
        values = {i["code"]: i["value"] for i in finalised.data["export"]["indicators"]}
        return values, f"{prev.label} (finalised version {finalised.version})"
    return {}, f"{prev.label}: no finalised return"


def compute_data(*, q: Quarter, version: int, generated_at, on_progress=None) -> dict:
    """The frozen content of a return: published figures plus what the PDF prints."""
    period = Period.for_quarter(q)
    results = figures.compute_all(period)
    if on_progress:
        on_progress(40, "Figures computed; comparing with the previous quarter")
    previous, previous_label = _previous_figures(q)
    return {
        "export": {
            "service": settings.SERVICE_NAME,
            "period": {"start": q.start.isoformat(), "end": q.end.isoformat(), "label": q.label},
            "version": version,
            "generated_at": timezone.localtime(generated_at).isoformat(),
            "indicators": figures.publish_all(results),
        },
        "meta": {ind.code: figures.meta(ind, result) for ind, result in results},
        "previous": previous,
        "previous_label": previous_label,
        "period_title": q.title,
        "threshold": settings.SUPPRESSION_THRESHOLD,
    }


def return_generate(
    *, quarter: str, version: int | None = None, by: User | None
) -> QuarterlyReturn:
    """Compute and store a return's figures and files. Safe to run twice: a finalised
    version is returned untouched; without a version, the latest draft is regenerated
    (or version 1 made), and an existing finalised latest version is left as it is."""
    q = _quarter(quarter)
    with transaction.atomic():
        qs = QuarterlyReturn.objects.select_for_update().filter(quarter=q.label)
        ret = qs.filter(version=version).first() if version else qs.order_by("-version").first()
        if ret is None:
            if version is not None and (version != 1 or qs.exists()):
                raise DomainError(f"There is no version {version} of the {q.label} return.")
            ret = return_request(quarter=q.label, by=by)
        if ret.is_finalised:
            return ret
        ret.state = QuarterlyReturn.State.RUNNING
        ret.progress, ret.progress_message, ret.error = 5, "Computing the figures", ""
        _save(ret, "Generation started")
    try:
        generated_at = timezone.now()
        data = compute_data(
            q=q,
            version=ret.version,
            generated_at=generated_at,
            on_progress=lambda pct, msg: _progress(ret, pct, msg),
        )
        _progress(ret, 60, "Writing the PDF, CSV and JSON files")
        with transaction.atomic():
            ret = QuarterlyReturn.objects.select_for_update().get(pk=ret.pk)
            if ret.is_finalised:  # finalised by someone else meanwhile: leave it alone
                return ret
            ret.data = data
            ret.generated_by = by
            ret.generated_at = generated_at
            _write_files(ret)
            ret.state = QuarterlyReturn.State.READY
            ret.progress, ret.progress_message = 100, "Ready"
            _save(ret, "Figures and files generated")
    except Exception as exc:
        # Recorded so the page stops polling and says what happened; re-raised so the
        # task (and its retry policy) still sees the failure.
        QuarterlyReturn.objects.filter(pk=ret.pk).update(
            state=QuarterlyReturn.State.FAILED, error=str(exc)[:500], progress_message="Failed"
        )
        raise
    return ret


@transaction.atomic
def return_update_narrative(
    *,
    ret: QuarterlyReturn,
    by: User,
    highlights: str,
    challenges: str,
    case_study: str,
    edit_version: SubmittedVersion = UNCHECKED,
) -> QuarterlyReturn:
    """Save the manager's narrative on a draft and re-render its files from the stored
    figures (the figures do not change). Narrative that names a client or gives a case
    reference is refused: the return goes to the Commissioner."""
    _check_narrative(highlights=highlights, challenges=challenges, case_study=case_study)
    ret = QuarterlyReturn.objects.select_for_update().get(pk=ret.pk)
    if ret.is_finalised:
        raise DomainError(FINALISED_IS_IMMUTABLE)
    if not ret.is_ready:
        raise DomainError(NOT_READY)
    # The row is locked above, so check and write are one step; a form that posted no
    # edit_version is refused rather than taken as current (issue 13 point 14).
    if edit_version is not UNCHECKED and str(edit_version) != str(ret.edit_version):
        raise DomainError(STALE_NARRATIVE)
    ret.highlights, ret.challenges, ret.case_study = highlights, challenges, case_study
    ret.edit_version += 1
    _write_files(ret)
    _save(ret, f"Narrative updated by {by.get_username()}")
    return ret


@transaction.atomic
def return_finalise(*, ret: QuarterlyReturn, by: User) -> QuarterlyReturn:
    """Lock a draft: its files are rendered once more marked final and never again, and
    commissioners are told in the app."""
    ret = QuarterlyReturn.objects.select_for_update().get(pk=ret.pk)
    if ret.is_finalised:
        raise DomainError(FINALISED_IS_IMMUTABLE)
    if not ret.is_ready:
        raise DomainError(NOT_READY)
    latest = QuarterlyReturn.objects.filter(quarter=ret.quarter).order_by("-version").first()
    assert latest is not None  # ret is one of its quarter's returns
    if latest.pk != ret.pk:
        raise DomainError(NOT_LATEST)
    if ret.version > 1:
        _refuse_after_next_quarter(_quarter(ret.quarter))
    ret.status = QuarterlyReturn.Status.FINALISED
    ret.finalised_by, ret.finalised_at = by, timezone.now()
    _write_files(ret)
    _save(ret, "Finalised")
    url = reverse("reporting:returns")
    message = f"The {ret.quarter} quarterly return (version {ret.version}) has been finalised."
    Notification.objects.bulk_create(
        [
            Notification(user=user, message=message, url=url)
            for user in User.objects.filter(role=Role.COMMISSIONER, is_active=True)
        ]
    )
    return ret


def return_assert_mutable(ret: QuarterlyReturn) -> None:
    if ret.is_finalised:
        raise DomainError(FINALISED_IS_IMMUTABLE)


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
