"""Reads of the risk tools offered for new assessments."""

from django.db.models import QuerySet
from django.http import Http404

from ..models.tools import RiskTool


def risk_tools_offered() -> QuerySet[RiskTool]:
    return RiskTool.objects.filter(active=True).order_by("order", "name")


def risk_tool_get(*, code: str) -> RiskTool:
    tool = risk_tools_offered().filter(code=code).order_by("-id").first()
    if tool is None:
        raise Http404
    return tool
