"""Demo data. Users here; each app adds its synthetic casework through a `demo.py`
module listed in DEMO_SEEDERS, so seeding grows with the product."""

import importlib
import random
from dataclasses import dataclass, field

from django.db import transaction

from .models import User
from .roles import Role

# A documented demo credential; seed_demo refuses to run under production settings.
DEFAULT_DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105

DEMO_USERS = [
    ("caseworker", Role.CASEWORKER, "Casey", "Walker", "Independent Stalking Advocacy Caseworker"),
    (
        "caseworker2",
        Role.CASEWORKER,
        "Jordan",
        "Hughes",
        "Independent Stalking Advocacy Caseworker",
    ),
    ("manager", Role.MANAGER, "Morgan", "Price", "Service manager"),
    ("commissioner", Role.COMMISSIONER, "Alex", "Reed", "Contract manager, Commissioner's office"),
    ("admin", Role.ADMINISTRATOR, "Sam", "Patel", "System administrator"),
]

# Each module has seed(ctx: DemoContext) and must be idempotent. Order matters.
DEMO_SEEDERS = [
    "cases.demo",
    "risk.demo",
    "risk.plan_demo",
    "cases.advocacy_demo",
    "reporting.demo",
    "stalkingservice.dataprotection_demo",
]


@dataclass
class DemoContext:
    cases: int
    seed: int
    password: str
    users: dict = field(default_factory=dict)
    rng: random.Random = None
    log: list = field(default_factory=list)

    def __post_init__(self):
        # Repeatable synthetic data, not security: a seeded PRNG is the point.
        self.rng = random.Random(self.seed)  # nosec B311


@transaction.atomic
def seed_users(*, password: str) -> dict[str, User]:
    users = {}
    for username, role, first, last, title in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "first_name": first, "last_name": last, "job_title": title},
        )
        changed = created
        if user.role != role:
            user.role = role
            changed = True
        user.is_staff = role == Role.ADMINISTRATOR
        if created or not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        users[username] = user
    return users


def seed_demo(*, cases: int, seed: int, password: str) -> DemoContext:
    ctx = DemoContext(cases=cases, seed=seed, password=password)
    ctx.users = seed_users(password=password)
    for module_name in DEMO_SEEDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # That part of the product is not built yet; seed what exists.
            if exc.name != module_name:
                raise
            continue
        module.seed(ctx)
    return ctx


def manifest(ctx: DemoContext) -> dict:
    from cases.models.lifecycle import Case

    cases = []
    qs = Case.objects.select_related("client", "allocated_to", "co_worker").order_by("pk")
    for case in qs.iterator(chunk_size=2000):
        cases.append(
            {
                "url": case.get_absolute_url(),
                "reference": case.reference,
                "status": case.status,
                "allocated_to": case.allocated_to.username if case.allocated_to else None,
                "co_workers": [case.co_worker.username] if case.co_worker else [],
                "client_name": case.client.display_name,
            }
        )
    return {
        "users": [{"username": u.username, "role": u.role} for u in ctx.users.values()],
        "cases": cases,
    }
