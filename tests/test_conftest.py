"""The shared fixtures keep their promises."""

import pytest

from stalkingservice.models import District


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_reference_data_survives_transactional_tests(run):
    # The first run's flush must not leave the second without the migrations' data.
    assert District.objects.filter(code="stafford").exists()
    District.objects.all().delete()
