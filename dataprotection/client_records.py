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
Dates, numbers, booleans, choices, foreign keys and JSON are kept unless declared in
`erase` (e.g. date of birth), so past returns stay true. File fields: the stored file is
deleted and the field emptied.

Third-party data (the suspect, witnesses, referrers, other people) is marked in subject
access bundles for redaction review: every field of a model declared
`third_party_record` or whose name contains "suspect" or "witness", and the fields
declared `third_party` or named like those.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from stalkingservice.personal_data import declaration, history_model

# Models that are never walked: the audit trail must outlive anonymisation (it holds ids
# and staff actions, never client details).
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


def rows_for_client(
    item: RelatedModel, client_id: int, case_ids: list[int]
) -> models.QuerySet[models.Model]:
    """Live rows of `item.model` that belong to the client."""
    manager = item.model._base_manager
    if not item.path:
        return manager.filter(pk=client_id)
    return manager.filter(**{item.path: client_id})


def history_rows_for_client(
    item: RelatedModel, client_id: int, case_ids: list[int]
) -> models.QuerySet[Any] | None:
    """History rows of those objects, including objects deleted since: a historical
    table keeps the foreign key columns, so rows are matched on their own case or client
    column when the path is one step, otherwise on the ids of the live rows."""
    # QuerySet[Any]: simple-history makes the history models at run time, so the checker
    # does not know their history_date, history_user and other columns.
    if item.history is None:
        return None
    manager = item.history._base_manager
    if not item.path:
        return manager.filter(id=client_id)
    first = item.path.split("__")[0]
    if "__" not in item.path:
        return manager.filter(**{f"{first}_id": client_id})
    if item.via_case and "__" not in item.via_case:
        return manager.filter(**{f"{item.via_case}_id__in": case_ids})
    ids = list(rows_for_client(item, client_id, case_ids).values_list("pk", flat=True))
    return manager.filter(id__in=ids)


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
    return [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, models.FileField) and is_personal_text(model, f)
    ]


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
