"""gunicorn for both web deployments (App Service startup command and `make run`):
`gunicorn -c shop/gunicorn_conf.py shop.wsgi`, the deployment chosen by DJANGO_SETTINGS_MODULE."""

import os

bind = os.environ.get("TIENDA_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("TIENDA_WEB_WORKERS", "2"))
threads = int(os.environ.get("TIENDA_WEB_THREADS", "1"))
# Load the app once in the master: workers share its memory and a bad setting stops the
# master with one line instead of every worker dying in a loop.
preload_app = True
timeout = 60
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("TIENDA_ACCESS_LOG") or None
errorlog = "-"
loglevel = "warning"
