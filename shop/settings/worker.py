"""The workers: queue tasks and timers, in the Function App or `manage.py runworker`."""

from shop.settings.base import *  # noqa: F403

ROOT_URLCONF = "shop.urls.worker"
