"""Retention review and subject access screens (managers). Thin: load, call one
service, message, redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stalkingservice.domain import DomainError
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from . import selectors
from .forms import RetentionDecisionForm, SubjectAccessRequestForm
from .services import retention, subject_access


@capability_required(Capability.MANAGE_DATA_PROTECTION)
def retention_list(request):
    open_page = Paginator(selectors.retention_reviews_open(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "dataprotection/retention_list.html",
        {
            "page": open_page,
            "done": selectors.retention_reviews_done()[:25],
            "form": RetentionDecisionForm(),
            "periods": settings.RETENTION_PERIODS,
        },
    )


@capability_required(Capability.MANAGE_DATA_PROTECTION)
def retention_decide(request, pk):
    review = selectors.retention_review_get(pk=pk)
    form = RetentionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == RetentionDecisionForm.APPROVE:
                retention.retention_approve(review=review, by=request.user)
                messages.success(request, "The records were anonymised.")
            else:
                retention.retention_hold(
                    review=review, reason=form.cleaned_data["reason"], by=request.user
                )
                messages.success(request, "The records are held and will be kept.")
            return redirect("dataprotection:retention")
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "dataprotection/retention_decide.html",
        {"review": review, "form": form, "cancel_url": reverse("dataprotection:retention")},
        status=400 if form.errors else 200,
    )


@capability_required(Capability.MANAGE_DATA_PROTECTION)
def sar_list(request):
    page = Paginator(selectors.subject_access_requests(), 25).get_page(request.GET.get("page"))
    return render(request, "dataprotection/sar_list.html", {"page": page})


@capability_required(Capability.MANAGE_DATA_PROTECTION)
def sar_new(request):
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = subject_access.sar_create(
                case_reference=form.cleaned_data["case_reference"],
                received_on=form.cleaned_data["received_on"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Request logged. It is due on {sar.due_on:%-d %B %Y}.")
            return redirect("dataprotection:sar_detail", pk=sar.pk)
    return render(request, "dataprotection/sar_new.html", {"form": form})


@capability_required(Capability.MANAGE_DATA_PROTECTION)
def sar_detail(request, pk):
    sar = selectors.subject_access_request_get(pk=pk)
    return render(request, "dataprotection/sar_detail.html", {"sar": sar})


@capability_required(Capability.MANAGE_DATA_PROTECTION)
@require_POST
def sar_complete(request, pk):
    sar = selectors.subject_access_request_get(pk=pk)
    try:
        subject_access.sar_complete(sar=sar, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The request is marked as completed.")
    return redirect("dataprotection:sar_detail", pk=sar.pk)


@capability_required(Capability.MANAGE_DATA_PROTECTION)
def sar_bundle(request, pk, fmt):
    if fmt not in ("pdf", "json"):
        raise Http404
    sar = selectors.subject_access_request_get(pk=pk)
    bundle = subject_access.subject_access_bundle(client=sar.client)
    if fmt == "pdf":
        content, content_type = subject_access.bundle_pdf(bundle), "application/pdf"
    else:
        content, content_type = subject_access.bundle_json(bundle), "application/json"
    subject_access.sar_log_download(sar=sar, fmt=fmt, request=request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="subject-access-{sar.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
