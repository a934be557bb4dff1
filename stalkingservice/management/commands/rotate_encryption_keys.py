"""Re-encrypt every encrypted field under the newest key in FIELD_ENCRYPTION_KEYS.

Rotation: put the new key FIRST in FIELD_ENCRYPTION_KEYS (keep the old one after it),
deploy, run this command, then remove the old key and run it once more (it then only
recomputes the blind indexes). See README, "Security and data protection"."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast

from stalkingservice import crypto, personal_data


class Command(BaseCommand):
    help = (
        "Re-encrypt every EncryptedTextField value (live and history tables) under the "
        "newest key, and recompute blind indexes. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing"
        )

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        from django.conf import settings

        if not settings.FIELD_ENCRYPTION_KEYS:
            raise CommandError("FIELD_ENCRYPTION_KEYS is not set.")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        total = 0
        for model in apps.get_models():
            fields = crypto.encrypted_fields(model)
            if not fields:
                continue
            changed = self.rotate_model(model, fields, batch_size=batch_size, dry_run=dry_run)
            total += changed
            self.stdout.write(f"{model._meta.label}: {changed} value(s) re-encrypted")
        indexed = 0 if dry_run else self.reindex(batch_size=batch_size)
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(
            self.style.SUCCESS(f"{total} value(s) {verb}; {indexed} blind index value(s) updated.")
        )

    def rotate_model(self, model, fields, *, batch_size: int, dry_run: bool) -> int:
        """Walk the table by primary key; each batch is locked, rewritten and committed on
        its own, so a long run holds no lock for long and can be stopped and rerun."""
        pk_name = model._meta.pk.name
        raw = {f"raw_{f.attname}": Cast(F(f.attname), output_field=TextField()) for f in fields}
        changed = 0
        last_pk = None
        while True:
            with transaction.atomic():
                qs = model._base_manager.order_by(pk_name)
                if last_pk is not None:
                    qs = qs.filter(**{f"{pk_name}__gt": last_pk})
                rows = list(
                    qs.select_for_update().annotate(**raw).values(pk_name, *raw.keys())[:batch_size]
                )
                if not rows:
                    return changed
                last_pk = rows[-1][pk_name]
                updates = []
                for row in rows:
                    obj = model(**{pk_name: row[pk_name]})
                    dirty = []
                    for f in fields:
                        value = row[f"raw_{f.attname}"]
                        if crypto.is_current(value):
                            continue
                        setattr(obj, f.attname, crypto.rotate(value))
                        dirty.append(f.attname)
                    if dirty:
                        updates.append((obj, dirty))
                        changed += len(dirty)
                if updates and not dry_run:
                    for names in {tuple(d) for _, d in updates}:
                        model._base_manager.bulk_update(
                            [o for o, d in updates if tuple(d) == names], list(names)
                        )

    def reindex(self, *, batch_size: int) -> int:
        """Recompute keyed hashes: their key may have changed with the key list."""
        updated = 0
        for live, declared in personal_data.declared_models():
            specs = declared.blind_indexes
            if not specs:
                continue
            models_ = [live]
            history = personal_data.history_model(live)
            if history is not None:
                models_.append(history)
            for model in models_:
                pk_name = model._meta.pk.name
                names = [n for spec in specs for n in (spec.index, spec.source)]
                pks = list(model._base_manager.order_by(pk_name).values_list(pk_name, flat=True))
                for start in range(0, len(pks), batch_size):
                    with transaction.atomic():
                        objs = list(
                            model._base_manager.filter(pk__in=pks[start : start + batch_size])
                            .select_for_update()
                            .only(pk_name, *names)
                        )
                        dirty = []
                        for obj in objs:
                            changed = False
                            for spec in specs:
                                value = crypto.blind_index(
                                    getattr(obj, spec.source) or "", spec.kind
                                )
                                if getattr(obj, spec.index) != value:
                                    setattr(obj, spec.index, value)
                                    changed = True
                            if changed:
                                dirty.append(obj)
                        if dirty:
                            model._base_manager.bulk_update(dirty, [s.index for s in specs])
                            updated += len(dirty)
        return updated
