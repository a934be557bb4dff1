"""The case event kinds data protection writes on a case's timeline (see cases.events)."""

from cases.events import register

DATA_ANONYMISED = register("data_anonymised", "Personal data anonymised (retention)")
