"""Reads of a case's outcome measures, entry beside exit."""

from dataclasses import dataclass

from ..models.lifecycle import Case
from ..models.outcomes import (
    ENTRY_MEASURES,
    EXIT_MEASURES,
    OutcomeAnswer,
    OutcomeAssessment,
    OutcomeMeasure,
)


@dataclass
class OutcomeRow:
    measure: str
    label: str
    entry: OutcomeAnswer | None
    exit: OutcomeAnswer | None

    @property
    def change(self) -> int | None:
        """Exit rating minus entry rating; none unless both were actually rated."""
        if (
            self.entry is not None
            and self.exit is not None
            and self.entry.rating is not None
            and self.exit.rating is not None
        ):
            return self.exit.rating - self.entry.rating
        return None


def outcome_rows(*, case: Case) -> tuple[dict, list[OutcomeRow]]:
    assessments = {
        a.stage: a
        for a in case.outcome_assessments.select_related("by").prefetch_related("answers")
    }
    answers = {
        stage: {ans.measure: ans for ans in a.answers.all()} for stage, a in assessments.items()
    }
    rows = [
        OutcomeRow(
            measure=m,
            label=OutcomeMeasure(m).label,
            entry=answers.get("entry", {}).get(m),
            exit=answers.get("exit", {}).get(m),
        )
        for m in EXIT_MEASURES
    ]
    return assessments, rows


def outcome_measures_for_stage(stage: str) -> list[str]:
    return EXIT_MEASURES if stage == OutcomeAssessment.Stage.EXIT else ENTRY_MEASURES
