from .caseload import *  # noqa: F403
