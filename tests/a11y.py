"""axe-core checks for browser tests: no serious or critical WCAG 2.2 AA violation."""

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()
_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[str]:
    """Serious and critical violations on the current page, one line each: rule, page, nodes."""
    results = _AXE.run(page, options=_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"{violation['id']} ({violation['impact']}) on {page.url}: {violation['help']}"
            f" -> {targets}"
        )
    return lines


def assert_accessible(page):
    problems = axe_violations(page)
    for line in problems:
        print("AXE:", line)
    assert not problems, "\n".join(problems)
