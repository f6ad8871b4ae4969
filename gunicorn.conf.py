"""gunicorn's settings in the container (docker-compose.yml, Dockerfile)."""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request is done in well under a minute; PDFs and big imports run in Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Keep-alive connections from the proxy.
keepalive = 5
# Limits on the request line and headers (gunicorn has no body limit: the proxy's request_body and
# the app's RequestBodyLimitMiddleware refuse bodies over REQUEST_MAX_BYTES).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle workers now and then so that a slow leak never builds up.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
