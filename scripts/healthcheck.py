"""Container healthcheck: ask /healthz and pass when the named checks are ok (python + urllib: no curl in the image).

    python scripts/healthcheck.py database,broker               # web: serves and reaches its database and broker
    python scripts/healthcheck.py worker http://web:8000/healthz  # worker: has taken a heartbeat task lately

The body is read on 503 too, so that a web container stays healthy while only the worker is away (the worker's
own healthcheck reports that). The Host header is the first of ALLOWED_HOSTS, which Django requires.
"""

import json
import os
import sys
import urllib.error
import urllib.request

checks = sys.argv[1].split(",") if len(sys.argv) > 1 else ["database", "broker"]
url = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8000/healthz"
host = (os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost").lstrip(".")
request = urllib.request.Request(url, headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        report = json.load(response)
except urllib.error.HTTPError as error:
    report = json.load(error)
except Exception as error:
    sys.exit(f"healthz unreachable: {error}")
failed = [name for name in checks if report.get(name) not in ("ok", "eager")]
sys.exit(f"healthz: {', '.join(failed)} not ok: {report}" if failed else 0)
