"""Gunicorn settings for the web container: `gunicorn -c gunicorn.conf.py parindex.wsgi`.

A request may not hold a worker for ever: a 1.4 MB workbook once kept one busy for 14 minutes. Imports that
can take long run as Celery jobs; the web request only stores the file. Values come from the environment.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", 3)
# A worker silent for this many seconds is killed and replaced; its request gets a 502 instead of hanging.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On reload or shutdown, time for requests in progress to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Request line and headers bounded (gunicorn's own defaults are 4094 bytes, 100 fields of 8190 bytes).
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 4094)
limit_request_fields = _int("GUNICORN_LIMIT_REQUEST_FIELDS", 100)
limit_request_field_size = _int("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190)
# Recycle workers now and then, so that memory a request left fragmented is given back; the jitter keeps
# the workers from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
