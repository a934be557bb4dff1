"""Equality monitoring choices (Equality Act 2010 characteristics). Every question is
optional and every one offers "Prefer not to say"; "Not asked" is the default so that an
unanswered question is never counted as an answer."""

from django.db import models

NOT_ASKED = "not_asked"
PREFER_NOT = "prefer_not"


class YesNoPrefer(models.TextChoices):
    NOT_ASKED = NOT_ASKED, "Not asked"
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class Gender(models.TextChoices):
    NOT_ASKED = NOT_ASKED, "Not asked"
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBE = "self_describe", "Prefer to self-describe"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class Ethnicity(models.TextChoices):
    """GSS harmonised standard: 19 categories in 5 groups."""

    NOT_ASKED = NOT_ASKED, "Not asked"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other background"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_wbc", "Mixed or multiple: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_wba", "Mixed or multiple: White and Black African"
    MIXED_WHITE_ASIAN = "mixed_wa", "Mixed or multiple: White and Asian"
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other mixed background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


ETHNIC_GROUPS = {
    "Asian or Asian British": ("asian_",),
    "Black, Black British, Caribbean or African": ("black_",),
    "Mixed or multiple ethnic groups": ("mixed_",),
    "White": ("white_",),
    "Other ethnic group": ("other_",),
}


class SexualOrientation(models.TextChoices):
    NOT_ASKED = NOT_ASKED, "Not asked"
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class Religion(models.TextChoices):
    NOT_ASKED = NOT_ASKED, "Not asked"
    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class MaritalStatus(models.TextChoices):
    NOT_ASKED = NOT_ASKED, "Not asked"
    SINGLE = "single", "Never married or in a civil partnership"
    MARRIED = "married", "Married or in a civil partnership"
    SEPARATED = "separated", "Separated"
    DIVORCED = "divorced", "Divorced or civil partnership dissolved"
    WIDOWED = "widowed", "Widowed or surviving civil partner"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


AGE_BANDS = [
    (0, 17, "Under 18"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 200, "65 and over"),
]
