from .lifecycle import *  # noqa: F403
from .police_court import *  # noqa: F403
