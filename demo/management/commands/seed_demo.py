import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.generators.people import DEFAULT_DEMO_PASSWORD
from demo.seed import manifest as build_manifest
from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create demo users and realistic synthetic casework. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=120, help="How many cases (default 120)")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026)")
        parser.add_argument("--password", default=DEFAULT_DEMO_PASSWORD)
        parser.add_argument("--manifest", type=Path, help="Write a JSON manifest here")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database has users"
        )

    def handle(self, *args, cases, seed, password, manifest: Path | None, if_empty, **options):
        if getattr(settings, "ENVIRONMENT", "") == "production" or str(
            getattr(settings, "SETTINGS_MODULE", "")
        ).endswith(".production"):
            raise CommandError("seed_demo refuses to run under production settings.")
        from stalkingservice.models import User

        quiet = options["verbosity"] == 0
        if if_empty and User.objects.exists():
            if not quiet:
                self.stdout.write("The database already has data; not seeding.")
            return
        if cases < 0:
            raise CommandError("--cases must be 0 or more.")
        started = time.monotonic()
        ctx = seed_demo(
            cases=cases, seed=seed, password=password, write=None if quiet else self._line
        )
        if manifest:
            manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest_data = build_manifest(ctx)
            manifest.write_text(json.dumps(manifest_data, indent=2))
        if quiet:
            return
        for line in ctx.log:
            self.stdout.write(line)
        if manifest:
            self.stdout.write(f"Manifest: {manifest} ({len(manifest_data['cases'])} cases)")
        self.stdout.write(
            "Stages: " + ", ".join(f"{stage} {s:.1f}s" for stage, s in ctx.timings.items())
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f}s. Sign in with any of: "
                + ", ".join(ctx.users)
                + f" (password: {password})"
            )
        )

    def _line(self, line: str) -> None:
        """A progress line, flushed at once: through a pipe (`make run | tee`, the
        benchmark's log) stdout is block-buffered and the lines would arrive at the end."""
        self.stdout.write(line)
        self.stdout.flush()
