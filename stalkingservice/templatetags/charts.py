"""Charts for templates whose view hands over a layout rather than a drawn chart; the
drawing is stalkingservice.charts, as for every other chart."""

from django import template
from django.utils import dateformat

from .. import charts

register = template.Library()


@register.simple_tag
def step_chart(layout, *, title: str, css_class="chart", test_id="", **colours):
    """`{% step_chart layout title="Risk level" high="#b10e1e" %}`: a level over time as
    laid out by the view (width, height, levels, points, first, last, axis_left,
    axis_right). The title says the dates it covers; a point takes the colour given for
    its level, else grey."""
    first, last = layout["first"], layout["last"]
    return charts.step_chart(
        title=f"{title} from {dateformat.format(first, 'j F Y')} to "
        f"{dateformat.format(last, 'j F Y')}",
        points=layout["points"],
        levels=layout["levels"],
        axis=(layout["axis_left"], layout["axis_right"]),
        axis_labels=(dateformat.format(first, "j M Y"), dateformat.format(last, "j M Y")),
        width=layout["width"],
        height=layout["height"],
        colours=colours,
        css_class=css_class,
        test_id=test_id,
    )
