from .contact import *  # noqa: F403
