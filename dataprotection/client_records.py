"""What personal data the system holds about a client, found by walking the models.

Retention (anonymisation) and subject access both need "every row about this client",
and other apps keep adding models that hang off a case or a client. So nothing here lists
those models: `client_related_models()` walks Django's model metadata and finds every
model with a ForeignKey/OneToOne path to `cases.Client` or `cases.Case`, its
django-simple-history table and its file fields. Generic rules decide which fields are
personal data; the registries below are the small explicit exceptions, and an app adds to
them from its AppConfig.ready() (or at import of its services), for example:

    from dataprotection import client_records
    client_records.register(
        "risk.Witness", personal={"name", "phone"}, third_party={"name", "phone"}
    )

Generic rules for a text field (CharField, TextField, EncryptedTextField, EmailField) on
a client-related model:
- declared personal data (PERSONAL_DATA_FIELDS)           -> removed on anonymisation
- declared statistical (STATISTICAL_FIELDS), has choices,
  is unique (a reference), or is named like a code
  (kind, code, status, level, type, ...)                  -> kept
- any other free text                                     -> removed
Dates, numbers, booleans, choices, foreign keys and JSON are kept unless declared
personal (e.g. date of birth), so past returns stay true. File fields: the stored file is
deleted and the field emptied.

Third-party data (the suspect, witnesses, referrers, other people) is marked in subject
access bundles for redaction review: every field of a model in THIRD_PARTY_MODELS or of a
model whose name contains "suspect" or "witness", and fields in THIRD_PARTY_FIELDS.
"""

import re
from collections import deque
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

# ---- registries (model label -> field names); apps add to these with register() ------

PERSONAL_DATA_FIELDS: dict[str, set[str]] = {
    "cases.Client": {
        "first_name",
        "last_name",
        "preferred_name",
        "date_of_birth",
        "gender_self_description",
        "pronouns",
        "access_needs",
        "address",
        "language",
    },
    "cases.SafeContact": {
        "safe_phone",
        "safe_phone_index",
        "safe_times",
        "voicemail_wording",
        "email",
        "email_index",
        "postal_address",
        "code_word",
        "others_who_may_answer",
        "notes",
    },
    "cases.Suspect": {"name", "aliases", "online_identifiers", "vehicle_registrations", "notes"},
    "cases.Case": {"closure_summary", "restricted_reason"},
    "referrals.Referral": {
        "referrer_name",
        "referrer_organisation",
        "referrer_role",
        "referrer_phone",
        "referrer_email",
        "summary",
        "duration",
        "crime_reference",
        "conflict_detail",
        "signposted_to",
        "decision_notes",
    },
}

# Text fields that are statistical facts, not personal data: kept on anonymisation.
STATISTICAL_FIELDS: dict[str, set[str]] = {
    "cases.Case": {"reference"},
    "cases.CaseEvent": {"kind", "from_status", "to_status"},
    "referrals.Referral": {"reference", "risk_tool_version", "risk_level_received"},
}

# The value a required field takes when anonymised (instead of an empty string). The
# client's first name becomes "Anonymised", so every screen naming the client says so.
ANONYMISED_VALUES: dict[str, dict[str, str]] = {
    "cases.Client": {"first_name": "Anonymised"},
}

THIRD_PARTY_MODELS: set[str] = {"cases.Suspect"}
THIRD_PARTY_FIELDS: dict[str, set[str]] = {
    "cases.SafeContact": {"others_who_may_answer"},
    "referrals.Referral": {
        "referrer_name",
        "referrer_organisation",
        "referrer_role",
        "referrer_phone",
        "referrer_email",
    },
}

# Keyed-hash columns and the encrypted column each one indexes:
# model label -> [(index field, source field, "phone" | "email")].
BLIND_INDEXES: dict[str, list[tuple[str, str, str]]] = {
    "cases.SafeContact": [
        ("safe_phone_index", "safe_phone", "phone"),
        ("email_index", "email", "email"),
    ],
}

# Models that are never walked: the audit trail must outlive anonymisation (it holds ids
# and staff actions, never client details).
EXCLUDED_MODELS: set[str] = {"stalkingservice.AuditEvent"}

_THIRD_PARTY_NAME = re.compile(r"suspect|witness|perpetrator", re.IGNORECASE)
_CODE_NAME = re.compile(
    r"(^|_)(kind|code|codes|status|level|type|category|tool|outcome|method|direction|"
    r"version|source|reference)$"
)
TEXT_FIELD_TYPES = (models.CharField, models.TextField, models.EmailField)


def register(
    label: str,
    *,
    personal: set[str] | None = None,
    statistical: set[str] | None = None,
    third_party: set[str] | None = None,
    third_party_model: bool = False,
    anonymised_values: dict[str, str] | None = None,
    blind_indexes: list[tuple[str, str, str]] | None = None,
) -> None:
    """Declare a model's data-protection exceptions (see the module docstring)."""
    if personal:
        PERSONAL_DATA_FIELDS.setdefault(label, set()).update(personal)
    if statistical:
        STATISTICAL_FIELDS.setdefault(label, set()).update(statistical)
    if third_party:
        THIRD_PARTY_FIELDS.setdefault(label, set()).update(third_party)
    if third_party_model:
        THIRD_PARTY_MODELS.add(label)
    if anonymised_values:
        ANONYMISED_VALUES.setdefault(label, {}).update(anonymised_values)
    if blind_indexes:
        BLIND_INDEXES.setdefault(label, []).extend(blind_indexes)


# ---- walking the models --------------------------------------------------------------


def is_historical(model) -> bool:
    return getattr(model, "_meta", None) is not None and hasattr(model, "instance_type")


def history_model(model):
    """The simple-history table of a model, or None."""
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if not manager_name:
        return None
    return getattr(model, manager_name).model


@dataclass
class RelatedModel:
    """A model holding data about a client: `path` is the ORM lookup from it to the
    client id (e.g. "case__client" for a note); `via_case` is the lookup to the case id
    when the path goes through a case (used for history rows of deleted parents)."""

    model: type
    path: str
    via_case: str | None = None
    history: type | None = None
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


def rows_for_client(item: RelatedModel, client_id: int, case_ids: list[int]):
    """Live rows of `item.model` that belong to the client."""
    manager = item.model._base_manager
    if not item.path:
        return manager.filter(pk=client_id)
    return manager.filter(**{item.path: client_id})


def history_rows_for_client(item: RelatedModel, client_id: int, case_ids: list[int]):
    """History rows of those objects, including objects deleted since: a historical
    table keeps the foreign key columns, so rows are matched on their own case or client
    column when the path is one step, otherwise on the ids of the live rows."""
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
    label = model._meta.label
    if f.name in PERSONAL_DATA_FIELDS.get(label, set()):
        return True
    if not isinstance(f, TEXT_FIELD_TYPES) or not f.concrete or f.primary_key:
        return False
    if f.name in STATISTICAL_FIELDS.get(label, set()):
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


def is_third_party(model, field_name: str) -> bool:
    label = model._meta.label
    if label in THIRD_PARTY_MODELS or _THIRD_PARTY_NAME.search(model.__name__):
        return True
    if _THIRD_PARTY_NAME.search(field_name):
        return True
    return field_name in THIRD_PARTY_FIELDS.get(label, set())


def anonymised_value(model, f):
    """What a personal field becomes: a declared placeholder, else empty or null."""
    declared = ANONYMISED_VALUES.get(model._meta.label, {})
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


def encrypted_fields(model) -> list:
    from stalkingservice.crypto import EncryptedTextField

    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
