"""Risk app models, one module per area. Django finds the models through this import;
everything else imports the area module (risk.models.assessment, ...)."""

from . import (  # noqa: F401
    assessment,
    care_plan,
    digital,
    exhibits,
    groups,
    incidents,
    safety_plan,
    sessions,
    tools,
)
