"""Progress lines for the long stages of `seed_demo`, so 20,000 cases do not look hung:
"cases: 5000/20000 (25%) 410/s", at most one line every couple of seconds."""

import time
from collections.abc import Callable

Writer = Callable[[str], None]
# The longest silence between two lines of a stage that is still moving.
INTERVAL_SECONDS = 2.0


class Progress:
    """Counts the items of one stage. `advance` is cheap enough to call per item: it
    writes a line only when `interval` seconds have passed since the last one. Without a
    writer (verbosity 0, or a generator called directly by a test) it only counts."""

    def __init__(
        self,
        stage: str,
        total: int,
        write: Writer | None,
        *,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.stage = stage
        self.total = total
        self.done = 0
        self._write = write
        self._interval = INTERVAL_SECONDS if interval is None else interval
        self._clock = clock
        self.started = clock()
        self._last_line = self.started

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._write is None:
            return
        now = self._clock()
        if now - self._last_line >= self._interval:
            self._last_line = now
            self._write(self.line(now))

    def line(self, now: float | None = None) -> str:
        now = self._clock() if now is None else now
        elapsed = now - self.started
        share = f" ({self.done * 100 // self.total}%)" if self.total else ""
        rate = f" {self.done / elapsed:.0f}/s" if elapsed > 0 else ""
        return f"{self.stage}: {self.done}/{self.total}{share}{rate}"
