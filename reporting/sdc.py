"""Statistical disclosure control for anything that leaves the service.

Primary suppression: a count from 1 to SUPPRESSION_THRESHOLD - 1 is shown as "<5".
Secondary suppression: where a published total would let one hidden cell be worked out
(total minus the cells shown), a second cell is hidden too. The second cell may be large,
so it is shown as "[c]" ("hidden to protect a small number"), never as a false "<5".
Percentages and medians based on fewer people than the threshold are hidden the same way.
Managers' internal dashboards use the true numbers and never call this module."""

from django.conf import settings

SECONDARY = "[c]"
SECONDARY_EXPLANATION = (
    '"[c]" marks a figure hidden so that a small number elsewhere in the same table '
    "cannot be worked out from the total."
)


def threshold() -> int:
    return settings.SUPPRESSION_THRESHOLD


def small_marker() -> str:
    return f"<{threshold()}"


def is_small(value) -> bool:
    return isinstance(value, int) and 0 < value < threshold()


def suppress_value(value):
    """Primary suppression of a single count."""
    return small_marker() if is_small(value) else value


def protect_cells(cells: dict, groups: list[list] | None = None, total=None) -> dict:
    """Return a copy of `cells` (key -> int count) with primary and secondary suppression.

    `groups` are lists of keys whose sum is published elsewhere (for a flat breakdown,
    one group of all keys, whose sum is the indicator's value). In each group with exactly
    one hidden cell, the smallest other non-zero cell is hidden too; repeated until no
    group has a lone hidden cell (so row and column totals of a two-way table are both
    safe). A group whose published total is itself hidden needs no secondary cell.
    """
    keys = list(cells)
    if groups is None:
        groups = [keys]
    hidden: dict = {k: "primary" for k in keys if is_small(cells[k])}
    changed = True
    while changed:
        changed = False
        for group in groups:
            group_total = sum(cells[k] for k in group if isinstance(cells[k], int))
            if total is not None and len(groups) == 1:
                group_total = total
            if is_small(group_total):
                continue
            lone = [k for k in group if k in hidden]
            if len(lone) != 1:
                continue
            candidates = sorted(
                (
                    k
                    for k in group
                    if k not in hidden and isinstance(cells[k], int) and cells[k] > 0
                ),
                key=lambda k: (cells[k], str(k)),
            )
            if candidates:
                hidden[candidates[0]] = "secondary"
                changed = True
    out = {}
    for k in keys:
        if hidden.get(k) == "primary":
            out[k] = small_marker()
        elif hidden.get(k) == "secondary":
            out[k] = SECONDARY
        else:
            out[k] = cells[k]
    return out
