from django.core.paginator import Paginator
from django.shortcuts import render

from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from . import selectors, services
from .tabs import tabs_for


def case_page_context(request, case, tab: str, *, page_name: str = "") -> dict:
    """What every tab of a case page needs (identity bar, tabs); also logs the view."""
    services.case_log_view(case=case, user=request.user, request=request, page=page_name)
    return {"case": case, "client": case.client, "tabs": tabs_for(case, request.user, tab)}


def staff_home(request):
    cases = selectors.case_list_for_user(user=request.user).order_by("-referred_at")
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(request, "cases/home.html", {"page": page})


@capability_required(Capability.WORK_CASES)
def my_cases(request):
    return staff_home(request)


@capability_required(Capability.SEE_ALL_CASES)
def all_cases(request):
    return staff_home(request)


@capability_required(Capability.WORK_CASES)
def case_detail(request, pk):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    context = case_page_context(request, case, "overview", page_name="overview")
    context["timeline"] = selectors.case_timeline(case=case)
    return render(request, "cases/detail.html", context)
