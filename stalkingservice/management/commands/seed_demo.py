import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stalkingservice.demo import DEFAULT_DEMO_PASSWORD, seed_demo
from stalkingservice.demo import manifest as build_manifest


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

        if if_empty and User.objects.exists():
            self.stdout.write("The database already has data; not seeding.")
            return
        if cases < 0:
            raise CommandError("--cases must be 0 or more.")
        started = time.monotonic()
        ctx = seed_demo(cases=cases, seed=seed, password=password)
        for line in ctx.log:
            self.stdout.write(line)
        if manifest:
            manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest_data = build_manifest(ctx)
            manifest.write_text(json.dumps(manifest_data, indent=2))
            self.stdout.write(f"Manifest: {manifest} ({len(manifest_data['cases'])} cases)")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f}s. Sign in with any of: "
                + ", ".join(ctx.users)
                + f" (password: {password})"
            )
        )
