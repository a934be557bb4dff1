"""The one SVG chart module: every text is escaped, numbers are written on the bars, and
the step chart draws a level over time."""

from dataclasses import dataclass

from stalkingservice import charts


def test_bar_chart_writes_each_value_and_escapes_labels():
    svg = charts.bar_chart(
        title="Referrals <by source>",
        categories=["Police & partners", "Self"],
        series=[("This quarter", [12, "<5"])],
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Referrals &lt;by source&gt;" in svg and "Police &amp; partners" in svg
    assert ">12</text>" in svg and ">&lt;5</text>" in svg  # a suppressed value is written
    assert "<by source>" not in svg


def test_pair_chart_draws_two_series_with_a_legend():
    svg = charts.pair_chart(
        title="Risk", first=("At intake", {"High": 2}), second=("At closure", {"High": 1})
    )
    assert "At intake" in svg and "At closure" in svg


@dataclass
class Point:
    x: float
    y: float
    level: str
    label: str


def test_step_chart_steps_between_points_and_colours_them_by_level():
    svg = charts.step_chart(
        title="Level from 1 May to 2 June",
        points=[Point(90, 100, "low", "1 May: low"), Point(460, 20, "high", "2 June: <high>")],
        levels=[("High", 20), ("Low", 100)],
        axis=(90, 460),
        axis_labels=("1 May", "2 Jun"),
        width=480,
        height=130,
        colours={"high": "#b10e1e"},
        test_id="level-chart",
    )
    assert 'points="90,100 90,100 460,100 460,20"' in svg
    assert 'fill="#b10e1e"><title>2 June: &lt;high&gt;</title>' in svg
    assert 'fill="#505a5f"><title>1 May: low</title>' in svg
    assert 'data-testid="level-chart"' in svg and 'y="125"' in svg
