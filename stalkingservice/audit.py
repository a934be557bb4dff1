"""The audit trail: one function writes every row, so nothing sensitive goes unrecorded."""

from .client_address import client_address
from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address behind the trusted proxies (TRUSTED_PROXY_HOPS)."""
    return client_address(request)


def audit_record(
    *,
    action: str,
    user=None,
    request=None,
    case_id: int | None = None,
    page: str = "",
    detail: str = "",
    username: str = "",
    account=None,
) -> AuditEvent:
    """Append one audit row. `page` defaults to the request path; `account` is the staff
    account an account action was done to."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=username or (user.get_username() if getattr(user, "pk", None) else ""),
        action=action,
        account=account if getattr(account, "pk", None) else None,
        case_id=case_id,
        page=(page or (request.path if request is not None else ""))[:200],
        detail=detail,
        ip_address=client_ip(request),
    )
