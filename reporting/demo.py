"""Demo data for reporting: the previous quarter's return, produced and finalised, so the
Commissioner's area has something to download. Idempotent: only when no return exists."""

from django.utils import timezone

from . import services
from .models import QuarterlyReturn
from .periods import Quarter


def seed(ctx) -> None:
    if QuarterlyReturn.objects.exists():
        return
    manager = ctx.users.get("manager")
    quarter = Quarter.containing(timezone.localdate()).previous()
    ret = services.return_generate(quarter=quarter.label, by=manager)
    services.return_update_narrative(
        ret=ret,
        by=manager,
        highlights="Every referral was contacted within the target; the waiting list was cleared.",
        challenges="Two vacancies for most of the quarter; demand from the digital stalking pilot.",
        case_study="A client supported through a Stalking Protection Order application said "
        "she now feels able to go out on her own again.",
    )
    services.return_finalise(ret=ret, by=manager)
    ctx.log.append(f"reporting: finalised return {quarter.label}")
