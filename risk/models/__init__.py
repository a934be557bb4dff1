"""Risk app models, split by area: assessments, incidents and evidence (assessment.py);
safety plans, care plans, interventions and digital safety (planning.py)."""

from .assessment import *  # noqa: F403
from .planning import *  # noqa: F403
