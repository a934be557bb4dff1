"""Police and court liaison, orders, signposting and handover, outcome measures, exit and
closure, and service-level records (awareness sessions, compliments and complaints)."""

from django.db import models  # noqa: F401

__all__: list[str] = []
