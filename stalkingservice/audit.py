"""The audit trail: one function writes every row, so nothing sensitive goes unrecorded."""

from .client_address import client_address
from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address behind the trusted proxies (TRUSTED_PROXY_HOPS)."""
    return client_address(request)


# A break-glass row names its grant; the reason the user typed is kept on the grant
# (casework, anonymised with the client), never in the audit, which is not.
BREAK_GLASS_DETAIL = "Break-glass grant {grant} for {hours} hours"
FREE_TEXT_REMOVED = "Break-glass (the reason given was removed when the client was anonymised)"


def audit_free_text_remove(*, case_ids) -> int:
    """Remove words a user typed from the audit rows about these cases, when their client
    is anonymised. Only break-glass rows ever held any: before BREAK_GLASS_DETAIL, the
    row's detail was the reason itself. The one change ever made to an audit row: what
    happened, who and when stay."""
    return (
        AuditEvent.objects.filter(case_id__in=case_ids, action=AuditEvent.Action.BREAK_GLASS)
        .exclude(detail__startswith=BREAK_GLASS_DETAIL.split("{", 1)[0])
        .exclude(detail=FREE_TEXT_REMOVED)
        .update(detail=FREE_TEXT_REMOVED)
    )


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
