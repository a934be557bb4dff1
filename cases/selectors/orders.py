"""Reads of a case's protective orders."""

from ..models.lifecycle import Case
from ..models.orders import ProtectiveOrder
from .lifecycle import case_child_or_404


def order_for_case(*, case: Case, pk) -> ProtectiveOrder:
    return case_child_or_404(ProtectiveOrder, case=case, pk=pk)
