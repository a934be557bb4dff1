"""Files no row names any more: evidence whose record was anonymised or lost before the
files were handled, an upload whose row was never written. Every file under MEDIA_ROOT
and PROTECTED_FILES_ROOT should be named by some row: a FileField of any model, or a
declared stored file (`StoredFile`, e.g. an exhibit's `stored_name`), in the live table
or its history. Whatever is not is personal data nobody can find, review or erase."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from stalkingservice.audit import audit_record
from stalkingservice.models import AuditEvent
from stalkingservice.personal_data import declaration, history_model

from .. import client_records

# A file written in the last hour may belong to an upload whose row is not committed
# yet (exhibit_add stores the file first, then saves the row).
ORPHAN_MIN_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class Orphan:
    root: Path
    path: Path

    @property
    def name(self) -> str:
        return str(self.path.relative_to(self.root))


def media_roots() -> list[Path]:
    """The folders the application writes files to (often one and the same)."""
    roots = {
        Path(value).resolve()
        for value in (settings.MEDIA_ROOT, settings.PROTECTED_FILES_ROOT)
        if value
    }
    return sorted(r for r in roots if not any(r != o and r.is_relative_to(o) for o in roots))


def _tables(model) -> list:
    history = history_model(model)
    return [model, history] if history is not None else [model]


def referenced_files() -> set[Path]:
    """Every file a row names, live or in history, resolved to an absolute path."""
    found: set[Path] = set()
    for model in apps.get_models():
        if client_records.is_historical(model):
            continue
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            for table in _tables(model):
                names = table._base_manager.exclude(**{f.attname: ""}).exclude(
                    **{f"{f.attname}__isnull": True}
                )
                for name in names.values_list(f.attname, flat=True).iterator():
                    found.add(Path(f.storage.path(name)).resolve())
        for spec in declaration(model).stored_files:
            for table in _tables(model):
                names = table._base_manager.exclude(**{spec.field: ""})
                for name in names.values_list(spec.field, flat=True).iterator():
                    path = client_records.stored_file_path(spec, name)
                    if path is not None:
                        found.add(path)
    return found


def orphan_files(*, min_age: timedelta = ORPHAN_MIN_AGE) -> list[Orphan]:
    """Files under the media roots that no row names, older than `min_age`."""
    used = referenced_files()
    cutoff = (timezone.now() - min_age).timestamp()
    orphans = []
    for root in media_roots():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            if path.resolve() in used or path.stat().st_mtime > cutoff:
                continue
            orphans.append(Orphan(root=root, path=path))
    return orphans


def orphan_files_delete(*, min_age: timedelta = ORPHAN_MIN_AGE) -> list[Orphan]:
    """Delete the files no row names, with one audit row saying how many (no names: a
    file's name may be what someone called it)."""
    orphans = orphan_files(min_age=min_age)
    for orphan in orphans:
        orphan.path.unlink(missing_ok=True)
    if orphans:
        audit_record(
            action=AuditEvent.Action.RETENTION,
            username="manage.py orphan_media",
            page="orphan_media",
            detail=f"Deleted {len(orphans)} files no record referred to",
        )
    return orphans
