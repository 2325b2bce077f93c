"""The embedded set-up of `make run`: SQLite, tasks in-process, e-mail to the console."""

from info_portal.settings.base import *  # noqa: F403
from info_portal.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
