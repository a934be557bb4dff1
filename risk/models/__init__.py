"""Risk app models, split by area: assessments, incidents and evidence (assessment.py);
safety plans, care plans, interventions and digital safety (planning.py); the stalking
behaviours (behaviours.py) and risk scores received from the police (received_scores.py),
which referrals uses too."""

from .assessment import *  # noqa: F403
from .behaviours import *  # noqa: F403
from .planning import *  # noqa: F403
from .received_scores import *  # noqa: F403
