from .lifecycle import *  # noqa: F403
