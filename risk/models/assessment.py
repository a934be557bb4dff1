"""Risk tools, assessments, MARAC, reviews, incidents and evidence."""

from django.db import models  # noqa: F401

__all__: list[str] = []
