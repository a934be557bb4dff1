from django.conf import settings
from django.db import transaction

from .models import User


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> User:
    """End every session this user has, on every device."""
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    return user


def broker_status() -> str:
    """'ok' when the Redis broker answers a ping within two seconds, else 'unavailable'."""
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except (redis.RedisError, OSError, ValueError):
        return "unavailable"
    return "ok"
