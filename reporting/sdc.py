"""Statistical disclosure control for anything that leaves the service.

Primary suppression: a count from 1 to SUPPRESSION_THRESHOLD - 1 is shown as "<5".
Secondary suppression: where a published total would let one hidden cell be worked out
(total minus the cells shown), a second cell is hidden too. The second cell may be large,
so it is shown as "[c]" ("hidden to protect a small number"), never as a false "<5".
Percentages and medians based on fewer people than the threshold are hidden the same way.
Managers' internal dashboards use the true numbers and never call this module."""

from dataclasses import dataclass, field
from fractions import Fraction

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


# ---- disclosure control over the whole return ----------------------------------------
#
# Indicators that count the same people (referrals by source, by district, by month and
# by triage outcome; clients supported by each equality question; cases closed by reason,
# by risk and by change in risk...) publish the same total and often the same cells. A
# cell hidden in one table can then be worked out from another table's total, a row or
# column sum, or a percentage. So the whole return is protected at once: every published
# figure is a named cell ("referrals/source=self"), the identities between cells are
# linear equations (a total is the sum of its rows; a percentage ties its numerator to its
# base), and cells are hidden until no hidden cell and no small count is determined by the
# published figures (exact Gaussian elimination over the rationals). A cell is hidden in
# every table that prints it.


def _rref_determined(rows: list[dict[str, Fraction]]) -> set[str]:
    """The unknowns a system of linear equations fixes uniquely. `rows` are the
    equations' coefficients on the unknowns only (known cells are constants and do not
    change which unknowns are fixed). An unknown is fixed exactly when, in reduced row
    echelon form, its pivot row has no other non-zero coefficient."""
    pivots: list[tuple[str, dict[str, Fraction]]] = []
    for eq in rows:
        row = {k: v for k, v in eq.items() if v}
        for col, prow in pivots:
            factor = row.get(col)
            if factor:
                for k, v in prow.items():
                    nv = row.get(k, Fraction(0)) - factor * v
                    if nv:
                        row[k] = nv
                    else:
                        row.pop(k, None)
        if not row:
            continue
        col = min(row)
        lead = row[col]
        row = {k: v / lead for k, v in row.items()}
        # Keep earlier pivot rows reduced against the new pivot.
        for i, (pcol, prow) in enumerate(pivots):
            factor = prow.get(col)
            if factor:
                new = dict(prow)
                for k, v in row.items():
                    nv = new.get(k, Fraction(0)) - factor * v
                    if nv:
                        new[k] = nv
                    else:
                        new.pop(k, None)
                pivots[i] = (pcol, new)
        pivots.append((col, row))
    return {col for col, row in pivots if len(row) == 1}


@dataclass
class _Percent:
    num: str
    base: str
    part: int
    whole: int
    published: bool


@dataclass
class Protection:
    """The outcome: which cells and which percentages are hidden, and why."""

    hidden: dict[str, str] = field(default_factory=dict)  # cell -> "primary" | "secondary"
    hidden_percents: set[str] = field(default_factory=set)

    def shown(self, cell: str, value):
        """The published form of a cell's value."""
        reason = self.hidden.get(cell)
        if reason == "primary":
            return small_marker()
        if reason == "secondary":
            return SECONDARY
        return value


class ReturnProtection:
    """Collects the cells, sums and percentages of a whole return, then decides what to
    hide (`protect`)."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self.published: set[str] = set()
        self.sums: list[tuple[str, list[str]]] = []
        self.percents: dict[str, _Percent] = {}

    def cell(self, cell: str, value: int, *, published: bool) -> None:
        known = self.values.get(cell)
        if known is not None and known != value:
            raise ValueError(f"Cell {cell} counted as both {known} and {value}")
        self.values[cell] = value
        if published:
            self.published.add(cell)

    def add_sum(self, total: str, parts: list[str]) -> None:
        self.sums.append((total, list(parts)))

    def percent(
        self, code: str, *, part: int, whole: int, base: str, parts: list[str], published: bool
    ) -> None:
        """A percentage `part` of `whole` (the cell `base`), whose numerator is the sum of
        `parts` when they are cells of the return. Its numerator and the rest of its base
        are cells too, never published, so a small one is protected like any other."""
        num, rest = f"{code}#numerator", f"{code}#rest"
        self.cell(num, part, published=False)
        self.cell(rest, whole - part, published=False)
        self.cell(base, whole, published=False)
        if parts:
            self.add_sum(num, parts)
        self.add_sum(base, [num, rest])
        self.percents[code] = _Percent(num, base, part, whole, published)

    # ---- deciding ----

    def _equations(self, hidden: set[str], hidden_percents: set[str]):
        eqs: list[dict[str, Fraction]] = []
        for total, parts in self.sums:
            eq: dict[str, Fraction] = {total: Fraction(-1)}
            for p in parts:
                eq[p] = eq.get(p, Fraction(0)) + 1
            eqs.append(eq)
        for code, pc in self.percents.items():
            if pc.published and code not in hidden_percents and pc.whole:
                # part/whole is published: whole * numerator - part * base = 0.
                eqs.append({pc.num: Fraction(pc.whole), pc.base: Fraction(-pc.part)})
        return eqs

    def _exposed(self, hidden: set[str], hidden_percents: set[str]) -> set[str]:
        unknown = (set(self.values) - self.published) | hidden
        rows = [
            {k: v for k, v in eq.items() if k in unknown}
            for eq in self._equations(hidden, hidden_percents)
        ]
        guarded = hidden | {c for c in unknown if is_small(self.values[c])}
        return _rref_determined([r for r in rows if r]) & guarded

    def _candidates(self, target: str, hidden: set[str], hidden_percents: set[str]):
        """Published figures that could be hidden to protect `target`: first those in an
        equation with it (smallest first, then percentages), then every other."""
        near: set[str] = set()
        for total, parts in self.sums:
            if target == total or target in parts:
                near.update([total, *parts])
        near_pcts = [
            code
            for code, pc in self.percents.items()
            if pc.published
            and code not in hidden_percents
            and (target in (pc.num, pc.base) or target in near)
        ]

        def usable(c: str) -> bool:
            return c in self.published and c not in hidden and self.values[c] > 0

        by_size = sorted((c for c in near if usable(c)), key=lambda c: (self.values[c], c))
        first = [("cell", c) for c in by_size] + [("percent", p) for p in sorted(near_pcts)]
        rest_cells = sorted(
            (c for c in self.published if usable(c) and c not in near),
            key=lambda c: (self.values[c], c),
        )
        rest_pcts = sorted(
            code
            for code, pc in self.percents.items()
            if pc.published and code not in hidden_percents and code not in near_pcts
        )
        rest = [("cell", c) for c in rest_cells] + [("percent", p) for p in rest_pcts]
        return first, rest

    def _complete(self) -> None:
        """Give every cell that only appears in a sum (a month's total) its value, and
        check that every sum holds: a sum that does not is a wrongly named cell."""
        changed = True
        while changed:
            changed = False
            for total, parts in self.sums:
                if total not in self.values and all(p in self.values for p in parts):
                    self.values[total] = sum(self.values[p] for p in parts)
                    changed = True
        for total, parts in self.sums:
            missing = [c for c in (total, *parts) if c not in self.values]
            if missing:
                raise ValueError(f"Cells {missing} have no value")
            if self.values[total] != sum(self.values[p] for p in parts):
                raise ValueError(f"Cell {total} is not the sum of {parts}")

    def protect(self) -> Protection:
        self._complete()
        hidden = {c for c in self.published if is_small(self.values[c])}
        secondary: set[str] = set()
        hidden_percents = {
            code
            for code, pc in self.percents.items()
            if pc.published
            and (is_small(pc.part) or is_small(pc.whole - pc.part) or is_small(pc.whole))
        }
        while True:
            exposed = self._exposed(hidden, hidden_percents)
            if not exposed:
                break
            target = min(exposed)
            first, rest = self._candidates(target, hidden, hidden_percents)
            choice = None
            for kind, name in first:
                trial_cells = hidden | {name} if kind == "cell" else hidden
                trial_pcts = hidden_percents | {name} if kind == "percent" else hidden_percents
                if target not in self._exposed(trial_cells, trial_pcts):
                    choice = (kind, name)
                    break
            if choice is None:
                options = first or rest
                if not options:
                    # Nothing left to hide: cannot happen (with every figure hidden the
                    # equations have no constants), so fail loudly rather than publish.
                    raise RuntimeError(f"Cannot protect {target}")
                choice = options[0]
            kind, name = choice
            if kind == "cell":
                hidden.add(name)
                secondary.add(name)
            else:
                hidden_percents.add(name)
        return Protection(
            hidden={c: ("secondary" if c in secondary else "primary") for c in hidden},
            hidden_percents=hidden_percents,
        )
