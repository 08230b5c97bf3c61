"""Worker processes started by the tests: the test settings, with the tests' own task module
allowed to run from a queue."""

from shop.settings.test import *  # noqa: F403
from shop.settings.test import WORKER_TASK_MODULES

WORKER_TASK_MODULES = (*WORKER_TASK_MODULES, "tests.workers.tasks")
