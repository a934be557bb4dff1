"""Outcome measures: the client's ratings at entry and at exit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

from .lifecycle import Case

User = settings.AUTH_USER_MODEL


class OutcomeMeasure(models.TextChoices):
    SAFER = "safer", "Feeling safer"
    HEALTH = "health", "Health and wellbeing"
    COPING = "coping", "Coping with everyday life"
    INFORMED = "informed", "Informed and empowered"
    JUSTICE = "justice", "Able to engage with the criminal justice system"
    SATISFACTION = "satisfaction", "Satisfaction with the service"


ENTRY_MEASURES: list[str] = [m for m in OutcomeMeasure if m != OutcomeMeasure.SATISFACTION]


EXIT_MEASURES: list[str] = list(OutcomeMeasure)


class OutcomeAssessment(VersionedModel):
    class Stage(models.TextChoices):
        ENTRY = "entry", "Entry (after first assessment)"
        EXIT = "exit", "Exit"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcome_assessments")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    recorded_on = models.DateField(default=timezone.localdate)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="outcome_one_per_stage")
        ]
        indexes = [models.Index(fields=["stage", "recorded_on"], name="outcome_stage_on")]

    def __str__(self):
        return f"{self.get_stage_display()} outcomes for case {self.case_id}"


class OutcomeAnswer(models.Model):
    """One measure at one stage. A rating only when the client gave one: "not asked",
    "declined" and "not relevant" are kept as such and never counted as a score."""

    class Response(models.TextChoices):
        RATED = "rated", "Rated"
        NOT_ASKED = "not_asked", "Not asked"
        DECLINED = "declined", "Declined to answer"
        NOT_RELEVANT = "not_relevant", "Not relevant"

    assessment = models.ForeignKey(
        OutcomeAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    measure = models.CharField(max_length=20, choices=OutcomeMeasure.choices)
    response = models.CharField(max_length=15, choices=Response.choices)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "measure"], name="outcome_answer_one_per_measure"
            ),
            models.CheckConstraint(
                condition=(Q(response="rated") & Q(rating__gte=1) & Q(rating__lte=5))
                | (~Q(response="rated") & Q(rating__isnull=True)),
                name="outcome_rating_1_to_5_only_when_rated",
            ),
        ]
        indexes = [models.Index(fields=["measure", "response"], name="outcome_measure_response")]

    def __str__(self):
        return f"{self.measure}: {self.rating or self.response}"
