"""Admin registrations of the cases app: reference data only, never casework."""

from .advocacy_admin import *  # noqa: F403
