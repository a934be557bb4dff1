"""Shared helpers for the end-to-end journeys: every page a journey visits is checked with
axe-core once (by URL shape), and every serious or critical violation is printed with its
rule and page, then fails the journey at its end."""

import re
import time

import pytest

from tests.a11y import axe_violations


class AxeAudit:
    def __init__(self):
        self.seen: set[str] = set()
        self.problems: list[str] = []
        self.seconds = 0.0

    def check(self, page):
        page.wait_for_load_state("load")
        shape = re.sub(r"\d+", "N", page.url.split("?")[0].split("#")[0])
        if shape in self.seen:
            return
        self.seen.add(shape)
        started = time.monotonic()
        lines = axe_violations(page)
        self.seconds += time.monotonic() - started
        for line in lines:
            print("AXE:", line)
            self.problems.append(line)

    def assert_clean(self):
        print(f"axe-core checked {len(self.seen)} pages in {self.seconds:.1f} s")
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def axe(page):
    """axe.check(page) after each navigation; the journey calls axe.assert_clean() at its end."""
    return AxeAudit()
