"""What personal data the system holds about a client, found by walking the models.

Retention (anonymisation) and subject access both need "every row about this client",
and other apps keep adding models that hang off a case or a client. So nothing here lists
those models: `client_related_models()` walks Django's model metadata and finds every
model with a ForeignKey/OneToOne path to `cases.Client` or `cases.Case`, its
django-simple-history table and its file fields. Generic rules decide which fields are
personal data; a model's own declaration (`personal_data = PersonalData(...)`, see
stalkingservice/personal_data.py) adds the explicit exceptions, for example:

    class Witness(VersionedModel):
        ...
        personal_data = PersonalData(erase=("name", "phone"), third_party=("name", "phone"))

Generic rules for a text field (CharField, TextField, EncryptedTextField, EmailField) on
a client-related model:
- declared `erase`                                        -> removed on anonymisation
- declared `keep` (statistical), has choices,
  is unique (a reference), or is named like a code
  (kind, code, status, level, type, ...)                  -> kept
- any other free text                                     -> removed
Dates, numbers, booleans, choices and foreign keys are kept unless declared in `erase`
(e.g. date of birth), so past returns stay true. A JSON field (a snapshot of a safety
plan, a case event's data) is emptied if declared `erase`, kept whole if declared `keep`
(a list of codes), and otherwise scrubbed: numbers, booleans and nulls stay (ids,
counts), and a string stays only where its key is named like a code and it looks like
one ("status": "to_do"); every other string becomes "". File fields and declared stored
files (`StoredFile`): the file is deleted once the change is committed and the field
emptied.

Rows are about the client when a chain of foreign keys leads from them to the client or
to one of their cases; history rows when the record they are a version of is (or was)
such a row, and those of provisional clients merged into the client at triage
(`ClientScope`).

Third-party data (the suspect, witnesses, referrers, other people) is marked in subject
access bundles for redaction review: every field of a model declared
`third_party_record` or whose name contains "suspect" or "witness", and the fields
declared `third_party` or named like those.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from stalkingservice.personal_data import StoredFile, declaration, history_model

# Models that are never walked: the audit trail must outlive anonymisation (it holds ids
# and staff actions, never client details; the words of old break-glass rows are removed
# by stalkingservice.audit.audit_free_text_remove).
EXCLUDED_MODELS: set[str] = {"stalkingservice.AuditEvent"}

_THIRD_PARTY_NAME = re.compile(r"suspect|witness|perpetrator", re.IGNORECASE)
_CODE_NAME = re.compile(
    r"(^|_)(kind|code|codes|status|level|type|category|tool|outcome|method|direction|"
    r"version|source|reference)$"
)
TEXT_FIELD_TYPES = (models.CharField, models.TextField, models.EmailField)


# ---- walking the models --------------------------------------------------------------


def is_historical(model) -> bool:
    return getattr(model, "_meta", None) is not None and hasattr(model, "instance_type")


@dataclass
class RelatedModel:
    """A model holding data about a client: `path` is the ORM lookup from it to the
    client id (e.g. "case__client" for a note); `via_case` is the lookup to the case id
    when the path goes through a case (used for history rows of deleted parents)."""

    model: type[models.Model]
    path: str
    via_case: str | None = None
    history: type[models.Model] | None = None
    file_fields: list[str] = field(default_factory=list)
    stored_files: tuple[StoredFile, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label


def _forward_relations(model):
    for f in model._meta.get_fields():
        if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model is not None:
            yield f


def client_related_models() -> list[RelatedModel]:
    """Every model with a ForeignKey/OneToOne path to Client (directly or via Case), the
    client model itself first. Computed from the app registry, so models added by any
    app are covered without being listed anywhere."""
    client_model = apps.get_model("cases", "Client")
    case_model = apps.get_model("cases", "Case")
    found = [RelatedModel(model=client_model, path="")]
    for model in apps.get_models():
        label = model._meta.label
        if model is client_model or is_historical(model) or label in EXCLUDED_MODELS:
            continue
        path = _path_to(model, client_model, case_model)
        if path is None:
            continue
        lookup, via_case = path
        found.append(RelatedModel(model=model, path=lookup, via_case=via_case))
    for item in found:
        item.history = history_model(item.model)
        item.file_fields = [
            f.name for f in item.model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        item.stored_files = declaration(item.model).stored_files
    return found


def _path_to(model, client_model, case_model, max_depth: int = 4):
    """Shortest chain of forward relations from model to Client. Returns (lookup to the
    client pk, lookup to the case pk or None). Relations to users, districts and
    reference data never lead to a client, so the search stays small."""
    queue = deque([(model, [], None)])
    seen = {model}
    while queue:
        current, chain, case_chain = queue.popleft()
        if len(chain) >= max_depth:
            continue
        for f in _forward_relations(current):
            target = f.related_model
            new_chain = [*chain, f.name]
            if target is client_model:
                return "__".join(new_chain), case_chain
            if target in seen:
                continue
            seen.add(target)
            new_case_chain = case_chain
            if target is case_model and case_chain is None:
                new_case_chain = "__".join(new_chain)
            queue.append((target, new_chain, new_case_chain))
    return None


@dataclass
class ClientScope:
    """Which rows are about one client, worked out once per anonymisation or bundle.

    `client_ids` is the client's own id and those of the provisional clients merged into
    them at triage: a referral naming someone we already know makes a client and a safe
    contact of its own, which are deleted when the referral's case is linked to the
    known client (referrals.services), but whose history rows stay under the old id. The
    case's own history records the move (its client column changed), so the ids are
    found there, for merges made before this was written as well as after.
    `_ids` keeps, per model, the ids of every record about the client, live or by now
    only in history (a deleted note, a removed plan action)."""

    client_id: int
    case_ids: list[int]
    client_ids: list[int]
    items: dict[type[models.Model], RelatedModel]
    _ids: dict[type[models.Model], set[Any]] = field(default_factory=dict)

    def record_ids(self, item: RelatedModel) -> set[Any]:
        """Ids of every record of `item.model` about the client: the live ones, and those
        whose history rows point at a record about the client (so deleted ones too)."""
        model = item.model
        if model in self._ids:
            return self._ids[model]
        if not item.path:
            ids: set[Any] = set(self.client_ids)
        else:
            first = model._meta.get_field(item.path.split("__")[0])
            parent = self.items.get(first.related_model)
            live = item.model._base_manager.filter(**{item.path: self.client_id})
            ids = set(live.values_list("pk", flat=True))
            if parent is not None:
                parent_ids = self.record_ids(parent)
                ids |= set(
                    model._base_manager.filter(**{f"{first.attname}__in": parent_ids}).values_list(
                        "pk", flat=True
                    )
                )
                if item.history is not None:
                    ids |= set(
                        item.history._base_manager.filter(
                            **{f"{first.attname}__in": parent_ids}
                        ).values_list("id", flat=True)
                    )
        self._ids[model] = ids
        return ids


def merged_client_ids(client_id: int, case_ids: list[int]) -> list[int]:
    """Clients merged into this one at triage: any other client a case of theirs has
    ever had (its history says so) that no longer exists."""
    case_model = apps.get_model("cases", "Case")
    client_model = apps.get_model("cases", "Client")
    case_history = history_model(case_model)
    if case_history is None:
        return []
    former = set(
        case_history._base_manager.filter(id__in=case_ids)
        .exclude(client_id=client_id)
        .values_list("client_id", flat=True)
    )
    former.discard(None)
    live = set(client_model._base_manager.filter(pk__in=former).values_list("pk", flat=True))
    return sorted(former - live)


def client_scope(client_id: int) -> ClientScope:
    case_model = apps.get_model("cases", "Case")
    case_ids = list(
        case_model._base_manager.filter(client_id=client_id).values_list("pk", flat=True)
    )
    related = client_related_models()
    return ClientScope(
        client_id=client_id,
        case_ids=case_ids,
        client_ids=[client_id, *merged_client_ids(client_id, case_ids)],
        items={item.model: item for item in related},
    )


def rows_for_client(item: RelatedModel, scope: ClientScope) -> models.QuerySet[models.Model]:
    """Live rows of `item.model` that belong to the client."""
    manager = item.model._base_manager
    if not item.path:
        return manager.filter(pk=scope.client_id)
    return manager.filter(**{item.path: scope.client_id})


def history_rows_for_client(item: RelatedModel, scope: ClientScope) -> models.QuerySet[Any] | None:
    """Every history row of every record about the client: of live records, of records
    deleted since (a removed action, a deleted note) and of the provisional clients
    merged into them at triage (their client and safe-contact rows)."""
    # QuerySet[Any]: simple-history makes the history models at run time, so the checker
    # does not know their history_date, history_user and other columns.
    if item.history is None:
        return None
    return item.history._base_manager.filter(id__in=scope.record_ids(item))


def stored_file_path(spec: StoredFile, name: str) -> Path | None:
    """Where a declared stored file is, or None for a name that would leave its folder."""
    folder = (Path(settings.PROTECTED_FILES_ROOT) / spec.under).resolve()
    path = (folder / name).resolve()
    return path if path.parent == folder else None


# ---- field rules ---------------------------------------------------------------------


def is_personal_text(model, f) -> bool:
    """Is this field personal data that anonymisation removes?"""
    declared = declaration(model)
    if f.name in declared.erase:
        return True
    if not isinstance(f, TEXT_FIELD_TYPES) or not f.concrete or f.primary_key:
        return False
    if f.name in declared.keep:
        return False
    if f.choices or f.unique or isinstance(f, models.SlugField):
        return False
    return not _CODE_NAME.search(f.name)


def personal_fields(model) -> list:
    """Concrete fields of a live model that anonymisation empties (files excluded)."""
    stored = {spec.field for spec in declaration(model).stored_files}
    return [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, models.FileField) and (f.name in stored or is_personal_text(model, f))
    ]


def scrubbed_json_fields(model) -> list:
    """JSON fields anonymisation scrubs string by string (not declared erase or keep)."""
    declared = declaration(model)
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField)
        and f.name not in declared.erase
        and f.name not in declared.keep
    ]


_CODE_VALUE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


def json_scrubbed(value: Any, key: str = "") -> Any:
    """A JSON value with every string that may be free text replaced by "": the shape,
    numbers, booleans and nulls stay, and strings that are codes under a key named like
    a code. A string under any other key may be words someone typed (a reason, a plan
    action copied into a snapshot), so it goes."""
    if isinstance(value, dict):
        return {k: json_scrubbed(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [json_scrubbed(v, key) for v in value]
    if isinstance(value, str):
        keep = bool(_CODE_NAME.search(key)) and _CODE_VALUE.fullmatch(value) is not None
        return value if keep else ""
    return value


def is_third_party_record(model) -> bool:
    """Is the whole record about someone other than the client (a suspect)?"""
    return declaration(model).third_party_record or bool(_THIRD_PARTY_NAME.search(model.__name__))


def is_third_party(model, field_name: str) -> bool:
    if is_third_party_record(model) or _THIRD_PARTY_NAME.search(field_name):
        return True
    return field_name in declaration(model).third_party


def blind_index_fields(model) -> set[str]:
    """Keyed-hash columns: no use to the person, so left out of their bundle."""
    return {spec.index for spec in declaration(model).blind_indexes}


def anonymised_value(model, f):
    """What a personal field becomes: a declared placeholder, else empty or null."""
    declared = declaration(model).anonymised
    if f.name in declared:
        return declared[f.name]
    if f.null:
        return None
    if isinstance(f, TEXT_FIELD_TYPES):
        return ""
    if isinstance(f, models.JSONField):
        return f.get_default()
    raise ValueError(
        f"{model._meta.label}.{f.name} is declared personal but cannot be emptied: make it "
        "nullable or declare an anonymised value."
    )
