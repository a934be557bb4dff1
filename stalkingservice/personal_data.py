"""Personal data, declared once on the model that holds it.

A model holding data about a person says so in one class attribute beside its fields,
and everything that needs to know reads it there instead of keeping its own list:

    class SafeContact(VersionedModel):
        ...
        personal_data = PersonalData(
            fields=("safe_phone", "safe_times", ...),
            erase=("safe_phone", "safe_phone_index", ...),
            third_party=("others_who_may_answer",),
            blind_indexes=(BlindIndex("safe_phone_index", "safe_phone", "phone"), ...),
        )

The readers: the forms and services that record a client's details (`fields`), key
rotation (`blind_indexes`, management/commands/rotate_encryption_keys.py), and the
`dataprotection` app's anonymisation and subject access (the rest). The core only
declares: what is done with a declaration lives with the app that does it. A model that
declares nothing is still covered by dataprotection's generic rules, so a model added
later is never missed. `manage.py check` refuses a declaration naming a field the model
does not have (a typo there would otherwise quietly leave data behind).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.apps import apps
from django.core import checks
from django.db.models import Model


@dataclass(frozen=True)
class BlindIndex:
    """A keyed-hash column for exact-match look-ups of an encrypted one."""

    index: str  # the column holding the hash
    source: str  # the encrypted column it is computed from
    kind: str  # "phone" or "email": how the value is normalised (crypto.blind_index)


@dataclass(frozen=True)
class StoredFile:
    """A text column naming a file the app wrote itself (not a FileField): the file is
    PROTECTED_FILES_ROOT / `under` / the column's value. Declared so that anonymisation
    deletes the file with the row's data and the orphan-file check knows it is used."""

    field: str  # the column holding the file's name
    under: str  # the folder under PROTECTED_FILES_ROOT


@dataclass(frozen=True)
class PersonalData:
    """What a model holds about a person; every name is a field of the model."""

    # The details staff record about the person, in the order the forms ask for them:
    # what the forms show and what the services copy or change.
    fields: tuple[str, ...] = ()
    # Removed by anonymisation whatever their type (a date of birth, a keyed hash).
    erase: tuple[str, ...] = ()
    # Text kept by anonymisation: statistical facts, not about the person (a reference).
    keep: tuple[str, ...] = ()
    # What an erased field becomes instead of empty (a required name: "Anonymised").
    anonymised: Mapping[str, str] = field(default_factory=dict, hash=False)
    # Fields about someone other than the person (a referrer, whoever else may answer),
    # marked for redaction review in a subject access bundle.
    third_party: tuple[str, ...] = ()
    # The whole record is about someone else (a suspect).
    third_party_record: bool = False
    blind_indexes: tuple[BlindIndex, ...] = ()
    # Files the record names in a text column (a FileField is found without saying).
    stored_files: tuple[StoredFile, ...] = ()

    def __post_init__(self):
        for name in ("fields", "erase", "keep", "third_party", "blind_indexes", "stored_files"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"PersonalData({name}=...) takes a tuple of names, not a string")
            object.__setattr__(self, name, tuple(value))
        object.__setattr__(self, "anonymised", MappingProxyType(dict(self.anonymised)))

    def names(self) -> set[str]:
        """Every field the declaration names."""
        indexes = [name for spec in self.blind_indexes for name in (spec.index, spec.source)]
        return {
            *self.fields,
            *self.erase,
            *self.keep,
            *self.anonymised,
            *self.third_party,
            *indexes,
            *(spec.field for spec in self.stored_files),
        }


NOTHING_DECLARED = PersonalData()


def declaration(model: type[Model]) -> PersonalData:
    """The model's declaration, or an empty one (history models have none of their own)."""
    declared = getattr(model, "personal_data", None)
    return declared if isinstance(declared, PersonalData) else NOTHING_DECLARED


def declared_models() -> Iterator[tuple[type[Model], PersonalData]]:
    """Every installed model that declares personal data, with its declaration."""
    for model in apps.get_models():
        declared = getattr(model, "personal_data", None)
        if isinstance(declared, PersonalData):
            yield model, declared


def history_model(model: type[Model]) -> type[Model] | None:
    """The django-simple-history model of a model, or None: personal data is in both."""
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if not manager_name:
        return None
    return getattr(model, manager_name).model


def blind_indexes_refresh(obj: Model) -> None:
    """Recompute a record's keyed hashes from its encrypted columns, before it is saved."""
    from .crypto import blind_index

    for spec in declaration(type(obj)).blind_indexes:
        setattr(obj, spec.index, blind_index(getattr(obj, spec.source), spec.kind))


@checks.register(checks.Tags.models)
def check_declarations(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model, declared in declared_models():
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        concrete = {f.name for f in model._meta.concrete_fields}
        errors.extend(
            checks.Error(
                f"{model._meta.label}.personal_data names {name!r}, which is not a field of "
                "the model.",
                hint="Correct the name, or add the field.",
                obj=model,
                id="stalkingservice.E001",
            )
            for name in sorted(declared.names() - concrete)
        )
    return errors
