"""Processes the browser tests start (gunicorn, the worker): the test settings, with
WhiteNoise serving the apps' static files as they are (a test run has no collectstatic
output), so the pages get their stylesheet and htmx as in production."""

from shop.settings.test import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
