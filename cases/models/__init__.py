"""The cases app's models, one module per area. Django finds models through this package,
so every module is imported here; callers import the area module itself
(`from cases.models.lifecycle import Case`)."""

from . import (  # noqa: F401
    client,
    contact,
    handover,
    lifecycle,
    notes_tasks,
    orders,
    outcomes,
    police_court,
    risk_level,
    service_records,
    suspects,
)
