"""Demo data. The staff accounts first (demo.generators.people), then each area's
synthetic casework through a module of demo.generators listed in DEMO_SEEDERS, so
seeding grows with the product. Each seeder is one stage of the progress output."""

import importlib
import random
import time
from dataclasses import dataclass, field

from cases.models.lifecycle import Case

from .generators.people import seed_users
from .progress import Progress, Writer

# Each module has seed(ctx: DemoContext) and must be idempotent. Order matters: risk
# reads the cases, plans the risk levels, reporting and data protection all of them.
DEMO_SEEDERS = [
    "demo.generators.cases",
    "demo.generators.risk",
    "demo.generators.plans",
    "demo.generators.advocacy",
    "demo.generators.reporting",
    "demo.generators.dataprotection",
]


@dataclass
class DemoContext:
    cases: int
    seed: int
    password: str
    users: dict = field(default_factory=dict)
    rng: random.Random = None
    log: list = field(default_factory=list)
    # Where progress lines go (None: nowhere), the stage running, and each stage's seconds.
    write: Writer | None = None
    stage: str = "seed"
    timings: dict[str, float] = field(default_factory=dict)
    _progress: Progress | None = field(default=None, repr=False)

    def __post_init__(self):
        # Repeatable synthetic data, not security: a seeded PRNG is the point.
        self.rng = random.Random(self.seed)  # nosec B311

    def progress(self, total: int) -> Progress:
        """A counter for the items of the stage running; its last line is written when
        the stage ends (`run_stage`)."""
        self._progress = Progress(self.stage, total, self.write)
        return self._progress

    def say(self, message: str) -> None:
        """A line about the stage running, for a step that has no items to count."""
        if self.write:
            self.write(f"{self.stage}: {message}")

    def run_stage(self, stage: str, seed) -> None:
        self.stage, self._progress = stage, None
        started = time.monotonic()
        seed(self)
        elapsed = self.timings[stage] = time.monotonic() - started
        if self.write:
            line = self._progress.line() if self._progress else f"{stage}: done"
            self.write(f"{line} in {elapsed:.1f}s")
        self.stage, self._progress = "seed", None


def _seed_people(ctx: DemoContext) -> None:
    ctx.users = seed_users(password=ctx.password)


def seed_demo(*, cases: int, seed: int, password: str, write: Writer | None = None) -> DemoContext:
    ctx = DemoContext(cases=cases, seed=seed, password=password, write=write)
    ctx.run_stage("users", _seed_people)
    for module_name in DEMO_SEEDERS:
        module = importlib.import_module(module_name)
        ctx.run_stage(module_name.rsplit(".", 1)[1], module.seed)
    return ctx


def manifest(ctx: DemoContext) -> dict:
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
