"""Create the PostgreSQL database named in DATABASE_URL (or argv[1]) if it does not exist.

Uses psycopg2 from the venv, so no psql client is needed. Django's test runner then
creates its own test_<name> database beside it; connecting to <name> first avoids
Django's fallback to the "postgres" database, which warns (and warnings fail the tests).
"""

import os
import sys
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql

url = sys.argv[1] if len(sys.argv) > 1 else os.environ["DATABASE_URL"]
parts = urlsplit(url)
if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
    sys.exit(f"ensure_database: not a PostgreSQL URL: {url}")
name = parts.path.lstrip("/")
connection = psycopg2.connect(
    dbname="postgres",
    user=parts.username or "postgres",
    password=parts.password,
    host=parts.hostname or "127.0.0.1",
    port=parts.port or 5432,
    connect_timeout=5,
)
connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
with connection.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"ensure_database: created {name}")
connection.close()
