from demo.progress import Progress


def test_a_line_at_most_every_interval_with_the_count_share_and_rate():
    now = [0.0]
    lines = []
    progress = Progress("cases", 20000, lines.append, interval=2.0, clock=lambda: now[0])
    for done in range(1, 20001):
        now[0] = done / 400  # 400 items a second, 50 s in all
        progress.advance()
    assert len(lines) == 25  # one every 2 s, not one per item
    assert lines[0] == "cases: 800/20000 (4%) 400/s"
    assert lines[1] == "cases: 1600/20000 (8%) 400/s"
    assert lines[-1] == "cases: 20000/20000 (100%) 400/s"


def test_without_a_writer_it_only_counts():
    progress = Progress("risk", 3, None, interval=0)
    progress.advance(2)
    assert progress.done == 2
    assert progress.line(progress.started) == "risk: 2/3 (66%)"


def test_a_stage_with_nothing_to_do_says_so_without_dividing_by_zero():
    progress = Progress("plans", 0, None, clock=lambda: 0.0)
    assert progress.line() == "plans: 0/0"
