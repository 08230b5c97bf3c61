"""WSGI entry point for gunicorn; the deployment picks its settings with DJANGO_SETTINGS_MODULE
(shop.settings.storefront or shop.settings.backoffice). A bad setting stops the process with
one line instead of a traceback per worker."""

import gc
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.storefront")

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    print(f"error: {error}", file=sys.stderr)
    sys.exit(2)

# Everything loaded at start-up lives as long as the process: keep it out of the collector's
# full passes, which had stalled requests for 60-415 ms.
gc.collect()
gc.freeze()
