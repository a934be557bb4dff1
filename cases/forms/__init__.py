from .client import *  # noqa: F403
