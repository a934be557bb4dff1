"""Safety plans, needs and care plans, interventions and group work, digital safety."""

from django.db import models  # noqa: F401

__all__: list[str] = []
