from reporting import sdc


def test_primary_suppression_of_small_counts(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    assert [sdc.suppress_value(v) for v in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]


def test_threshold_is_a_setting(settings):
    settings.SUPPRESSION_THRESHOLD = 10
    assert sdc.suppress_value(7) == "<10"
    assert sdc.suppress_value(10) == 10


def test_secondary_cell_hidden_when_total_would_reveal_it(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    # Total 23 is published; hiding only the 3 would let it be worked out as 23 - 20.
    out = sdc.protect_cells({"police": 12, "self": 3, "health": 8, "other": 0})
    assert out["self"] == "<5"
    assert out["health"] == sdc.SECONDARY  # the smallest other non-zero cell
    assert out["police"] == 12
    assert out["other"] == 0


def test_no_secondary_when_two_cells_already_hidden(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    out = sdc.protect_cells({"a": 2, "b": 3, "c": 20})
    assert out == {"a": "<5", "b": "<5", "c": 20}


def test_no_secondary_when_nothing_hidden(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    assert sdc.protect_cells({"a": 6, "b": 0, "c": 20}) == {"a": 6, "b": 0, "c": 20}


def test_two_way_table_protects_rows_and_columns(settings):
    settings.SUPPRESSION_THRESHOLD = 5
    cells = {"oct|police": 2, "oct|self": 9, "nov|police": 7, "nov|self": 8}
    groups = [
        ["oct|police", "oct|self"],
        ["nov|police", "nov|self"],
        ["oct|police", "nov|police"],
        ["oct|self", "nov|self"],
    ]
    out = sdc.protect_cells(cells, groups)
    hidden = {k for k, v in out.items() if not isinstance(v, int)}
    # Every row and every column now has either no hidden cell or at least two.
    for group in groups:
        assert len(hidden & set(group)) != 1
    assert out["oct|police"] == "<5"
