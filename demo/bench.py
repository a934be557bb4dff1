"""Benchmark: compute and render one quarter's return on a database of N cases, and
report the time and the peak memory (RSS). Run with
`python manage.py reporting_bench --cases 20000` (it builds the synthetic data in a
separate throwaway set of rows marked BENCH-, then removes them unless --keep)."""

import random
import time
from datetime import datetime, timedelta

import psutil
from django.db import transaction
from django.utils import timezone

from cases import equality
from cases.models.client import Client
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import Case, ClosureReason
from cases.statuses import CaseStatus, RiskLevel
from referrals.models import DeclineReason, Referral, ReferralSource
from reporting import render, services
from reporting.models import QuarterlyReturn
from reporting.periods import Quarter, london
from stalkingservice.models import District, User

PREFIX = "BENCH-"


def _choices(enum):
    return [value for value, _ in enum.choices]


@transaction.atomic
def build(*, cases: int, quarter: Quarter, seed: int = 7) -> None:
    """Bulk-insert synthetic clients, cases, referrals and contact attempts spread over
    the two years before the quarter's end (reporting bench data only)."""
    rng = random.Random(seed)  # nosec B311 - repeatable benchmark data, not security
    workers = list(User.objects.filter(role__in=["caseworker", "manager"])[:12]) or [
        User.objects.create(username="bench-worker", role="caseworker")
    ]
    districts = list(District.objects.all())
    sources = list(ReferralSource.objects.all())
    reasons = list(ClosureReason.objects.all())
    declines = list(DeclineReason.objects.all())
    end = quarter.end_at
    span = 730 * 24 * 3600
    clients = [
        Client(
            first_name="Bench",
            last_name=f"{i}",
            district=rng.choice(districts),
            age_at_referral=rng.randint(16, 85),
            gender=rng.choice(_choices(equality.Gender)),
            ethnicity=rng.choice(_choices(equality.Ethnicity)),
            disability=rng.choice(_choices(equality.YesNoPrefer)),
            religion=rng.choice(_choices(equality.Religion)),
            sexual_orientation=rng.choice(_choices(equality.SexualOrientation)),
            marital_status=rng.choice(_choices(equality.MaritalStatus)),
        )
        for i in range(cases)
    ]
    Client.objects.bulk_create(clients, batch_size=2000)
    case_rows, referral_meta = [], []
    levels = _choices(RiskLevel)
    for i, client in enumerate(clients):
        referred = end - timedelta(seconds=rng.randint(0, span))
        outcome = rng.choices(["accepted", "declined", "signposted"], [80, 12, 8])[0]
        accepted = referred + timedelta(hours=rng.randint(1, 96)) if outcome == "accepted" else None
        closed = None
        if outcome != "accepted":
            closed = referred + timedelta(days=1)
        elif rng.random() < 0.7:
            closed = accepted + timedelta(days=rng.randint(20, 300))
        case_rows.append(
            Case(
                reference=f"{PREFIX}{i:06d}",
                client=client,
                district=client.district,
                status=CaseStatus.CLOSED
                if closed and closed < timezone.now()
                else CaseStatus.ACTIVE,
                allocated_to=rng.choice(workers) if accepted else None,
                referred_at=referred,
                accepted_at=accepted,
                allocated_at=accepted,
                closed_at=closed,
                closure_reason=rng.choice(reasons) if closed and accepted else None,
                risk_level=rng.choice(levels),
                risk_level_at_intake=rng.choice(levels),
                digital_element=rng.random() < 0.4,
            )
        )
        referral_meta.append((referred, outcome))
    Case.objects.bulk_create(case_rows, batch_size=2000)
    Referral.objects.bulk_create(
        [
            Referral(
                case=case,
                reference=f"{PREFIX}{i:06d}",
                source=rng.choice(sources),
                received_at=received,
                outcome=outcome,
                decline_reason=rng.choice(declines) if outcome == "declined" else None,
            )
            for i, (case, (received, outcome)) in enumerate(
                zip(case_rows, referral_meta, strict=True)
            )
        ],
        batch_size=2000,
    )
    attempts = []
    for case in case_rows:
        at = case.referred_at
        for _ in range(rng.randint(0, 3)):
            at = at + timedelta(hours=rng.randint(2, 80))
            attempts.append(
                ContactAttempt(
                    case=case,
                    at=at,
                    method="phone",
                    outcome=rng.choice(["reached", "no_answer", "no_answer"]),
                    by=case.allocated_to or workers[0],
                )
            )
    ContactAttempt.objects.bulk_create(attempts, batch_size=5000)


def remove() -> None:
    """Delete the synthetic rows directly (no per-row signals or history: bench data only)."""
    QuarterlyReturn.objects.filter(reason="benchmark").delete()
    cases = Case.objects.filter(reference__startswith=PREFIX)
    client_ids = list(cases.values_list("client_id", flat=True))
    ContactAttempt.objects.filter(case__in=cases)._raw_delete(ContactAttempt.objects.db)
    Referral.objects.filter(case__in=cases)._raw_delete(Referral.objects.db)
    cases._raw_delete(Case.objects.db)
    Client.objects.filter(pk__in=client_ids)._raw_delete(Client.objects.db)


def run(*, quarter: Quarter) -> dict:
    """Time computing all indicators and rendering the PDF, CSV and JSON once."""
    process = psutil.Process()
    rss_before = process.memory_info().rss
    peak = [rss_before]
    started = time.perf_counter()
    data = services.compute_data(
        q=quarter,
        version=1,
        generated_at=datetime.now(tz=london()),
        on_progress=lambda *_: peak.append(process.memory_info().rss),
    )
    computed = time.perf_counter()
    ret = QuarterlyReturn(
        quarter=quarter.label, period_start=quarter.start, period_end=quarter.end, data=data
    )
    pdf = render.render_pdf(ret)
    csv_bytes = render.render_csv(ret)
    json_bytes = render.render_json(ret)
    finished = time.perf_counter()
    peak.append(process.memory_info().rss)
    return {
        "quarter": quarter.label,
        "compute_seconds": round(computed - started, 2),
        "render_seconds": round(finished - computed, 2),
        "total_seconds": round(finished - started, 2),
        "peak_rss_mb": round(max(peak) / 1024 / 1024, 1),
        "pdf_bytes": len(pdf),
        "csv_bytes": len(csv_bytes),
        "json_bytes": len(json_bytes),
    }
