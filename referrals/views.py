from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cases.case_page import READ_METHODS, break_glass_read_only, with_case
from cases.models.client import Client
from cases.permissions import may_act_on_case
from cases.services.lifecycle import case_log_view
from cases.statuses import CaseStatus
from stalkingservice.access import capability_required
from stalkingservice.audit import client_ip
from stalkingservice.domain import DomainError
from stalkingservice.redirects import local_path
from stalkingservice.roles import Capability

from . import selectors, services
from . import self_referral as journey
from .forms import IntakeForm, SelfSubmitForm, TriageChecksForm, TriageDecisionForm
from .models import Referral, reported_contact_label
from .permissions import can_see_conflict_flag, referrals_for_triage

# ---- staff intake -------------------------------------------------------------------


@capability_required(Capability.TRIAGE)
@require_http_methods(["GET", "POST"])
def intake(request):
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.get("submission_token")
        already = selectors.referral_by_submission_token(token=token)
        if already is not None:
            messages.info(request, f"This form was already saved as referral {already.reference}.")
            if referrals_for_triage(request.user).filter(pk=already.pk).exists():
                return redirect("referrals:triage", pk=already.pk)
            return redirect("referrals:triage_queue")
        try:
            referral = services.referral_create(
                data=form.intake_data(), by=request.user, submission_token=token
            )
        except services.DuplicateSubmission:
            referral = Referral.objects.get(submission_token=token)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Referral {referral.reference} saved.")
            if referrals_for_triage(request.user).filter(pk=referral.pk).exists():
                return redirect("referrals:triage", pk=referral.pk)
            # Conflict-flagged or restricted: managers triage it. Say nothing about why.
            messages.info(request, "It has been passed to a manager for triage.")
            return redirect("referrals:triage_queue")
    return render(request, "referrals/intake.html", {"form": form})


# ---- triage -------------------------------------------------------------------------


@capability_required(Capability.TRIAGE)
def triage_queue(request):
    page = Paginator(selectors.triage_queue(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/triage_queue.html",
        {"page": page, "show_conflict": can_see_conflict_flag(request.user)},
    )


def _triage_context(request, referral, *, checks_form=None, decision_form=None):
    proposal = selectors.eligibility_proposal(referral=referral)
    candidates = []
    if referral.case.status == "referred":
        candidates = selectors.duplicate_candidates(referral=referral, user=request.user)
        services.referral_log_duplicate_matches(
            referral=referral, candidates=candidates, user=request.user, request=request
        )
        checks_form = checks_form or TriageChecksForm(
            candidates=candidates, referral=referral, proposal=proposal
        )
    elif referral.case.status == "triaged" and referral.outcome == Referral.Outcome.PENDING:
        decision_form = decision_form or TriageDecisionForm(referral=referral, proposal=proposal)
    return {
        "referral": referral,
        "case": referral.case,
        "client": referral.case.client,
        "safe_contact": getattr(referral.case.client, "safe_contact", None),
        "suspects": selectors.referral_suspects(referral=referral),
        "behaviours": referral.behaviour_labels,
        "proposal": proposal,
        "candidates": [c for c in candidates if not c.hidden],
        # One line for any number of hidden matches: no count, no detail, no restriction.
        "hidden_match": any(c.hidden for c in candidates),
        "hidden_match_message": services.POSSIBLE_MATCH_FOR_MANAGER,
        "checks_form": checks_form,
        "decision_form": decision_form,
        "show_conflict": can_see_conflict_flag(request.user),
        "form": checks_form or decision_form,
        "checks_url": reverse("referrals:triage_checks", args=[referral.pk]),
        "decision_url": reverse("referrals:triage_decide", args=[referral.pk]),
        "allocate_now": _may_allocate_now(request.user, referral),
    }


def _may_allocate_now(user, referral) -> bool:
    """Accepted and waiting for a worker: a manager is offered "Allocate now"."""
    case = referral.case
    return (
        user.can(Capability.ALLOCATE)
        and referral.outcome == Referral.Outcome.ACCEPTED
        and case.status == CaseStatus.WAITING
        and case.allocated_to_id is None
    )


@capability_required(Capability.TRIAGE)
def triage(request, pk):
    """A referral awaiting triage (the triage scope), or a decided one read on its case's
    access rule: whoever may see the case may read the referral and its triage; another
    caseworker is offered break-glass, as on every case tab; anyone else gets a 404."""
    decided = False
    try:
        referral = selectors.referral_get_for_triage(user=request.user, pk=pk)
    except Http404:
        try:
            referral = selectors.referral_get_decided_for_user(user=request.user, pk=pk)
            decided = True
        except Http404:
            case = selectors.referral_break_glass_candidate(user=request.user, pk=pk)
            if case is None:
                raise
            url = reverse("cases:break_glass", args=[case.pk])
            return redirect(f"{url}?next={quote(request.get_full_path())}")
    if (
        decided
        and request.method not in READ_METHODS
        and not may_act_on_case(request.user, referral.case)
    ):
        # A decided referral read through break-glass: reading only, never a write.
        return break_glass_read_only(request, referral.case)
    # Triage shows the person's details: it is a view of the case, so it is logged.
    case_log_view(case=referral.case, user=request.user, request=request, page="triage")
    return render(request, "referrals/triage.html", _triage_context(request, referral))


def _decided_redirect(request, referral):
    """After a decision the referral leaves the triage queue. A manager who accepted it
    sees the decision with "Allocate now"; everyone else goes back to the queue."""
    if _may_allocate_now(request.user, referral):
        return redirect("referrals:triage", pk=referral.pk)
    return redirect("referrals:triage_queue")


def _gone(request):
    """A triage form posted for a referral no longer awaiting triage (usually someone else
    decided it a moment ago), or one that does not exist: still a 404 that says nothing
    about the record, but it gives back what this user typed so nothing is lost."""
    typed = [
        (label, request.POST.get(name, "").strip())
        for name, label in (
            ("notes", "Notes"),
            ("signposted_to", "Signposted or handed over to"),
        )
        if request.POST.get(name, "").strip()
    ]
    return render(request, "referrals/triage_gone.html", {"typed": typed}, status=404)


def _awaiting_triage(view):
    """A triage form post: load the referral through the triage scope and pass it to the
    view; one that has left the scope (or never was) gets the "gone" page instead."""

    @wraps(view)
    def wrapped(request, pk):
        try:
            referral = selectors.referral_get_for_triage(user=request.user, pk=pk)
        except Http404:
            return _gone(request)
        return view(request, referral)

    return wrapped


@capability_required(Capability.TRIAGE)
@require_POST
@_awaiting_triage
def triage_checks(request, referral):
    pk = referral.pk
    if request.POST.get("pass_to_manager"):
        try:
            services.referral_pass_to_manager(referral=referral, by=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("referrals:triage", pk=pk)
        messages.success(request, services.PASSED_TO_MANAGER)
        return redirect("referrals:triage_queue")
    candidates = selectors.duplicate_candidates(referral=referral, user=request.user)
    form = TriageChecksForm(request.POST, candidates=candidates, referral=referral)
    if form.is_valid():
        link_id = form.link_to_client_id()
        link = Client.objects.filter(pk=link_id).first() if link_id else None
        try:
            services.referral_record_checks(
                referral=referral,
                link_to_client=link,
                in_area=form.cleaned_data["in_area"],
                meets_age_policy=form.cleaned_data["meets_age_policy"],
                domestic_abuse_related=form.cleaned_data["domestic_abuse_related"],
                notes=form.cleaned_data.get("notes") or "",
                version=form.cleaned_data.get("version"),
                by=request.user,
            )
        except DomainError as exc:  # a stale edit too: the form keeps what was typed
            form.add_domain_error(exc)
            referral = selectors.referral_get_for_triage(user=request.user, pk=pk)
        else:
            messages.success(request, "Triage checks recorded. Now record the decision.")
            return redirect("referrals:triage", pk=pk)
    context = _triage_context(request, referral, checks_form=form)
    context["checks_form"] = form
    context["form"] = form
    return render(request, "referrals/triage.html", context, status=200)


@capability_required(Capability.TRIAGE)
@require_POST
@_awaiting_triage
def triage_decide(request, referral):
    pk = referral.pk
    form = TriageDecisionForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            referral = services.referral_decide(
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                decline_reason=form.cleaned_data.get("decline_reason"),
                signposted_to=form.cleaned_data.get("signposted_to") or "",
                notes=form.cleaned_data.get("notes") or "",
                version=form.cleaned_data.get("version"),
                by=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
            referral = selectors.referral_get_for_triage(user=request.user, pk=pk)
        else:
            outcome = dict(Referral.Outcome.choices)[form.cleaned_data["outcome"]]
            messages.success(request, f"Referral {referral.reference}: {outcome.lower()}.")
            return _decided_redirect(request, referral)
    context = _triage_context(request, referral, decision_form=form)
    context["decision_form"] = form
    context["form"] = form
    return render(request, "referrals/triage.html", context)


# ---- public self-referral -----------------------------------------------------------
# No view here reads a stored referral: the journey keeps its own answers in the session
# and the done page shows only the reference kept in the session.
#
# Every page of the journey is `public_page`: never stored by the browser or a proxy
# (`Cache-Control: no-store`, which also keeps it out of the back-forward cache), so Back
# after "Exit this page" asks the server again, and the server has by then forgotten the
# draft (self_referral_discard) or let it expire (SELF_REFERRAL_DRAFT_MINUTES).


# Set by the exit script (static/js/app.js) before it leaves, synchronously: the next
# request to any self-referral page forgets the draft even if the beacon has not arrived
# yet (Back pressed at once, or a beacon the browser dropped).
EXITED_COOKIE = "sr_exited"


def _forget(request):
    if request.user.is_authenticated:
        # A member of staff trying the form keeps their sign-in.
        journey.discard(request.session)
    else:
        # The visitor's whole session goes: its row is deleted and the cookie cleared.
        request.session.flush()


def public_page(view):
    """`Cache-Control: no-store, private` (never_cache) on every answer the view gives,
    pages and redirects alike, and a journey left by "Exit this page" forgotten before
    the view reads it. (A 404 goes through stalkingservice.errors, which sends no-store
    for these URLs too.)"""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        exited = bool(request.COOKIES.get(EXITED_COOKIE))
        if exited:
            _forget(request)
        response = view(request, *args, **kwargs)
        if exited:
            response.delete_cookie(EXITED_COOKIE, path="/", samesite="Strict")
        return response

    return never_cache(wrapper)


def _public(request, template, context=None, status=200):
    return render(request, template, context or {}, status=status)


def _keep_draft_short(request):
    """A visitor's session (cookie and row) lives only as long as the draft may: a quick
    exit whose discard never arrived leaves nothing for long. Staff who try the form keep
    their own session length."""
    if not request.user.is_authenticated:
        # Seconds, not a time: the session then slides with each request, as the draft does.
        request.session.set_expiry(int(journey.draft_lifetime().total_seconds()))


def _bot_done(request):
    """A honeypot hit: behave exactly as a success would, and store nothing."""
    journey.clear(request.session)
    request.session[journey.DONE_KEY] = services.new_reference("SR-")
    return redirect("referrals:self_referral_done")


@public_page
def self_referral_start(request):
    return _public(
        request,
        "referrals/self/start.html",
        {
            "first_step": journey.STEP_SLUGS[0],
            "draft_minutes": settings.SELF_REFERRAL_DRAFT_MINUTES,
        },
    )


@public_page
@require_http_methods(["GET", "POST"])
def self_referral(request, step):
    found = journey.step(step)
    if found is None:
        raise Http404
    index, title, form_class = found
    answers = journey.load(request.session)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_bot():
            return _bot_done(request)
        if form.is_valid():
            journey.store_step(request.session, step, form.cleaned_data)
            _keep_draft_short(request)
            answers = journey.load(request.session)
            if request.GET.get("change") == "1":
                return redirect("referrals:self_referral_check")
            nxt = journey.first_missing_step(answers)
            if nxt is None or index + 1 >= len(journey.STEPS):
                return redirect("referrals:self_referral_check")
            return redirect("referrals:self_referral", step=journey.STEP_SLUGS[index + 1])
    else:
        form = form_class(initial=journey.initial_for(answers, step))
    back = (
        reverse("referrals:self_referral", args=[journey.STEP_SLUGS[index - 1]])
        if index
        else reverse("referrals:self_referral_start")
    )
    return _public(
        request,
        "referrals/self/step.html",
        {
            "form": form,
            "title": title,
            "step": step,
            "step_number": index + 1,
            "step_count": len(journey.STEPS),
            "back_url": back,
            "is_last": index + 1 == len(journey.STEPS),
        },
    )


@public_page
@require_http_methods(["GET", "POST"])
def self_referral_check(request):
    answers = journey.load(request.session)
    missing = journey.first_missing_step(answers)
    if request.method == "POST":
        form = SelfSubmitForm(request.POST)
        if form.is_bot():
            return _bot_done(request)
        if missing is not None:
            if request.session.get(journey.DONE_KEY):
                # Already sent (a second press of Send): nothing new is created.
                return redirect("referrals:self_referral_done")
            return redirect("referrals:self_referral", step=missing)
        try:
            services.self_referral_attempt_record(ip_address=client_ip(request))
        except services.RateLimited as exc:
            return _public(
                request, "referrals/self/rate_limited.html", {"message": str(exc)}, status=429
            )
        referral = services.referral_self_create(data=journey.intake_data(answers))
        journey.clear(request.session)
        request.session[journey.DONE_KEY] = referral.reference
        return redirect("referrals:self_referral_done")
    if missing is not None:
        return redirect("referrals:self_referral", step=missing)
    return _public(
        request,
        "referrals/self/check.html",
        {"rows": journey.summary_rows(answers), "form": SelfSubmitForm()},
    )


@public_page
def self_referral_done(request):
    return _public(
        request,
        "referrals/self/done.html",
        {
            "reference": request.session.get(journey.DONE_KEY, ""),
            "contact_days": settings.FIRST_CONTACT_DUE_WORKING_DAYS,
        },
    )


def _period_in_words(period: dict[str, int]) -> str:
    """{"weeks": 6} -> "6 weeks" (RETENTION_PERIODS are relativedelta arguments)."""
    return " and ".join(
        f"{n} {unit if n != 1 else unit.removesuffix('s')}" for unit, n in period.items()
    )


@public_page
def self_referral_privacy(request):
    """How we use your information: the short privacy notice for the public pages."""
    return _public(
        request,
        "referrals/self/privacy.html",
        {
            "draft_minutes": settings.SELF_REFERRAL_DRAFT_MINUTES,
            "retention": {
                outcome: _period_in_words(period)
                for outcome, period in settings.RETENTION_PERIODS.items()
            },
            "service_phone": settings.SERVICE_PHONE,
            "service_email": settings.SERVICE_EMAIL,
            "contact_days": settings.FIRST_CONTACT_DUE_WORKING_DAYS,
        },
    )


def _sent_from_this_site(request) -> bool:
    """The browser says the request came from one of our own pages. A beacon carries
    `Sec-Fetch-Site` (Chromium, Firefox, Safari) and `Origin` (every POST); a request
    with neither is not from a browser page and is refused."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in set(
        settings.CSRF_TRUSTED_ORIGINS
    )


# Exempt from the CSRF token on purpose: "Exit this page" sends this with
# navigator.sendBeacon as the page goes, and a beacon cannot carry the form token (the
# start and done pages have no form; the token cookie is HttpOnly). It is safe without
# one: it names no draft, so it can only forget the caller's own (their session cookie,
# which is SameSite=Lax and so not sent with another site's POST); it refuses requests
# the browser marks as coming from another site; and forgetting is all it can do.
@csrf_exempt
@public_page
@require_POST
def self_referral_discard(request):
    if not _sent_from_this_site(request):
        return HttpResponse(status=403)
    _forget(request)
    response = HttpResponse(status=204)
    # Where the browser honours it (HTTPS), also drop anything it kept of our pages.
    response["Clear-Site-Data"] = '"cache"'
    return response


# ---- safe-contact details reported on a referral ------------------------------------


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def reported_contact_resolve(request, case, field):
    """ "Confirm and use" (or "Discard") one safe-contact detail reported on the case's
    referral, from the safe-contact panel; back to the page it was pressed on."""
    referral = getattr(case, "referral", None)
    if referral is None:
        raise Http404
    use = request.POST.get("action") == "use"
    try:
        services.referral_reported_contact_resolve(
            referral=referral, field=field, use=use, by=request.user
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        label = reported_contact_label(field)
        messages.success(
            request,
            f"{label} confirmed and saved to the safe-contact details."
            if use
            else f"Reported {label.lower()} discarded: it will not be used.",
        )
    return HttpResponseRedirect(
        local_path(request.POST.get("next")) or reverse("cases:contact", args=[case.pk])
    )
