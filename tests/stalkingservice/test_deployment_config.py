"""Every variable the settings read can be set through the compose file and is in the
README's table, so an operator never has to edit code or the compose file to set one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "stalkingservice" / "settings"
# Read only by the test or dev settings (production fixes DEBUG off whatever is set).
NOT_FOR_PRODUCTION = {"CELERY_TASK_ALWAYS_EAGER", "DEBUG"}


def settings_variables() -> set[str]:
    names: set[str] = set()
    for name in ("base.py", "production.py"):
        text = (SETTINGS / name).read_text()
        names |= set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", text))
        names |= set(re.findall(r"""_required\(\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    return names - NOT_FOR_PRODUCTION


def compose_environment() -> set[str]:
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("environment:", 1)[1].split("\n  volumes:", 1)[0]
    return set(re.findall(r"^\s{4}([A-Z][A-Z0-9_]+):", block, re.M))


def test_the_settings_read_the_variables_this_test_looks_for():
    found = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "BLIND_INDEX_KEY", "FIELD_ENCRYPTION_KEYS"} <= found


def test_compose_can_set_every_variable_the_settings_read():
    missing = settings_variables() - compose_environment()
    assert not missing, f"not settable through docker-compose.yml: {sorted(missing)}"


def test_the_readme_documents_every_variable():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, re.M))
    missing = settings_variables() - documented
    assert not missing, f"missing from the README's configuration table: {sorted(missing)}"


def test_the_example_env_file_has_every_required_compose_variable():
    text = (ROOT / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+):\?", text))
    example = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert required <= example, f"not in .env.example: {sorted(required - example)}"


def test_compose_trusts_exactly_the_one_proxy_it_documents():
    """Compose puts web behind one reverse proxy (README): one trusted hop, so the rate
    limit keys on each visitor, not on the proxy (0) nor on a header they wrote (2+)."""
    text = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r"^\s{4}TRUSTED_PROXY_HOPS: \$\{TRUSTED_PROXY_HOPS:-1\}$", text, re.M)
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^\| `TRUSTED_PROXY_HOPS` \|.*`1` in `docker-compose.yml`", readme, re.M)
    assert "$proxy_add_x_forwarded_for" in readme
