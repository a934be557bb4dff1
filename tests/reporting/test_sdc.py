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


def _protect(settings, build):
    settings.SUPPRESSION_THRESHOLD = 5
    protection = sdc.ReturnProtection()
    build(protection)
    return protection.protect()


def test_a_cell_shared_by_two_tables_is_hidden_in_both(settings):
    """Triage outcomes (accepted 7, declined 6, signposted 1) and the declined table,
    whose total is the declined row: hiding the 1 needs a second cell, and the declined
    6 cannot be it while the other table prints it, unless it is hidden there too."""

    def build(p):
        p.cell("referrals", 14, published=True)
        for key, n in (("accepted", 7), ("declined", 6), ("signposted", 1)):
            p.cell(f"referrals/outcome={key}", n, published=True)
        p.add_sum(
            "referrals", [f"referrals/outcome={k}" for k in ("accepted", "declined", "signposted")]
        )
        p.cell("referrals/outcome=declined/reason=x", 6, published=True)
        p.add_sum("referrals/outcome=declined", ["referrals/outcome=declined/reason=x"])

    out = _protect(settings, build)
    assert out.shown("referrals/outcome=signposted", 1) == "<5"
    rows = {k: f"referrals/outcome={k}" for k in ("accepted", "declined", "signposted")}
    hidden_rows = {k for k, cell in rows.items() if cell in out.hidden}
    # Whichever second cell was chosen, the signposted 1 is not 14 minus what is shown.
    assert len(hidden_rows) >= 2
    if "declined" in hidden_rows:
        assert "referrals/outcome=declined/reason=x" in out.hidden


def test_the_rest_of_a_percentage_is_protected_even_when_both_counts_are_printed(settings):
    """Outcomes measured for 10 clients, improved for 9: printing both would say that
    one client did not improve, so one of them is hidden and so is the percentage."""

    def build(p):
        p.cell("outcomes", 10, published=True)
        p.cell("outcomes/improved", 9, published=True)
        p.percent(
            "share", part=9, whole=10, base="outcomes", parts=["outcomes/improved"], published=True
        )

    out = _protect(settings, build)
    assert "share" in out.hidden_percents
    assert {"outcomes", "outcomes/improved"} & set(out.hidden)
