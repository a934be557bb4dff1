"""The demo staff: one account per role (two caseworkers, so allocation and break-glass
have someone to work with), all with one documented password."""

from django.db import transaction

from stalkingservice.models import User
from stalkingservice.roles import Role

# A documented demo credential; seed_demo refuses to run under production settings.
DEFAULT_DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105

DEMO_USERS = [
    ("caseworker", Role.CASEWORKER, "Casey", "Walker", "Independent Stalking Advocacy Caseworker"),
    (
        "caseworker2",
        Role.CASEWORKER,
        "Jordan",
        "Hughes",
        "Independent Stalking Advocacy Caseworker",
    ),
    ("manager", Role.MANAGER, "Morgan", "Price", "Service manager"),
    ("commissioner", Role.COMMISSIONER, "Alex", "Reed", "Contract manager, Commissioner's office"),
    ("admin", Role.ADMINISTRATOR, "Sam", "Patel", "System administrator"),
]


@transaction.atomic
def seed_users(*, password: str) -> dict[str, User]:
    users = {}
    for username, role, first, last, title in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "first_name": first, "last_name": last, "job_title": title},
        )
        changed = created
        if user.role != role:
            user.role = role
            changed = True
        user.is_staff = role == Role.ADMINISTRATOR
        if created or not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        users[username] = user
    return users
